import { type AuthConfig, type Registry, startHttpServer } from '@crossgov/schema';
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
}

export interface RunningDirectory {
  url: string;
  database: DirectoryDatabase;
  stop(): Promise<void>;
}

/** Opens the directory's database, makes it agree with the registry, and serves it. */
export async function startDirectorySubgraph(options: StartDirectoryOptions): Promise<RunningDirectory> {
  const database = await openDirectoryDatabase({ databaseUrl: options.databaseUrl, pgSchema: options.databaseSchema ?? 'directory' });
  try {
    await syncDirectory(database.db, options.registry);
    const { server, context, bodyLimit } = await createDirectoryServer({ ...options, database });
    const port = options.port ?? Number(new URL(options.registry.directory.url).port);
    // The same Express wrapper as every server: body limits, and refusals answered as JSON.
    const { url } = await startHttpServer({ apollo: server, context, port, host: options.host, bodyLimit });
    return {
      url: `${url}graphql`,
      database,
      stop: async () => {
        await server.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
