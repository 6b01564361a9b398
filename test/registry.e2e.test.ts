import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '@crossgov/gateway';
import { loadRegistry } from '@crossgov/schema';
import { composeRegistry } from '@crossgov/scripts';
import { pino } from 'pino';
import {
  type TestGraph,
  UNIFORM_QUERY,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { fetchesOf, planFor } from '@crossgov/testing/plan';

describe('adding an organisation to the registry', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    // A copy of the registry with one more department: an entry, no code.
    const registry = loadRegistry();
    const copy = {
      ...registry,
      organisations: [
        ...registry.organisations,
        {
          id: 'dwp',
          name: 'Department for Work and Pensions',
          kind: 'DEPARTMENT',
          lead: 'DWP',
          members: [],
          subgraph: { url: 'http://127.0.0.1:4199/graphql' },
          seed: { profile: 'department' },
        },
      ],
    };
    const path = join(mkdtempSync(join(tmpdir(), 'crossgov-registry-')), 'registry.json');
    writeFileSync(path, JSON.stringify(copy));
    graph = await startTestGraph({ registry: loadRegistry(path) });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('composes a supergraph with the new entity type implementing Organisation', () => {
    expect(graph.supergraphSdl).toMatch(/type DwpDepartment implements Organisation/);
    expect(graph.supergraphSdl).toMatch(/DWP @join__graph\(name: "dwp"/);
  });

  it('includes the new subgraph in the fan-out of the uniform query', () => {
    const plan = planFor(graph.supergraphSdl, UNIFORM_QUERY);
    expect(
      fetchesOf(plan.node)
        .filter((name) => name !== 'directory')
        .sort(),
    ).toEqual(graph.registry.organisations.map((o) => o.id).sort());
    expect(fetchesOf(plan.node)).toContain('dwp');
  });

  it('serves the new organisation through the gateway', async () => {
    const { data, errors } = await graph.query<{
      organisations: { id: string; kind: string; services: unknown[] | null }[];
    }>(UNIFORM_QUERY);
    expect(errors).toBeUndefined();
    const dwp = data!.organisations.find((o) => o.id === 'dwp')!;
    expect(dwp.kind).toBe('DEPARTMENT');
    expect(dwp.services).toHaveLength(4);
  });
});

describe('the gateway reloading the supergraph file', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    const registry = loadRegistry();
    const copy = {
      ...registry,
      organisations: [
        ...registry.organisations,
        {
          id: 'dfe',
          name: 'Department for Education',
          kind: 'DEPARTMENT',
          lead: 'DFE',
          members: [],
          subgraph: { url: 'http://127.0.0.1:4198/graphql' },
          seed: { profile: 'department' },
        },
      ],
    };
    const path = join(mkdtempSync(join(tmpdir(), 'crossgov-registry-')), 'registry.json');
    writeFileSync(path, JSON.stringify(copy));
    graph = await startTestGraph({ registry: loadRegistry(path) });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('picks up a newly composed organisation without dropping requests', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crossgov-supergraph-')), 'supergraph.graphql');
    writeFileSync(path, (await composeRegistry(loadRegistry())).supergraphSdl); // without dfe
    const gateway = await startGateway({
      supergraphPath: path,
      subgraphUrls: graph.subgraphUrls,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    try {
      const dfeQuery =
        '{ organisation(id: "dfe") { id ... on DfeDepartment { services { id } } } }';
      const before = await postGraphQL(gateway.url, dfeQuery);
      expect(before.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

      // Keep clients busy while the file changes under the gateway.
      let stop = false;
      const failures: unknown[] = [];
      let answered = 0;
      const traffic = (async () => {
        while (!stop) {
          const r = await postGraphQL<{ organisations: unknown[] }>(
            gateway.url,
            '{ organisations(kind: CLUSTER) { id name } }',
          );
          if (r.errors || r.data?.organisations.length !== 5) failures.push(r);
          answered += 1;
        }
      })();
      writeFileSync(path, graph.supergraphSdl);
      const deadline = Date.now() + 10_000;
      let after = await postGraphQL<{ organisation: { id: string; services: unknown[] } }>(
        gateway.url,
        dfeQuery,
      );
      while (after.errors && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await postGraphQL(gateway.url, dfeQuery);
      }
      stop = true;
      await traffic;
      expect(after.errors).toBeUndefined();
      expect(after.data!.organisation.services).toHaveLength(4);
      expect(answered).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });
});
