import { describe, expect, it } from 'vitest';
import { FactBreakdown, Polarity, Unit, parsePeriod } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { indicatorFacts, type PlacedUnreadable } from '../facts/facts.ts';
import { indicatorFigures } from '../scorecard/figures.ts';
import { buildScorecard } from '../scorecard/scorecard.ts';
import { screenRows, screenTargets } from './readable.ts';

const indicator = (unit: Unit = Unit.PERCENT): IndicatorRow => ({
  id: 'paid',
  code: 'paid-5-days',
  name: 'Invoices paid within 5 days',
  definition: null,
  unit,
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
  organisationId: 'unity',
});

let id = 0;
function row(
  period: string,
  value: number | null,
  parts: { numerator?: number; denominator?: number; department?: string } = {},
): MeasurementRow {
  const p = parsePeriod(period);
  return {
    id: ++id,
    organisationId: 'unity',
    indicatorId: 'paid',
    serviceId: null,
    department: parts.department ?? null,
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
  organisationId: 'unity',
  indicatorId: 'paid',
  fromPeriod,
  fromDate: parsePeriod(fromPeriod).start,
  value,
});

const months = (values: number[]) =>
  values.map((v, i) => row(`2026-${String(i + 1).padStart(2, '0')}`, v));

describe('stored figures written before the value rules', () => {
  it('leaves out a row that is not finite, naming the organisation, indicator, period, field, value and rule', () => {
    const rows = [
      row('2026-08', 85),
      row('2026-09', Number.POSITIVE_INFINITY, { numerator: 1e308, denominator: 1e-308 }),
    ];
    const screened = screenRows(indicator(), rows);
    expect(screened.rows).toEqual([rows[0]]);
    expect(
      screened.unreadable.map((u) => [
        u.organisationId,
        u.indicator,
        u.period,
        u.field,
        u.value,
        u.rule,
      ]),
    ).toEqual([
      ['unity', 'paid-5-days', '2026-09', 'value', 'Infinity', 'must be a finite number'],
      [
        'unity',
        'paid-5-days',
        '2026-09',
        'numerator',
        '1e+308',
        'must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
      ],
    ]);
    expect(screened.unreadable[0]!.message).toBe(
      'unity, indicator paid-5-days, 2026-09: value Infinity must be a finite number; the figure is left out',
    );
  });

  it("leaves a period out of the organisation's figure when one department's part of it cannot be read", () => {
    const rows = [
      row('2026-08', 80, { numerator: 80, denominator: 100, department: 'HMRC' }),
      row('2026-09', 85, { numerator: 85, denominator: 100, department: 'HMRC' }),
      row('2026-09', Number.NaN, { numerator: 1, denominator: 2, department: 'DFT' }),
    ];
    const screened = screenRows(indicator(), rows);
    expect(screened.rows.map((r) => [r.period, r.department])).toEqual([
      ['2026-08', 'HMRC'],
      ['2026-09', 'HMRC'],
    ]);
    expect(screened.organisationRows.map((r) => r.period)).toEqual(['2026-08']);
    expect(screened.unreadable[0]!.message).toBe(
      'unity, indicator paid-5-days, 2026-09 (department DFT): value NaN must be a finite number; this figure and 2026-09 for the whole organisation are left out',
    );
  });

  it('leaves out a score of 1.7e308 and a target of Infinity, which would overflow every mean and limit', () => {
    expect(
      screenRows(indicator(Unit.SCORE), [row('2026-01', 1.7e308)]).unreadable[0],
    ).toMatchObject({
      value: '1.7e+308',
      rule: 'must be between -1,000,000,000 and 1,000,000,000 for a score',
    });
    expect(
      screenTargets(indicator(), [
        target('2026-01', 90),
        target('2026-06', Number.POSITIVE_INFINITY),
      ]),
    ).toMatchObject({
      targets: [{ value: 90 }],
      unreadable: [
        {
          period: '2026-06',
          field: 'target',
          message:
            'unity, indicator paid-5-days, target from 2026-06: target Infinity must be a finite number; the target is left out, so the one before it stays in force',
        },
      ],
    });
  });
});

describe('a scorecard with a figure it cannot read', () => {
  const rows = [
    ...months([84, 86, 85, 87, 88, 86, 85, 87]),
    row('2026-09', Number.POSITIVE_INFINITY),
  ];

  it('judges the rest of the series without it and says which figure it left out', () => {
    const card = buildScorecard(
      indicator(),
      rows,
      [target('2026-01', 90), target('2026-05', Number.NaN)],
      { periods: 24 },
    );
    expect(card.latest).toMatchObject({ period: '2026-08', value: 87, target: 90 });
    expect(card.series.map((p) => p.value)).toEqual([84, 86, 85, 87, 88, 86, 85, 87]);
    expect(
      card.spc.phases.every(
        (p) =>
          Number.isFinite(p.mean) &&
          Number.isFinite(p.upperLimit!) &&
          Number.isFinite(p.lowerLimit!),
      ),
    ).toBe(true);
    expect(card.unreadable.map((u) => [u.period, u.field, u.value])).toEqual([
      ['2026-09', 'value', 'Infinity'],
      ['2026-05', 'target', 'NaN'],
    ]);
  });

  it('leaves out a ratio of sums its parts overflow, rather than computing Infinity', () => {
    const parts = [
      row('2026-01', 50, { numerator: 1e15, denominator: 1e-300, department: 'HMRC' }),
      row('2026-01', 50, { numerator: 1, denominator: 1e-300, department: 'DFT' }),
    ];
    const card = buildScorecard(indicator(Unit.RATIO), parts, [], { periods: 24 });
    expect(card.latest).toBeNull();
    expect(card.unreadable).toMatchObject([
      {
        period: '2026-01',
        field: 'value',
        value: 'Infinity',
        rule: '(the organisation-wide figure from its parts) must be a finite number',
      },
    ]);
  });

  it("gives a league the organisation's other figures and names the one left out", () => {
    const figures = indicatorFigures(indicator(), rows, [target('2026-01', 90)], 24);
    expect(figures.periods.at(-1)).toBe('2026-08');
    expect(figures.values.every(Number.isFinite)).toBe(true);
    expect(figures.unreadable).toMatchObject([
      {
        organisationId: 'unity',
        indicator: 'paid-5-days',
        period: '2026-09',
        field: 'value',
        value: 'Infinity',
      },
    ]);
  });

  it('gives every other fact and places the one left out where its row would have been', () => {
    const unreadable: PlacedUnreadable[] = [];
    const facts = indicatorFacts(
      indicator(),
      rows,
      [target('2026-01', 90)],
      new Map(),
      { breakdown: FactBreakdown.ORGANISATION },
      {},
      unreadable,
    );
    expect(facts).toHaveLength(8);
    expect(facts.every((f) => Number.isFinite(f.fact.value))).toBe(true);
    expect(unreadable).toEqual([
      {
        position: { indicator: 'paid-5-days', series: '0:', periodStart: '2026-09-01' },
        problem: expect.objectContaining({ period: '2026-09', field: 'value', value: 'Infinity' }),
      },
    ]);
  });
});
