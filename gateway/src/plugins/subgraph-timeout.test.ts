import { type Server, createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimedDataSource } from './subgraph-timeout.ts';

// A garbage collection during a subgraph call once took its deadline away: AbortSignal.any holds
// its sources weakly, as AbortSignal.timeout's own timer does, so the call waited as long as the
// subgraph did (bench:faults saw a 2 s timeout answered after 4 s). This collects garbage during a
// call to a subgraph that answers only after 3 s, and expects the 200 ms deadline to have ended it.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe("a subgraph call's deadline", () => {
  let slow: Server;
  let url: string;
  beforeAll(async () => {
    slow = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}'), 3000).unref();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/graphql`;
  });
  afterAll(() => {
    slow.closeAllConnections();
    slow.close();
  });

  it('ends the call when garbage is collected while it waits, naming the subgraph and the timeout', async () => {
    const source = new TimedDataSource('unity', url, 200);
    // Every gateway request carries its own signal (its deadline, its caller), combined with the call's.
    const request = new AbortController();
    const call = source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: '{ __typename }' }, context: { signal: request.signal } } as never);
    for (const wait of [20, 50, 100]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      gc();
    }
    const answer = await call;
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'unity', reason: 'TIMEOUT' });
  });
});
