import { describe, expect, it } from 'vitest';
import { DatePrecision, parsePreciseDate } from '@crossgov/schema';
import {
  MILESTONE_STATUS_RULES,
  MilestoneStatus,
  milestoneStatus,
  slippage,
  span,
} from './milestone.rules.ts';

/** "2028", "2026-Q1", "2025-07" or "2026-03-15" as the rules take it. */
const d = (label: string) => {
  const { date, precision } = parsePreciseDate(label);
  return { date, precision };
};

describe('the span of a precise date', () => {
  it('runs a year from 1 January to 31 December', () => {
    expect(span(d('2028'))).toEqual({ start: '2028-01-01', end: '2028-12-31' });
  });

  it('runs 2026-Q1 from 1 January to 31 March and 2025-Q4 to the end of the year', () => {
    expect(span(d('2026-Q1'))).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(span(d('2025-Q4'))).toEqual({ start: '2025-10-01', end: '2025-12-31' });
  });

  it('ends February on the 29th in a leap year, the 28th otherwise, and 2100 is not a leap year', () => {
    expect(span(d('2024-02')).end).toBe('2024-02-29');
    expect(span(d('2023-02')).end).toBe('2023-02-28');
    expect(span(d('2100-02')).end).toBe('2100-02-28');
  });

  it('is a single day for a date known to the day', () => {
    expect(span(d('2024-08-30'))).toEqual({ start: '2024-08-30', end: '2024-08-30' });
  });
});

describe('milestone slippage', () => {
  it('puts a baseline of 2028 against a forecast of 2029 at about 1 year, anywhere from 1 day to 2 years, known to the year', () => {
    const s = slippage(d('2028'), d('2029'), null)!;
    // Midpoints: 2028 (366 days) is 182.5 days in, 2029 is 182 days in; the years start 366 days apart.
    expect(s.days).toBe(365.5);
    expect(s.months).toBe(12);
    expect(s.minDays).toBe(1); // 2028-12-31 to 2029-01-01
    expect(s.maxDays).toBe(730); // 2028-01-01 to 2029-12-31
    expect(s.precision).toBe(DatePrecision.YEAR);
    expect(s.comparedWith).toBe('FORECAST');
    expect(s.description).toBe(
      'about 1 year later (baseline 2028, forecast 2029, both to the year: between 1 day and 2 years)',
    );
  });

  it('puts a baseline of 2025-07 against a forecast of 2026-03 at about 8 months, saying "about" because both are months', () => {
    const s = slippage(d('2025-07'), d('2026-03'), null)!;
    // 2025-07-16 to 2026-03-16 is 243 days; the spans allow 2025-07-31..2026-03-01 (213) to 2025-07-01..2026-03-31 (273).
    expect(s).toMatchObject({
      days: 243,
      months: 8,
      minDays: 213,
      maxDays: 273,
      precision: DatePrecision.MONTH,
    });
    expect(s.description).toBe(
      'about 8 months later (baseline 2025-07, forecast 2026-03, both to the month: between 7 months and 9 months)',
    );
  });

  it('takes the coarser precision when a baseline month meets a forecast day (2025-07 against 2026-03-15)', () => {
    const s = slippage(d('2025-07'), d('2026-03-15'), null)!;
    // From the middle of July (the 16th) to 15 March is 242 days; from 31 July 227, from 1 July 257.
    expect(s).toMatchObject({
      days: 242,
      months: 8,
      minDays: 227,
      maxDays: 257,
      precision: DatePrecision.MONTH,
    });
    expect(s.description).toBe(
      'about 8 months later (baseline 2025-07, forecast 2026-03-15, baseline to the month, forecast to the day: between 7 months and 8 months)',
    );
  });

  it('counts an actual date three days before a baseline day as 3 days early, with no range and no "about"', () => {
    const s = slippage(d('2024-08-30'), d('2024-09-30'), d('2024-08-27'))!;
    expect(s).toEqual({
      days: -3,
      months: -0.1,
      minDays: -3,
      maxDays: -3,
      precision: DatePrecision.DAY,
      description: '3 days early (baseline 2024-08-30, actual 2024-08-27)',
      comparedWith: 'ACTUAL',
    });
  });

  it('counts an actual date eleven days after a baseline day as 11 days later, comparing the actual rather than the forecast', () => {
    const s = slippage(d('2024-08-30'), d('2024-08-30'), d('2024-09-10'))!;
    expect(s).toMatchObject({
      days: 11,
      months: 0.4,
      minDays: 11,
      maxDays: 11,
      comparedWith: 'ACTUAL',
    });
    expect(s.description).toBe('11 days later (baseline 2024-08-30, actual 2024-09-10)');
  });

  it('counts up to 60 days in days and 61 days as 2 months', () => {
    expect(slippage(d('2026-03-01'), d('2026-04-30'), null)!.description).toBe(
      '60 days later (baseline 2026-03-01, forecast 2026-04-30)',
    );
    expect(slippage(d('2026-03-01'), d('2026-05-01'), null)!.description).toBe(
      '2 months later (baseline 2026-03-01, forecast 2026-05-01)',
    );
  });

  it('counts two years and more in years, to a tenth: 2024-01-01 to 2026-07-01 is 2.5 years', () => {
    expect(slippage(d('2024-01-01'), d('2026-07-01'), null)).toMatchObject({
      days: 912,
      months: 30,
      description: '2.5 years later (baseline 2024-01-01, forecast 2026-07-01)',
    });
  });

  it('gives an early range from the nearest to the furthest: 2027 forecast as 2025 is 1 to 3 years early', () => {
    const s = slippage(d('2027'), d('2025'), null)!;
    expect(s).toMatchObject({ days: -730, months: -24, minDays: -1094, maxDays: -366 });
    expect(s.description).toBe(
      'about 2 years early (baseline 2027, forecast 2025, both to the year: between 1 year and 3 years)',
    );
  });

  it('puts a day early at 0 months, not -0', () => {
    expect(Object.is(slippage(d('2024-08-30'), null, d('2024-08-29'))!.months, 0)).toBe(true);
  });

  it('calls equal days on time, and equal years about on time with the whole range the year allows', () => {
    expect(slippage(d('2024-08-30'), d('2024-08-30'), null)!.description).toBe(
      'on time (baseline 2024-08-30, forecast 2024-08-30)',
    );
    const year = slippage(d('2026'), d('2026'), null)!;
    expect(year).toMatchObject({ days: 0, months: 0, minDays: -364, maxDays: 364 });
    expect(Object.is(year.months, -0)).toBe(false);
    expect(year.description).toBe(
      'about on time (baseline 2026, forecast 2026, both to the year: anywhere from 1 year early to 1 year later)',
    );
  });

  it('measures quarters: 2026-Q1 against 2026-Q3 is about 6 months, between 3 and 9', () => {
    const s = slippage(d('2026-Q1'), d('2026-Q3'), null)!;
    // Q1 (90 days) is 44.5 days in, Q3 (92 days) 45.5; the quarters start 181 days apart.
    expect(s).toMatchObject({
      days: 182,
      months: 6,
      minDays: 92,
      maxDays: 272,
      precision: DatePrecision.QUARTER,
    });
    expect(s.description).toBe(
      'about 6 months later (baseline 2026-Q1, forecast 2026-Q3, both to the quarter: between 3 months and 9 months)',
    );
  });

  it('counts 29 February in a leap year and crosses a year end by one day', () => {
    expect(slippage(d('2024-02-28'), d('2024-03-01'), null)!.days).toBe(2);
    expect(slippage(d('2023-02-28'), d('2023-03-01'), null)!.days).toBe(1);
    expect(slippage(d('2025-12-31'), d('2026-01-01'), null)!.description).toBe(
      '1 day later (baseline 2025-12-31, forecast 2026-01-01)',
    );
  });

  it('is null without a baseline, or with neither a forecast nor an actual date', () => {
    expect(slippage(null, d('2026'), null)).toBeNull();
    expect(slippage(d('2026'), null, null)).toBeNull();
  });
});

describe('milestone status', () => {
  const today = '2026-11-21';

  it('is LATE (overdue) when a baseline date has passed with no forecast and no actual date', () => {
    const result = milestoneStatus({
      baseline: d('2026-06-30'),
      forecast: null,
      actual: null,
      today,
    });
    expect(result).toEqual({
      status: MilestoneStatus.LATE,
      rule: 'LATE (overdue): the baseline date 2026-06-30 passed and no actual date is recorded by 2026-11-21',
    });
  });

  it('is LATE (overdue) once the whole forecast month has ended, judged on the forecast rather than the baseline', () => {
    // Defence phase 3: baseline 2025, forecast 2026-03, nothing done by November 2026.
    const result = milestoneStatus({
      baseline: d('2025'),
      forecast: d('2026-03'),
      actual: null,
      today,
    });
    expect(result.status).toBe(MilestoneStatus.LATE);
    expect(result.rule).toBe(
      'LATE (overdue): the forecast 2026-03 ended 2026-03-31 and no actual date is recorded by 2026-11-21',
    );
  });

  it('is not overdue on the last day of the forecast span, only the day after', () => {
    const input = {
      baseline: d('2026-03'),
      forecast: d('2026-03'),
      actual: null,
      lastReturnOn: '2026-03-01',
    };
    expect(milestoneStatus({ ...input, today: '2026-03-31' }).status).toBe(
      MilestoneStatus.ON_TRACK,
    );
    expect(milestoneStatus({ ...input, today: '2026-04-01' }).status).toBe(MilestoneStatus.LATE);
  });

  it('is LATE (slipped) when the forecast 2029 starts after the baseline 2028 ends', () => {
    const result = milestoneStatus({
      baseline: d('2028'),
      forecast: d('2029'),
      actual: null,
      today,
      lastReturnOn: '2026-03-31',
    });
    expect(result).toEqual({
      status: MilestoneStatus.LATE,
      rule: 'LATE (slipped): the forecast 2029 starts 2029-01-01, after the baseline 2028 ends 2028-12-31',
    });
  });

  it('is AT_RISK when a milestone 60 days ahead has never had a forecast returned', () => {
    const result = milestoneStatus({
      baseline: d('2027-01-20'),
      forecast: null,
      actual: null,
      today,
      lastReturnOn: null,
    });
    expect(result).toEqual({
      status: MilestoneStatus.AT_RISK,
      rule: 'AT_RISK: it falls due 2027-01-20, 60 days after 2026-11-21, within the 90-day window, and no forecast has ever been returned',
    });
  });

  it('is ON_TRACK when the same milestone had a forecast returned 31 days ago', () => {
    const result = milestoneStatus({
      baseline: d('2027-01-20'),
      forecast: null,
      actual: null,
      today,
      lastReturnOn: '2026-10-21',
    });
    expect(result).toEqual({
      status: MilestoneStatus.ON_TRACK,
      rule: 'ON_TRACK on 2026-11-21: the baseline 2027-01-20 runs to 2027-01-20',
    });
  });

  it('counts a return 120 days old as fresh and 121 days old as stale', () => {
    const input = { baseline: d('2027-01-20'), forecast: null, actual: null, today };
    expect(milestoneStatus({ ...input, lastReturnOn: '2026-07-24' }).status).toBe(
      MilestoneStatus.ON_TRACK,
    );
    const stale = milestoneStatus({ ...input, lastReturnOn: '2026-07-23' });
    expect(stale.status).toBe(MilestoneStatus.AT_RISK);
    expect(stale.rule).toContain(
      'the latest forecast return, 2026-07-23, is 121 days old (over 120)',
    );
  });

  it('watches a milestone due in 90 days but not one due in 91', () => {
    expect(
      milestoneStatus({ baseline: d('2027-02-19'), forecast: null, actual: null, today }).status,
    ).toBe(MilestoneStatus.AT_RISK);
    expect(
      milestoneStatus({ baseline: d('2027-02-20'), forecast: null, actual: null, today }).status,
    ).toBe(MilestoneStatus.ON_TRACK);
  });

  it('honours a window and a staleness set by the caller', () => {
    const input = {
      baseline: d('2027-02-20'),
      forecast: null,
      actual: null,
      today,
      lastReturnOn: '2026-10-21',
    };
    expect(milestoneStatus({ ...input, atRiskWindowDays: 91, staleReturnDays: 30 }).status).toBe(
      MilestoneStatus.AT_RISK,
    );
    expect(milestoneStatus({ ...input, atRiskWindowDays: 91, staleReturnDays: 31 }).status).toBe(
      MilestoneStatus.ON_TRACK,
    );
  });

  it('counts a year-precision milestone as falling due from the first day of its year', () => {
    const result = milestoneStatus({
      baseline: d('2027'),
      forecast: d('2027'),
      actual: null,
      today,
      lastReturnOn: null,
    });
    expect(result.status).toBe(MilestoneStatus.AT_RISK);
    expect(result.rule).toContain('falls due 2027, 41 days after 2026-11-21');
  });

  it('is AT_RISK when the quarter it falls due in is already under way and no forecast was ever returned', () => {
    const result = milestoneStatus({ baseline: d('2026-Q4'), forecast: null, actual: null, today });
    expect(result.rule).toBe(
      'AT_RISK: it falls due 2026-Q4, a span already under way on 2026-11-21, and no forecast has ever been returned',
    );
  });

  it('is ON_TRACK when the forecast falls inside the baseline span, even at its very end', () => {
    const inside = milestoneStatus({
      baseline: d('2027'),
      forecast: d('2027-09'),
      actual: null,
      today,
      lastReturnOn: '2026-10-01',
    });
    expect(inside).toEqual({
      status: MilestoneStatus.ON_TRACK,
      rule: 'ON_TRACK on 2026-11-21: the forecast 2027-09 ends by the end of the baseline 2027 on 2027-12-31',
    });
    expect(
      milestoneStatus({
        baseline: d('2027'),
        forecast: d('2027-Q4'),
        actual: null,
        today,
        lastReturnOn: '2026-10-01',
      }).status,
    ).toBe(MilestoneStatus.ON_TRACK);
    // Starting on the baseline's last day is not after it.
    expect(
      milestoneStatus({
        baseline: d('2027-11'),
        forecast: d('2027-11-30'),
        actual: null,
        today,
        lastReturnOn: '2026-10-01',
      }).status,
    ).toBe(MilestoneStatus.ON_TRACK);
  });

  it('is AT_RISK when the forecast quarter overlaps the baseline month but runs past its end', () => {
    const result = milestoneStatus({
      baseline: d('2027-11'),
      forecast: d('2027-Q4'),
      actual: null,
      today,
      lastReturnOn: '2026-10-01',
    });
    expect(result).toEqual({
      status: MilestoneStatus.AT_RISK,
      rule: 'AT_RISK: the forecast 2027-Q4 runs to 2027-12-31, past the end of the baseline 2027-11 on 2027-11-30, so it may be later than planned',
    });
  });

  it('is COMPLETE once an actual date is recorded, even when the forecast has passed', () => {
    const result = milestoneStatus({
      baseline: d('2024-08-30'),
      forecast: d('2024-08-30'),
      actual: d('2024-08-30'),
      today,
    });
    expect(result).toEqual({
      status: MilestoneStatus.COMPLETE,
      rule: 'COMPLETE: done 2024-08-30, on time against the baseline 2024-08-30',
    });
  });

  it('says when a complete milestone was done late', () => {
    const result = milestoneStatus({
      baseline: d('2024-08-30'),
      forecast: null,
      actual: d('2024-09-10'),
      today,
    });
    expect(result.rule).toBe(
      'COMPLETE: done 2024-09-10, late against the baseline 2024-08-30 (11 days later)',
    );
  });

  it('says when a complete milestone was done early', () => {
    const result = milestoneStatus({
      baseline: d('2024-08-30'),
      forecast: null,
      actual: d('2024-08-27'),
      today,
    });
    expect(result.rule).toBe(
      'COMPLETE: done 2024-08-27, early against the baseline 2024-08-30 (3 days early)',
    );
  });

  it('does not call a milestone done within an imprecise baseline late or early', () => {
    const result = milestoneStatus({
      baseline: d('2022-11'),
      forecast: null,
      actual: d('2022-11-30'),
      today,
    });
    expect(result.rule).toBe(
      'COMPLETE: done 2022-11-30, within the span of the baseline 2022-11, so on time as far as the dates show (central estimate about 15 days later)',
    );
    expect(
      milestoneStatus({ baseline: d('2023-12'), forecast: null, actual: d('2023-12'), today }).rule,
    ).toBe(
      'COMPLETE: done 2023-12, within the span of the baseline 2023-12, so on time as far as the dates show',
    );
  });

  it('says so when a complete milestone has no baseline, and when an open one has no dates at all', () => {
    expect(
      milestoneStatus({ baseline: null, forecast: null, actual: d('2023-06'), today }).rule,
    ).toBe('COMPLETE: done 2023-06, there is no baseline to compare it with');
    expect(milestoneStatus({ baseline: null, forecast: null, actual: null, today })).toEqual({
      status: MilestoneStatus.ON_TRACK,
      rule: 'ON_TRACK: no baseline or forecast date to judge it against',
    });
  });

  it('describes every rule and its defaults for the GraphQL enum', () => {
    for (const word of ['COMPLETE', 'LATE', 'AT_RISK', 'ON_TRACK', '90 days', '120'])
      expect(MILESTONE_STATUS_RULES).toContain(word);
  });
});
