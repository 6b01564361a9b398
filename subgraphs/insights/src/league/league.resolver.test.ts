import { describe, expect, it } from 'vitest';
import { type IndicatorFigures, OrganisationKind, Polarity, Rag, Unit } from '@crossgov/schema';
import type { GovernmentInsights } from '../government/government.type.ts';
import { buildLeague } from './league.ts';
import { LeagueResolver, unfitFigure } from './league.resolver.ts';

const CODE = 'ss-invoices-paid-5-days';

function figures(value: number, numerator: number | null, denominator: number | null, extra: Partial<IndicatorFigures> = {}): IndicatorFigures {
  return { indicator: CODE, unit: Unit.PERCENT, polarity: Polarity.BIGGER_IS_BETTER, periods: ['2026-09'], periodStarts: ['2026-09-01'], values: [value], numerators: [numerator], denominators: [denominator], targets: [90], rags: [Rag.RED], unreadable: [], ...extra };
}

function government(entries: Record<string, IndicatorFigures | null>): GovernmentInsights {
  const ids = Object.keys(entries);
  return {
    id: 'government',
    organisationSummaries: ids.map((id) => ({ id, name: id[0]!.toUpperCase() + id.slice(1), kind: OrganisationKind.CLUSTER })),
    organisations: ids.map((id) => ({ id, name: id, kind: OrganisationKind.CLUSTER, figures: entries[id] === null ? [] : [entries[id]!], milestones: null, programmes: null, returns: null })),
  } as unknown as GovernmentInsights;
}

describe('a league with one organisation whose figure is poisoned', () => {
  it('names the organisation whose publisher could not read its figure, and ranks everyone else', () => {
    const unreadable = { organisationId: 'unity', indicator: CODE, period: '2026-09', serviceId: null, department: null, field: 'value', value: 'Infinity', rule: 'must be a finite number', message: '' };
    const league = new LeagueResolver().league(
      government({ synergy: figures(92, 920, 1000), matrix: figures(85, 850, 1000), unity: { ...figures(0, null, null), periods: [], periodStarts: [], values: [], numerators: [], denominators: [], targets: [], rags: [], unreadable: [unreadable] } }),
      CODE,
      '2026-09',
    )!;
    expect(league.rows.map((r) => [r.organisationId, r.rank])).toEqual([
      ['synergy', 1],
      ['matrix', 2],
    ]);
    expect(league.overall).toMatchObject({ value: 88.5, numerator: 1770, denominator: 2000 });
    expect(league.notReported).toEqual([{ organisationId: 'unity', organisationName: 'Unity', reason: 'its figure for 2026-09 could not be read: value Infinity must be a finite number' }]);
  });

  it("leaves out a figure another publisher sent past its unit's range, naming it, so the overall rate and funnel stay finite", () => {
    const league = new LeagueResolver().league(government({ synergy: figures(92, 920, 1000), unity: figures(50, 1e308, 2e308 / 2) }), CODE, '2026-09')!;
    expect(league.rows.map((r) => r.organisationId)).toEqual(['synergy']);
    expect(league.notReported[0]!.reason).toBe(
      'its figure for 2026-09 cannot be compared: numerator 1e+308 must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
    );
    expect(Number.isFinite(league.overall!.value)).toBe(true);
    expect(league.rows[0]!.funnel).not.toBeNull();
  });

  it('says why a figure is unfit: a score of 1.7e308, a denominator of zero, a target of 1e300', () => {
    expect(unfitFigure({ ...figures(1.7e308, null, null), unit: Unit.SCORE }, 0)).toBe('value 1.7e+308 must be between -1,000,000,000 and 1,000,000,000 for a score');
    expect(unfitFigure(figures(50, 5, 0), 0)).toBe('denominator 0 must be greater than zero');
    expect(unfitFigure({ ...figures(50, null, null), targets: [1e300] }, 0)).toBe('target 1e+300 must be between 0 and 100 for a percentage');
    expect(unfitFigure(figures(50, 5, 10), 0)).toBeNull();
  });

  it('draws no funnel rather than failing when parts make the overall rate no proportion', () => {
    const reporters = [
      { organisationId: 'a', organisationName: 'A', value: 50, numerator: 2299, denominator: 1483, rag: null },
      { organisationId: 'b', organisationName: 'B', value: 60, numerator: 10, denominator: -5, rag: null },
    ];
    const { rows } = buildLeague(reporters, Unit.PERCENT, Polarity.BIGGER_IS_BETTER);
    expect(rows.map((r) => r.funnel)).toEqual([null, null]);
  });
});
