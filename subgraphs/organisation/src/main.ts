import '@crossgov/schema/production';
import { findEntry, findPublisher, loadRegistry, organisationsOf } from '@crossgov/schema';
import { startTracing } from '@crossgov/schema/server';
import { authConfigOf, stopOnSignals, tracingConfigOf } from '@crossgov/schema/env';
import { resolveDatabase } from '@crossgov/schema/embedded-postgres';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startOrganisationSubgraph } from './start.ts';

const env = readEnv();
const registry = loadRegistry(env.REGISTRY_PATH);
const publisher = findPublisher(
  registry,
  env.PUBLISHER ?? findEntry(registry, env.ORGANISATION!).publisher,
);
const logger = pino({ name: publisher.id, level: env.LOG_LEVEL });
const tracing = startTracing(tracingConfigOf(env, publisher.id));
const database = await resolveDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
const running = await startOrganisationSubgraph({
  publisher,
  organisations: organisationsOf(registry, publisher),
  databaseUrl: database.url,
  databaseSchema: env.DATABASE_SCHEMA,
  port: env.PORT,
  host: env.HOST,
  development: env.NODE_ENV === 'development',
  auth: authConfigOf(env),
  logger,
  requestLog: logger,
  imports: {
    maxBytes: env.IMPORT_MAX_CSV_BYTES,
    maxJsonBytes: env.IMPORT_MAX_JSON_BYTES,
    maxProblems: env.IMPORT_MAX_PROBLEMS,
  },
  cacheEntries: env.JUDGEMENT_CACHE_ENTRIES,
});
logger.info(
  {
    url: running.url,
    organisations: publisher.organisations.length,
    embeddedPostgres: database.embedded,
    tracing: tracing.enabled,
  },
  `${publisher.name} ready`,
);

stopOnSignals(async () => {
  await running.stop();
  await database.stop();
  await tracing.shutdown();
});
