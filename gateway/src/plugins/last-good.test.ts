import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayContext } from './auth.ts';
import { LastGoodDataSource } from './last-good-source.ts';
import { LastGoodAnswers, markStale, staleAnswersOf, staleAnswersPlugin } from './last-good.ts';

describe('last good answers', () => {
  it('recalls an answer with when it was given, as a copy the caller may change', () => {
    const answers = new LastGoodAnswers<{ data: { organisations: { id: string }[] } }>({
      maxBytes: 1024,
    });
    answers.remember(
      'k',
      { data: { organisations: [{ id: 'synergy' }] } },
      new Date('2026-11-21T09:30:00Z'),
    );
    const first = answers.recall('k')!;
    expect(first).toEqual({
      answer: { data: { organisations: [{ id: 'synergy' }] } },
      asOf: '2026-11-21T09:30:00.000Z',
    });
    first.answer.data.organisations.push({ id: 'matrix' });
    expect(answers.recall('k')!.answer.data.organisations).toEqual([{ id: 'synergy' }]);
    expect(answers.recall('other')).toBeUndefined();
  });

  it('keys a query by its document and variables, and never keys a mutation', () => {
    expect(LastGoodAnswers.keyOf('query Q__directory__0{organisations{id}}', undefined)).toBe(
      JSON.stringify(['query Q__directory__0{organisations{id}}', {}]),
    );
    expect(LastGoodAnswers.keyOf('{ organisations { id } }', { a: 1 })).not.toBe(
      LastGoodAnswers.keyOf('{ organisations { id } }', { a: 2 }),
    );
    expect(LastGoodAnswers.keyOf('mutation M{rename(id:"x")}', undefined)).toBeNull();
    expect(LastGoodAnswers.keyOf(undefined, undefined)).toBeNull();
  });

  it('forgets the least recently used answers beyond its bound in bytes, and keeps none bigger than the bound', () => {
    const answers = new LastGoodAnswers<{ text: string }>({ maxBytes: 100 });
    answers.remember('a', { text: 'x'.repeat(30) }); // 1 + 41 bytes
    answers.remember('b', { text: 'y'.repeat(30) });
    expect(answers.size).toBe(2);
    answers.recall('a'); // b is now the least recently used
    answers.remember('c', { text: 'z'.repeat(30) });
    expect(
      [answers.recall('a'), answers.recall('b'), answers.recall('c')].map((r) => r !== undefined),
    ).toEqual([true, false, true]);
    expect(answers.bytes).toBeLessThanOrEqual(100);
    answers.remember('d', { text: 'w'.repeat(200) });
    expect(answers.recall('d')).toBeUndefined();
  });
});

describe('the stale marks of a request', () => {
  it('names each subgraph once, with the oldest answer it used', () => {
    const context = {};
    markStale(context, 'directory', '2026-11-21T10:00:00.000Z');
    markStale(context, 'directory', '2026-11-21T09:00:00.000Z');
    markStale(context, 'directory', '2026-11-21T11:00:00.000Z');
    expect(staleAnswersOf(context)).toEqual([
      {
        subgraph: 'directory',
        asOf: '2026-11-21T09:00:00.000Z',
        message: expect.stringContaining('2026-11-21T09:00:00.000Z'),
      },
    ]);
    expect(staleAnswersOf({})).toEqual([]);
  });

  it('are sent as extensions.stale, with the answer and no error', async () => {
    const server = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { name: String fresh: String }',
      resolvers: {
        Query: {
          name: (_parent: unknown, _args: unknown, context: GatewayContext) => {
            markStale(context, 'directory', '2026-11-21T09:00:00.000Z');
            return 'Synergy';
          },
          fresh: () => 'yes',
        },
      },
      plugins: [staleAnswersPlugin()],
    });
    const run = async (query: string) => {
      const response = await server.executeOperation(
        { query },
        { contextValue: { principal: { anonymous: true } as never, token: null } },
      );
      return response.body.kind === 'single' ? response.body.singleResult : null;
    };
    expect(await run('{ name }')).toMatchObject({
      data: { name: 'Synergy' },
      extensions: { stale: [{ subgraph: 'directory', asOf: '2026-11-21T09:00:00.000Z' }] },
    });
    expect((await run('{ name }'))?.errors).toBeUndefined();
    expect((await run('{ fresh }'))?.extensions).toBeUndefined();
    await server.stop();
  });
});

describe('the directory data source with last good answers', () => {
  const QUERY = 'query Uniform__directory__0{organisations{__typename id name}}';
  const DATA = {
    organisations: [{ __typename: 'SynergyCluster', id: 'synergy', name: 'Synergy' }],
  };
  let directory: 'up' | 'down' | 'busy' | 'errors';
  let calls: number;

  // A directory on a loopback port that answers, errs, sheds load (503) or drops the connection, as told.
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      calls += 1;
      req.resume();
      if (directory === 'down') {
        req.socket.destroy();
        return;
      }
      const [status, body] =
        directory === 'busy'
          ? [503, { errors: [{ message: 'busy', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }]
          : [
              200,
              directory === 'up'
                ? { data: DATA }
                : { data: null, errors: [{ message: 'no', extensions: { code: 'NOT_FOUND' } }] },
            ];
      req.on('end', () =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    directory = 'up';
    calls = 0;
  });

  const source = (options: { breakerMinCalls?: number; breakerResetMs?: number } = {}) =>
    new LastGoodDataSource('directory', url, 1000, options);
  const ask = (dataSource: LastGoodDataSource, query = QUERY, context: object = {}) =>
    dataSource.process({
      kind: 'incoming operation',
      request: { query, variables: {} },
      context,
      incomingRequestContext: {},
    } as unknown as GraphQLDataSourceProcessOptions<Partial<GatewayContext>>);

  it('answers from the last good answer while the directory cannot be reached, and marks the request stale with its time', async () => {
    const dataSource = source();
    const fresh = await ask(dataSource);
    expect(fresh.data).toEqual(DATA);
    directory = 'down';
    const context = {};
    const stale = await ask(dataSource, QUERY, context);
    expect(stale).toEqual({ data: DATA });
    expect(staleAnswersOf(context)).toEqual([
      {
        subgraph: 'directory',
        asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        message: expect.any(String),
      },
    ]);
  });

  it('keeps the answers the gateway gives it when the data source is built again (a reloaded supergraph)', async () => {
    const answers = new LastGoodAnswers<GatewayGraphQLResponse>({ maxBytes: 1 << 20 });
    await ask(new LastGoodDataSource('directory', url, 1000, { answers }));
    directory = 'down';
    const rebuilt = new LastGoodDataSource('directory', url, 1000, { answers });
    expect(await ask(rebuilt)).toEqual({ data: DATA });
  });

  it('never remembers an answer with errors, nor a mutation: those get the usual SUBGRAPH_UNAVAILABLE error', async () => {
    const dataSource = source();
    directory = 'errors';
    await ask(dataSource);
    directory = 'up';
    await ask(dataSource, 'mutation Rename__directory__0{rename(id:"synergy"){id}}');
    directory = 'down';
    for (const query of [QUERY, 'mutation Rename__directory__0{rename(id:"synergy"){id}}']) {
      const context = {};
      const answer = await ask(dataSource, query, context);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'directory',
        reason: 'UNREACHABLE',
      });
      expect(staleAnswersOf(context)).toEqual([]);
    }
    expect(dataSource.answers.size).toBe(0);
  });

  it('answers from the last good answer while the directory sheds load (503), and keeps the busy error for a query never answered', async () => {
    const dataSource = source();
    await ask(dataSource);
    directory = 'busy';
    const context = {};
    expect(await ask(dataSource, QUERY, context)).toEqual({ data: DATA });
    expect(staleAnswersOf(context)).toHaveLength(1);
    const unknown = await ask(dataSource, 'query Other__directory__0{publishers{id}}');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      subgraph: 'directory',
      reason: 'SUBGRAPH_BUSY',
    });
  });

  it('neither answers from memory nor counts against the directory a call its own request cut short', async () => {
    const dataSource = source({ breakerMinCalls: 1 });
    await ask(dataSource);
    const context = { signal: AbortSignal.abort(), pastDeadline: () => true };
    const answer = await ask(dataSource, QUERY, context);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      subgraph: 'directory',
      reason: 'DEADLINE',
    });
    expect(staleAnswersOf(context)).toEqual([]);
    expect(dataSource.breaker.closed).toBe(true);
  });

  it('stops calling a directory that keeps failing, answering at once, and lets one call through after the reset time', async () => {
    const dataSource = source({ breakerMinCalls: 3, breakerResetMs: 200 });
    await ask(dataSource);
    directory = 'down';
    for (let i = 0; i < 3; i++) await ask(dataSource);
    expect(dataSource.breaker.opened).toBe(true);
    const before = calls;
    const context = {};
    expect(await ask(dataSource, QUERY, context)).toEqual({ data: DATA });
    expect(staleAnswersOf(context)).toHaveLength(1);
    // A query never answered before gets the usual error, without a call.
    const unknown = await ask(dataSource, 'query Other__directory__0{publishers{id}}');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      subgraph: 'directory',
      reason: 'UNREACHABLE',
    });
    expect(calls).toBe(before);
    directory = 'up';
    await sleep(250);
    const probe = {};
    expect(await ask(dataSource, QUERY, probe)).toMatchObject({ data: DATA });
    expect(staleAnswersOf(probe)).toEqual([]);
    expect(calls).toBe(before + 1);
    expect(dataSource.breaker.closed).toBe(true);
  });
});
