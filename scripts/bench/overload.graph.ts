import '@crossgov/schema/production';
import { loadRegistry } from '@crossgov/schema';
import { startLocalGraph } from '../src/local-graph.ts';

// The graph bench:overload loads, in its own process so the load generator does not share its
// event loop: every subgraph and the gateway in one Node process on free loopback ports, as
// `pnpm start` runs them. Reads DATABASE_URL and SCHEMA_PREFIX; admission settings come from the
// environment as in a deployment (MAX_CONCURRENT_REQUESTS and the rest, see .env.example).
// Prints one JSON line with the gateway's URL when it is ready; stops on SIGTERM.

const graph = await startLocalGraph({
  registry: loadRegistry(),
  databaseUrl: process.env.DATABASE_URL!,
  schemaPrefix: process.env.SCHEMA_PREFIX!,
  ports: 'free',
  // Admission settings reach every server through the environment (startHttpServer reads them);
  // the gateway's deadline is an option, read here as gateway/src/index.ts reads it.
  gateway: process.env.REQUEST_DEADLINE_MS ? { requestDeadlineMs: Number(process.env.REQUEST_DEADLINE_MS) } : {},
});
console.log(JSON.stringify({ gatewayUrl: graph.gatewayUrl }));
process.once('SIGTERM', () => void graph.stop().then(() => process.exit(0)));
