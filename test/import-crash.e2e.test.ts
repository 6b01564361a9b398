import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { openOrganisationDatabase } from '@crossgov/organisation';
import { type AuthConfig, Scope, issueToken } from '@crossgov/schema/auth';
import { queryRows } from '@crossgov/schema/db';
import { ROOT, generatedCsv } from '@crossgov/scripts';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dropSchemas,
  freshSchemaName,
  STORAGE,
  TEST_DATABASE_URL,
} from '@crossgov/testing/database';
import { snapshotTables } from '@crossgov/testing/snapshot';

const auth: AuthConfig = { secret: 'import-crash-e2e-secret-'.padEnd(48, 'c') };
const ROWS = 60_000;

/**
 * HMRC's subgraph in its own process, as `pnpm start -- --separate` runs it, on the run's PostgreSQL
 * in `schema` (never an embedded server of its own); resolves with its URL once it serves.
 */
function startSubgraph(schema: string): Promise<{
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}> {
  const { PUBLISHER: _publisher, DATA_DIR: _dataDir, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'subgraphs/organisation/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      ORGANISATION: 'hmrc',
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_SECRET: auth.secret,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const { url } = JSON.parse(line) as { url?: string };
      if (url) resolve({ child, url, exited });
    });
    void exited.then((how) =>
      reject(new Error(`the subgraph exited (${String(how)}) before it served: ${errors}`)),
    );
  });
}

describe(`a subgraph killed in the middle of an import on ${STORAGE}`, () => {
  // The same schema each time the process starts, on the run's PostgreSQL.
  const schema = freshSchemaName('hmrc');
  const open = () => openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
  afterAll(async () => {
    await dropSchemas(schema);
  });

  it('leaves no part of the import behind, and the restarted subgraph then imports the whole file', async () => {
    // First start seeds the database; then read it as it stands with the process stopped.
    const first = await startSubgraph(schema);
    first.child.kill('SIGTERM');
    await first.exited;
    let database = await open();
    const before = await snapshotTables(database);
    const { subject, firstMonth } = await subjectOf(database);
    await database.close();
    const file = generatedCsv(subject, ROWS, firstMonth);
    const token = await issueToken(auth, {
      subject: 'ana',
      organisation: 'hmrc',
      scopes: [Scope.WRITE],
      expiresIn: '1h',
    });

    const running = await startSubgraph(schema);
    // node:http rather than fetch: the connection dies with the process, and fetch reports that as an
    // error nobody can catch once the answer has been read this far.
    const request = httpRequest(new URL('imports?publish=true', running.url), {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        accept: 'application/x-ndjson',
        authorization: `Bearer ${token}`,
      },
    });
    request.on('error', () => undefined);
    const response = new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    request.end(file);
    const answer = await response;
    answer.on('error', () => undefined);
    // Kill it (SIGKILL: no clean-up of any kind) once it reports rows written but before it commits.
    let killedAt: { done: number; total: number } | null = null;
    let buffered = '';
    reading: for await (const chunk of answer as AsyncIterable<Buffer>) {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const { progress } = JSON.parse(line) as {
          progress?: { phase: string; done: number; total: number };
        };
        if (progress?.phase === 'writing' && progress.done > 0 && progress.done < progress.total) {
          killedAt = progress;
          running.child.kill('SIGKILL');
          break reading;
        }
        if (!progress) throw new Error(`the import finished before it could be killed: ${line}`);
      }
    }
    expect(await running.exited).toBe('SIGKILL');
    expect(killedAt!.done).toBeGreaterThan(0);
    expect(killedAt!.done).toBeLessThan(ROWS);

    database = await open();
    try {
      expect(await snapshotTables(database)).toEqual(before);
    } finally {
      await database.close();
    }

    const restarted = await startSubgraph(schema);
    try {
      const retried = await fetch(new URL('imports?publish=true', restarted.url), {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          authorization: `Bearer ${token}`,
        },
        body: file,
      });
      expect(((await retried.json()) as { data: { measurements: number } }).data.measurements).toBe(
        ROWS,
      );
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
    database = await open();
    try {
      expect((await snapshotTables(database)).measurements!.rows).toBe(
        before.measurements!.rows + ROWS,
      );
    } finally {
      await database.close();
    }
  }, 180_000);
});

/**
 * What the generated file may name: HMRC's monthly indicators (a month is no period of a quarterly
 * one) and its services; and the month to start from so that all ROWS rows fall in months that have
 * ended and come before the seeded series, so the import adds rows rather than replacing any.
 */
async function subjectOf(database: Awaited<ReturnType<typeof openOrganisationDatabase>>) {
  const indicators = await queryRows<{ code: string; unit: string }>(
    database.db,
    sql`SELECT code, unit FROM indicators WHERE frequency = 'MONTHLY' ORDER BY position`,
  );
  const services = (
    await queryRows<{ id: string }>(database.db, sql`SELECT id FROM services ORDER BY id`)
  ).map((s) => s.id);
  const [{ first }] = (await queryRows<{ first: string }>(
    database.db,
    sql`SELECT to_char(min(period_start), 'YYYY-MM') AS first FROM measurements`,
  )) as [{ first: string }];
  const months = Math.ceil(ROWS / (indicators.length * (services.length + 1)));
  const [year, month] = first.split('-').map(Number) as [number, number];
  const start = year * 12 + (month - 1) - months - 1;
  const firstMonth = `${Math.floor(start / 12)}-${String((start % 12) + 1).padStart(2, '0')}`;
  return { subject: { indicators, services }, firstMonth };
}
