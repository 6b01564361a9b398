import { describe, expect, it } from 'vitest';
import { type Measurement, PeriodType, Unit, parsePeriod } from '@crossgov/schema';
import { canRollUp, rollUp } from './rollup.ts';

function m(
  period: string,
  numerator: number | null,
  denominator: number | null,
  value?: number | null,
): Measurement {
  const p = parsePeriod(period);
  return {
    period,
    periodType: p.type,
    periodStart: p.start,
    periodEnd: p.end,
    serviceId: null,
    department: null,
    synthetic: false,
    draft: false,
    numerator,
    denominator,
    value:
      value !== undefined
        ? value
        : numerator !== null && denominator
          ? (numerator / denominator) * 100
          : null,
  };
}

describe('rolling a series up into longer periods', () => {
  it('makes a calendar quarter the ratio of the sums of its three months', () => {
    // 10/100, 20/100, 90/100: ratio of sums 120/300 = 40%; the mean of the rates would also be 40%,
    // so the months differ in size to tell the two apart: 10/100, 20/100, 90/800 -> 120/1000 = 12%.
    const { series } = rollUp(
      [m('2024-01', 10, 100), m('2024-02', 20, 100), m('2024-03', 90, 800)],
      PeriodType.QUARTER,
      Unit.PERCENT,
    );
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({
      period: '2024-Q1',
      periodType: PeriodType.QUARTER,
      numerator: 120,
      denominator: 1000,
      periodStart: '2024-01-01',
      periodEnd: '2024-03-31',
    });
    expect(series[0]!.value).toBeCloseTo(12, 12);
  });

  it('builds April-March financial quarters and years', () => {
    const months = [
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ].map((p) => m(p, 1, 2));
    expect(
      rollUp(months, PeriodType.FINANCIAL_QUARTER, Unit.PERCENT).series.map((s) => s.period),
    ).toEqual(['2024/25-Q1', '2024/25-Q2', '2024/25-Q3', '2024/25-Q4']);
    const year = rollUp(months, PeriodType.FINANCIAL_YEAR, Unit.PERCENT).series;
    expect(year).toMatchObject([{ period: '2024/25', numerator: 12, denominator: 24, value: 50 }]);
  });

  it('leaves a quarter with a month missing as a gap and says why, never using the months that came', () => {
    const { series, notes } = rollUp(
      [
        m('2024-01', 10, 100),
        m('2024-03', 30, 100),
        m('2024-04', 1, 10),
        m('2024-05', 1, 10),
        m('2024-06', 1, 10),
      ],
      PeriodType.QUARTER,
      Unit.PERCENT,
    );
    expect(series.map((s) => [s.period, s.value])).toEqual([
      ['2024-Q1', null],
      ['2024-Q2', 10],
    ]);
    expect(notes).toEqual(['2024-Q1: 2 of 3 month figures reported, so it is a gap']);
  });

  it('does not combine figures without numerator and denominator', () => {
    const { series, notes } = rollUp(
      [m('2024-01', null, null, 6.4), m('2024-02', null, null, 6.6), m('2024-03', null, null, 6.5)],
      PeriodType.QUARTER,
      Unit.SCORE,
    );
    expect(series[0]!.value).toBeNull();
    expect(notes[0]).toContain('cannot be combined');
  });

  it('keeps a ratio unit unscaled', () => {
    expect(
      rollUp(
        [
          m('2024-Q1', 30, 10, 3),
          m('2024-Q2', 10, 10, 1),
          m('2024-Q3', 10, 10, 1),
          m('2024-Q4', 10, 10, 1),
        ],
        PeriodType.YEAR,
        Unit.CURRENCY,
      ).series[0]!.value,
    ).toBe(1.5);
  });

  it('refuses periods that do not contain whole shorter ones', () => {
    expect(canRollUp(PeriodType.QUARTER, PeriodType.FINANCIAL_YEAR)).toBe(false);
    expect(canRollUp(PeriodType.YEAR, PeriodType.QUARTER)).toBe(false);
    expect(() => rollUp([m('2024-Q1', 1, 2)], PeriodType.FINANCIAL_YEAR, Unit.PERCENT)).toThrow(
      /FINANCIAL_YEAR cannot be built from QUARTER/,
    );
  });

  it('returns a series already in the asked period type as it is', () => {
    const series = [m('2024-Q1', 1, 2)];
    expect(rollUp(series, PeriodType.QUARTER, Unit.PERCENT).series).toEqual(series);
  });
});
