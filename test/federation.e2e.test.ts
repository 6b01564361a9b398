import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '@crossgov/gateway';
import { findPublisher, organisationsOf } from '@crossgov/schema';
import { pino } from 'pino';
import {
  dropSchemas,
  freshSchemaName,
  STORAGE,
  TEST_DATABASE_URL,
} from '@crossgov/testing/database';
import {
  type TestGraph,
  UNIFORM_QUERY,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { fetchesOf, planFor } from '@crossgov/testing/plan';

interface UniformData {
  organisations: {
    id: string;
    name: string;
    kind: string;
    services: { id: string; name: string }[] | null;
    indicators:
      | {
          code: string;
          latest: { period: string; value: number | null; synthetic: boolean } | null;
        }[]
      | null;
    milestones:
      | { title: string; baseline: { label: string } | null; actual: { label: string } | null }[]
      | null;
  }[];
}

describe(`the federated graph on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('answers the uniform query with every registered organisation, its services, latest measurements and milestones', async () => {
    const { data, errors } = await graph.query<UniformData>(UNIFORM_QUERY);
    expect(errors).toBeUndefined();
    const byId = new Map(data!.organisations.map((o) => [o.id, o]));
    expect([...byId.keys()].sort()).toEqual(graph.registry.organisations.map((o) => o.id).sort());

    const norfolk = byId.get('norfolk')!;
    expect(norfolk.kind).toBe('LOCAL_AUTHORITY');
    expect(norfolk.indicators!.map((i) => i.code)).toEqual([
      '320',
      '323',
      '608',
      '609',
      '610',
      '611',
      '626',
      '636',
    ]);
    const abandonment = norfolk.indicators!.find((i) => i.code === '608')!;
    expect(abandonment.latest).toMatchObject({ period: '2019-02', value: 10.4, synthetic: false });
    // 323's January 2019 row is invalid as published, so its latest valid figure is December 2018.
    expect(norfolk.indicators!.find((i) => i.code === '323')!.latest!.period).toBe('2018-12');

    const synergy = byId.get('synergy')!;
    expect(synergy.services!.length).toBe(4);
    expect(synergy.indicators!.every((i) => i.latest?.synthetic === true)).toBe(true);
    expect(synergy.milestones!.map((m) => m.title)).toContain(
      'Oracle SaaS and IBM integrator contracts signed',
    );
    expect(synergy.milestones!.find((m) => m.title === 'Tender launched')!.baseline!.label).toBe(
      '2023-06',
    );

    const matrixGoLive = byId.get('matrix')!.milestones!.find((m) => m.title === 'Go-live')!;
    expect(matrixGoLive.baseline!.label).toBe('2028');
    expect(byId.get('hmrc')!.indicators!.map((i) => i.code)).toEqual([
      'gds-cost-per-transaction',
      'gds-user-satisfaction',
      'gds-completion-rate',
      'gds-digital-take-up',
    ]);
  });

  it('serves cluster membership with effective dates from the directory', async () => {
    const { data, errors } = await graph.query<{
      before: { members: { departmentCode: string }[] };
      after: { members: { departmentCode: string }[] };
    }>(`{
      before: organisation(id: "matrix") { ... on MatrixCluster { members(asOf: "2022-06-01") { departmentCode } } }
      after: organisation(id: "matrix") { ... on MatrixCluster { members(asOf: "2024-06-01") { departmentCode } } }
    }`);
    expect(errors).toBeUndefined();
    const before = data!.before.members.map((m) => m.departmentCode);
    const after = data!.after.members.map((m) => m.departmentCode);
    expect(before).toContain('BEIS');
    expect(before).not.toContain('DSIT');
    expect(after).toEqual(expect.arrayContaining(['DSIT', 'DESNZ', 'DBT']));
    expect(after).not.toContain('BEIS');
  });

  it('takes the membership date through the Organisation interface, without naming the type', async () => {
    const { data, errors } = await graph.query<{
      organisations: { id: string; members: { departmentCode: string }[] }[];
    }>('{ organisations(kind: CLUSTER) { id members(asOf: "2022-06-01") { departmentCode } } }');
    expect(errors).toBeUndefined();
    const unity = data!.organisations.find((o) => o.id === 'unity')!;
    // MHCLG was DLUHC from 2021-09-19 to 2024-07-07.
    expect(unity.members.map((m) => m.departmentCode).sort()).toEqual(['DFT', 'DLUHC', 'HMRC']);
  });

  it('lists the standard indicator catalogue with the four GDS KPIs', async () => {
    const { data } = await graph.query<{
      indicatorCatalogue: { code: string; unit: string; polarity: string }[];
    }>('{ indicatorCatalogue { code unit polarity frequency definition } }');
    const codes = data!.indicatorCatalogue.map((i) => i.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'gds-cost-per-transaction',
        'gds-user-satisfaction',
        'gds-completion-rate',
        'gds-digital-take-up',
        'ss-net-promoter-score',
      ]),
    );
    expect(
      data!.indicatorCatalogue.find((i) => i.code === 'gds-cost-per-transaction')!.polarity,
    ).toBe('SMALLER_IS_BETTER');
  });

  it('plans the uniform query as one directory fetch, then one parallel fetch per organisation subgraph', () => {
    const plan = planFor(graph.supergraphSdl, UNIFORM_QUERY);
    const root = plan.node!;
    expect(root.kind).toBe('Sequence');
    if (root.kind !== 'Sequence') return;
    expect(root.nodes).toHaveLength(2);
    expect(fetchesOf(root.nodes[0])).toEqual(['directory']);
    const fanOut = root.nodes[1]!;
    expect(fanOut.kind).toBe('Parallel');
    expect(fetchesOf(fanOut).sort()).toEqual(graph.registry.organisations.map((o) => o.id).sort());
  });

  it('rejects a bad period argument with the field, the value and the rule', async () => {
    const { data, errors } = await graph.query<{ norfolk: unknown }>(
      '{ norfolk { indicators { measurements(from: "Jan 2019") { value } } } }',
    );
    // indicators is nullable, so the error nulls that list alone.
    expect(data!.norfolk).toEqual({ indicators: null });
    expect(errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0]!.message).toContain('from "Jan 2019"');
    expect(errors![0]!.message).toContain('YYYY-MM');
  });
});

describe('resilience when an organisation fails', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ subgraphTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  /** A gateway on the same supergraph, with one subgraph's URL replaced. */
  async function gatewayWith(overrides: Record<string, string>, timeoutMs = 1000) {
    return startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, ...overrides },
      subgraphTimeoutMs: timeoutMs,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
  }

  it('returns every other organisation when one subgraph is down, with an error naming it and no URL', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const gateway = await gatewayWith({ matrix: `http://127.0.0.1:${port}/graphql` });
    try {
      const { data, errors } = await postGraphQL<UniformData>(gateway.url, UNIFORM_QUERY);
      const orgs = data!.organisations;
      expect(orgs).toHaveLength(graph.registry.organisations.length);
      const matrix = orgs.find((o) => o.id === 'matrix')!;
      expect(matrix.name).toBe('Matrix');
      expect(matrix.services).toBeNull();
      for (const org of orgs.filter((o) => o.id !== 'matrix'))
        expect(org.indicators, org.id).not.toBeNull();
      expect(errors).toHaveLength(1);
      expect(errors![0]!.message).toContain('"matrix"');
      expect(errors![0]!.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'matrix',
        reason: 'UNREACHABLE',
      });
      expect(JSON.stringify(errors)).not.toMatch(/127\.0\.0\.1|localhost|stack/i);

      // Cross-organisation answers say who is missing rather than counting them as zero.
      const cross = await postGraphQL<{
        government: {
          league: {
            notReported: { organisationId: string; reason: string }[];
            rows: { organisationId: string }[];
          };
          progress: { organisations: { organisationId: string; answered: boolean }[] };
        };
      }>(
        gateway.url,
        '{ government { league(indicator: "ss-payroll-accuracy") { rows { organisationId } notReported { organisationId reason } } progress { organisations { organisationId answered } } } }',
      );
      expect(
        cross.errors?.filter((e) => e.extensions?.code !== 'SUBGRAPH_UNAVAILABLE'),
        JSON.stringify(cross.errors),
      ).toEqual([]);
      const { league, progress } = cross.data!.government;
      expect(league.notReported).toContainEqual({
        organisationId: 'matrix',
        reason: 'its subgraph did not answer',
      });
      expect(league.rows.map((r) => r.organisationId)).not.toContain('matrix');
      expect(progress.organisations.find((o) => o.organisationId === 'matrix')!.answered).toBe(
        false,
      );
      expect(progress.organisations.find((o) => o.organisationId === 'synergy')!.answered).toBe(
        true,
      );
    } finally {
      await gateway.stop();
    }
  });

  it('answers within the subgraph timeout plus a small margin when one subgraph hangs', async () => {
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => sockets.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as { port: number };
    const timeoutMs = 1000;
    const gateway = await gatewayWith({ unity: `http://127.0.0.1:${port}/graphql` }, timeoutMs);
    try {
      await postGraphQL(gateway.url, '{ organisations { id } }'); // warm the gateway's plan cache
      const started = performance.now();
      const { data, errors } = await postGraphQL<UniformData>(gateway.url, UNIFORM_QUERY);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
      expect(elapsed).toBeLessThan(timeoutMs + 1500);
      expect(data!.organisations.find((o) => o.id === 'unity')!.indicators).toBeNull();
      expect(data!.organisations.find((o) => o.id === 'norfolk')!.indicators).not.toBeNull();
      expect(errors![0]!.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'unity',
        reason: 'TIMEOUT',
      });
    } finally {
      await gateway.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('masks an unexpected subgraph failure as INTERNAL_SERVER_ERROR without internals', async () => {
    // A subgraph whose database has gone away fails in a way no client should see the details of.
    const { startOrganisationSubgraph } = await import('@crossgov/organisation');
    const publisher = findPublisher(graph.registry, 'defence');
    const schema = freshSchemaName('defence');
    const broken = await startOrganisationSubgraph({
      publisher,
      organisations: organisationsOf(graph.registry, publisher),
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schema,
      port: 0,
      seed: false,
    });
    await broken.database.close();
    const gateway = await gatewayWith({ defence: broken.url });
    try {
      const { data, errors } = await postGraphQL<UniformData>(gateway.url, UNIFORM_QUERY);
      expect(data!.organisations.find((o) => o.id === 'synergy')!.services).not.toBeNull();
      const defenceErrors = errors!.filter((e) => e.extensions?.serviceName === 'defence');
      expect(defenceErrors.length).toBeGreaterThan(0);
      for (const error of defenceErrors) {
        expect(error).toMatchObject({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      }
      expect(JSON.stringify(errors)).not.toMatch(/127\.0\.0\.1|stacktrace|postgres|select/i);
    } finally {
      await gateway.stop();
      await broken.stop().catch(() => undefined);
      await dropSchemas(schema);
    }
  });
});
