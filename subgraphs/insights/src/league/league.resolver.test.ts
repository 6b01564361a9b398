import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { type IndicatorFigures, OrganisationKind, Polarity, Rag, Unit } from '@crossgov/schema';
import type { GovernmentInsights } from '../government/government.type.ts';
import { buildLeague } from './league.ts';
import { LeagueResolver, unfitFigure } from './league.resolver.ts';

const CODE = 'ss-invoices-paid-5-days';

function figures(
  value: number,
  numerator: number | null,
  denominator: number | null,
  extra: Partial<IndicatorFigures> = {},
): IndicatorFigures {
  return {
    indicator: CODE,
    unit: Unit.PERCENT,
    polarity: Polarity.BIGGER_IS_BETTER,
    periods: ['2026-09'],
    periodStarts: ['2026-09-01'],
    values: [value],
    numerators: [numerator],
    denominators: [denominator],
    targets: [90],
    rags: [Rag.RED],
    synthetic: false,
    unreadable: [],
    ...extra,
  };
}

/** Monthly invoice figures, one per month named: 90% of 1,000 each. */
function monthly(...periods: string[]): IndicatorFigures {
  const each = <T>(value: T) => periods.map(() => value);
  return {
    ...figures(90, 900, 1000),
    periods,
    periodStarts: periods.map((p) => `${p}-01`),
    values: each(90),
    numerators: each(900),
    denominators: each(1000),
    targets: each(90),
    rags: each(Rag.GREEN),
  };
}

/** Each organisation's figures; null for one that reports nothing, 'down' for one whose subgraph did not answer. */
function government(entries: Record<string, IndicatorFigures | null | 'down'>): GovernmentInsights {
  const ids = Object.keys(entries);
  const data = (id: string, entry: IndicatorFigures | null) => ({
    id,
    name: id,
    kind: OrganisationKind.CLUSTER,
    figures: entry === null ? [] : [entry],
    milestones: null,
    programmes: null,
    returns: null,
  });
  return {
    id: 'government',
    organisationSummaries: ids.map((id) => ({
      id,
      name: id[0]!.toUpperCase() + id.slice(1),
      kind: OrganisationKind.CLUSTER,
    })),
    organisations: ids.map((id) =>
      entries[id] === 'down' ? null : data(id, entries[id] as IndicatorFigures | null),
    ),
  } as unknown as GovernmentInsights;
}

describe('the period a league compares by default', () => {
  // The seeded clusters: four have reported up to August, Unity September too.
  const seeded = () =>
    government({
      synergy: monthly('2026-07', '2026-08'),
      matrix: monthly('2026-07', '2026-08'),
      defence: monthly('2026-07', '2026-08'),
      overseas: monthly('2026-07', '2026-08'),
      unity: monthly('2026-07', '2026-08', '2026-09'),
    });

  it('is the latest most of the expected organisations reported, saying which rule chose it and which periods have figures', () => {
    const league = new LeagueResolver().league(seeded(), CODE)!;
    expect(league).toMatchObject({ period: '2026-08', reported: 5, expected: 5 });
    expect(league.periodRule).toBe(
      '2026-08: the latest period at least half of the 5 expected organisations reported (5 of 5); 2026-09, the latest anyone reported, has 1 of 5',
    );
    expect(league.periods).toEqual([
      { period: '2026-09', start: '2026-09-01', reported: 1 },
      { period: '2026-08', start: '2026-08-01', reported: 5 },
      { period: '2026-07', start: '2026-07-01', reported: 5 },
    ]);
    expect(league.funnel.drawn).toBe(true);
  });

  it('still compares the latest period when asked, naming it as asked', () => {
    const league = new LeagueResolver().league(seeded(), CODE, '2026-09')!;
    expect(league).toMatchObject({
      period: '2026-09',
      periodRule: '2026-09: asked for (1 of 5 reported)',
      reported: 1,
      expected: 5,
    });
    expect(league.notReported.map((n) => n.reason)).toEqual(Array(4).fill('no figure for 2026-09'));
    expect(league.funnel).toEqual({
      drawn: false,
      rule: 'A funnel plot compares organisations with one another; only one reported a figure for the period.',
    });
  });

  it("marks each row whose organisation's figures are synthetic, and only those", () => {
    const league = new LeagueResolver().league(
      government({ a: { ...monthly('2026-08'), synthetic: true }, b: monthly('2026-08') }),
      CODE,
    )!;
    expect(league.rows.map((r) => [r.organisationId, r.synthetic])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('counts an organisation whose subgraph did not answer as expected, so 2 of 5 is not half', () => {
    const league = new LeagueResolver().league(
      government({
        a: monthly('2026-07', '2026-08'),
        b: monthly('2026-07', '2026-08'),
        c: monthly('2026-07'),
        d: 'down',
        e: 'down',
      }),
      CODE,
    )!;
    // 2026-08 has 2 of 5, 2026-07 has 3 of 5.
    expect(league).toMatchObject({ period: '2026-07', reported: 3, expected: 5 });
  });
});

describe('a league of an indicator', () => {
  it('refuses one nobody reports that is not in the standard catalogue, naming the field, the value and the rule', () => {
    const asked = () =>
      new LeagueResolver().league(
        government({ synergy: monthly('2026-08') }),
        'ss-invoices-paid-5-dayz',
      );
    const error = (() => {
      try {
        asked();
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toBe(
      'indicator "ss-invoices-paid-5-dayz" is not a standard indicator (indicatorCatalogue) nor one any organisation reports',
    );
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'indicator',
      value: 'ss-invoices-paid-5-dayz',
    });
  });

  it("answers for an organisation's own code, and is null for a standard indicator nobody has taken up", () => {
    const own = { ...monthly('2019-02'), indicator: '608' };
    expect(new LeagueResolver().league(government({ norfolk: own }), '608')).toMatchObject({
      period: '2019-02',
      reported: 1,
    });
    expect(
      new LeagueResolver().league(
        government({ synergy: monthly('2026-08') }),
        'gds-digital-take-up',
      ),
    ).toBeNull();
  });

  it('does not call a code unknown while an organisation that may define it did not answer', () => {
    expect(
      new LeagueResolver().league(
        government({ synergy: monthly('2026-08'), norfolk: 'down' }),
        'nope',
      ),
    ).toBeNull();
  });

  it('answers for a known indicator with no figure for the period asked, naming everyone as not reported', () => {
    const league = new LeagueResolver().league(
      government({ synergy: monthly('2026-08'), matrix: monthly('2026-08') }),
      CODE,
      '2030-01',
    )!;
    expect(league).toMatchObject({
      period: '2030-01',
      periodRule: '2030-01: asked for (0 of 2 reported)',
      reported: 0,
      expected: 2,
      rows: [],
    });
    expect(league.notReported.map((n) => n.organisationId)).toEqual(['synergy', 'matrix']);
    expect(league.funnel.drawn).toBe(false);
  });
});

describe('a league with one organisation whose figure is poisoned', () => {
  it('names the organisation whose publisher could not read its figure, and ranks everyone else', () => {
    const unreadable = {
      organisationId: 'unity',
      indicator: CODE,
      period: '2026-09',
      serviceId: null,
      department: null,
      field: 'value',
      value: 'Infinity',
      rule: 'must be a finite number',
      message: '',
    };
    const league = new LeagueResolver().league(
      government({
        synergy: figures(92, 920, 1000),
        matrix: figures(85, 850, 1000),
        unity: {
          ...figures(0, null, null),
          periods: [],
          periodStarts: [],
          values: [],
          numerators: [],
          denominators: [],
          targets: [],
          rags: [],
          unreadable: [unreadable],
        },
      }),
      CODE,
      '2026-09',
    )!;
    expect(league.rows.map((r) => [r.organisationId, r.rank])).toEqual([
      ['synergy', 1],
      ['matrix', 2],
    ]);
    expect(league.overall).toMatchObject({ value: 88.5, numerator: 1770, denominator: 2000 });
    expect(league.notReported).toEqual([
      {
        organisationId: 'unity',
        organisationName: 'Unity',
        reason: 'its figure for 2026-09 could not be read: value Infinity must be a finite number',
      },
    ]);
  });

  it("leaves out a figure another publisher sent past its unit's range, naming it, so the overall rate and funnel stay finite", () => {
    const league = new LeagueResolver().league(
      government({
        synergy: figures(92, 920, 1000),
        matrix: figures(85, 850, 1000),
        unity: figures(50, 1e308, 2e308 / 2),
      }),
      CODE,
      '2026-09',
    )!;
    expect(league.rows.map((r) => r.organisationId)).toEqual(['synergy', 'matrix']);
    expect(league.notReported[0]!.reason).toBe(
      'its figure for 2026-09 cannot be compared: numerator 1e+308 must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
    );
    expect(Number.isFinite(league.overall!.value)).toBe(true);
    expect(league.rows[0]!.funnel).not.toBeNull();
  });

  it('says why a figure is unfit: a score of 1.7e308, a denominator of zero, a target of 1e300', () => {
    expect(unfitFigure({ ...figures(1.7e308, null, null), unit: Unit.SCORE }, 0)).toBe(
      'value 1.7e+308 must be between -1,000,000,000 and 1,000,000,000 for a score',
    );
    expect(unfitFigure(figures(50, 5, 0), 0)).toBe('denominator 0 must be greater than zero');
    expect(unfitFigure({ ...figures(50, null, null), targets: [1e300] }, 0)).toBe(
      'target 1e+300 must be between 0 and 100 for a percentage',
    );
    expect(unfitFigure(figures(50, 5, 10), 0)).toBeNull();
  });

  it('draws no funnel rather than failing when parts make the overall rate no proportion', () => {
    const reporters = [
      {
        organisationId: 'a',
        organisationName: 'A',
        value: 50,
        numerator: 2299,
        denominator: 1483,
        rag: null,
      },
      {
        organisationId: 'b',
        organisationName: 'B',
        value: 60,
        numerator: 10,
        denominator: -5,
        rag: null,
      },
    ];
    const { rows } = buildLeague(reporters, Unit.PERCENT, Polarity.BIGGER_IS_BETTER);
    expect(rows.map((r) => r.funnel)).toEqual([null, null]);
  });
});
