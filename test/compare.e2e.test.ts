import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { fetchesOf, planFor } from '@crossgov/testing/plan';

const SCORECARD_QUERY = /* GraphQL */ `
  query Scorecards {
    organisations {
      id
      name
      scorecard(periods: 13) {
        indicator
        unit
        polarity
        latest { period value target rag { status rule } spc { signal signals variation mean upperLimit lowerLimit } }
        sincePreviousPeriod { direction comparedWith rule }
        sinceYearEarlier { direction comparedWith }
        exceptions { rule description }
        spc { assurance warnings phases { mean upperLimit lowerLimit pointsUsed } }
        series { period gap value }
      }
    }
  }
`;

const LEAGUE_QUERY = /* GraphQL */ `
  query League($indicator: String!, $period: String) {
    government {
      league(indicator: $indicator, period: $period) {
        indicator period periodRule periods { period reported } unit polarity reported expected
        overall { value numerator denominator rule }
        rows { organisationId organisationName rank tied value numerator denominator rag funnel { volume lower95 upper95 lower998 upper998 position } }
        funnel { drawn rule }
        notReported { organisationId reason }
      }
    }
  }
`;

interface Entry {
  indicator: string;
  latest: {
    period: string;
    value: number;
    target: number | null;
    rag: { status: string; rule: string } | null;
    spc: { signal: string; variation: string; mean: number } | null;
  } | null;
  sincePreviousPeriod: { direction: string; comparedWith: string } | null;
  sinceYearEarlier: { direction: string; comparedWith: string } | null;
  exceptions: { rule: string; description: string }[];
  spc: { assurance: string | null; phases: { mean: number }[] };
  series: { period: string; gap: boolean; value: number | null }[];
}

interface LeagueData {
  government: {
    league: {
      period: string;
      periodRule: string;
      periods: { period: string; reported: number }[];
      funnel: { drawn: boolean; rule: string };
      reported: number;
      expected: number;
      overall: { value: number; numerator: number; denominator: number } | null;
      rows: {
        organisationId: string;
        rank: number;
        tied: boolean;
        value: number;
        numerator: number;
        denominator: number;
        funnel: { position: string; lower95: number; upper95: number } | null;
      }[];
      notReported: { organisationId: string; reason: string }[];
    } | null;
  };
}

describe(`comparing organisations through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('returns every organisation scorecard with RAG, direction of travel, exceptions and SPC for the latest period', async () => {
    const { data, errors } = await graph.query<{
      organisations: { id: string; scorecard: Entry[] | null }[];
    }>(SCORECARD_QUERY);
    expect(errors).toBeUndefined();
    for (const org of data!.organisations) {
      expect(org.scorecard, org.id).not.toBeNull();
      expect(org.scorecard!.length, org.id).toBeGreaterThan(0);
      for (const entry of org.scorecard!)
        expect(entry.latest?.spc?.signal, `${org.id} ${entry.indicator}`).toBeTruthy();
    }
    const norfolk = new Map(
      data!.organisations.find((o) => o.id === 'norfolk')!.scorecard!.map((e) => [e.indicator, e]),
    );

    // Abandoned calls: 10.4% against a target of 10% (smaller is better) is 4% worse: Amber.
    const abandoned = norfolk.get('608')!;
    expect(abandoned.latest).toMatchObject({
      period: '2019-02',
      value: 10.4,
      target: 10,
      rag: { status: 'AMBER' },
    });
    expect(abandoned.latest!.rag!.rule).toContain('4% worse');
    // 8.6 in January, 35.0 in February 2018.
    expect(abandoned.sincePreviousPeriod).toMatchObject({
      direction: 'WORSENING',
      comparedWith: '2019-01',
    });
    expect(abandoned.sinceYearEarlier).toMatchObject({
      direction: 'IMPROVING',
      comparedWith: '2018-02',
    });
    // 6.2 -> 7.4 -> 8.6 -> 10.4: three deteriorations in a row.
    expect(abandoned.exceptions.map((e) => e.rule)).toEqual(['THREE_DETERIORATIONS']);

    // First line fix: 21.6% against 28% (bigger is better) is Red, an exception whoever asks.
    const firstLineFix = norfolk.get('610')!;
    expect(firstLineFix.latest!.rag!.status).toBe('RED');
    expect(firstLineFix.exceptions.map((e) => e.rule)).toContain('LATEST_RED');
    expect(norfolk.get('611')!.latest!.rag!.status).toBe('GREEN');

    // 13 monthly periods, consecutive, each explicit.
    expect(abandoned.series.map((p) => p.period)).toEqual([
      '2018-02',
      '2018-03',
      '2018-04',
      '2018-05',
      '2018-06',
      '2018-07',
      '2018-08',
      '2018-09',
      '2018-10',
      '2018-11',
      '2018-12',
      '2019-01',
      '2019-02',
    ]);
    // The SPC centre line of 608 is the mean of its 13 published values.
    const values = [35.0, 19.9, 8.5, 13.4, 4.5, 7.6, 15.9, 6.3, 7.8, 6.2, 7.4, 8.6, 10.4];
    expect(abandoned.spc.phases[0]!.mean).toBeCloseTo(
      values.reduce((a, b) => a + b, 0) / values.length,
      10,
    );
  });

  it('judges monthly figures by calendar quarter as the ratio of sums, leaving a part-reported quarter as a gap', async () => {
    const { data, errors } = await graph.query<{
      norfolk: {
        scorecard: (Entry & {
          notes: string[];
          series: {
            period: string;
            gap: boolean;
            value: number | null;
            numerator: number | null;
            denominator: number | null;
          }[];
        })[];
      };
    }>(
      '{ norfolk { scorecard(periodType: QUARTER, indicators: ["610"]) { indicator notes latest { period value } series { period gap value numerator denominator } } } }',
    );
    expect(errors).toBeUndefined();
    const firstLineFix = data!.norfolk.scorecard[0]!;
    const q4 = firstLineFix.series.find((p) => p.period === '2018-Q4')!;
    // Norfolk 610, October to December 2018, from the published CSV.
    const rows = [
      [1277, 4200],
      [1111, 3856],
      [712, 2592],
    ];
    const numerator = rows.reduce((s, r) => s + r[0]!, 0);
    const denominator = rows.reduce((s, r) => s + r[1]!, 0);
    expect(q4).toMatchObject({ gap: false, numerator, denominator });
    expect(q4.value).toBeCloseTo((numerator / denominator) * 100, 10);
    // January and February 2019 only: not a quarter.
    expect(firstLineFix.series.at(-1)).toMatchObject({ period: '2019-Q1', gap: true, value: null });
    expect(firstLineFix.notes).toContain('2019-Q1: 2 of 3 month figures reported, so it is a gap');
    expect(firstLineFix.latest!.period).toBe('2018-Q4');
  });

  it("gives a cluster's rate as the ratio of the sums of its member departments", async () => {
    const { data, errors } = await graph.query<{
      synergy: {
        indicators: {
          code: string;
          latest: { period: string; value: number; numerator: number; denominator: number };
          departmentMeasurements: {
            period: string;
            department: string;
            numerator: number;
            denominator: number;
          }[];
        }[];
      };
    }>(
      '{ synergy { indicators { code latest { period value numerator denominator } departmentMeasurements { period department numerator denominator } } } }',
    );
    expect(errors).toBeUndefined();
    const invoices = data!.synergy.indicators.find((i) => i.code === 'ss-invoices-paid-5-days')!;
    const parts = invoices.departmentMeasurements.filter(
      (m) => m.period === invoices.latest.period,
    );
    expect(parts.map((p) => p.department).sort()).toEqual(['DEFRA', 'DWP', 'HO', 'MOJ']);
    const numerator = parts.reduce((s, p) => s + p.numerator, 0);
    const denominator = parts.reduce((s, p) => s + p.denominator, 0);
    expect(invoices.latest).toMatchObject({ numerator, denominator });
    expect(invoices.latest.value).toBeCloseTo((numerator / denominator) * 100, 10);
  });

  it('compares by default the latest month most clusters reported, not the latest any one did, and says so', async () => {
    const { data, errors } = await graph.query<LeagueData>(LEAGUE_QUERY, {
      indicator: 'ss-invoices-paid-5-days',
    });
    expect(errors).toBeUndefined();
    const league = data!.government.league!;
    // The seeded clusters: only Unity has September; Defence, Overseas and Unity have August (3 of 5 is at least half).
    expect(league).toMatchObject({ period: '2026-08', reported: 3, expected: 5 });
    expect(league.periodRule).toBe(
      '2026-08: the latest period at least half of the 5 expected organisations reported (3 of 5); 2026-09, the latest anyone reported, has 1 of 5',
    );
    expect(league.periods.slice(0, 3)).toEqual([
      { period: '2026-09', reported: 1 },
      { period: '2026-08', reported: 3 },
      { period: '2026-07', reported: 5 },
    ]);
    expect(league.rows.map((r) => r.organisationId).sort()).toEqual([
      'defence',
      'overseas',
      'unity',
    ]);
    expect(league.funnel.drawn).toBe(true);
  });

  it('says why a cost per transaction and a Net Promoter Score have no funnel plot, and refuses an indicator nobody has', async () => {
    const funnelOf = async (indicator: string) =>
      (await graph.query<LeagueData>(LEAGUE_QUERY, { indicator })).data!.government.league!.funnel;
    expect(await funnelOf('gds-cost-per-transaction')).toEqual({
      drawn: false,
      rule: 'A funnel plot compares proportions; this indicator is an amount of money, not a proportion.',
    });
    expect(await funnelOf('ss-net-promoter-score')).toEqual({
      drawn: false,
      rule: 'A funnel plot compares proportions; this indicator is a score, not a proportion.',
    });
    const unknown = await graph.query<LeagueData>(LEAGUE_QUERY, {
      indicator: 'ss-invoices-paid-5-dayz',
    });
    expect(unknown.data!.government.league).toBeNull();
    expect(unknown.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'indicator',
    });
    expect(unknown.errors![0]!.message).toBe(
      'indicator "ss-invoices-paid-5-dayz" is not a standard indicator (indicatorCatalogue) nor one any organisation reports',
    );
  });

  it('ranks the clusters in a league with the overall rate, funnel limits and who has not reported', async () => {
    const { data, errors } = await graph.query<LeagueData>(LEAGUE_QUERY, {
      indicator: 'ss-invoices-paid-5-days',
      period: '2026-07',
    });
    expect(errors).toBeUndefined();
    const league = data!.government.league!;
    expect(league.expected).toBe(5);
    expect(league.reported).toBe(5);
    expect(league.periodRule).toBe('2026-07: asked for (5 of 5 reported)');
    expect(league.rows).toHaveLength(league.reported);
    // Ratio of sums over the reporters.
    const numerator = league.rows.reduce((s, r) => s + r.numerator, 0);
    const denominator = league.rows.reduce((s, r) => s + r.denominator, 0);
    expect(league.overall!.value).toBeCloseTo((numerator / denominator) * 100, 10);
    // Best first, bigger is better.
    const values = league.rows.map((r) => r.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(league.rows[0]!.rank).toBe(1);
    for (const row of league.rows) {
      expect(row.funnel!.lower95).toBeLessThan(league.overall!.value);
      expect(row.funnel!.upper95).toBeGreaterThan(league.overall!.value);
    }
    expect(league.notReported).toEqual([]);
  });

  it('shows the Compare page with the period rule, warns when fewer than half reported, and puts a bad period or indicator beside its field', async () => {
    const base = graph.gatewayUrl.replace(/\/graphql$/, '');
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      return { status: response.status, body: await response.text() };
    };
    const byDefault = await get('/compare');
    expect(byDefault.status).toBe(200);
    expect(byDefault.body).toContain(
      'Period 2026-08: the latest period at least half of the 5 expected organisations reported (3 of 5); 2026-09, the latest anyone reported, has 1 of 5.',
    );
    expect(byDefault.body).not.toContain('govuk-warning-text');
    expect(byDefault.body).toContain(
      '<option value="" selected>Latest most have reported (default)</option><option value="2026-09">2026-09 (1 of 5 reported)</option><option value="2026-08">2026-08 (3 of 5 reported)</option>',
    );

    const september = await get('/compare?indicator=ss-invoices-paid-5-days&period=2026-09');
    expect(september.status).toBe(200);
    expect(september.body).toMatch(
      /class="govuk-warning-text"[^]*Only 1 of 5 organisations reported 2026-09: this is not a comparison of everyone\./,
    );
    expect(september.body).toContain(
      'Not drawn. A funnel plot compares organisations with one another; only one reported a figure for the period.',
    );

    for (const [path, field, message] of [
      [
        '/compare?indicator=ss-invoices-paid-5-days&period=2026-13',
        'period',
        'Select a period from the list: &quot;2026-13&quot; is not a period',
      ],
      [
        '/compare?indicator=ss-invoices-paid-5-days&period=2030-01',
        'period',
        'Select a period from the list: nobody has a figure for Invoices paid within 5 days for 2030-01',
      ],
      [
        '/compare?indicator=nope',
        'indicator',
        'Select an indicator from the list: nobody reports &quot;nope&quot;',
      ],
    ] as const) {
      const refused = await get(path);
      expect(refused.status, path).toBe(400);
      // The error summary first, linking to the field, above the same form with the field marked.
      expect(refused.body.indexOf('class="govuk-error-summary"'), path).toBeLessThan(
        refused.body.indexOf('<form'),
      );
      expect(refused.body, path).toMatch(
        new RegExp(
          `<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>[^]*<a href="#${field}">${message}`,
        ),
      );
      expect(refused.body, path).toMatch(
        new RegExp(
          `<div class="govuk-form-group govuk-form-group--error">\\s*<label class="govuk-label govuk-label--s" for="${field}">`,
        ),
      );
      expect(refused.body, path).toContain(`<p id="${field}-error" class="govuk-error-message">`);
      expect(refused.body, path).not.toContain('League table');
    }
    // The indicator chosen is kept with a bad period.
    expect((await get('/compare?indicator=ss-net-promoter-score&period=2026-13')).body).toContain(
      '<option value="ss-net-promoter-score" selected>',
    );
  });

  it('compares a chosen earlier period, and refuses a period it cannot read', async () => {
    const { data } = await graph.query<LeagueData>(LEAGUE_QUERY, {
      indicator: 'ss-invoices-paid-5-days',
      period: '2025-06',
    });
    expect(data!.government.league!.period).toBe('2025-06');
    expect(data!.government.league!.reported).toBe(5);
    const bad = await graph.query<LeagueData>(LEAGUE_QUERY, {
      indicator: 'ss-invoices-paid-5-days',
      period: 'June 2025',
    });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toContain('period "June 2025"');
  });

  it('plans the league as directory, then every organisation in parallel, then insights once', () => {
    const plan = planFor(graph.supergraphSdl, LEAGUE_QUERY);
    const root = plan.node!;
    expect(root.kind).toBe('Sequence');
    if (root.kind !== 'Sequence') return;
    const steps = root.nodes.map((node) => ({ kind: node.kind, fetches: fetchesOf(node) }));
    expect(steps[0]!.fetches).toEqual(['directory']);
    expect(steps[1]!.kind).toBe('Parallel');
    expect(steps[1]!.fetches.sort()).toEqual(graph.registry.organisations.map((o) => o.id).sort());
    expect(steps.at(-1)!.fetches).toEqual(['insights']);
    expect(fetchesOf(root).filter((name) => name === 'insights')).toHaveLength(1);
  });
});
