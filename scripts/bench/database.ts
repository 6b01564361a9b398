import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@crossgov/schema/embedded-postgres';

/**
 * The PostgreSQL a benchmark runs on: the server `--database-url` names, or an embedded one started
 * for the run in a throwaway folder with the durable settings `pnpm start` uses (fsync on), so
 * figures measured on it stand for what a user runs.
 */
export async function benchDatabase(
  url: string | undefined,
): Promise<{ url: string; label: string; stop(): Promise<void> }> {
  if (url) return { url, label: 'PostgreSQL (external)', stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'crossgov-bench-postgres-'));
  chmodSync(dir, 0o755); // as root the server runs as the postgres user
  const server = await startEmbeddedPostgres({ dir: join(dir, 'cluster') });
  return {
    url: server.url,
    label: 'embedded PostgreSQL',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
