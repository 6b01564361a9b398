import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway } from '@crossgov/gateway';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, UNIFORM_QUERY, startTestGraph } from '@crossgov/testing/graph';
import { type TcpProxy, startTcpProxy } from '@crossgov/testing/proxy';

/** The deadline of each subgraph call on the gateway under test: a hung directory costs this, until the breaker opens. */
const TIMEOUT_MS = 1500;
const BANNER =
  'The directory of organisations could not be reached; organisations and memberships are as of';

interface Answer {
  status: number;
  ms: number;
  data?: { organisations: { id: string; name: string }[] } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { stale?: { subgraph: string; asOf: string; message: string }[] };
}

async function post(url: string, query: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<Answer, 'status' | 'ms'>;
  return { status: response.status, ms: performance.now() - started, ...body };
}

async function overview(baseUrl: string): Promise<{ status: number; html: string }> {
  const response = await fetch(new URL('/', baseUrl));
  return { status: response.status, html: await response.text() };
}

describe(`the gateway while the directory is down, on ${STORAGE}`, () => {
  let graph: TestGraph;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    graph = await startTestGraph();
    // Every subgraph here shares this process's event loop, which starting the graph (seeding,
    // composing) has just held for seconds: their admission control refuses work (503) until that
    // lag has passed. A busy directory is answered from memory too, so wait for it before warming.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
      if (!(await graph.query('{ publishers { id } }')).errors) break;
    }
  });
  afterEach(async () => {
    await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
  });
  afterAll(async () => {
    await graph?.stop();
  });

  /** A second gateway whose directory is behind a proxy the test can stop or hang; the graph's own gateway is left alone. */
  async function gatewayBehindProxy(): Promise<{ proxy: TcpProxy; url: string; baseUrl: string }> {
    const proxy = await startTcpProxy(graph.subgraphUrls.directory!);
    cleanups.push(proxy.close);
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, directory: proxy.url },
      subgraphTimeoutMs: TIMEOUT_MS,
      lastGood: { breakerResetMs: 2000 },
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    cleanups.unshift(gateway.stop);
    return { proxy, url: gateway.url, baseUrl: gateway.baseUrl };
  }

  /** The uniform query and the Overview answered once with the directory up: what the gateway will remember. */
  async function warm(url: string, baseUrl: string): Promise<Answer> {
    const fresh = await post(url, UNIFORM_QUERY);
    expect(fresh.errors).toBeUndefined();
    expect(fresh.extensions?.stale).toBeUndefined();
    const page = await overview(baseUrl);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(BANNER);
    return fresh;
  }

  function expectStale(answer: Answer, fresh: Answer) {
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(fresh.data);
    expect(answer.extensions?.stale).toEqual([
      {
        subgraph: 'directory',
        asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        message: expect.stringContaining('directory'),
      },
    ]);
    expect(Date.parse(answer.extensions!.stale![0]!.asOf)).toBeLessThanOrEqual(Date.now());
  }

  it('answers the uniform query and the Overview from the last good directory answers, marked stale, when the directory is stopped', async () => {
    const { proxy, url, baseUrl } = await gatewayBehindProxy();
    const fresh = await warm(url, baseUrl);
    await proxy.set('refuse');
    expectStale(await post(url, UNIFORM_QUERY), fresh);
    const page = await overview(baseUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain(BANNER);
    expect(page.html).toMatch(
      /<time datetime="\d{4}-[^"]+Z">\d{1,2}:\d\d[ap]m UTC on \d{1,2} [A-Z][a-z]+ \d{4}<\/time>/,
    );
    // The rest of the page is the publishers' answers as usual.
    expect(page.html).toContain('Latest figure of each standard indicator by organisation');
  });

  it('stops waiting for a hung directory after the first few calls: later answers are stale at once', async () => {
    const { proxy, url, baseUrl } = await gatewayBehindProxy();
    const fresh = await warm(url, baseUrl);
    await proxy.set('hang');
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await post(url, UNIFORM_QUERY));
    for (const answer of answers) expectStale(answer, fresh);
    expect(answers[0]!.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(answers.slice(4).map((a) => a.ms < 1000)).toEqual([true, true]);
    const started = performance.now();
    const page = await overview(baseUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain(BANNER);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('answers fresh again once the directory is back, without a restart, with what changed meanwhile', async () => {
    const { proxy, url, baseUrl } = await gatewayBehindProxy();
    const fresh = await warm(url, baseUrl);
    await proxy.set('refuse');
    for (let i = 0; i < 4; i++) expectStale(await post(url, UNIFORM_QUERY), fresh);
    const db = graph.directory.database.db;
    await db.execute(
      sql`update organisations set name = 'Synergy Cluster (renamed)' where id = 'synergy'`,
    );
    cleanups.push(
      async () =>
        void (await db.execute(
          sql`update organisations set name = 'Synergy' where id = 'synergy'`,
        )),
    );
    expectStale(await post(url, UNIFORM_QUERY), fresh);
    await proxy.set('pass');
    let answer = await post(url, UNIFORM_QUERY);
    for (const deadline = Date.now() + 10_000; answer.extensions?.stale && Date.now() < deadline;) {
      await sleep(200);
      answer = await post(url, UNIFORM_QUERY);
    }
    expect(answer.extensions?.stale).toBeUndefined();
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.organisations.find((o) => o.id === 'synergy')!.name).toBe(
      'Synergy Cluster (renamed)',
    );
    const page = await overview(baseUrl);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(BANNER);
    expect(page.html).toContain('Synergy Cluster (renamed)');
  });

  it('answers a query it never had an answer to with the usual SUBGRAPH_UNAVAILABLE error naming the directory, and invents nothing', async () => {
    const { proxy, url, baseUrl } = await gatewayBehindProxy();
    await warm(url, baseUrl);
    await proxy.set('refuse');
    // Before the breaker opens (a failed call) and after (no call at all), the same answer.
    for (let i = 0; i < 5; i++) {
      const answer = await post(url, '{ publishers { id name } }');
      expect(answer.data ?? null, `request ${i + 1}`).toBeNull();
      expect(answer.extensions?.stale).toBeUndefined();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]!.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'directory',
        reason: 'UNREACHABLE',
      });
      expect(answer.errors![0]!.message).toContain('"directory"');
    }
  });
});
