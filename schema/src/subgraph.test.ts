import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { describe, expect, it } from 'vitest';
import { type Principal, Scope, issueToken } from './auth.ts';
import { DATA_VERSION_HEADER, WANT_DATA_VERSION_HEADER } from './data-version.ts';
import { SUBGRAPH_LIMITS } from './limits/settings.ts';
import {
  type SubgraphRequest,
  createSubgraphApollo,
  startSubgraph,
  subgraphRequests,
} from './subgraph.ts';

// Apollo Server loads graphql's CommonJS build; build the schema with the same copy.
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

const SDL = 'type Query { hello: String } type Mutation { touch: Boolean }';
const auth = { secret: 'subgraph-skeleton-secret-'.padEnd(40, 's') };

/** A subgraph's server as a subgraph builds it, answering `hello` with the caller's subject. */
function helloServer(options: { development?: boolean } = {}) {
  const { today, principalOf } = subgraphRequests({ auth, today: () => '2025-01-31' });
  const server = createSubgraphApollo<{ principal: Principal }>({
    schema: buildSchema(SDL),
    limits: { ...SUBGRAPH_LIMITS },
    development: options.development,
    dataVersion: () => `v.${today()}`,
  });
  const context = async (request?: SubgraphRequest) => ({ principal: await principalOf(request) });
  return { server, context };
}

/** Something a start opens, real enough to be seen closed: a listening socket. */
async function openSocket(
  name: string,
  closed: string[],
): Promise<{ socket: Server; close(): Promise<void> }> {
  const socket = createServer();
  await new Promise<void>((resolve) => socket.listen(0, '127.0.0.1', resolve));
  return {
    socket,
    close: async () => {
      closed.push(name);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

const freePort = async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};

describe('the Apollo Server every subgraph is built with', () => {
  it('refuses introspection and an anonymous mutation outside development', async () => {
    const { server, context } = helloServer();
    await server.start();
    try {
      const run = async (query: string) => {
        const response = await server.executeOperation(
          { query },
          { contextValue: await context() },
        );
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        return response.body.singleResult;
      };
      expect((await run('{ __schema { queryType { name } } }')).errors?.[0]?.message).toMatch(
        /introspection/i,
      );
      expect((await run('mutation { touch }')).errors?.[0]?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await server.stop();
    }
  });

  it('reads the caller from the token it verifies itself: anonymous without one, refused with a forged one', async () => {
    const { context } = helloServer();
    expect((await context()).principal.anonymous).toBe(true);
    const token = await issueToken(auth, {
      subject: 'ana',
      organisation: 'norfolk',
      scopes: [Scope.WRITE],
      expiresIn: '5m',
    });
    expect(
      (await context({ req: { headers: { authorization: `Bearer ${token}` } } })).principal,
    ).toMatchObject({ subject: 'ana', anonymous: false });
    const forged = await issueToken(
      { secret: 'x'.repeat(40) },
      { subject: 'ana', organisation: 'norfolk', scopes: [], expiresIn: '5m' },
    );
    await expect(
      context({ req: { headers: { authorization: `Bearer ${forged}` } } }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('starting a subgraph', () => {
  it('listens before it prepares, names the phase at /readyz, and serves GraphQL with its data version once prepared', async () => {
    let prepared!: () => void;
    const preparing = new Promise<void>((resolve) => (prepared = resolve));
    let migrating!: () => void;
    const inPhase = new Promise<void>((resolve) => (migrating = resolve));
    const port = await freePort();
    const starting = startSubgraph({ service: 'skeleton', port }, async (startup) => {
      startup.phase('migrating');
      migrating();
      await preparing;
      const { server, context } = helloServer();
      return { serving: { apollo: server, context }, started: { prepared: true } };
    });
    await inPhase;
    const base = `http://127.0.0.1:${port}/`;
    const readyz = await fetch(`${base}readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({
      status: 'not ready',
      service: 'skeleton',
      phase: 'migrating',
    });
    expect((await fetch(`${base}graphql`, { method: 'POST' })).status).toBe(503);

    prepared();
    const running = await starting;
    try {
      expect(running).toMatchObject({ url: `${base}graphql`, prepared: true });
      expect((await fetch(`${base}readyz`)).status).toBe(200);
      const answer = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WANT_DATA_VERSION_HEADER]: '1' },
        body: JSON.stringify({ query: '{ hello }' }),
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get(DATA_VERSION_HEADER)).toBe('v.2025-01-31');
    } finally {
      await running.stop();
    }
  });

  it('closes what it opened, last opened first, and lets the port go when a start fails', async () => {
    const closed: string[] = [];
    const port = await freePort();
    let opened: { socket: Server }[] = [];
    const failing = startSubgraph({ service: 'skeleton', port }, async (startup) => {
      opened = [
        startup.opened(await openSocket('database', closed)),
        startup.opened(await openSocket('cache', closed)),
      ];
      throw new Error('the sync failed');
    });
    await expect(failing).rejects.toThrow('the sync failed');
    expect(closed).toEqual(['cache', 'database']);
    expect(opened.map((o) => o.socket.listening)).toEqual([false, false]);
    // The port is free again: a second start on it serves.
    const running = await startSubgraph({ service: 'skeleton', port }, async () => {
      const { server, context } = helloServer();
      return { serving: { apollo: server, context }, started: {} };
    });
    await running.stop();
  });

  it('stops serving first, then closes what it opened', async () => {
    const closed: string[] = [];
    const running = await startSubgraph({ service: 'skeleton', port: 0 }, async (startup) => {
      const database = startup.opened(await openSocket('database', closed));
      const { server, context } = helloServer();
      return { serving: { apollo: server, context }, started: { database } };
    });
    expect(running.database.socket.listening).toBe(true);
    await running.stop();
    expect(closed).toEqual(['database']);
    expect(running.database.socket.listening).toBe(false);
    await expect(fetch(running.url, { method: 'POST' })).rejects.toThrow();
  });
});
