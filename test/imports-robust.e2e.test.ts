import { request as httpRequest } from 'node:http';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { queryRows } from '@crossgov/schema/db';
import { generatedCsv } from '@crossgov/scripts';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE, TEST_DATABASE_URL } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import {
  type RawAnswer,
  linesOf,
  rawUpload,
  startAnswerHoldingProxy,
  startBlackHole,
  startImportGateway,
  startImportSubgraph,
  upload,
} from '@crossgov/testing/imports';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { tokenFor } from '@crossgov/testing/tokens';

// Issue 13: one caller or one fault never takes the hub down. Each case of the probes, through the
// gateway and directly against the publisher's subgraph, each followed by proof the process still
// serves. The graph runs with its default limits; a second gateway and a second process of HMRC's
// subgraph, on the same databases, run with small ones, so the limits are reached in milliseconds.

const auth: AuthConfig = { secret: 'imports-robust-e2e-secret-'.padEnd(48, 'r') };
const SMALL = { maxBytes: 64 * 1024, maxJsonBytes: 16 * 1024, maxProblems: 5 };

interface Refusal {
  errors: {
    message: string;
    extensions: {
      code: string;
      reason?: string;
      importStatus?: string;
      problems?: unknown[];
      problemCount?: number;
      stoppedAtRow?: number;
      importId?: string;
    };
  }[];
  extensions: { importId: string };
}
interface Imported {
  data: { measurements: number; organisation: string; elapsedMs: number };
  extensions: { importId: string };
}
interface Status {
  data: {
    importId: string;
    status: 'COMMITTED' | 'RUNNING' | 'NOT_COMMITTED';
    result?: Record<string, unknown>;
    committedAt?: string;
  };
}

describe(`imports that no caller or fault can turn into a crash or a wrong answer, on ${STORAGE}`, () => {
  let graph: TestGraph;
  /** The graph's gateway and HMRC's subgraph, as deployed (default limits). */
  let gateway: string;
  let subgraph: string;
  /** A gateway (deadline 3 s, a subgraph must start answering within 1 s, files to 256 KiB) and an HMRC subgraph process (64 KiB CSV, 16 KiB JSON, 5 problems). */
  let small: Awaited<ReturnType<typeof startImportGateway>>;
  let smallSubgraph: Awaited<ReturnType<typeof startImportSubgraph>>;
  let token: string;
  let subject: { indicators: { code: string; unit: string }[]; services: string[] };
  const hmrc = () => graph.publishers.get('hmrc')!.database;
  const csv = (rows: number, firstMonth = '2000-01') => generatedCsv(subject, rows, firstMonth);
  const headers = (extra: Record<string, string> = {}) => ({
    'content-type': 'text/csv',
    authorization: `Bearer ${token}`,
    ...extra,
  });
  const post = async (url: string, body: string, extra: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: headers(extra), body });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Imported & Refusal,
    };
  };
  const status = async (base: string, importId: string, as = token) => {
    const response = await fetch(`${base}imports/${importId}`, {
      headers: as ? { authorization: `Bearer ${as}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Status & Refusal };
  };
  /** The import still runs while its transaction waits for the lock; asks again until it has finished. */
  const settled = async (base: string, importId: string) => {
    for (;;) {
      const answer = await status(base, importId);
      if (answer.body.data?.status !== 'RUNNING') return answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** The process still serves: a good file imports, and GraphQL answers. */
  const stillServes = async (importUrl: string, graphqlUrl: string) => {
    const good = await post(importUrl, csv(3, '1999-01'));
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body.data.measurements).toBe(3);
    const query = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hmrc { indicators { code } } }' }),
    });
    expect(
      ((await query.json()) as { data: { hmrc: { indicators: unknown[] } } }).data.hmrc.indicators
        .length,
    ).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    gateway = new URL('.', graph.gatewayUrl).href;
    subgraph = new URL('.', graph.subgraphUrls.hmrc!).href;
    token = await tokenFor(auth, 'hmrc', [Scope.WRITE]);
    // HMRC's monthly indicators and its services, from its own tables: a month is no period of a quarterly indicator.
    const { db } = hmrc();
    subject = {
      indicators: await queryRows<{ code: string; unit: string }>(
        db,
        sql`SELECT code, unit FROM indicators WHERE frequency = 'MONTHLY' ORDER BY position`,
      ),
      services: (await queryRows<{ id: string }>(db, sql`SELECT id FROM services ORDER BY id`)).map(
        (s) => s.id,
      ),
    };
    small = await startImportGateway(graph, auth, {
      deadlineMs: 3000,
      answerTimeoutMs: 1000,
      maxBytes: 256 * 1024,
    });
    smallSubgraph = await startImportSubgraph(graph, 'hmrc', auth, SMALL);
  });
  afterAll(async () => {
    await small?.stop();
    await smallSubgraph?.stop();
    await graph?.stop();
  });

  describe('case 4: an upload cut off part-way', () => {
    it('is rolled back without a word to the gone client, through the gateway and directly, and both keep serving', async () => {
      const file = csv(4000);
      const before = await snapshotTables(hmrc());
      for (const url of [`${gateway}organisations/hmrc/imports`, `${subgraph}imports`]) {
        for (const accept of ['application/json', 'application/x-ndjson']) {
          for (const declared of [true, false]) {
            const extra = {
              accept,
              ...(declared ? { 'content-length': String(file.length) } : {}),
            };
            expect(
              await upload(url, headers(extra), [file.slice(0, file.length / 2)], 'destroy'),
              `${url} ${accept} ${declared}`,
            ).toBeNull();
          }
        }
      }
      expect(await snapshotTables(hmrc())).toEqual(before);
      await stillServes(`${gateway}organisations/hmrc/imports`, graph.gatewayUrl);
      await stillServes(`${subgraph}imports`, graph.subgraphUrls.hmrc!);
    });

    it('answers a body shorter than its content-length, or with broken chunks, with 400, through the gateway and directly, and imports nothing', async () => {
      const file = csv(50);
      const before = await snapshotTables(hmrc());
      for (const url of [`${gateway}organisations/hmrc/imports`, `${subgraph}imports`]) {
        // Node's HTTP server answers a request it cannot read to its end itself (a bare 400), before the route can.
        const truncated = await rawUpload(
          url,
          headers({ 'content-length': String(file.length) }),
          file.slice(0, file.length - 10),
        );
        expect(truncated.status, `${url}: ${JSON.stringify(truncated)}`).toBe(400);
        const malformed = await rawUpload(
          url,
          headers({ 'transfer-encoding': 'chunked' }),
          `${file.length.toString(16)}\r\n${file}\r\nnot a chunk size\r\n`,
        );
        expect(malformed.status, `${url}: ${JSON.stringify(malformed)}`).toBe(400);
      }
      expect(await snapshotTables(hmrc())).toEqual(before);
      await stillServes(`${gateway}organisations/hmrc/imports`, graph.gatewayUrl);
      await stillServes(`${subgraph}imports`, graph.subgraphUrls.hmrc!);
    });
  });

  describe('case 5: a subgraph stalled inside the import transaction', () => {
    /** Holds a lock that stalls every write of HMRC's drafts, as a stalled database would, until released. */
    const stallDrafts = async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const table = `${hmrc().pgSchema}.measurement_drafts`;
      await client.query('BEGIN');
      await client.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
      return {
        /** Resolves once an import's transaction is waiting for the lock (it has begun writing). */
        waiting: async () => {
          for (;;) {
            const { rows } = await client.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = $1::regclass',
              [table],
            );
            if (rows[0]!.n > 0) return;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
        release: async () => {
          await client.query('ROLLBACK');
          await client.end();
        },
      };
    };

    it('is cancelled by the gateway at its deadline, which says it cannot yet know and gives the id; the subgraph rolls back and then says "not committed"', async () => {
      const before = await snapshotTables(hmrc());
      const stall = await stallDrafts();
      try {
        const answer = post(`${small.url}organisations/hmrc/imports`, csv(200), {
          accept: 'application/json',
        });
        await stall.waiting();
        const { status: code, headers: said, body } = await answer;
        expect(code).toBe(504);
        expect(said.get('import-deadline-ms')).toBe('3000');
        const importId = said.get('import-id')!;
        expect(importId).toMatch(/^hmrc\.[A-Za-z0-9_-]{22}$/);
        expect(body.extensions.importId).toBe(importId);
        expect(body.errors[0]!.extensions).toMatchObject({
          code: 'SUBGRAPH_UNAVAILABLE',
          reason: 'DEADLINE',
          importStatus: 'RUNNING',
        });
        expect(body.errors[0]!.message).toBe(
          `Import ${importId} took longer than the gateway's deadline of 3 s (import-deadline-ms) and was cancelled; whether it had committed is not known yet: GET /imports/${importId} says what became of it`,
        );
        // Still waiting for the lock: running, not "not committed".
        expect((await status(small.url, importId)).body.data.status).toBe('RUNNING');
        await stall.release();
        const after = await settled(small.url, importId);
        expect(after).toMatchObject({
          status: 200,
          body: { data: { importId, status: 'NOT_COMMITTED' } },
        });
        expect(await snapshotTables(hmrc())).toEqual(before);
      } finally {
        await stall.release().catch(() => undefined);
      }
      await stillServes(`${small.url}organisations/hmrc/imports`, graph.gatewayUrl);
    });

    it('is rolled back when a client talking to the subgraph directly goes away, and the subgraph then says "not committed"', async () => {
      const before = await snapshotTables(hmrc());
      const stall = await stallDrafts();
      const importId = 'hmrc.direct-caller-goes-away';
      try {
        const request = httpRequest(`${subgraph}imports`, {
          method: 'POST',
          headers: headers({ accept: 'application/x-ndjson', 'import-id': importId }),
        });
        request.on('error', () => undefined);
        request.end(csv(200));
        await stall.waiting();
        expect((await status(subgraph, importId)).body.data.status).toBe('RUNNING');
        // The client hangs up (its own timeout, Ctrl-C) while the transaction waits.
        request.destroy();
      } finally {
        await stall.release();
      }
      expect(await settled(subgraph, importId)).toMatchObject({
        status: 200,
        body: { data: { importId, status: 'NOT_COMMITTED' } },
      });
      expect(await snapshotTables(hmrc())).toEqual(before);
      await stillServes(`${subgraph}imports`, graph.subgraphUrls.hmrc!);
    });

    it('answers with the result when the import committed though its answer never reached the gateway, since "nothing was imported" would be false', async () => {
      const proxy = await startAnswerHoldingProxy(subgraph);
      const patient = await startImportGateway(graph, auth, {
        deadlineMs: 4000,
        answerTimeoutMs: 2000,
      });
      patient.subgraphs.set('hmrc', proxy.url);
      try {
        const before = (await snapshotTables(hmrc())).imports!.rows;
        const answer = await post(`${patient.url}organisations/hmrc/imports`, csv(20, '1998-01'));
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.body.data).toMatchObject({ organisation: 'hmrc', measurements: 20 });
        const importId = answer.headers.get('import-id')!;
        expect(answer.body.extensions.importId).toBe(importId);
        expect((await snapshotTables(hmrc())).imports!.rows).toBe(before + 1);
        expect((await status(gateway, importId)).body.data).toMatchObject({
          status: 'COMMITTED',
          result: { measurements: 20 },
        });
      } finally {
        await patient.stop();
        await proxy.stop();
      }
    });
  });

  describe('case 8: a file of invalid rows', () => {
    it('lists the first 1000 problems and counts them all, through the gateway and directly, and writes nothing', async () => {
      const before = await snapshotTables(hmrc());
      // Every row names an indicator HMRC does not have: 1500 problems, all found by checking.
      const unknown = `indicator_code,period,value\n${Array.from({ length: 1500 }, (_, i) => `no-such-indicator-${i},2001-01,1`).join('\n')}\n`;
      for (const url of [`${gateway}organisations/hmrc/imports`, `${subgraph}imports`]) {
        const { status: code, body } = await post(url, unknown);
        expect(code).toBe(400);
        const [error] = body.errors;
        expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problemCount: 1500 });
        expect(error!.extensions.problems).toHaveLength(1000);
        expect(error!.message).toMatch(
          /^1500 invalid rows: row 2 \(indicator no-such-indicator-0, period 2001-01\): .*; and 1450 more problems \(1500 in all; the first 1000 are in extensions\.problems\)$/,
        );
      }
      // Every row unreadable: reading stops at the 1000th problem, on line 1001 of 3001.
      const unreadable = `indicator_code,period,value\n${Array.from({ length: 3000 }, () => `${subject.indicators[0]!.code},2001-01,n/a`).join('\n')}\n`;
      for (const url of [`${gateway}organisations/hmrc/imports`, `${subgraph}imports`]) {
        const { status: code, body } = await post(url, unreadable);
        expect(code).toBe(400);
        const [error] = body.errors;
        expect(error!.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          problemCount: 1000,
          stoppedAtRow: 1001,
        });
        expect(error!.extensions.problems).toHaveLength(1000);
        expect(error!.message).toMatch(
          /^at least 1000 invalid rows: row 2 .*; reading stopped at row 1001 after 1000 problems, so later rows were not checked$/,
        );
      }
      expect(await snapshotTables(hmrc())).toEqual(before);
    });

    it('stops reading at the problem cap and answers before the upload ends, through the gateway and directly, and keeps serving', async () => {
      // More than the 4 KiB a file's type is judged from, so reading starts before the body ends.
      const bad = `indicator_code,period,value\n${Array.from({ length: 400 }, (_, i) => `${subject.indicators[0]!.code},2001-01,${i}%`).join('\n')}\n`;
      small.subgraphs.set('hmrc', smallSubgraph.graphqlUrl);
      try {
        for (const url of [
          `${small.url}organisations/hmrc/imports`,
          `${smallSubgraph.url}imports`,
        ]) {
          // The body never ends: an answer proves the server stopped reading at the fifth problem.
          const answer = (await upload(
            url,
            headers(),
            [bad, 'more rows that never come'],
            'wait',
          )) as RawAnswer;
          expect(answer.status, answer.text).toBe(400);
          const { errors, extensions } = JSON.parse(answer.text) as Refusal;
          expect(errors[0]!.extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            problemCount: 5,
            stoppedAtRow: 6,
          });
          expect(errors[0]!.extensions.problems).toHaveLength(5);
          expect(extensions.importId).toMatch(/^hmrc\./);
        }
        // JSON: the same cap, record by record.
        const json = JSON.stringify(
          Array.from({ length: 40 }, () => ({
            indicatorCode: subject.indicators[0]!.code,
            period: '2001-01',
            value: 'n/a',
          })),
        );
        const refused = await post(`${smallSubgraph.url}imports`, json, {
          'content-type': 'application/json',
        });
        expect(refused.body.errors[0]!.extensions).toMatchObject({
          problemCount: 5,
          stoppedAtRow: 5,
        });
        await stillServes(`${small.url}organisations/hmrc/imports`, graph.gatewayUrl);
        await stillServes(`${smallSubgraph.url}imports`, smallSubgraph.graphqlUrl);
      } finally {
        small.subgraphs.set('hmrc', graph.subgraphUrls.hmrc!);
      }
    });
  });

  describe('case 9: a file over the size limit', () => {
    it('is refused with 413 at once when its declared length is over the limit, CSV or JSON, through the gateway and directly', async () => {
      const cases = [
        {
          url: `${gateway}organisations/hmrc/imports`,
          type: 'text/csv',
          length: 300 * 1024 * 1024,
          limit: 64 * 1024 * 1024,
        },
        {
          url: `${subgraph}imports`,
          type: 'text/csv',
          length: 300 * 1024 * 1024,
          limit: 20 * 1024 * 1024,
        },
        {
          url: `${gateway}organisations/hmrc/imports`,
          type: 'application/json',
          length: 11 * 1024 * 1024,
          limit: 10 * 1024 * 1024,
        },
        {
          url: `${subgraph}imports`,
          type: 'application/json',
          length: 11 * 1024 * 1024,
          limit: 10 * 1024 * 1024,
        },
      ];
      for (const c of cases) {
        // Only the first bytes are sent: the answer must not wait for the rest.
        const answer = (await upload(
          c.url,
          headers({ 'content-type': c.type, 'content-length': String(c.length) }),
          ['indicator_code,period,value\n'],
          'wait',
        )) as RawAnswer;
        expect(answer.status, `${c.url} ${c.type}: ${answer.text}`).toBe(413);
        const { errors, extensions } = JSON.parse(answer.text) as Refusal;
        expect(errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
        expect(errors[0]!.message).toContain(`larger than the ${c.limit} bytes`);
        expect(extensions.importId).toMatch(/^hmrc\./);
      }
      await stillServes(`${gateway}organisations/hmrc/imports`, graph.gatewayUrl);
      await stillServes(`${subgraph}imports`, graph.subgraphUrls.hmrc!);
    });

    it('is refused with 413 as soon as a body of no declared length passes the limit, through the gateway and directly, and writes nothing', async () => {
      const before = await snapshotTables(hmrc());
      const big = csv(10_000);
      expect(big.length).toBeGreaterThan(256 * 1024 + 16384);
      const chunks = (bytes: number) =>
        Array.from({ length: Math.ceil(bytes / 16384) }, (_, i) =>
          big.slice(i * 16384, Math.min(bytes, (i + 1) * 16384)),
        );
      // The publisher's limit (64 KiB) directly and through the gateway (sent 128 KiB, under the
      // gateway's 256 KiB), then the gateway's own before the publisher's 20 MiB (sent all of it).
      const routes: [string, string, number, number][] = [
        [`${smallSubgraph.url}imports`, smallSubgraph.graphqlUrl, SMALL.maxBytes, 128 * 1024],
        [
          `${small.url}organisations/hmrc/imports`,
          smallSubgraph.graphqlUrl,
          SMALL.maxBytes,
          128 * 1024,
        ],
        [
          `${small.url}organisations/hmrc/imports`,
          graph.subgraphUrls.hmrc!,
          256 * 1024,
          big.length,
        ],
      ];
      try {
        for (const [url, hmrcUrl, limit, sent] of routes) {
          small.subgraphs.set('hmrc', hmrcUrl);
          for (const accept of ['application/json', 'application/x-ndjson']) {
            const answer = (await upload(
              url,
              headers({ accept }),
              [...chunks(sent), 'and the upload never ends'],
              'wait',
            )) as RawAnswer;
            const body = (
              accept === 'application/json' ? JSON.parse(answer.text) : linesOf(answer.text).at(-1)
            ) as Refusal;
            expect(
              body.errors[0]!.extensions.code,
              `${url} via ${hmrcUrl} ${accept}: ${answer.text.slice(0, 300)}`,
            ).toBe('PAYLOAD_TOO_LARGE');
            if (accept === 'application/json') expect(answer.status).toBe(413);
            expect(body.errors[0]!.message).toContain(`larger than the ${limit} bytes`);
          }
        }
      } finally {
        small.subgraphs.set('hmrc', graph.subgraphUrls.hmrc!);
      }
      expect(await snapshotTables(hmrc())).toEqual(before);
      await stillServes(`${small.url}organisations/hmrc/imports`, graph.gatewayUrl);
      await stillServes(`${smallSubgraph.url}imports`, smallSubgraph.graphqlUrl);
    });
  });

  describe('a hung subgraph (the medium item)', () => {
    it('is given up on when it does not start answering in time, not after 300 s, and the answer says what is known', async () => {
      const hole = await startBlackHole();
      small.subgraphs.set('hmrc', hole.url);
      try {
        const {
          status: code,
          headers: said,
          body,
        } = await post(`${small.url}organisations/hmrc/imports`, csv(5));
        expect(code).toBe(504);
        const importId = said.get('import-id')!;
        expect(body.errors[0]!.extensions).toMatchObject({
          code: 'SUBGRAPH_UNAVAILABLE',
          reason: 'TIMEOUT',
          importStatus: 'UNKNOWN',
        });
        expect(body.errors[0]!.message).toBe(
          `Subgraph "hmrc" did not start answering within 1000 ms, so import ${importId} was cancelled; whether it had committed is not known yet: GET /imports/${importId} says what became of it`,
        );
        // Asked while it still hangs, the gateway says so rather than wait.
        const asked = await status(small.url, importId);
        expect(asked.status).toBe(504);
        expect(asked.body.errors[0]!.extensions).toMatchObject({
          code: 'SUBGRAPH_UNAVAILABLE',
          reason: 'TIMEOUT',
          importStatus: 'UNKNOWN',
        });
        small.subgraphs.set('hmrc', graph.subgraphUrls.hmrc!);
        expect((await status(small.url, importId)).body.data).toEqual({
          importId,
          status: 'NOT_COMMITTED',
        });
      } finally {
        small.subgraphs.set('hmrc', graph.subgraphUrls.hmrc!);
        await hole.stop();
      }
      await stillServes(`${small.url}organisations/hmrc/imports`, graph.gatewayUrl);
    });
  });

  describe('import ids and what became of an import', () => {
    it('names every answer, line and refusal with the import id, made by the gateway or by the subgraph when called directly', async () => {
      const viaGateway = await post(`${gateway}organisations/hmrc/imports`, csv(2, '1997-01'));
      expect(viaGateway.status).toBe(200);
      expect(viaGateway.headers.get('import-id')).toMatch(/^hmrc\.[A-Za-z0-9_-]{22}$/);
      expect(viaGateway.headers.get('import-deadline-ms')).toBe('240000');
      expect(viaGateway.body.extensions.importId).toBe(viaGateway.headers.get('import-id'));
      const direct = await post(`${subgraph}imports`, csv(2, '1997-01'));
      expect(direct.body.extensions.importId).toMatch(/^hmrc\.[A-Za-z0-9_-]{22}$/);
      expect(direct.body.extensions.importId).not.toBe(viaGateway.body.extensions.importId);
      const refused = await post(
        `${gateway}organisations/hmrc/imports`,
        'indicator_code,period,value\nnope,2001-01,1\n',
      );
      expect(refused.status).toBe(400);
      expect(refused.body.extensions.importId).toBe(refused.headers.get('import-id'));
      const streamed = await fetch(`${gateway}organisations/hmrc/imports`, {
        method: 'POST',
        headers: headers({ accept: 'application/x-ndjson' }),
        body: csv(2, '1997-01'),
      });
      const lines = linesOf(await streamed.text());
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines)
        expect(line.extensions?.importId).toBe(streamed.headers.get('import-id'));
    });

    it('says an import committed, with its result, and refuses the same id again; says "not committed" of one that never ran', async () => {
      const importId = 'hmrc.caller-chosen-id-0001';
      const rows = (await snapshotTables(hmrc())).imports!.rows;
      const first = await post(`${gateway}organisations/hmrc/imports`, csv(4, '1996-01'), {
        'import-id': importId,
      });
      expect(first.status).toBe(200);
      expect(first.body.extensions.importId).toBe(importId);
      expect((await snapshotTables(hmrc())).imports!.rows).toBe(rows + 1);
      const { elapsedMs: _elapsed, ...result } = first.body.data;
      for (const base of [gateway, subgraph]) {
        const said = await status(base, importId);
        expect(said.status).toBe(200);
        expect(said.body.data).toEqual({
          importId,
          status: 'COMMITTED',
          committedAt: expect.any(String),
          actor: 'hmrc-officer',
          result,
        });
      }
      const again = await post(`${gateway}organisations/hmrc/imports`, csv(4, '1996-01'), {
        'import-id': importId,
      });
      expect(again.status).toBe(409);
      expect(again.body.errors[0]!.extensions).toMatchObject({
        code: 'BAD_REQUEST',
        reason: 'IMPORT_COMMITTED',
      });
      expect((await snapshotTables(hmrc())).imports!.rows).toBe(rows + 1);

      expect((await status(gateway, 'hmrc.never-sent-this-id-00')).body.data).toEqual({
        importId: 'hmrc.never-sent-this-id-00',
        status: 'NOT_COMMITTED',
      });
      // Only a caller who may write for the import's organisations hears what it wrote.
      expect((await status(gateway, importId, '')).status).toBe(401);
      expect(
        (await status(gateway, importId, await tokenFor(auth, 'norfolk', [Scope.WRITE]))).status,
      ).toBe(403);
      expect((await status(gateway, 'not-an-import-id')).status).toBe(400);
      expect((await status(gateway, 'atlantis.caller-chosen-id-0001')).status).toBe(404);
      // An id must name the publisher the file goes to.
      const misnamed = await post(`${gateway}organisations/hmrc/imports`, csv(1, '1996-01'), {
        'import-id': 'norfolk.caller-chosen-id-0001',
      });
      expect(misnamed.status).toBe(400);
      expect(misnamed.body.errors[0]!.message).toContain('"hmrc." followed by 16 to 64 letters');
      const misnamedDirect = await post(`${subgraph}imports`, csv(1, '1996-01'), {
        'import-id': 'norfolk.caller-chosen-id-0001',
      });
      expect(misnamedDirect.status).toBe(400);
      expect((await snapshotTables(hmrc())).imports!.rows).toBe(rows + 1);
    });
  });
});
