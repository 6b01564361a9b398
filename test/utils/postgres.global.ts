import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type RunningEmbeddedPostgres,
  startEmbeddedPostgres,
} from '@crossgov/schema/embedded-postgres';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL every database-backed test uses: TEST_DATABASE_URL, or one embedded server for the run. */
    databaseUrl: string;
    /** 'postgres' for an external server (TEST_DATABASE_URL), 'embedded' for the run's own. */
    storage: 'postgres' | 'embedded';
  }
}

// One PostgreSQL for the whole run: TEST_DATABASE_URL when set (CI points it at 127.0.0.1:5432),
// else an embedded server started here in a throwaway folder. Each test takes fresh schemas on it,
// so set-up is CREATE SCHEMA and migrations (milliseconds), not opening a database (seconds).
// Several projects may run this set-up in one process; they share one server.

interface Shared {
  server: Promise<{ url: string; running: RunningEmbeddedPostgres | null; dir: string | null }>;
  users: number;
}

const shared = globalThis as unknown as { __crossgovTestPostgres?: Shared };

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('databaseUrl', external);
    project.provide('storage', 'postgres');
    return;
  }
  shared.__crossgovTestPostgres ??= {
    users: 0,
    server: (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'crossgov-test-postgres-'));
      // As root the server runs as the postgres user, which must reach the folder.
      chmodSync(dir, 0o755);
      const running = await startEmbeddedPostgres({
        dir: join(dir, 'cluster'),
        ephemeral: true,
        database: 'test',
      });
      return { url: running.url, running, dir };
    })(),
  };
  const state = shared.__crossgovTestPostgres;
  state.users += 1;
  const { url } = await state.server;
  project.provide('databaseUrl', url);
  project.provide('storage', 'embedded');
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    const { running, dir } = await state.server;
    await running?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    delete shared.__crossgovTestPostgres;
  };
}
