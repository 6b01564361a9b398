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
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"data":{"__typename":"Query"}}'),
        3000,
      ).unref();
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
    const call = source.process({
      kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
      request: { query: '{ __typename }' },
      context: { signal: request.signal },
    } as never);
    for (const wait of [20, 50, 100]) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      gc();
    }
    const answer = await call;
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      subgraph: 'unity',
      reason: 'TIMEOUT',
    });
  });
});

// Identical reads in flight at once are sent once (issue 17): what may be shared, and what never is.
describe('identical subgraph calls in flight at once', () => {
  let server: Server;
  let url: string;
  /** Each call the subgraph received: its query, token, and whether its caller hung up before the answer. */
  let received: { query: string; authorization: string | undefined; closedEarly: boolean }[];
  /** Answers held until released, so that calls overlap. */
  let release: (() => void)[];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const call = {
          query: (JSON.parse(body) as { query: string }).query,
          authorization: req.headers.authorization,
          closedEarly: false,
        };
        received.push(call);
        res.on('close', () => (call.closedEarly = !res.writableFinished));
        release.push(() =>
          res
            .writeHead(200, {
              'content-type': 'application/json',
              'crossgov-data-version': '7.2.2026-12-02',
            })
            .end(JSON.stringify({ data: { organisations: [{ id: 'synergy' }] } })),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const READ = 'query Uniform__directory__0{organisations{id}}';
  const ask = (source: TimedDataSource, query: string, context: Record<string, unknown> = {}) =>
    source.process({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request: { query, variables: {} },
      context,
    } as never);
  /** Waits until the subgraph has received `n` calls, then answers them all. */
  const answerWhen = async (n: number) => {
    while (received.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50)); // any call that would wrongly be sent twice arrives too
    release.splice(0).forEach((answer) => answer());
  };

  it('sends anonymous reads once and gives each request an answer of its own', async () => {
    received = [];
    release = [];
    const source = new TimedDataSource('directory', url, 5000);
    const answers = Promise.all([ask(source, READ), ask(source, READ), ask(source, READ)]);
    await answerWhen(1);
    const [a, b, c] = await answers;
    expect(received).toHaveLength(1);
    expect([a, b, c].map((x) => x.data)).toEqual(
      Array(3).fill({ organisations: [{ id: 'synergy' }] }),
    );
    // The gateway merges later calls' answers into the objects it parsed: no request may see another's.
    (a.data!.organisations as { id: string; name?: string }[])[0]!.name = 'changed by one request';
    expect(b.data).toEqual({ organisations: [{ id: 'synergy' }] });
  });

  it('never shares a call between callers with different tokens, nor sends a mutation once for two', async () => {
    received = [];
    release = [];
    const source = new TimedDataSource('directory', url, 5000);
    const MUTATION = 'mutation Rename__directory__0{rename(id:"synergy"){id}}';
    const answers = Promise.all([
      ask(source, READ),
      ask(source, READ, { token: 'owner-token' }),
      ask(source, READ, { token: 'other-token' }),
      ask(source, MUTATION),
      ask(source, MUTATION),
    ]);
    await answerWhen(5);
    await answers;
    expect(received.map((r) => r.authorization).sort()).toEqual([
      'Bearer other-token',
      'Bearer owner-token',
      undefined,
      undefined,
      undefined,
    ]);
    expect(received.filter((r) => r.query === MUTATION)).toHaveLength(2);
  });

  it('keeps a shared call going for the requests still waiting when one leaves, and ends it when the last one has', async () => {
    received = [];
    release = [];
    const source = new TimedDataSource('directory', url, 5000);
    const leaving = new AbortController();
    const staying = ask(source, READ);
    const left = ask(source, READ, { signal: leaving.signal, pastDeadline: () => true });
    while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    leaving.abort();
    expect((await left).errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'DEADLINE',
    });
    await answerWhen(1);
    expect((await staying).data).toEqual({ organisations: [{ id: 'synergy' }] });
    expect(received).toHaveLength(1);

    // A call whose every waiting request has gone is cancelled: the subgraph sees its caller hang up.
    received = [];
    const gone = [new AbortController(), new AbortController()];
    const both = gone.map((c) => ask(source, READ, { signal: c.signal }));
    while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    gone.forEach((c) => c.abort());
    for (const answer of await Promise.all(both))
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'CALLER_GONE',
      });
    await expect.poll(() => received[0]!.closedEarly).toBe(true);
    release.splice(0);
  });
});

describe('a request with many subgraph calls at once', () => {
  it('listens to its signal once, however many calls wait on it (Node warns of a leak past ten listeners)', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        setTimeout(
          () =>
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end('{"data":{"__typename":"Query"}}'),
          50,
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    try {
      const request = new AbortController();
      const sources = Array.from(
        { length: 24 },
        (_, i) => new TimedDataSource(`publisher-${i}`, url, 5000),
      );
      const answers = await Promise.all(
        sources.map((source) =>
          source.process({
            kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
            request: { query: '{ __typename }' },
            context: { signal: request.signal },
          } as never),
        ),
      );
      expect(answers.map((a) => a.data)).toEqual(Array(24).fill({ __typename: 'Query' }));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', warned);
      server.closeAllConnections();
      server.close();
    }
  });
});
