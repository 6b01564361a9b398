import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGovernment } from '@crossgov/scripts';
import { startGateway } from '@crossgov/gateway';
import { pino } from 'pino';
import { STORAGE } from '@crossgov/testing/database';
import {
  type TestGraph,
  UNIFORM_QUERY,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { fetchesOf, planFor } from '@crossgov/testing/plan';
import { deadUrl } from '@crossgov/testing/net';

// Publishers (docs/architecture.md, "Publishers"): today's organisations, each its own publisher,
// beside two sector bodies that publish for many organisations from one subgraph and one database.

interface UniformData {
  organisations: {
    id: string;
    name: string;
    kind: string;
    services: { id: string }[] | null;
    indicators: { code: string; latest: { value: number } | null }[] | null;
  }[];
}

const registry = generateGovernment({
  withRegistry: true,
  singles: 0,
  sectors: [
    { id: 'nhs-england', name: 'NHS England', typeName: 'NhsTrust', kind: 'NHS_TRUST', count: 12 },
    {
      id: 'improvement-service',
      name: 'Improvement Service',
      typeName: 'ScottishCouncil',
      kind: 'LOCAL_AUTHORITY',
      count: 5,
    },
  ],
});
const trusts = registry.organisations.filter((o) => o.publisher === 'nhs-england').map((o) => o.id);

describe(`a graph of single- and multi-organisation publishers on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ registry, serviceCount: 2 });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('answers the uniform query for every organisation of every publisher', async () => {
    const { data, errors } = await graph.query<UniformData>(UNIFORM_QUERY);
    expect(errors).toBeUndefined();
    expect(data!.organisations.map((o) => o.id).sort()).toEqual(
      registry.organisations.map((o) => o.id).sort(),
    );
    for (const org of data!.organisations) {
      expect(org.indicators, org.id).not.toBeNull();
      expect(org.indicators!.length, org.id).toBeGreaterThan(0);
    }
    const trust = data!.organisations.find((o) => o.id === 'nhs-england-003')!;
    expect(trust).toMatchObject({ name: 'Nhs Trust 3', kind: 'NHS_TRUST' });
    expect(trust.services).toHaveLength(2);
    // Each trust's own figures, not its neighbour's: the synthetic series differ by organisation.
    const latest = (id: string) =>
      data!.organisations
        .find((o) => o.id === id)!
        .indicators!.find((i) => i.code === 'gds-completion-rate')!.latest!.value;
    expect(latest('nhs-england-001')).not.toBe(latest('nhs-england-002'));
  });

  it('plans the uniform query as one directory fetch, then one fetch per publisher, not per organisation', () => {
    const plan = planFor(graph.supergraphSdl, UNIFORM_QUERY);
    const root = plan.node!;
    expect(root.kind).toBe('Sequence');
    if (root.kind !== 'Sequence') return;
    expect(fetchesOf(root.nodes[0])).toEqual(['directory']);
    expect(fetchesOf(root.nodes[1]).sort()).toEqual(registry.publishers.map((p) => p.id).sort());
    expect(registry.publishers).toHaveLength(10);
  });

  it('lists publishers and whom each serves, and says which publisher serves an organisation', async () => {
    const { data, errors } = await graph.query<{
      publishers: { id: string; typeName: string; own: boolean; organisations: { id: string }[] }[];
      organisation: { publisher: { id: string; name: string } };
    }>(
      '{ publishers { id typeName own organisations { id } } organisation(id: "nhs-england-007") { publisher { id name } } }',
    );
    expect(errors).toBeUndefined();
    const nhs = data!.publishers.find((p) => p.id === 'nhs-england')!;
    expect(nhs).toMatchObject({ typeName: 'NhsTrust', own: false });
    expect(nhs.organisations.map((o) => o.id).sort()).toEqual([...trusts].sort());
    expect(data!.publishers.find((p) => p.id === 'synergy')).toMatchObject({
      typeName: 'SynergyCluster',
      own: true,
      organisations: [{ id: 'synergy' }],
    });
    expect(data!.organisation.publisher).toEqual({ id: 'nhs-england', name: 'NHS England' });
  });

  it("reaches one organisation of a sector body through its publisher's root field, and keeps today's root fields for the others", async () => {
    const { data, errors } = await graph.query<{
      nhsEngland: { id: string; name: string; indicators: { code: string }[] };
      unknown: null;
      synergy: { name: string };
    }>(
      '{ nhsEngland(id: "nhs-england-002") { id name indicators { code } } unknown: nhsEngland(id: "synergy") { id } synergy { name } }',
    );
    expect(errors).toBeUndefined();
    expect(data!.nhsEngland).toMatchObject({ id: 'nhs-england-002', name: 'Nhs Trust 2' });
    expect(data!.nhsEngland.indicators.map((i) => i.code)).toContain('gds-user-satisfaction');
    expect(data!.unknown).toBeNull();
    expect(data!.synergy.name).toBe('Synergy');
  });

  it('queries by kind and by organisation id whatever the publisher', async () => {
    const { data } = await graph.query<{
      organisations: { id: string }[];
      organisation: { id: string; kind: string; scorecard: { indicator: string }[] };
    }>(
      '{ organisations(kind: NHS_TRUST) { id } organisation(id: "improvement-service-002") { id kind scorecard(periods: 3) { indicator } } }',
    );
    expect(data!.organisations.map((o) => o.id).sort()).toEqual([...trusts].sort());
    expect(data!.organisation).toMatchObject({
      id: 'improvement-service-002',
      kind: 'LOCAL_AUTHORITY',
    });
    expect(data!.organisation.scorecard.map((s) => s.indicator)).toContain('gds-completion-rate');
  });

  it('ranks every reporting organisation of every publisher in one league, with scorecards and progress as before', async () => {
    const { data, errors } = await graph.query<{
      government: {
        league: {
          period: string;
          reported: number;
          expected: number;
          rows: { organisationId: string; rank: number }[];
        };
        progress: { organisations: { organisationId: string; answered: boolean }[] };
      };
      organisations: {
        id: string;
        scorecard: { indicator: string; latest: { rag: { status: string } | null } | null }[];
      }[];
    }>(
      '{ government { league(indicator: "gds-completion-rate", period: "2026-06") { period reported expected rows { organisationId rank } } progress(kinds: [NHS_TRUST, CLUSTER]) { organisations { organisationId answered } } } organisations(kind: NHS_TRUST) { id scorecard(periods: 12) { indicator latest { rag { status } } } } }',
    );
    expect(errors).toBeUndefined();
    const { league, progress } = data!.government;
    const departments = registry.organisations
      .filter((o) => o.seed.profile === 'department')
      .map((o) => o.id);
    expect(league.reported).toBe(departments.length);
    expect(league.rows.map((r) => r.organisationId).sort()).toEqual(departments.sort());
    expect(league.rows.map((r) => r.rank)[0]).toBe(1);
    expect(progress.organisations.filter((o) => trusts.includes(o.organisationId))).toHaveLength(
      trusts.length,
    );
    expect(progress.organisations.every((o) => o.answered)).toBe(true);
    for (const trust of data!.organisations)
      expect(
        trust.scorecard.find((s) => s.indicator === 'gds-completion-rate')!.latest!.rag,
        trust.id,
      ).not.toBeNull();
  });

  it('names every organisation a publisher serves when that publisher is down, and the others answer', async () => {
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, 'nhs-england': await deadUrl() },
      subgraphTimeoutMs: 2000,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    try {
      const { data, errors } = await postGraphQL<UniformData>(gateway.url, UNIFORM_QUERY);
      for (const org of data!.organisations) {
        if (trusts.includes(org.id)) expect(org.indicators, org.id).toBeNull();
        else expect(org.indicators, org.id).not.toBeNull();
      }
      expect(errors).toHaveLength(1);
      const [error] = errors!;
      expect(error!.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'nhs-england',
        reason: 'UNREACHABLE',
      });
      expect([...(error!.extensions!.organisations as string[])].sort()).toEqual(
        [...trusts].sort(),
      );
      for (const trust of trusts) expect(error!.message).toContain(trust);
      expect(JSON.stringify(errors)).not.toMatch(/127\.0\.0\.1|localhost/);
    } finally {
      await gateway.stop();
    }
  });
});

describe(`SQL per publisher per request on ${STORAGE}`, () => {
  /** A government of one sector body serving `count` organisations. */
  const shape = (count: number) =>
    generateGovernment({
      singles: 1,
      sectors: [
        { id: 'nhs-england', name: 'NHS England', typeName: 'NhsTrust', kind: 'NHS_TRUST', count },
      ],
    });

  async function statementsFor(graph: TestGraph, query: string): Promise<Record<string, number>> {
    const before = new Map(
      [...graph.publishers].map(([id, p]) => [id, p.database.statements.count]),
    );
    const { errors } = await graph.query(query);
    expect(errors).toBeUndefined();
    return Object.fromEntries(
      [...graph.publishers].map(([id, p]) => [id, p.database.statements.count - before.get(id)!]),
    );
  }

  const SCORECARD =
    '{ organisations { id scorecard(periods: 12) { indicator latest { value rag { status } } } returns { completeness { ratio } } programmes { name milestones { title } } } }';
  let small: Record<string, number>[];
  let large: Record<string, number>[];
  const graphs: TestGraph[] = [];
  beforeAll(async () => {
    for (const count of [10, 500]) {
      // The count of statements is what is measured here, not time: a busy machine must not time it out.
      const graph = await startTestGraph({
        registry: shape(count),
        serviceCount: 1,
        subgraphTimeoutMs: 60_000,
      });
      graphs.push(graph);
      // Each query twice: first with nothing kept, then with every organisation's data unchanged since.
      const counts = [
        await statementsFor(graph, UNIFORM_QUERY),
        await statementsFor(graph, UNIFORM_QUERY),
        await statementsFor(graph, SCORECARD),
        await statementsFor(graph, SCORECARD),
      ];
      if (count === 10) small = counts;
      else large = counts;
    }
  }, 600_000);
  afterAll(async () => {
    for (const graph of graphs) await graph.stop();
  });

  it('is the same for 10 and for 500 organisations of one publisher, for the uniform and the scorecard query', () => {
    expect(large).toEqual(small);
    // The data versions, then services, indicators, latest measurements, milestones: one batched
    // statement each for the uniform query; asked again with nothing changed, the versions alone.
    expect(small[0]!['nhs-england']).toBe(5);
    expect(small[1]!['nhs-england']).toBe(1);
    expect(small[3]!['nhs-england']).toBe(1);
  });

  it('answers for all 500', async () => {
    const { data } = await graphs[1]!.query<{
      organisations: { id: string; indicators: unknown[] | null }[];
    }>('{ organisations(kind: NHS_TRUST) { id indicators { code } } }');
    expect(data!.organisations).toHaveLength(500);
    expect(data!.organisations.every((o) => o.indicators && o.indicators.length === 4)).toBe(true);
  });
});
