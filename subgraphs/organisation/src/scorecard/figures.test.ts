import { describe, expect, it } from 'vitest';
import { Polarity, Rag, Unit, parsePeriod } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { indicatorFigures } from './figures.ts';

function indicator(overrides: Partial<IndicatorRow> = {}): IndicatorRow {
  return {
    id: 'ind',
    code: 'NI-1',
    name: 'An indicator',
    definition: null,
    unit: Unit.PERCENT,
    polarity: Polarity.BIGGER_IS_BETTER,
    frequency: 'MONTHLY',
    tolerance: 0.05,
    leadOfficer: null,
    dataOwner: null,
    whyItMatters: null,
    background: null,
    whatSuccessLooksLike: null,
    actions: null,
    synthetic: false,
    position: 0,
    spcFixAfterPoints: null,
    spcRebasePeriods: null,
    standard: null,
    minValue: null,
    maxValue: null,
    agreementTolerance: null,
    organisationId: 'org',
    ...overrides,
  };
}

let id = 0;
function row(
  period: string,
  value: number | null,
  parts: { numerator?: number; denominator?: number; serviceId?: string } = {},
): MeasurementRow {
  const p = parsePeriod(period);
  return {
    id: ++id,
    organisationId: 'org',
    indicatorId: 'ind',
    serviceId: parts.serviceId ?? null,
    department: null,
    period,
    periodType: p.type,
    periodStart: p.start,
    periodEnd: p.end,
    value,
    numerator: parts.numerator ?? null,
    denominator: parts.denominator ?? null,
    synthetic: false,
    updatedAt: new Date(0),
  };
}

const target = (fromPeriod: string, value: number): TargetRow => ({
  organisationId: 'org',
  indicatorId: 'ind',
  fromPeriod,
  fromDate: parsePeriod(fromPeriod).start,
  value,
});

describe("an indicator's figures", () => {
  it('names the indicator, its unit and polarity, and gives one column entry per period with a figure', () => {
    const figures = indicatorFigures(
      indicator(),
      [row('2024-01', 81), row('2024-02', 79)],
      [target('2024-01', 80)],
      24,
    );
    expect(figures).toEqual({
      indicator: 'NI-1',
      unit: Unit.PERCENT,
      polarity: Polarity.BIGGER_IS_BETTER,
      periods: ['2024-01', '2024-02'],
      periodStarts: ['2024-01-01', '2024-02-01'],
      values: [81, 79],
      numerators: [null, null],
      denominators: [null, null],
      targets: [80, 80],
      rags: [Rag.GREEN, Rag.AMBER],
      synthetic: false,
      unreadable: [],
    });
    // Whether the series is the organisation's or generated for demonstration, as the indicator says.
    expect(
      indicatorFigures({ ...indicator(), synthetic: true }, [row('2024-01', 81)], [], 24).synthetic,
    ).toBe(true);
  });

  it('takes the latest periods, counting gaps in the window and leaving them out of the columns', () => {
    // 2024-01 .. 2024-06 with 2024-04 missing: the last 3 periods are 04 (gap), 05 and 06.
    const rows = [
      row('2024-01', 70),
      row('2024-02', 71),
      row('2024-03', 72),
      row('2024-05', 74),
      row('2024-06', 75),
    ];
    const figures = indicatorFigures(indicator(), rows, [], 3);
    expect(figures.periods).toEqual(['2024-05', '2024-06']);
    expect(figures.periodStarts).toEqual(['2024-05-01', '2024-06-01']);
    expect(figures.values).toEqual([74, 75]);
    expect(indicatorFigures(indicator(), rows, [], 4).periods).toEqual([
      '2024-03',
      '2024-05',
      '2024-06',
    ]);
  });

  it('gives every period when the window is longer than the history, and nothing for no rows', () => {
    expect(
      indicatorFigures(indicator(), [row('2024-01', 1), row('2024-03', 3)], [], 120).periods,
    ).toEqual(['2024-01', '2024-03']);
    expect(indicatorFigures(indicator(), [], [], 24)).toMatchObject({
      periods: [],
      periodStarts: [],
      values: [],
      numerators: [],
      denominators: [],
      targets: [],
      rags: [],
    });
  });

  it('gives the organisation-wide value as the ratio of the sums over services', () => {
    // 2024-01: 90 / 100 and 100 / 1000 -> 190 / 1100 = 17.272727%, not the mean of 90% and 10%
    // 2024-02: 45 / 50 and 30 / 150 -> 75 / 200 = 37.5%
    const rows = [
      row('2024-01', 90, { numerator: 90, denominator: 100, serviceId: 'a' }),
      row('2024-01', 10, { numerator: 100, denominator: 1000, serviceId: 'b' }),
      row('2024-02', 90, { numerator: 45, denominator: 50, serviceId: 'a' }),
      row('2024-02', 20, { numerator: 30, denominator: 150, serviceId: 'b' }),
    ];
    const figures = indicatorFigures(indicator(), rows, [target('2024-01', 20)], 24);
    expect(figures.values).toEqual([expect.closeTo(17.272727, 6), 37.5]);
    expect(figures.numerators).toEqual([190, 75]);
    expect(figures.denominators).toEqual([1100, 200]);
    // 17.27 against 20 (bigger is better) is 13.6% short: Red; 37.5 is above it: Green.
    expect(figures.rags).toEqual([Rag.RED, Rag.GREEN]);
  });

  it('leaves out a period whose services cannot be combined into one figure', () => {
    // Percentages of two services without their parts have no honest organisation-wide value.
    const rows = [
      row('2024-01', 80),
      row('2024-02', 90, { serviceId: 'a' }),
      row('2024-02', 70, { serviceId: 'b' }),
      row('2024-03', 82),
    ];
    expect(indicatorFigures(indicator(), rows, [], 24).periods).toEqual(['2024-01', '2024-03']);
  });

  it('rates each figure against the target in force in its period, and has no rag without one', () => {
    // No target for 2024-01; 80 from 2024-02; 90 from 2024-04.
    const rows = [
      row('2024-01', 81),
      row('2024-02', 79),
      row('2024-03', 86),
      row('2024-04', 86),
      row('2024-05', 95),
    ];
    const figures = indicatorFigures(
      indicator(),
      rows,
      [target('2024-02', 80), target('2024-04', 90)],
      24,
    );
    expect(figures.targets).toEqual([null, 80, 80, 90, 90]);
    // 79 is 1.25% short of 80: Amber; 86 is 4.4% short of 90: Amber.
    expect(figures.rags).toEqual([null, Rag.AMBER, Rag.GREEN, Rag.AMBER, Rag.GREEN]);
  });

  it("rates with the indicator's own polarity and tolerance", () => {
    const rows = [row('2024-01', 10.4), row('2024-02', 10.8), row('2024-03', 11.5)];
    // Smaller is better against 10 with a 10% tolerance: 4% and 8% worse are Amber, 15% is Red.
    const smaller = indicatorFigures(
      indicator({ polarity: Polarity.SMALLER_IS_BETTER, tolerance: 0.1 }),
      rows,
      [target('2024-01', 10)],
      24,
    );
    expect(smaller.rags).toEqual([Rag.AMBER, Rag.AMBER, Rag.RED]);
    // Closest to target with a 5% band: 4% off is Green, 8% Amber, 15% Red.
    const closest = indicatorFigures(
      indicator({ polarity: Polarity.CLOSEST_TO_TARGET }),
      rows,
      [target('2024-01', 10)],
      24,
    );
    expect(closest).toMatchObject({
      polarity: Polarity.CLOSEST_TO_TARGET,
      rags: [Rag.GREEN, Rag.AMBER, Rag.RED],
    });
  });

  it('works over quarters as over months', () => {
    const rows = [
      row('2024/25-Q1', 5, { numerator: 5, denominator: 100 }),
      row('2024/25-Q3', 7, { numerator: 7, denominator: 100 }),
    ];
    const figures = indicatorFigures(indicator(), rows, [], 2);
    // The window of 2 is Q2 (a gap) and Q3.
    expect(figures).toMatchObject({
      periods: ['2024/25-Q3'],
      periodStarts: ['2024-10-01'],
      values: [7],
      numerators: [7],
      denominators: [100],
      targets: [null],
      rags: [null],
    });
  });
});
