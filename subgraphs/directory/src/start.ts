import { type Registry } from '@crossgov/schema';
import { type RunningSubgraph, startSubgraph } from '@crossgov/schema/server';
import { type AuthConfig } from '@crossgov/schema/auth';
import type { Logger } from 'pino';
import { type DirectoryDatabase, openDirectoryDatabase } from './db/client.ts';
import { syncDirectory } from './seed/sync.ts';
import { createDirectoryServer } from './server.ts';

export interface StartDirectoryOptions {
  registry: Registry;
  /** PostgreSQL URL: an external server, or the embedded one `pnpm start` runs. */
  databaseUrl: string;
  /** @default "directory" */
  databaseSchema?: string | undefined;
  /** @default the port of the registry's directory URL; 0 picks a free one */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  today?: () => string;
  development?: boolean;
  auth?: AuthConfig;
  /** Where one line per request goes (request id, trace id, status, time); none: no request log. */
  requestLog?: Logger;
}

export interface RunningDirectory extends RunningSubgraph {
  database: DirectoryDatabase;
}

/** Opens the directory's database, makes it agree with the registry, and serves it. */
export async function startDirectorySubgraph(
  options: StartDirectoryOptions,
): Promise<RunningDirectory> {
  const port = options.port ?? Number(new URL(options.registry.directory.url).port);
  return startSubgraph(
    { service: 'directory', port, host: options.host, requestLog: options.requestLog },
    async (startup) => {
      startup.phase('migrating');
      const database = startup.opened(
        await openDirectoryDatabase({
          databaseUrl: options.databaseUrl,
          pgSchema: options.databaseSchema ?? 'directory',
        }),
      );
      startup.phase('syncing the registry');
      await syncDirectory(database.db, options.registry);
      const { server, context, bodyLimit } = await createDirectoryServer({ ...options, database });
      return {
        serving: { apollo: server, context, bodyLimit, ready: database.readiness },
        started: { database },
      };
    },
  );
}
