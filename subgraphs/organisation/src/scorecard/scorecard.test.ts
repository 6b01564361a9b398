import { describe, expect, it } from 'vitest';
import { Polarity, Rag, Unit, parsePeriod } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { toMeasurement } from '../indicator/series.ts';
import { buildScorecard, targetFor, withGaps, yearEarlier } from './scorecard.ts';

function indicator(overrides: Partial<IndicatorRow> = {}): IndicatorRow {
  return {
    id: 'ind',
    code: 'ind',
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
  value: number,
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

describe('an indicator scorecard', () => {
  it('makes a missing month an explicit gap, never skipping or interpolating it', () => {
    const card = buildScorecard(indicator(), [row('2024-01', 80), row('2024-03', 82)], [], {
      periods: 12,
    });
    expect(card.series.map((p) => [p.period, p.gap, p.value])).toEqual([
      ['2024-01', false, 80],
      ['2024-02', true, null],
      ['2024-03', false, 82],
    ]);
    expect(card.series[1]!.spc).toBeNull();
    // The previous period is the gap, so there is no period-on-period direction.
    expect(card.sincePreviousPeriod).toBeNull();
  });

  it('fills gaps between calendar quarters and financial quarters alike', () => {
    const labels = (rows: MeasurementRow[]) =>
      withGaps(rows.map(toMeasurement)).map((p) => p.period.label);
    expect(labels([row('2024-Q3', 1), row('2025-Q1', 2)])).toEqual([
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
    ]);
    expect(labels([row('2024/25-Q3', 1), row('2025/26-Q1', 2)])).toEqual([
      '2024/25-Q3',
      '2024/25-Q4',
      '2025/26-Q1',
    ]);
  });

  it('rates each period against the target in force then', () => {
    const targets = [target('2024-01', 80), target('2024-03', 90)];
    const card = buildScorecard(
      indicator(),
      [row('2024-01', 81), row('2024-02', 79), row('2024-03', 86)],
      targets,
      { periods: 12 },
    );
    expect(card.series.map((p) => [p.target, p.rag?.status])).toEqual([
      [80, Rag.GREEN],
      [80, Rag.AMBER],
      [90, Rag.AMBER],
    ]);
    expect(targetFor(targets, '2023-12-01')).toBeNull();
  });

  it('has no RAG for a period without a target', () => {
    const card = buildScorecard(indicator(), [row('2024-01', 81)], [], { periods: 12 });
    expect(card.latest).toMatchObject({ value: 81, target: null, rag: null });
  });

  it('compares with the same period a year earlier for months, quarters and financial years', () => {
    expect(yearEarlier(parsePeriod('2019-02')).label).toBe('2018-02');
    expect(yearEarlier(parsePeriod('2025-Q1')).label).toBe('2024-Q1');
    expect(yearEarlier(parsePeriod('2025/26-Q4')).label).toBe('2024/25-Q4');
    expect(yearEarlier(parsePeriod('2025/26')).label).toBe('2024/25');
    const values = [70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 75];
    const rows = values.map((v, i) =>
      row(`${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, v),
    );
    const card = buildScorecard(indicator(), rows, [], { periods: 24 });
    expect(card.latest!.period).toBe('2024-01');
    expect(card.sincePreviousPeriod).toMatchObject({
      direction: 'WORSENING',
      comparedWith: '2023-12',
    });
    expect(card.sinceYearEarlier).toMatchObject({
      direction: 'IMPROVING',
      comparedWith: '2023-01',
      earlierValue: 70,
    });
  });

  it('aggregates services as the ratio of sums before judging', () => {
    const rows = [
      row('2024-01', 90, { numerator: 90, denominator: 100, serviceId: 'a' }),
      row('2024-01', 10, { numerator: 100, denominator: 1000, serviceId: 'b' }),
    ];
    const card = buildScorecard(indicator(), rows, [target('2024-01', 50)], { periods: 12 });
    expect(card.latest!.value).toBeCloseTo((190 / 1100) * 100, 10);
    expect(card.latest!.rag!.status).toBe(Rag.RED);
  });

  it('returns only the last `periods` periods but computes SPC on the whole series', () => {
    const rows = Array.from({ length: 20 }, (_, i) =>
      row(
        `2023-${String((i % 12) + 1).padStart(2, '0')}`.replace(
          '2023',
          String(2023 + Math.floor(i / 12)),
        ),
        50 + (i % 3),
      ),
    );
    const card = buildScorecard(indicator(), rows, [], { periods: 6 });
    expect(card.series).toHaveLength(6);
    expect(card.spc.phases[0]!.pointsUsed).toBe(20);
  });

  it('reports exceptions on the latest period with their rule', () => {
    const card = buildScorecard(
      indicator({ polarity: Polarity.SMALLER_IS_BETTER }),
      [row('2024-01', 6.2), row('2024-02', 7.4), row('2024-03', 8.6), row('2024-04', 10.4)],
      [target('2024-01', 10)],
      { periods: 12 },
    );
    expect(card.exceptions.map((e) => e.rule)).toEqual(['THREE_DETERIORATIONS']);
  });

  it("writes the figures of its rules in the indicator's unit: 10.4% against a target of 10.0%", () => {
    const card = buildScorecard(
      indicator({ polarity: Polarity.SMALLER_IS_BETTER }),
      [row('2024-01', 6.2), row('2024-02', 7.4), row('2024-03', 8.6), row('2024-04', 10.4)],
      [target('2024-01', 10)],
      { periods: 12 },
    );
    expect(card.latest!.rag!.rule).toBe(
      'AMBER: 10.4% is 4% worse than the target of 10.0%, within the 5% tolerance (smaller is better)',
    );
    expect(card.sincePreviousPeriod!.rule).toBe('WORSENING: 10.4% is worse than 8.6% in 2024-03');
    expect(card.exceptions[0]!.description).toBe(
      'Worse in each of the latest three periods: 6.2% (2024-01) -> 7.4% (2024-02) -> 8.6% (2024-03) -> 10.4% (2024-04).',
    );
  });

  it("judges the latest figure stale against today when given one, by the indicator's frequency", () => {
    const rows = [row('2024-03', 80), row('2024-04', 81)];
    // May 2024's figure was due 30 days after 31 May: 30 June 2024; late for 30 more days, to 30 July; missing from 31 July.
    expect(
      buildScorecard(indicator(), rows, [], { periods: 12, today: '2024-06-30' }).staleness,
    ).toMatchObject({ stale: false, expectedPeriod: '2024-05', dueOn: '2024-06-30' });
    expect(
      buildScorecard(indicator(), rows, [], { periods: 12, today: '2024-07-30' }).staleness!.stale,
    ).toBe(false);
    expect(
      buildScorecard(indicator(), rows, [], { periods: 12, today: '2024-07-31' }).staleness!.stale,
    ).toBe(true);
    expect(
      buildScorecard(indicator({ frequency: 'QUARTERLY' }), rows, [], {
        periods: 12,
        today: '2024-07-01',
      }).staleness,
    ).toMatchObject({ stale: false, dueOn: '2024-07-15' });
    expect(buildScorecard(indicator(), rows, [], { periods: 12 }).staleness).toBeNull();
  });

  it('is empty, not wrong, for an indicator with no measurements', () => {
    const card = buildScorecard(indicator(), [], [target('2024-01', 50)], {
      periods: 12,
      today: '2024-07-01',
    });
    expect(card).toMatchObject({
      latest: null,
      staleness: null,
      sincePreviousPeriod: null,
      sinceYearEarlier: null,
      exceptions: [],
      series: [],
    });
  });
});
