import '@crossgov/schema/production';
import { loadRegistry } from '@crossgov/schema';
import { startTracing } from '@crossgov/schema/server';
import { authConfigOf, stopOnSignals, tracingConfigOf } from '@crossgov/schema/env';
import { resolveDatabase } from '@crossgov/schema/embedded-postgres';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startDirectorySubgraph } from './start.ts';

const env = readEnv();
const logger = pino({ name: 'directory', level: env.LOG_LEVEL });
const tracing = startTracing(tracingConfigOf(env, 'directory'));
const registry = loadRegistry(env.REGISTRY_PATH);
const database = await resolveDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
const running = await startDirectorySubgraph({
  registry,
  databaseUrl: database.url,
  databaseSchema: env.DATABASE_SCHEMA,
  port: env.PORT,
  host: env.HOST,
  development: env.NODE_ENV === 'development',
  auth: authConfigOf(env),
  requestLog: logger,
});
logger.info(
  {
    url: running.url,
    organisations: registry.organisations.length,
    publishers: registry.publishers.length,
    embeddedPostgres: database.embedded,
    tracing: tracing.enabled,
  },
  'directory ready',
);

stopOnSignals(async () => {
  await running.stop();
  await database.stop();
  await tracing.shutdown();
});
