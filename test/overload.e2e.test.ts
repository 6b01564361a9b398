import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '@crossgov/gateway';
import { startOrganisationSubgraph } from '@crossgov/organisation';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, TEST_DATABASE_URL } from '@crossgov/testing/database';
import {
  type GraphQLResponse,
  type TestGraph,
  UNIFORM_QUERY,
  startTestGraph,
} from '@crossgov/testing/graph';

// Issue 13, "Load shedding and survivable dependencies": a saturated process answers 503 with
// Retry-After at once rather than queueing everyone into timeouts, an answer cut short by overload
// is a 503 and never a partial one, and the process keeps answering. bench:overload measures the
// same at 1x, 2x and 4x the rate this machine sustains (scripts/bench/RESULTS.md).

let graph: TestGraph;
beforeAll(async () => {
  // A gateway that runs two requests at once and lets two wait, for at most half a second.
  graph = await startTestGraph({
    gateway: {
      admission: { maxConcurrent: 2, maxQueue: 2, maxWaitMs: 500, maxEventLoopDelayMs: 0 },
    },
  });
});
afterAll(() => graph?.stop());

interface Answer {
  status: number;
  retryAfter: string | null;
  body: GraphQLResponse<Record<string, unknown>>;
  ms: number;
}

async function post(url: string, query: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as GraphQLResponse<Record<string, unknown>>;
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body,
    ms: performance.now() - started,
  };
}

describe('a saturated gateway', () => {
  it('answers the excess with 503 and Retry-After, the rest whole, and keeps answering', async () => {
    const answers = await Promise.all(
      Array.from({ length: 24 }, () => post(graph.gatewayUrl, UNIFORM_QUERY)),
    );
    const shed = answers.filter((a) => a.status === 503);
    const served = answers.filter((a) => a.status === 200);
    expect(shed.length + served.length).toBe(answers.length);
    // Two run and two wait; of 24 sent at once most are refused at once (QUEUE_FULL); a few more
    // are served when a slot frees while the rest are still arriving.
    expect(shed.length).toBeGreaterThanOrEqual(12);
    expect(served.length).toBeGreaterThanOrEqual(2);
    for (const answer of shed) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors![0]!.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        reason: expect.stringMatching(/^QUEUE_(FULL|TIMEOUT)$/),
      });
    }
    // What was served is whole: every organisation, no error.
    for (const answer of served) {
      expect(answer.body.errors).toBeUndefined();
      expect((answer.body.data!.organisations as unknown[]).length).toBe(
        graph.registry.organisations.length,
      );
    }
    // The queue was refused before the served ones finished: shedding does not wait for the work.
    const slowestServed = Math.max(...served.map((a) => a.ms));
    expect(
      shed
        .filter((a) => a.body.errors![0]!.extensions!.reason === 'QUEUE_FULL')
        .every((a) => a.ms < slowestServed),
    ).toBe(true);
    // And once the burst is over, everyone is answered again.
    const after = await post(graph.gatewayUrl, UNIFORM_QUERY);
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
  });

  it("lets the dashboard's styles through while it sheds, so a 503 page can be read", async () => {
    const base = graph.gatewayUrl.replace(/graphql$/, '');
    const [pages, css] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, () => fetch(base))),
      fetch(`${base}assets/dashboard.css`),
    ]);
    expect(css.status).toBe(200);
    const busy = pages.filter((p) => p.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const page of busy) expect(page.headers.get('retry-after')).toBe('1');
    await Promise.all(pages.map((p) => p.body?.cancel()));
  });
});

describe('a request past its deadline', () => {
  let hung: Server;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    // A publisher that accepts the call and never answers, behind a gateway whose requests have 600 ms.
    hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, hmrc: hungUrl },
      subgraphTimeoutMs: 5000,
      requestDeadlineMs: 600,
      admission: false,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  });

  it("is answered 503 with Retry-After at its deadline, never with the other publishers' part of the answer", async () => {
    const answer = await post(gateway.url, UNIFORM_QUERY);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('1');
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'DEADLINE',
    });
    expect(answer.body.errors![0]!.message).toContain('600 ms');
    // At the deadline, not at the subgraph's 5 s timeout.
    expect(answer.ms).toBeLessThan(4000);
  });

  it('does not touch answers that need no late publisher', async () => {
    const answer = await post(gateway.url, '{ synergy { id name } }');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ synergy: { id: 'synergy', name: expect.any(String) } });
  });
});

describe('a publisher that sheds a call', () => {
  it('makes the answer a 503 naming it, not a partial answer', async () => {
    const busy = createServer((_req, res) =>
      res
        .writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' })
        .end('{"errors":[{"message":"busy","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}'),
    );
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: {
        ...graph.subgraphUrls,
        hmrc: `http://127.0.0.1:${(busy.address() as AddressInfo).port}/graphql`,
      },
      admission: false,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    try {
      const answer = await post(gateway.url, UNIFORM_QUERY);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors![0]!.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'SUBGRAPH_BUSY',
        subgraphs: ['hmrc'],
      });
    } finally {
      await gateway.stop();
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

describe('a publisher called directly', () => {
  it('sheds with 503 and Retry-After as the gateway does, and keeps answering', async () => {
    const publisher = graph.registry.publishers.find((p) => p.id === 'hmrc')!;
    const schema = `t${randomBytes(4).toString('hex')}_hmrc`;
    const hmrc = await startOrganisationSubgraph({
      publisher,
      organisations: graph.registry.organisations.filter((o) => o.id === 'hmrc'),
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schema,
      port: 0,
      today: () => '2026-11-21',
      admission: { maxConcurrent: 1, maxQueue: 0, maxWaitMs: 100, maxEventLoopDelayMs: 0 },
    });
    try {
      const query = '{ hmrc { scorecard { indicator name tolerance } } }';
      // One request holds the only slot: its body arrives slowly (admission comes before reading it).
      const body = JSON.stringify({ query });
      const slow = httpRequest(hmrc.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const slowAnswer = new Promise<string>((resolve, reject) =>
        slow
          .on('response', (r) => {
            let text = '';
            r.on('data', (chunk: Buffer) => (text += chunk.toString()));
            r.on('end', () => resolve(`${r.statusCode} ${text}`));
          })
          .on('error', reject),
      );
      slow.write(body.slice(0, 10));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const answers = await Promise.all(Array.from({ length: 4 }, () => post(hmrc.url, query)));
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.retryAfter).toBe('1');
        expect(answer.body.errors![0]!.extensions).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          reason: 'QUEUE_FULL',
        });
      }
      slow.end(body.slice(10));
      expect(await slowAnswer).toMatch(/^200 /);
      expect((await post(hmrc.url, query)).status).toBe(200);
    } finally {
      await hmrc.stop();
      await dropSchemas(schema);
    }
  });
});
