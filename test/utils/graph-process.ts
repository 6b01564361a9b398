import '@crossgov/schema/production';
import { loadRegistry } from '@crossgov/schema';
import { startLocalGraph } from '@crossgov/scripts';
import { pino } from 'pino';

// The whole graph in a Node process of its own (started by test/utils/child-graph.ts), so a test can
// tell whether anything it sent took the process down: the directory, insights, every publisher's
// subgraph and the gateway on free loopback ports, as `pnpm start` runs them. Reads DATABASE_URL,
// SCHEMA_PREFIX and AUTH_SECRET; prints one JSON line with its URLs when ready. It stops on SIGTERM
// and when its standard input closes, which happens when the test process ends however it ends,
// so it cannot outlive the test.

const graph = await startLocalGraph({
  registry: loadRegistry(),
  databaseUrl: process.env.DATABASE_URL!,
  schemaPrefix: process.env.SCHEMA_PREFIX!,
  ports: 'free',
  auth: { secret: process.env.AUTH_SECRET! },
  today: () => '2026-11-21',
  subgraphTimeoutMs: 5000,
  // Each publisher's warnings (an import that failed inside it) as JSON lines the test counts.
  logger: (publisher) => pino({ name: publisher, level: 'warn' }),
});
console.log(JSON.stringify({ ready: true, pid: process.pid, gatewayUrl: graph.gatewayUrl, subgraphUrls: graph.subgraphUrls }));

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
