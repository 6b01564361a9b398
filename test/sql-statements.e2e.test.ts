import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, UNIFORM_QUERY, startTestGraph } from '@crossgov/testing/graph';

/** SQL statements each subgraph runs for one uniform query through the gateway. */
async function statementsPerSubgraph(graph: TestGraph): Promise<Record<string, number>> {
  const before = new Map(
    [...graph.organisations].map(([id, org]) => [id, org.database.statements.count]),
  );
  const directoryBefore = graph.directory.database.statements.count;
  const { errors } = await graph.query(UNIFORM_QUERY);
  expect(errors).toBeUndefined();
  const counts: Record<string, number> = {
    directory: graph.directory.database.statements.count - directoryBefore,
  };
  for (const [id, org] of graph.organisations)
    counts[id] = org.database.statements.count - before.get(id)!;
  return counts;
}

describe(`SQL statements per request on ${STORAGE}`, () => {
  const graphs: TestGraph[] = [];
  let small: Record<string, number>;
  let large: Record<string, number>;

  beforeAll(async () => {
    const ten = await startTestGraph({ serviceCount: 10 });
    graphs.push(ten);
    small = await statementsPerSubgraph(ten);
    const twoHundred = await startTestGraph({ serviceCount: 200 });
    graphs.push(twoHundred);
    large = await statementsPerSubgraph(twoHundred);
    // Sanity: the department really does report on 20 times as many services in the second graph.
    const { data } = await twoHundred.query<{ hmrc: { services: unknown[] } }>(
      '{ hmrc { services { id } } }',
    );
    expect(data!.hmrc.services).toHaveLength(200);
  });
  afterAll(async () => {
    for (const graph of graphs) await graph.stop();
  });

  it('is the same for 10 and for 200 services in every subgraph', () => {
    expect(large).toEqual(small);
  });

  it('is a small constant: one statement per list the query asks for', () => {
    // The data version, then services, indicators, measurements (one batch), milestones: four lists
    // for the uniform query, each read once and then kept until the organisation's data changes.
    expect(small.hmrc).toBe(5);
    expect(small.directory).toBeLessThanOrEqual(1);
  });
});
