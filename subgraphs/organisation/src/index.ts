import { findEntry, loadRegistry, stopOnSignals } from '@crossgov/schema';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startOrganisationSubgraph } from './start.ts';

const env = readEnv();
const organisation = findEntry(loadRegistry(env.REGISTRY_PATH), env.ORGANISATION);
const logger = pino({ name: organisation.id, level: env.LOG_LEVEL });
const running = await startOrganisationSubgraph({
  organisation,
  databaseUrl: env.DATABASE_URL,
  databaseSchema: env.DATABASE_SCHEMA,
  dataDir: env.DATA_DIR,
  port: env.PORT,
  host: env.HOST,
  development: env.NODE_ENV === 'development',
  auth: { secret: env.AUTH_SECRET },
  logger,
});
logger.info({ url: running.url, storage: running.database.driver }, `${organisation.name} ready`);

stopOnSignals(running.stop);
