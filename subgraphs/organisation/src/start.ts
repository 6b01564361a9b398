import { join } from 'node:path';
import { type AuthConfig, type RegistryEntry, startHttpServer } from '@crossgov/schema';
import type { Logger } from 'pino';
import { openOrganisationDatabase, type OrganisationDatabase } from './db/client.ts';
import { type SeedReport, seedOrganisation } from './seed/seed.ts';
import type { SyntheticOptions } from './seed/synthetic.ts';
import { createOrganisationServer } from './server.ts';

export interface StartOrganisationOptions {
  organisation: RegistryEntry;
  /** PostgreSQL URL; absent means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema for this organisation's tables. @default the organisation id */
  databaseSchema?: string | undefined;
  /** Parent folder of the PGlite data folder; absent means in memory. */
  dataDir?: string | undefined;
  /** @default the port of the registry URL; 0 picks a free one */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Seed from the registry profile when the database is empty. @default true */
  seed?: boolean | SyntheticOptions;
  development?: boolean;
  today?: () => string;
  auth?: AuthConfig;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface RunningOrganisation {
  url: string;
  database: OrganisationDatabase;
  seed: SeedReport | null;
  stop(): Promise<void>;
}

/** Opens the organisation's database, seeds it if empty, and serves its subgraph. */
export async function startOrganisationSubgraph(options: StartOrganisationOptions): Promise<RunningOrganisation> {
  const { organisation } = options;
  const database = await openOrganisationDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir ? join(options.dataDir, organisation.id) : undefined,
    pgSchema: options.databaseSchema ?? organisation.id,
  });
  try {
    let seed: SeedReport | null = null;
    if (options.seed !== false) {
      seed = await seedOrganisation(database.db, organisation, typeof options.seed === 'object' ? options.seed : {});
      if (seed.seeded) options.logger?.info({ services: seed.services, indicators: seed.indicators, measurements: seed.measurements, milestones: seed.milestones }, 'seeded');
      for (const problem of seed.rejected) options.logger?.warn(`not loaded: ${problem}`);
    }
    const { server, context, routes } = await createOrganisationServer({ organisation, database, development: options.development ?? false, today: options.today, auth: options.auth, logger: options.logger });
    const port = options.port ?? Number(new URL(organisation.subgraph.url).port);
    const { url } = await startHttpServer({ apollo: server, context, routes, port, host: options.host });
    return {
      url: `${url}graphql`,
      database,
      seed,
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
