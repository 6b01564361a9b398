import '@crossgov/schema/production';
import { startTracing } from '@crossgov/schema/server';
import { authConfigOf, stopOnSignals, tracingConfigOf } from '@crossgov/schema/env';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startGateway } from './server.ts';

const env = readEnv();
const logger = pino({ name: 'gateway', level: env.LOG_LEVEL });
const tracing = startTracing(tracingConfigOf(env, 'gateway'));
const running = await startGateway({
  supergraphPath: env.SUPERGRAPH_PATH,
  subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  requestDeadlineMs: env.REQUEST_DEADLINE_MS,
  lastGood: {
    maxBytes: env.DIRECTORY_STALE_MAX_BYTES,
    breakerMinCalls: env.DIRECTORY_BREAKER_MIN_CALLS,
    breakerResetMs: env.DIRECTORY_BREAKER_RESET_MS,
  },
  development: env.NODE_ENV === 'development',
  auth: authConfigOf(env),
  publicUrl: env.PUBLIC_URL,
  importDeadlineMs: env.IMPORT_DEADLINE_MS,
  logger,
  requestLog: logger,
  port: env.PORT,
  host: env.HOST,
});
logger.info({ url: running.url, tracing: tracing.enabled }, 'gateway ready');

stopOnSignals(async () => {
  await running.stop();
  await tracing.shutdown();
});
