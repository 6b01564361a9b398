import { describe, expect, it } from 'vitest';
import { Frequency, PeriodType, parsePeriod } from '@crossgov/schema';
import { DEFAULT_GRACE_DAYS, type ReturnLine, ReturnStatus, completeness, dueDate, expectedPeriods, returnLines } from './returns.rules.ts';

const MONTHLY = DEFAULT_GRACE_DAYS[Frequency.MONTHLY];
const QUARTERLY = DEFAULT_GRACE_DAYS[Frequency.QUARTERLY];
const ANNUAL = DEFAULT_GRACE_DAYS[Frequency.ANNUAL];
const labels = (first: string, today: string, grace: number, until?: string | null) => expectedPeriods(first, today, grace, until).map((p) => p.label);

describe('when a return is due', () => {
  it('gives a month 30 days, a quarter 45 and a year 90 by default', () => {
    expect(DEFAULT_GRACE_DAYS).toEqual({ MONTHLY: 30, QUARTERLY: 45, ANNUAL: 90 });
  });

  it('counts the grace from the last day of the period, across month and year ends', () => {
    expect(dueDate(parsePeriod('2026-01'), MONTHLY)).toBe('2026-03-02'); // 31 Jan + 30, through a 28-day February
    expect(dueDate(parsePeriod('2026-Q3'), QUARTERLY)).toBe('2026-11-14');
    expect(dueDate(parsePeriod('2023'), ANNUAL)).toBe('2024-03-30'); // 2024 is a leap year
    expect(dueDate(parsePeriod('2024'), ANNUAL)).toBe('2025-03-31');
  });
});

describe('expected periods', () => {
  it('lists the months whose returns were due by the day, leaving out the next one', () => {
    // 2026-04 was due 30 May; 2026-05 is due 30 June.
    expect(labels('2026-01', '2026-06-15', MONTHLY)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
  });

  it('includes a period on its due date and not the day before', () => {
    expect(labels('2026-05', '2026-06-30', MONTHLY)).toEqual(['2026-05']);
    expect(labels('2026-05', '2026-06-29', MONTHLY)).toEqual([]);
  });

  it('continues a quarterly data set in calendar quarters', () => {
    expect(labels('2024-Q3', '2026-11-21', QUARTERLY)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
  });

  it('continues a financial-quarter data set in April-March quarters across the financial year end', () => {
    // 2026/27-Q1 (April-June 2026) was due 14 August; Q2 is due 14 November.
    const periods = expectedPeriods('2025/26-Q3', '2026-08-20', QUARTERLY);
    expect(periods.map((p) => p.label)).toEqual(['2025/26-Q3', '2025/26-Q4', '2026/27-Q1']);
    expect(periods.every((p) => p.type === PeriodType.FINANCIAL_QUARTER)).toBe(true);
  });

  it('continues an annual data set in calendar or financial years, as it started', () => {
    expect(labels('2023', '2025-03-31', ANNUAL)).toEqual(['2023', '2024']);
    expect(labels('2023', '2025-03-30', ANNUAL)).toEqual(['2023']);
    expect(labels('2023/24', '2025-07-01', ANNUAL)).toEqual(['2023/24', '2024/25']);
  });

  it('stops at `until`, inclusive, even when later periods are due', () => {
    expect(labels('2024-Q1', '2030-01-01', QUARTERLY, '2024-Q3')).toEqual(['2024-Q1', '2024-Q2', '2024-Q3']);
    expect(labels('2025-11', '2030-01-01', MONTHLY, '2025')).toEqual(['2025-11', '2025-12']);
    expect(labels('2024-Q1', '2030-01-01', QUARTERLY, null)).toHaveLength(23);
  });

  it('is empty when the first period is not due yet, or `until` comes before it', () => {
    expect(labels('2027-01', '2026-11-21', MONTHLY)).toEqual([]);
    expect(labels('2024-Q3', '2030-01-01', QUARTERLY, '2024-Q2')).toEqual([]);
  });
});

describe('return lines', () => {
  const today = '2026-06-15';
  const expected = expectedPeriods('2026-01', today, MONTHLY);
  const records = [
    { period: '2026-01', receivedOn: '2026-02-20' },
    { period: '2026-02', receivedOn: '2026-04-09' },
    { period: '2026-04', receivedOn: '2026-05-30' },
    { period: '2025-12', receivedOn: '2026-01-20' },
    { period: '2026-05', receivedOn: '2026-06-10' },
  ];

  it('marks a monthly series received, late by 10 days, missing for 46 days, and received on its due date', () => {
    expect(returnLines(expected, records, today, MONTHLY)).toEqual([
      { period: '2026-01', dueOn: '2026-03-02', status: ReturnStatus.RECEIVED, receivedOn: '2026-02-20', daysLate: null },
      // Due 30 March, received 9 April.
      { period: '2026-02', dueOn: '2026-03-30', status: ReturnStatus.LATE, receivedOn: '2026-04-09', daysLate: 10 },
      // Due 30 April: 30 days to 30 May, 16 more to 15 June.
      { period: '2026-03', dueOn: '2026-04-30', status: ReturnStatus.MISSING, receivedOn: null, daysLate: 46 },
      { period: '2026-04', dueOn: '2026-05-30', status: ReturnStatus.RECEIVED, receivedOn: '2026-05-30', daysLate: null },
    ]);
  });

  it('shows a period not yet due as NOT_DUE, and missing only from the day after its due date', () => {
    const may = [parsePeriod('2026-05')];
    expect(returnLines(may, [], '2026-06-15', MONTHLY)[0]).toMatchObject({ status: ReturnStatus.NOT_DUE, daysLate: null });
    expect(returnLines(may, [], '2026-06-30', MONTHLY)[0]).toMatchObject({ status: ReturnStatus.NOT_DUE, daysLate: null });
    expect(returnLines(may, [], '2026-07-01', MONTHLY)[0]).toMatchObject({ status: ReturnStatus.MISSING, daysLate: 1 });
  });

  it('judges a past date as it stood: a return received after it had not arrived yet, one received that day had', () => {
    const march = [parsePeriod('2026-03')];
    const record = [{ period: '2026-03', receivedOn: '2026-06-20' }];
    expect(returnLines(march, record, '2026-06-15', MONTHLY)[0]).toMatchObject({ status: ReturnStatus.MISSING, receivedOn: null, daysLate: 46 });
    expect(returnLines(march, record, '2026-06-20', MONTHLY)[0]).toMatchObject({ status: ReturnStatus.LATE, receivedOn: '2026-06-20', daysLate: 51 });
  });

  it('counts the first receipt when a period was returned twice', () => {
    const twice = [
      { period: '2026-01', receivedOn: '2026-03-10' },
      { period: '2026-01', receivedOn: '2026-02-20' },
    ];
    expect(returnLines([parsePeriod('2026-01')], twice, today, MONTHLY)[0]).toMatchObject({ status: ReturnStatus.RECEIVED, receivedOn: '2026-02-20' });
  });

  it("lists Synergy's quarterly milestone return as 7 days overdue a week after its 14 November due date", () => {
    const lines = returnLines(expectedPeriods('2024-Q3', '2026-11-21', QUARTERLY), [{ period: '2024-Q3', receivedOn: '2024-09-30' }], '2026-11-21', QUARTERLY);
    expect(lines[0]).toMatchObject({ period: '2024-Q3', status: ReturnStatus.RECEIVED });
    expect(lines.at(-1)).toEqual({ period: '2026-Q3', dueOn: '2026-11-14', status: ReturnStatus.MISSING, receivedOn: null, daysLate: 7 });
  });

  it('lists every expected period as missing when nothing was ever received', () => {
    const lines = returnLines(expectedPeriods('2026-01', today, MONTHLY), [], today, MONTHLY);
    expect(lines.map((l) => [l.period, l.status, l.daysLate])).toEqual([
      ['2026-01', ReturnStatus.MISSING, 105],
      ['2026-02', ReturnStatus.MISSING, 77],
      ['2026-03', ReturnStatus.MISSING, 46],
      ['2026-04', ReturnStatus.MISSING, 16],
    ]);
  });

  it('puts lines oldest first whatever order the periods come in', () => {
    const lines = returnLines([parsePeriod('2026-03'), parsePeriod('2026-01')], [], today, MONTHLY);
    expect(lines.map((l) => l.period)).toEqual(['2026-01', '2026-03']);
  });
});

describe('completeness of returns', () => {
  const line = (dueOn: string, status: ReturnStatus): ReturnLine => ({ period: dueOn.slice(0, 7), dueOn, status, receivedOn: null, daysLate: null });

  it('counts 3 of 4 monthly returns received, one of them late, as 75%', () => {
    const today = '2026-06-15';
    const records = [
      { period: '2026-01', receivedOn: '2026-02-20' },
      { period: '2026-02', receivedOn: '2026-04-09' },
      { period: '2026-04', receivedOn: '2026-05-30' },
    ];
    const lines = returnLines(expectedPeriods('2026-01', today, MONTHLY), records, today, MONTHLY);
    expect(completeness(lines, today)).toEqual({
      expected: 4,
      received: 3,
      late: 1,
      missing: 1,
      ratio: 0.75,
      rule: '3 of 4 returns due from 2025-06-16 to 2026-06-15 received (1 late), 1 missing: 75%',
    });
  });

  it('counts a return due on the first day of the window and leaves out one due the day before', () => {
    const today = '2026-11-21';
    const lines = [line('2025-11-21', ReturnStatus.MISSING), line('2025-11-22', ReturnStatus.LATE), line('2026-11-21', ReturnStatus.RECEIVED)];
    expect(completeness(lines, today)).toMatchObject({ expected: 2, received: 2, late: 1, missing: 0, ratio: 1 });
  });

  it('does not expect a return that is not yet due, nor one due after today', () => {
    const today = '2026-11-21';
    const lines = [line('2026-11-01', ReturnStatus.MISSING), line('2026-11-21', ReturnStatus.NOT_DUE), line('2026-12-01', ReturnStatus.RECEIVED)];
    expect(completeness(lines, today)).toMatchObject({ expected: 1, received: 0, missing: 1, ratio: 0 });
  });

  it('looks back over a shorter window when asked', () => {
    const today = '2026-06-15';
    const lines = [line('2026-04-16', ReturnStatus.MISSING), line('2026-04-17', ReturnStatus.MISSING), line('2026-05-30', ReturnStatus.RECEIVED)];
    const result = completeness(lines, today, 60);
    expect(result).toMatchObject({ expected: 2, received: 1, missing: 1, ratio: 0.5 });
    expect(result.rule).toBe('1 of 2 returns due from 2026-04-17 to 2026-06-15 received (0 late), 1 missing: 50%');
  });

  it('has no ratio when nothing was expected, as for an empty history', () => {
    expect(completeness([], '2026-11-21')).toEqual({
      expected: 0,
      received: 0,
      late: 0,
      missing: 0,
      ratio: null,
      rule: 'no returns due from 2025-11-22 to 2026-11-21',
    });
  });
});
