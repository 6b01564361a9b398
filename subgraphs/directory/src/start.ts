import { type AuthConfig, type Registry, listenHttpServer } from '@crossgov/schema';
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

export interface RunningDirectory {
  url: string;
  database: DirectoryDatabase;
  stop(): Promise<void>;
}

/** Opens the directory's database, makes it agree with the registry, and serves it. */
export async function startDirectorySubgraph(options: StartDirectoryOptions): Promise<RunningDirectory> {
  // Listening first: /healthz answers and /readyz names the phase while migrations and the sync run.
  const port = options.port ?? Number(new URL(options.registry.directory.url).port);
  const http = await listenHttpServer({ port, host: options.host, service: 'directory', logger: options.requestLog });
  let database: DirectoryDatabase | undefined;
  try {
    http.readiness.starting('migrating');
    database = await openDirectoryDatabase({ databaseUrl: options.databaseUrl, pgSchema: options.databaseSchema ?? 'directory' });
    http.readiness.starting('syncing the registry');
    await syncDirectory(database.db, options.registry);
    const { server, context, bodyLimit } = await createDirectoryServer({ ...options, database });
    const serving = await http.serve({ apollo: server, context, bodyLimit, ready: database.readiness });
    const opened = database;
    return {
      url: `${serving.url}graphql`,
      database: opened,
      stop: async () => {
        await serving.stop();
        await opened.close();
      },
    };
  } catch (error) {
    await database?.close();
    await http.close();
    throw error;
  }
}
