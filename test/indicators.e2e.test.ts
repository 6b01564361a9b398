import { readFileSync } from 'node:fs';
import { DEFAULT_REGISTRY_PATH, parseRegistry } from '@crossgov/schema';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import {
  type GraphQLResponse,
  type TestGraph,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { tokenFor } from '@crossgov/testing/tokens';

// A department added to the registry with no seed profile reports on its first day: it adopts a
// catalogue indicator and defines its own, through the mutation and through imports (JSON and
// CSV), imports and publishes figures, and is then compared with everyone else.

const auth: AuthConfig = { secret: 'indicators-e2e-secret-'.padEnd(48, 'd') };
const document = JSON.parse(readFileSync(DEFAULT_REGISTRY_PATH, 'utf8')) as {
  organisations: Record<string, unknown>[];
};
document.organisations.push({
  id: 'dfe',
  name: 'Department for Education',
  kind: 'DEPARTMENT',
  lead: 'DFE',
  subgraph: { url: 'http://127.0.0.1:4199/graphql' },
});
const registry = parseRegistry(document, 'registry with DfE');

interface Changes {
  dfe: {
    changes: {
      record: string;
      key: string;
      previous: string | null;
      current: string;
      actor: string | null;
    }[];
  };
}

describe(`a new department defines its indicators and reports on ${STORAGE}`, () => {
  let graph: TestGraph;
  let owner: string;
  const base = () => new URL('.', graph.gatewayUrl).href;
  /** As the department's officer, or anonymous with `token` null. */
  const post = <T>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = owner,
  ): Promise<GraphQLResponse<T>> => postGraphQL<T>(graph.gatewayUrl, query, variables, token);
  const importFile = async (body: string, type: string, publish = false) => {
    const response = await fetch(
      `${base()}organisations/dfe/imports${publish ? '?publish=true' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${owner}` },
        body,
      },
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions: { problems?: unknown[] } }[];
      },
    };
  };
  const DEFINE =
    'mutation ($d: [IndicatorDefinitionInput!]!) { dfe { defineIndicators(indicators: $d) { accepted } } }';

  beforeAll(async () => {
    graph = await startTestGraph({ registry, auth });
    owner = await tokenFor(auth, 'dfe', [Scope.WRITE, Scope.READ_DRAFTS]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('starts with no indicators, and can report nothing until it has some', async () => {
    const { data } = await post<{ dfe: { indicators: unknown[] } }>(
      '{ dfe { indicators { code } } }',
    );
    expect(data!.dfe.indicators).toEqual([]);
    const refused = await post(
      `mutation { dfe { submitMeasurements(measurements: [{ indicatorCode: "gds-user-satisfaction", period: "2026-10", numerator: 1, denominator: 2 }]) { accepted } } }`,
    );
    expect(refused.errors![0]!.message).toContain(
      'indicatorCode "gds-user-satisfaction" is not an indicator of dfe',
    );
  });

  it("adopts a catalogue indicator by code, with the catalogue's definition, and defines its own", async () => {
    const { errors } = await post(DEFINE, {
      d: [
        {
          code: 'gds-user-satisfaction',
          leadOfficer: 'Director of Digital',
          dataOwner: 'DfE Digital Performance',
        },
        {
          code: 'teacher-vacancy-rate',
          name: 'Teacher vacancy rate',
          unit: 'PERCENT',
          polarity: 'CLOSEST_TO_TARGET',
          frequency: 'ANNUAL',
          tolerance: 0.1,
          definition: 'Vacant teaching posts as a share of all teaching posts, in November.',
          whyItMatters:
            'Too many vacancies leave classes without a teacher; none at all means no movement in the workforce.',
          whatSuccessLooksLike: 'A vacancy rate near 1%.',
          leadOfficer: 'Director of Teacher Workforce',
        },
      ],
    });
    expect(errors).toBeUndefined();
    const { data } = await post<{
      dfe: {
        indicators: {
          code: string;
          name: string;
          unit: string;
          polarity: string;
          frequency: string;
          standard: string | null;
          leadOfficer: string;
          tolerance: number;
          reportCard: { whyItMatters: string | null };
        }[];
      };
    }>(
      '{ dfe { indicators { code name unit polarity frequency standard leadOfficer tolerance reportCard { whyItMatters } } } }',
    );
    expect(data!.dfe.indicators).toEqual([
      {
        code: 'gds-user-satisfaction',
        name: 'User satisfaction',
        unit: 'PERCENT',
        polarity: 'BIGGER_IS_BETTER',
        frequency: 'MONTHLY',
        standard: 'gds-user-satisfaction',
        leadOfficer: 'Director of Digital',
        tolerance: 0.05,
        reportCard: { whyItMatters: null },
      },
      {
        code: 'teacher-vacancy-rate',
        name: 'Teacher vacancy rate',
        unit: 'PERCENT',
        polarity: 'CLOSEST_TO_TARGET',
        frequency: 'ANNUAL',
        standard: null,
        leadOfficer: 'Director of Teacher Workforce',
        tolerance: 0.1,
        reportCard: {
          whyItMatters:
            'Too many vacancies leave classes without a teacher; none at all means no movement in the workforce.',
        },
      },
    ]);
  });

  it("refuses to change a catalogue indicator's definition, an own indicator without what it needs, or a type it does not know, naming each, and writes nothing", async () => {
    const before = await snapshotTables(graph.organisations.get('dfe')!.database);
    const { errors } = await post(DEFINE, {
      d: [
        { code: 'gds-user-satisfaction', polarity: 'SMALLER_IS_BETTER' },
        { code: 'pupils-absent', name: 'Persistent absence' },
        {
          code: 'bad code!',
          name: 'x',
          unit: 'COUNT',
          polarity: 'BIGGER_IS_BETTER',
          frequency: 'ANNUAL',
        },
      ],
    });
    const problems = errors![0]!.extensions!.problems as {
      row: number;
      field: string;
      rule: string;
    }[];
    expect(problems.map((p) => [p.row, p.field])).toEqual([
      [1, 'polarity'],
      [2, 'unit'],
      [2, 'polarity'],
      [2, 'frequency'],
      [3, 'code'],
    ]);
    expect(problems[0]!.rule).toContain("gds-user-satisfaction is the catalogue's indicator");
    expect(problems[1]!.rule).toContain('is required for a new indicator');
    expect(await snapshotTables(graph.organisations.get('dfe')!.database)).toEqual(before);
  });

  it('defines through a JSON import with figures for it in the same file, and through a CSV of definitions', async () => {
    const json = await importFile(
      JSON.stringify({
        indicators: [
          {
            code: 'apprenticeship-starts',
            name: 'Apprenticeship starts',
            unit: 'count',
            polarity: 'bigger',
            frequency: 'quarterly',
          },
        ],
        measurements: [
          { indicatorCode: 'apprenticeship-starts', period: '2026-Q1', value: 84200 },
          { indicatorCode: 'apprenticeship-starts', period: '2026-Q2', value: 79100 },
        ],
        targets: [{ indicatorCode: 'apprenticeship-starts', fromPeriod: '2026-Q1', value: 85000 }],
      }),
      'application/json',
      true,
    );
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect(json.body.data).toMatchObject({
      indicators: 1,
      measurements: 2,
      targets: 1,
      published: true,
    });

    const csv = await importFile(
      [
        'code,name,unit,polarity,frequency,lead_officer,why_it_matters',
        'ofsted-good-or-outstanding,Schools good or outstanding,percent,bigger,annual,Director of Standards,Parents choose schools by it',
      ].join('\n'),
      'text/csv',
    );
    expect(csv.status, JSON.stringify(csv.body)).toBe(200);
    expect(csv.body.data).toMatchObject({ indicators: 1, measurements: 0 });
    const { data } = await post<{
      dfe: { indicators: { code: string; latest: { period: string; value: number } | null }[] };
    }>('{ dfe { indicators { code latest { period value } } } }');
    expect(data!.dfe.indicators.map((i) => i.code)).toEqual([
      'gds-user-satisfaction',
      'teacher-vacancy-rate',
      'apprenticeship-starts',
      'ofsted-good-or-outstanding',
    ]);
    expect(data!.dfe.indicators.find((i) => i.code === 'apprenticeship-starts')!.latest).toEqual({
      period: '2026-Q2',
      value: 79100,
    });
  });

  it('keeps every version of a definition in its change history, with who changed it', async () => {
    expect(
      (
        await post(DEFINE, {
          d: [
            {
              code: 'teacher-vacancy-rate',
              whatSuccessLooksLike: 'A vacancy rate between 0.5% and 1.5%.',
            },
          ],
        })
      ).errors,
    ).toBeUndefined();
    // Sent again unchanged: nothing to record.
    expect(
      (
        await post(DEFINE, {
          d: [
            {
              code: 'teacher-vacancy-rate',
              whatSuccessLooksLike: 'A vacancy rate between 0.5% and 1.5%.',
            },
          ],
        })
      ).errors,
    ).toBeUndefined();
    const { data } = await post<Changes>(
      '{ dfe { changes(record: "indicator", key: "teacher-vacancy-rate") { record key previous current actor } } }',
    );
    const versions = data!.dfe.changes;
    expect(versions).toHaveLength(2);
    const [latest, first] = versions as [
      Changes['dfe']['changes'][number],
      Changes['dfe']['changes'][number],
    ];
    expect(first.previous).toBeNull();
    expect(JSON.parse(first.current)).toMatchObject({
      code: 'teacher-vacancy-rate',
      whatSuccessLooksLike: 'A vacancy rate near 1%.',
      polarity: 'CLOSEST_TO_TARGET',
    });
    expect(JSON.parse(latest.previous!)).toMatchObject({
      whatSuccessLooksLike: 'A vacancy rate near 1%.',
    });
    expect(JSON.parse(latest.current)).toMatchObject({
      whatSuccessLooksLike: 'A vacancy rate between 0.5% and 1.5%.',
      name: 'Teacher vacancy rate',
    });
    expect(latest.actor).toBe('dfe-officer');
    // The history is public; who changed it is not.
    const anonymous = await post<Changes>(
      '{ dfe { changes(record: "indicator", key: "teacher-vacancy-rate") { actor } } }',
      {},
      null,
    );
    expect(anonymous.data!.dfe.changes.map((c) => c.actor)).toEqual([null, null]);
  });

  it('refuses a new unit for an indicator that has figures, since its figures are in the old one', async () => {
    const { errors } = await post(DEFINE, {
      d: [{ code: 'apprenticeship-starts', unit: 'PERCENT' }],
    });
    expect(errors![0]!.message).toContain(
      'unit "PERCENT" cannot change from COUNT: indicator apprenticeship-starts has 2 figures in it',
    );
  });

  it('imports and publishes figures for the adopted indicator, and appears in the league beside the other departments', async () => {
    const csv = [
      'indicator_code,period,numerator,denominator',
      'gds-user-satisfaction,2026-08,7700,10000',
      'gds-user-satisfaction,2026-09,7800,10000',
    ].join('\n');
    const imported = await importFile(csv, 'text/csv');
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    // Drafts until published: the league does not see them yet.
    const league = async () =>
      (
        await post<{
          government: {
            league: {
              period: string;
              rows: { organisationId: string; value: number; rank: number }[];
            };
          };
        }>(
          '{ government { league(indicator: "gds-user-satisfaction", period: "2026-09") { period rows { organisationId value rank } } } }',
          {},
          null,
        )
      ).data!.government.league;
    expect((await league()).rows.map((r) => r.organisationId)).not.toContain('dfe');
    const published = await post<{ dfe: { publishPeriod: { published: number } } }>(
      'mutation { dfe { publishPeriod(period: "2026-09") { published } } }',
    );
    expect(published.data!.dfe.publishPeriod.published).toBe(1);
    const rows = (await league()).rows;
    expect(rows.find((r) => r.organisationId === 'dfe')).toMatchObject({ value: 78 });
    expect(rows.find((r) => r.organisationId === 'hmrc')).toBeDefined();
  });

  it('judges its own closest-to-target indicator by distance from the target, either side', async () => {
    const imported = await importFile(
      JSON.stringify({
        measurements: [
          { indicatorCode: 'teacher-vacancy-rate', period: '2023', value: 0.6 },
          { indicatorCode: 'teacher-vacancy-rate', period: '2024', value: 1.4 },
          { indicatorCode: 'teacher-vacancy-rate', period: '2025', value: 1.05 },
        ],
        targets: [{ indicatorCode: 'teacher-vacancy-rate', fromPeriod: '2023', value: 1 }],
      }),
      'application/json',
      true,
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const { data, errors } = await post<{
      dfe: {
        scorecard: {
          series: { period: string; rag: { status: string; rule: string } }[];
          sincePreviousPeriod: { direction: string };
        }[];
      };
    }>(
      '{ dfe { scorecard(indicators: ["teacher-vacancy-rate"]) { series { period rag { status rule } } sincePreviousPeriod { direction } } } }',
    );
    expect(errors).toBeUndefined();
    const [card] = data!.dfe.scorecard;
    // 0.6 and 1.4 are 40% off a target of 1 (beyond twice the 10% band); 1.05 is 5% off, inside it.
    expect(card!.series.map((p) => [p.period, p.rag.status])).toEqual([
      ['2023', 'RED'],
      ['2024', 'RED'],
      ['2025', 'GREEN'],
    ]);
    expect(card!.series[1]!.rag.rule).toContain('above the target of 1');
    expect(card!.sincePreviousPeriod.direction).toBe('IMPROVING');
  });
});
