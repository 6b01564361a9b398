import { describe, expect, it } from 'vitest';
import { Frequency, PeriodType, parsePeriod } from '@crossgov/schema';
import {
  DEFAULT_GRACE_DAYS,
  DEFAULT_TOLERANCE_DAYS,
  type ReturnLine,
  ReturnStatus,
  completeness,
  dueDate,
  expectedPeriods,
  notReceivedIn,
  periodsWhileOpen,
  returnLines,
  returnsWindow,
} from './returns.rules.ts';

const MONTHLY = DEFAULT_GRACE_DAYS[Frequency.MONTHLY];
const QUARTERLY = DEFAULT_GRACE_DAYS[Frequency.QUARTERLY];
const ANNUAL = DEFAULT_GRACE_DAYS[Frequency.ANNUAL];
const labels = (first: string, today: string, grace: number, until?: string | null) =>
  expectedPeriods(first, today, grace, until).map((p) => p.label);

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
    expect(labels('2026-01', '2026-06-15', MONTHLY)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
  });

  it('includes a period on its due date and not the day before', () => {
    expect(labels('2026-05', '2026-06-30', MONTHLY)).toEqual(['2026-05']);
    expect(labels('2026-05', '2026-06-29', MONTHLY)).toEqual([]);
  });

  it('continues a quarterly data set in calendar quarters', () => {
    expect(labels('2024-Q3', '2026-11-21', QUARTERLY)).toEqual([
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
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
    expect(labels('2024-Q1', '2030-01-01', QUARTERLY, '2024-Q3')).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
    ]);
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
      {
        period: '2026-01',
        dueOn: '2026-03-02',
        status: ReturnStatus.RECEIVED,
        receivedOn: '2026-02-20',
        daysLate: null,
      },
      // Due 30 March, received 9 April.
      {
        period: '2026-02',
        dueOn: '2026-03-30',
        status: ReturnStatus.LATE,
        receivedOn: '2026-04-09',
        daysLate: 10,
      },
      // Due 30 April: 30 days to 30 May, 16 more to 15 June.
      {
        period: '2026-03',
        dueOn: '2026-04-30',
        status: ReturnStatus.MISSING,
        receivedOn: null,
        daysLate: 46,
      },
      {
        period: '2026-04',
        dueOn: '2026-05-30',
        status: ReturnStatus.RECEIVED,
        receivedOn: '2026-05-30',
        daysLate: null,
      },
    ]);
  });

  it('gives a month, a quarter and a year one more grace of their cadence as the tolerance: 30, 45 and 90 days', () => {
    expect(DEFAULT_TOLERANCE_DAYS).toEqual({ MONTHLY: 30, QUARTERLY: 45, ANNUAL: 90 });
  });

  it('calls a monthly return not yet due on its due date, late (outstanding) the day after and 30 days after, missing on the 31st', () => {
    // 2026-05 is due 30 June; the tolerance runs 1 to 30 July.
    const may = [parsePeriod('2026-05')];
    const on = (today: string) => returnLines(may, [], today, MONTHLY)[0];
    expect(on('2026-06-15')).toMatchObject({ status: ReturnStatus.NOT_DUE, daysLate: null });
    expect(on('2026-06-30')).toMatchObject({ status: ReturnStatus.NOT_DUE, daysLate: null });
    expect(on('2026-07-01')).toMatchObject({ status: ReturnStatus.OUTSTANDING, daysLate: 1 });
    expect(on('2026-07-30')).toMatchObject({ status: ReturnStatus.OUTSTANDING, daysLate: 30 });
    expect(on('2026-07-31')).toMatchObject({ status: ReturnStatus.MISSING, daysLate: 31 });
  });

  it('keeps a quarterly return outstanding for 45 days after its due date and an annual one for 90', () => {
    // 2026-Q2 is due 14 August: outstanding to 28 September, missing from 29 September.
    const q2 = [parsePeriod('2026-Q2')];
    expect(returnLines(q2, [], '2026-09-28', QUARTERLY)[0]).toMatchObject({
      status: ReturnStatus.OUTSTANDING,
      daysLate: 45,
    });
    expect(returnLines(q2, [], '2026-09-29', QUARTERLY)[0]).toMatchObject({
      status: ReturnStatus.MISSING,
      daysLate: 46,
    });
    // 2024 was due 31 March 2025: outstanding to 29 June, missing from 30 June.
    const year = [parsePeriod('2024')];
    expect(returnLines(year, [], '2025-06-29', ANNUAL)[0]).toMatchObject({
      status: ReturnStatus.OUTSTANDING,
      daysLate: 90,
    });
    expect(returnLines(year, [], '2025-06-30', ANNUAL)[0]).toMatchObject({
      status: ReturnStatus.MISSING,
      daysLate: 91,
    });
  });

  it('takes a tolerance other than the grace when given one, and none at all when it is 0', () => {
    const may = [parsePeriod('2026-05')];
    expect(returnLines(may, [], '2026-07-08', MONTHLY, 7)[0]).toMatchObject({
      status: ReturnStatus.MISSING,
      daysLate: 8,
    });
    expect(returnLines(may, [], '2026-07-01', MONTHLY, 0)[0]).toMatchObject({
      status: ReturnStatus.MISSING,
      daysLate: 1,
    });
  });

  it('calls a return received within the tolerance late, however it stood the day before', () => {
    const may = [parsePeriod('2026-05')];
    expect(
      returnLines(may, [{ period: '2026-05', receivedOn: '2026-07-05' }], '2026-07-10', MONTHLY)[0],
    ).toMatchObject({ status: ReturnStatus.LATE, daysLate: 5 });
  });

  it('judges a past date as it stood: a return received after it had not arrived yet, one received that day had', () => {
    const march = [parsePeriod('2026-03')];
    const record = [{ period: '2026-03', receivedOn: '2026-06-20' }];
    expect(returnLines(march, record, '2026-06-15', MONTHLY)[0]).toMatchObject({
      status: ReturnStatus.MISSING,
      receivedOn: null,
      daysLate: 46,
    });
    expect(returnLines(march, record, '2026-06-20', MONTHLY)[0]).toMatchObject({
      status: ReturnStatus.LATE,
      receivedOn: '2026-06-20',
      daysLate: 51,
    });
  });

  it('counts the first receipt when a period was returned twice', () => {
    const twice = [
      { period: '2026-01', receivedOn: '2026-03-10' },
      { period: '2026-01', receivedOn: '2026-02-20' },
    ];
    expect(returnLines([parsePeriod('2026-01')], twice, today, MONTHLY)[0]).toMatchObject({
      status: ReturnStatus.RECEIVED,
      receivedOn: '2026-02-20',
    });
  });

  it("calls Synergy's quarterly milestone return 7 days late, not missing, a week after its 14 November due date", () => {
    const lines = returnLines(
      expectedPeriods('2024-Q3', '2026-11-21', QUARTERLY),
      [{ period: '2024-Q3', receivedOn: '2024-09-30' }],
      '2026-11-21',
      QUARTERLY,
    );
    expect(lines[0]).toMatchObject({ period: '2024-Q3', status: ReturnStatus.RECEIVED });
    expect(lines.at(-2)).toMatchObject({
      period: '2026-Q2',
      dueOn: '2026-08-14',
      status: ReturnStatus.MISSING,
      daysLate: 99,
    });
    expect(lines.at(-1)).toEqual({
      period: '2026-Q3',
      dueOn: '2026-11-14',
      status: ReturnStatus.OUTSTANDING,
      receivedOn: null,
      daysLate: 7,
    });
  });

  it('lists every expected period as missing, or outstanding within the tolerance, when nothing was ever received', () => {
    const lines = returnLines(expectedPeriods('2026-01', today, MONTHLY), [], today, MONTHLY);
    expect(lines.map((l) => [l.period, l.status, l.daysLate])).toEqual([
      ['2026-01', ReturnStatus.MISSING, 105],
      ['2026-02', ReturnStatus.MISSING, 77],
      ['2026-03', ReturnStatus.MISSING, 46],
      ['2026-04', ReturnStatus.OUTSTANDING, 16],
    ]);
  });

  it('puts lines oldest first whatever order the periods come in', () => {
    const lines = returnLines([parsePeriod('2026-03'), parsePeriod('2026-01')], [], today, MONTHLY);
    expect(lines.map((l) => l.period)).toEqual(['2026-01', '2026-03']);
  });
});

describe('the milestone return, owed while a milestone is open', () => {
  const quarters = expectedPeriods('2025-Q1', '2026-11-21', QUARTERLY); // 2025-Q1 .. 2026-Q3
  const labelsOf = (periods: { label: string }[]) => periods.map((p) => p.label);

  it('is owed every quarter while any milestone has no actual date', () => {
    expect(
      labelsOf(periodsWhileOpen(quarters, [{ actualDate: '2025-02-10' }, { actualDate: null }])),
    ).toHaveLength(7);
  });

  it('is owed up to the quarter the last milestone was done in, and not after', () => {
    // Done 2025-02-10 and 2025-08-20: the 2025-Q3 return reports the last; 2025-Q4 on is not owed.
    expect(
      labelsOf(
        periodsWhileOpen(quarters, [{ actualDate: '2025-02-10' }, { actualDate: '2025-08-20' }]),
      ),
    ).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    // Done on a quarter's first day: that quarter's return is still owed.
    expect(labelsOf(periodsWhileOpen(quarters, [{ actualDate: '2025-07-01' }]))).toEqual([
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
    ]);
    // Done the day before: it is not.
    expect(labelsOf(periodsWhileOpen(quarters, [{ actualDate: '2025-06-30' }]))).toEqual([
      '2025-Q1',
      '2025-Q2',
    ]);
  });

  it('is owed for no quarter when every milestone was done before the first, or there is no milestone', () => {
    expect(periodsWhileOpen(quarters, [{ actualDate: '2022-11-01' }])).toEqual([]);
    expect(periodsWhileOpen(quarters, [])).toEqual([]);
  });

  it('is owed again when a new milestone without an actual date is added to a finished programme', () => {
    const done = [{ actualDate: '2022-11-01' }];
    expect(periodsWhileOpen(quarters, done)).toEqual([]);
    expect(labelsOf(periodsWhileOpen(quarters, [...done, { actualDate: null }]))).toEqual(
      labelsOf(quarters),
    );
  });
});

describe('completeness of returns', () => {
  const line = (
    dueOn: string,
    status: ReturnStatus,
    daysLate: number | null = null,
  ): ReturnLine => ({ period: dueOn.slice(0, 7), dueOn, status, receivedOn: null, daysLate });

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
      outstanding: 0,
      missing: 1,
      ratio: 0.75,
      from: '2025-06-16',
      to: '2026-06-15',
      olderMissing: 0,
      rule: '3 of 4 returns due from 2025-06-16 to 2026-06-15 (the last 365 days) received (1 of them late), 0 late and not yet received, 1 missing: 75% received',
    });
  });

  it('counts a return due on the first day of the window and leaves out one due the day before, counting it apart as older', () => {
    const today = '2026-11-21';
    const lines = [
      line('2025-11-21', ReturnStatus.MISSING),
      line('2025-11-22', ReturnStatus.LATE),
      line('2026-11-21', ReturnStatus.RECEIVED),
    ];
    const result = completeness(lines, today);
    expect(result).toMatchObject({
      expected: 2,
      received: 2,
      late: 1,
      missing: 0,
      ratio: 1,
      from: '2025-11-22',
      olderMissing: 1,
    });
    expect(result.rule).toMatch(
      /: 100% received; and 1 older, due before 2025-11-22, never received and not counted here$/,
    );
  });

  it('does not expect a return that is not yet due, nor one due after today', () => {
    const today = '2026-11-21';
    const lines = [
      line('2026-11-01', ReturnStatus.MISSING),
      line('2026-11-21', ReturnStatus.NOT_DUE),
      line('2026-12-01', ReturnStatus.RECEIVED),
    ];
    expect(completeness(lines, today)).toMatchObject({
      expected: 1,
      received: 0,
      missing: 1,
      ratio: 0,
    });
  });

  it('counts outstanding returns as expected and not received, apart from the missing ones', () => {
    const today = '2026-11-21';
    const lines = [
      line('2026-11-14', ReturnStatus.OUTSTANDING, 7),
      line('2026-08-14', ReturnStatus.MISSING, 99),
      line('2026-05-15', ReturnStatus.RECEIVED),
    ];
    expect(completeness(lines, today)).toMatchObject({
      expected: 3,
      received: 1,
      late: 0,
      outstanding: 1,
      missing: 1,
      ratio: 1 / 3,
    });
  });

  it('looks back over a shorter window when asked', () => {
    const today = '2026-06-15';
    const lines = [
      line('2026-04-16', ReturnStatus.MISSING),
      line('2026-04-17', ReturnStatus.MISSING),
      line('2026-05-30', ReturnStatus.RECEIVED),
    ];
    const result = completeness(lines, today, 60);
    expect(result).toMatchObject({
      expected: 2,
      received: 1,
      missing: 1,
      ratio: 0.5,
      olderMissing: 1,
    });
    expect(result.rule).toBe(
      '1 of 2 returns due from 2026-04-17 to 2026-06-15 (the last 60 days) received (0 of them late), 0 late and not yet received, 1 missing: 50% received; and 1 older, due before 2026-04-17, never received and not counted here',
    );
  });

  it('refuses a window that is not a whole number of days, naming the value and rule', () => {
    expect(() => returnsWindow('2026-06-15', 0)).toThrow(
      'windowDays 0 must be a whole number of days, at least 1',
    );
    expect(() => completeness([], '2026-06-15', 1.5)).toThrow(/windowDays 1.5/);
  });

  it('has no ratio when nothing was expected, as for an empty history', () => {
    expect(completeness([], '2026-11-21')).toEqual({
      expected: 0,
      received: 0,
      late: 0,
      outstanding: 0,
      missing: 0,
      ratio: null,
      from: '2025-11-22',
      to: '2026-11-21',
      olderMissing: 0,
      rule: 'no returns due from 2025-11-22 to 2026-11-21 (the last 365 days)',
    });
  });
});

describe('returns not received, listed from the same window as the counts', () => {
  // A monthly data set first returned for 2024-01, judged on 2026-06-15, with four returns received:
  // months 2024-01..2026-04 are due (2026-05 falls due on 30 June), 28 in all.
  const today = '2026-06-15';
  const records = [
    { period: '2024-01', receivedOn: '2024-02-10' },
    { period: '2025-03', receivedOn: '2025-04-20' }, // due 30 April 2025, on time: before the window
    { period: '2025-08', receivedOn: '2025-10-05' }, // due 30 September 2025, 5 days late
    { period: '2026-01', receivedOn: '2026-03-01' }, // due 2 March 2026, on time
  ];
  const lines = returnLines(expectedPeriods('2024-01', today, MONTHLY), records, today, MONTHLY);
  const window = returnsWindow(today);

  it('counts the window by hand: due 16 June 2025 to 15 June 2026 is 2025-05 (due 30 June 2025) to 2026-04 (due 30 May 2026)', () => {
    expect(window).toEqual({ from: '2025-06-16', to: '2026-06-15', days: 365 });
    expect(lines).toHaveLength(28);
    // 12 months due in the window, 2 received (1 late); 2026-04 is 16 days past due (outstanding); 9 missing.
    // Before it, 2024-01 and 2025-03 came and the other 14 months (2024-02..2025-04) never did.
    expect(completeness(lines, today)).toMatchObject({
      expected: 12,
      received: 2,
      late: 1,
      outstanding: 1,
      missing: 9,
      olderMissing: 14,
    });
  });

  it('lists exactly the returns the counts call outstanding and missing, most overdue first', () => {
    const { outstanding, overdue } = notReceivedIn(lines, window);
    const counts = completeness(lines, today);
    expect(outstanding.length).toBe(counts.outstanding);
    expect(overdue.length).toBe(counts.missing);
    expect(outstanding.map((l) => [l.period, l.daysLate])).toEqual([['2026-04', 16]]);
    expect(overdue.map((l) => l.period)).toEqual([
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-02',
      '2026-03',
    ]);
    expect(overdue[0]).toMatchObject({ period: '2025-05', dueOn: '2025-06-30', daysLate: 350 });
    expect(overdue.every((l) => l.dueOn >= window.from)).toBe(true);
  });
});
