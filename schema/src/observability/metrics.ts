import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at /metrics by every server it runs. One
 * registry per process: deployed, a process is one service; `pnpm start` and the tests run several
 * servers in one process, so every series carries the `service` it is about.
 */
export const metrics = new Registry();
// Node's own (process_resident_memory_bytes, nodejs_eventloop_lag_seconds...) under their usual names, which ready-made dashboards expect.
collectDefaultMetrics({ register: metrics });

// Latency buckets from 5 ms (a cached organisation) to 30 s (a league over 1,000 organisations on a
// slow database, past every deadline the gateway keeps).
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const graphqlRequests = new Counter({
  name: 'crossgov_graphql_requests_total',
  help: 'GraphQL requests answered, by service, operation name and outcome (ok, or the first error code).',
  labelNames: ['service', 'operation', 'outcome'] as const,
  registers: [metrics],
});
const graphqlDuration = new Histogram({
  name: 'crossgov_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request being read to its answer being sent, by service and operation name.',
  labelNames: ['service', 'operation'] as const,
  buckets: SECONDS,
  registers: [metrics],
});
const subgraphDuration = new Histogram({
  name: 'crossgov_subgraph_request_duration_seconds',
  help: "The gateway's calls to each subgraph, by subgraph and outcome (ok, TIMEOUT, UNREACHABLE, BUSY, REFUSED, ENDED).",
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: SECONDS,
  registers: [metrics],
});
const subgraphErrors = new Counter({
  name: 'crossgov_subgraph_errors_total',
  help: "The gateway's subgraph calls that failed, by subgraph and reason.",
  labelNames: ['subgraph', 'reason'] as const,
  registers: [metrics],
});
const importRows = new Counter({
  name: 'crossgov_import_rows_total',
  help: 'Rows written by committed imports, by publisher and section (measurements, targets, services...).',
  labelNames: ['service', 'section'] as const,
  registers: [metrics],
});

/** Each database pool's connections, read when Prometheus scrapes. */
const pools = new Map<string, { totalCount: number; idleCount: number; waitingCount: number }>();
new Gauge({
  name: 'crossgov_db_pool_connections',
  help: 'Connections of each database pool: open (total), idle, and callers waiting for one (waiting).',
  labelNames: ['pool', 'state'] as const,
  registers: [metrics],
  collect() {
    this.reset();
    for (const [pool, counts] of pools) {
      this.set({ pool, state: 'total' }, counts.totalCount);
      this.set({ pool, state: 'idle' }, counts.idleCount);
      this.set({ pool, state: 'waiting' }, counts.waitingCount);
    }
  },
});

/** Reports a pool (node-postgres's) under a name until `forget` is called. */
export function watchPool(
  name: string,
  pool: { totalCount: number; idleCount: number; waitingCount: number },
): () => void {
  pools.set(name, pool);
  return () => {
    if (pools.get(name) === pool) pools.delete(name);
  };
}

/** Each cache's size and use, read when Prometheus scrapes. */
const caches = new Map<
  string,
  { size: number; maxEntries: number; hits: number; misses: number }
>();
new Gauge({
  name: 'crossgov_cache_entries',
  help: "Each cache's entries (entries), its bound (max), and lookups answered from it (hits) or not (misses) since the process started.",
  labelNames: ['cache', 'state'] as const,
  registers: [metrics],
  collect() {
    this.reset();
    for (const [cache, c] of caches) {
      this.set({ cache, state: 'entries' }, c.size);
      this.set({ cache, state: 'max' }, c.maxEntries);
      this.set({ cache, state: 'hits' }, c.hits);
      this.set({ cache, state: 'misses' }, c.misses);
    }
  },
});

/** Reports a cache under a name until `forget` is called. */
export function watchCache(
  name: string,
  cache: { size: number; maxEntries: number; hits: number; misses: number },
): () => void {
  caches.set(name, cache);
  return () => {
    if (caches.get(name) === cache) caches.delete(name);
  };
}

const sharedCalls = new Counter({
  name: 'crossgov_subgraph_calls_shared_total',
  help: "The gateway's subgraph calls not sent because an identical read was in flight, answered from it instead, by subgraph.",
  labelNames: ['subgraph'] as const,
  registers: [metrics],
});

/** Records a subgraph read answered from an identical call already in flight. */
export function recordSharedCall(subgraph: string): void {
  sharedCalls.inc({ subgraph });
}

/** Records one subgraph call made by the gateway. */
export function recordSubgraphCall(
  subgraph: string,
  seconds: number,
  outcome: 'ok' | 'TIMEOUT' | 'UNREACHABLE' | 'BUSY' | 'REFUSED' | 'ENDED',
): void {
  subgraphDuration.observe({ subgraph, outcome }, seconds);
  if (outcome !== 'ok') subgraphErrors.inc({ subgraph, reason: outcome });
}

/** Records the rows an import committed, by section. */
export function recordImportRows(service: string, rows: Record<string, number>): void {
  for (const [section, count] of Object.entries(rows))
    if (count > 0) importRows.inc({ service, section }, count);
}

// Operation names are the caller's to choose: a label per name would let any caller grow the
// registry without bound. Names that look like names are kept up to this many; the rest are "(other)".
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const seenNames = new Set<string>();

function operationLabel(name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  if (!NAME.test(name)) return '(other)';
  if (seenNames.has(name)) return name;
  if (seenNames.size >= MAX_OPERATION_NAMES) return '(other)';
  seenNames.add(name);
  return name;
}

/** Counts and times every GraphQL request an Apollo Server answers, by operation name and outcome. */
export function graphqlMetricsPlugin<TContext extends BaseContext>(
  service: string,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ request, response, errors }) {
          const operation = operationLabel(request.operationName);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const first = errors?.[0] ?? body?.errors?.[0];
          const code = first?.extensions?.code;
          const outcome = first
            ? typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)
              ? code
              : 'ERROR'
            : 'ok';
          graphqlRequests.inc({ service, operation, outcome });
          graphqlDuration.observe(
            { service, operation },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}
