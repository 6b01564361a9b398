import '@crossgov/schema/production';
import { loadRegistry } from '@crossgov/schema';
import { startTracing } from '@crossgov/schema/server';
import { authConfigOf, stopOnSignals, tracingConfigOf } from '@crossgov/schema/env';
import { pino } from 'pino';
import { readEnv } from './env.ts';
import { startInsightsSubgraph } from './start.ts';

const env = readEnv();
const logger = pino({ name: 'insights', level: env.LOG_LEVEL });
const tracing = startTracing(tracingConfigOf(env, 'insights'));
const registry = loadRegistry(env.REGISTRY_PATH);
const running = await startInsightsSubgraph({
  port: env.PORT ?? Number(new URL(registry.insights.url).port),
  host: env.HOST,
  development: env.NODE_ENV === 'development',
  auth: authConfigOf(env),
  requestLog: logger,
});
logger.info({ url: running.url, tracing: tracing.enabled }, 'insights ready');

stopOnSignals(async () => {
  await running.stop();
  await tracing.shutdown();
});
