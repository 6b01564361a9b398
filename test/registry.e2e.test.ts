import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '@crossgov/schema';
import { type TestGraph, UNIFORM_QUERY, startTestGraph } from './utils/graph.ts';
import { fetchesOf, planFor } from './utils/plan.ts';

describe('adding an organisation to the registry', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    // A copy of the registry with one more department: an entry, no code.
    const registry = loadRegistry();
    const copy = {
      ...registry,
      organisations: [
        ...registry.organisations,
        { id: 'dwp', name: 'Department for Work and Pensions', kind: 'DEPARTMENT', lead: 'DWP', members: [], subgraph: { url: 'http://127.0.0.1:4199/graphql' }, seed: { profile: 'department' } },
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
    expect(fetchesOf(plan.node).filter((name) => name !== 'directory').sort()).toEqual(graph.registry.organisations.map((o) => o.id).sort());
    expect(fetchesOf(plan.node)).toContain('dwp');
  });

  it('serves the new organisation through the gateway', async () => {
    const { data, errors } = await graph.query<{ organisations: { id: string; kind: string; services: unknown[] | null }[] }>(UNIFORM_QUERY);
    expect(errors).toBeUndefined();
    const dwp = data!.organisations.find((o) => o.id === 'dwp')!;
    expect(dwp.kind).toBe('DEPARTMENT');
    expect(dwp.services).toHaveLength(4);
  });
});
