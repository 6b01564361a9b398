import { type Publisher, type RegistryEntry, schemaNameOf } from '@crossgov/schema';
import {
  type AdmissionSettings,
  type RunningSubgraph,
  startSubgraph,
  utcToday,
} from '@crossgov/schema/server';
import { type AuthConfig } from '@crossgov/schema/auth';
import type { Logger } from 'pino';
import { openOrganisationDatabase, type OrganisationDatabase } from './db/client.ts';
import { type SeedReport, seedOrganisations } from './seed/seed.ts';
import type { SyntheticOptions } from './seed/synthetic.ts';
import { type SourceSeedReport, seedSources } from './seed/sources.ts';
import type { SourceRead } from './sources/source.ts';
import { type ImportLimits, createOrganisationServer } from './server.ts';

export interface StartOrganisationOptions {
  /** The publisher to serve. */
  publisher: Publisher;
  /** The organisations it serves. */
  organisations: readonly RegistryEntry[];
  /** PostgreSQL URL: an external server, or the embedded one `pnpm start` runs. */
  databaseUrl: string;
  /** PostgreSQL schema for this publisher's tables. @default the publisher id, hyphens as underscores */
  databaseSchema?: string | undefined;
  /** @default the port of the registry URL; 0 picks a free one */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Seed each organisation from its registry profile when it has no data yet. @default true */
  seed?: boolean | SyntheticOptions;
  development?: boolean;
  today?: () => string;
  auth?: AuthConfig;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Where one line per request goes (request id, trace id, status, time); none: no request log. */
  requestLog?: Logger;
  /** Admission control, over the environment's settings (MAX_CONCURRENT_REQUESTS and the rest); `false` turns it off. */
  admission?: Partial<AdmissionSettings> | false;
  /** File import limits, over their defaults. */
  imports?: ImportLimits;
  /** Entries the judgement cache keeps (JUDGEMENT_CACHE_ENTRIES). @default 20000 */
  cacheEntries?: number;
  /** Published data sets read for this publisher (src/sources): each imported once, on the first start. */
  sources?: readonly SourceRead[];
}

export interface RunningOrganisation extends RunningSubgraph {
  database: OrganisationDatabase;
  /** What seeding did, by organisation id (empty when seeding was off). */
  seed: Map<string, SeedReport>;
  /** What each published data set's seed did. */
  sources: SourceSeedReport[];
}

/** Opens the publisher's database, seeds the organisations that have no data yet, and serves its subgraph. */
export async function startOrganisationSubgraph(
  options: StartOrganisationOptions,
): Promise<RunningOrganisation> {
  const { publisher, organisations } = options;
  const port = options.port ?? Number(new URL(publisher.url).port);
  return startSubgraph(
    { service: publisher.id, port, host: options.host, requestLog: options.requestLog },
    async (startup) => {
      startup.phase('migrating');
      const database = startup.opened(
        await openOrganisationDatabase({
          databaseUrl: options.databaseUrl,
          pgSchema: options.databaseSchema ?? schemaNameOf(publisher.id),
        }),
      );
      const seed = new Map<string, SeedReport>();
      if (options.seed !== false) {
        startup.phase('seeding');
        const reports = await seedOrganisations(
          database.db,
          organisations,
          typeof options.seed === 'object' ? options.seed : {},
        );
        reports.forEach((report, i) => seed.set(organisations[i]!.id, report));
        logSeeding(options.logger, reports);
      }
      const today = (options.today ?? utcToday)();
      if (options.sources?.length) startup.phase('importing published data sets');
      const sources = options.sources?.length
        ? await seedSources(database.db, publisher, organisations, options.sources, today)
        : [];
      logSources(options.logger, sources);
      const { server, context, routes, bodyLimit } = await createOrganisationServer({
        publisher,
        organisations,
        database,
        development: options.development ?? false,
        today: options.today,
        auth: options.auth,
        logger: options.logger,
        imports: options.imports,
        cacheEntries: options.cacheEntries,
      });
      return {
        serving: {
          apollo: server,
          context,
          routes,
          bodyLimit,
          admission: options.admission,
          ready: database.readiness,
        },
        started: { database, seed, sources },
      };
    },
  );
}

type StartLogger = StartOrganisationOptions['logger'];

function logSeeding(logger: StartLogger, reports: readonly SeedReport[]): void {
  const seeded = reports.filter((r) => r.seeded && r.indicators + r.milestones > 0);
  if (seeded.length > 0) {
    const total = (pick: (r: SeedReport) => number) => seeded.reduce((sum, r) => sum + pick(r), 0);
    logger?.info(
      {
        organisations: seeded.length,
        services: total((r) => r.services),
        indicators: total((r) => r.indicators),
        measurements: total((r) => r.measurements),
        milestones: total((r) => r.milestones),
      },
      'seeded',
    );
  }
  for (const report of reports)
    for (const problem of report.rejected) logger?.warn(`not loaded: ${problem}`);
}

function logSources(logger: StartLogger, sources: readonly SourceSeedReport[]): void {
  for (const report of sources) {
    if (!report.imported) continue;
    const r = report.result!;
    logger?.info(
      {
        source: report.source,
        organisations: r.organisations.length,
        measurements: r.measurements,
        programmes: r.programmes,
        notTaken: r.notTaken.length,
        repairs: r.repairs.length,
        elapsedMs: report.elapsedMs,
      },
      'seeded from a published data set',
    );
  }
}
