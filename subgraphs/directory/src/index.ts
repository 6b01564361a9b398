import { loadRegistry, stopOnSignals } from '@crossgov/schema';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startDirectorySubgraph } from './start.ts';

const env = readEnv();
const logger = pino({ name: 'directory', level: env.LOG_LEVEL });
const registry = loadRegistry(env.REGISTRY_PATH);
const running = await startDirectorySubgraph({
  registry,
  databaseUrl: env.DATABASE_URL,
  databaseSchema: env.DATABASE_SCHEMA,
  dataDir: env.DATA_DIR,
  port: env.PORT,
  host: env.HOST,
  development: env.NODE_ENV === 'development',
  auth: { secret: env.AUTH_SECRET },
});
logger.info({ url: running.url, storage: running.database.driver, organisations: registry.organisations.length }, 'directory ready');

stopOnSignals(running.stop);
