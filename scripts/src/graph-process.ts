import '@crossgov/schema/production';
import { loadRegistry } from '@crossgov/schema';
import { readGraphProcessEnv } from './env.ts';
import { startLocalGraph } from './local-graph.ts';
import { pino } from 'pino';

// The whole graph in a Node process of its own, for whoever must tell whether anything it sent
// took the process down (test/utils/child-graph.ts, the fuzz test) or must not share its event loop
// with the load it sends (scripts/bench/overload.ts): the directory, insights, every publisher's
// subgraph and the gateway on free loopback ports, in one process as `pnpm start` runs them.
// Reads DATABASE_URL and SCHEMA_PREFIX, and optionally AUTH_SECRET, TODAY and REQUEST_DEADLINE_MS
// (scripts/src/env.ts); admission control and request limits read their own settings from the
// environment, as in every deployable (startHttpServer, each env.ts's readLimits). Prints one JSON
// line with its URLs when ready. It stops on SIGTERM and when its standard input closes, which
// happens when its parent ends however it ends, so it cannot outlive it.

const env = readGraphProcessEnv();
const { TODAY } = env;
const graph = await startLocalGraph({
  registry: loadRegistry(),
  databaseUrl: env.DATABASE_URL,
  schemaPrefix: env.SCHEMA_PREFIX,
  ports: 'free',
  ...(env.AUTH_SECRET && { auth: { secret: env.AUTH_SECRET } }),
  ...(TODAY && { today: () => TODAY }),
  ...(env.REQUEST_DEADLINE_MS && { gateway: { requestDeadlineMs: env.REQUEST_DEADLINE_MS } }),
  // Each publisher's warnings (an import that failed inside it) as JSON lines the parent may count.
  logger: (publisher) => pino({ name: publisher, level: 'warn' }),
});
console.log(
  JSON.stringify({
    ready: true,
    pid: process.pid,
    gatewayUrl: graph.gatewayUrl,
    subgraphUrls: graph.subgraphUrls,
  }),
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // A graph that will not drain is not waited for: the test has finished with it.
  setTimeout(() => process.exit(0), 5000).unref();
  void graph.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
