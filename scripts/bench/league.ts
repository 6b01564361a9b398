import { cpus, totalmem } from 'node:os';
import type { Registry } from '@crossgov/schema';
import type { LocalGraph } from '../src/local-graph.ts';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:league [--seconds 10] [--connections 4] [--rounds 2] [--database-url postgres://...]
//
// The league query (directory -> every organisation's scorecard in parallel -> insights once) on
// two graphs running side by side in this process: the five real clusters, and fifty (the five
// plus 45 simulated from the registry's cluster entry). Phases alternate so both see the same
// machine. Reports requests per second, p50, p99, and SQL statements per subgraph per request.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:league`,
    description:
      'The league query on two graphs side by side in this process, the five real clusters and fifty: requests per\nsecond, p50, p99 and SQL statements per subgraph per request.',
    options: {
      seconds: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'seconds per phase (at most 60)',
      },
      connections: {
        type: 'string',
        default: '4',
        value: '<n>',
        description: 'connections at once (at most 50)',
      },
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds, the two graphs alternating',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [
      `${PNPM} bench:league`,
      `${PNPM} bench:league -- --seconds 5 --database-url postgres://postgres@127.0.0.1:5432/test`,
    ],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { loadRegistry, parseRegistry } = await import('@crossgov/schema');
const { default: autocannon } = await import('autocannon');
const { startLocalGraph } = await import('../src/local-graph.ts');
const { benchDatabase } = await import('./database.ts');
const seconds = Math.min(Number(values.seconds), 60);
const connections = Math.min(Number(values.connections), 50);

const LEAGUE_QUERY = `{ government { league(indicator: "ss-invoices-paid-5-days") {
  period reported expected overall { value } rows { organisationId rank value funnel { position } } notReported { organisationId } } } }`;

/** The five clusters alone, or with simulated clusters (each its own publisher) added until there are `size`. */
function registryOf(size: number): Registry {
  const base = loadRegistry();
  const clusters = base.organisations.filter((o) => o.kind === 'CLUSTER');
  const own = (id: string) => ({
    url: base.publishers.find((p) => p.id === id)?.url ?? 'http://127.0.0.1:0/graphql',
  });
  const entries = [
    ...clusters.map(({ publisher, ...org }) => ({ ...org, subgraph: own(publisher) })),
    ...Array.from({ length: size - clusters.length }, (_, i) => {
      const n = String(i + clusters.length + 1).padStart(2, '0');
      return {
        id: `sim${n}`,
        name: `Simulated cluster ${n}`,
        kind: 'CLUSTER',
        seed: { profile: 'cluster' },
        subgraph: { url: 'http://127.0.0.1:0/graphql' },
      };
    }),
  ];
  return parseRegistry(
    { directory: base.directory, insights: base.insights, organisations: entries },
    'bench registry',
  );
}

/**
 * SQL statements per request, per subgraph, from requests sent one at a time (under load, requests
 * still in flight when a phase ends would inflate a count divided by completed requests).
 */
async function statementsPerRequest(graph: LocalGraph, requests = 5) {
  const counters = [...graph.publishers.values()].map((o) => o.database.statements);
  const before = counters.map((c) => c.count);
  const directoryBefore = graph.directory.database.statements.count;
  for (let i = 0; i < requests; i++) await check(graph, graph.organisations.size);
  const perOrganisation = counters.map((c, i) => (c.count - before[i]!) / requests);
  return {
    min: Math.min(...perOrganisation),
    max: Math.max(...perOrganisation),
    directory: (graph.directory.database.statements.count - directoryBefore) / requests,
  };
}

async function measure(name: string, graph: LocalGraph) {
  const sql = await statementsPerRequest(graph);
  const result = await autocannon({
    url: graph.gatewayUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LEAGUE_QUERY }),
    connections,
    duration: seconds,
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
    sqlPerOrganisation: sql.max,
    sqlPerOrganisationMin: sql.min,
    sqlDirectory: sql.directory,
  };
}

async function check(graph: LocalGraph, size: number): Promise<void> {
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LEAGUE_QUERY }),
  });
  const body = (await response.json()) as {
    data?: { government: { league: { expected: number } } };
    errors?: unknown;
  };
  if (body.errors || body.data?.government.league.expected !== size)
    throw new Error(
      `league on ${size} organisations is wrong: ${JSON.stringify(body).slice(0, 400)}`,
    );
}

const t0 = Date.now();
const graphs: [string, number, LocalGraph][] = [];
const database = await benchDatabase(values['database-url']);
try {
  for (const size of [5, 50]) {
    const graph = await startLocalGraph({
      registry: registryOf(size),
      ports: 'free',
      databaseUrl: database.url,
      schemaPrefix: `bench${process.pid}_${size}`,
    });
    await check(graph, size);
    graphs.push([`${size} organisations`, size, graph]);
  }
  console.log(
    `${new Date().toISOString()}  ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${database.label}`,
  );
  console.log(
    `graphs up in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${connections} connections, ${seconds} s per phase, ${values.rounds} rounds alternating\n`,
  );
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (let round = 0; round < Number(values.rounds); round++)
    for (const [name, , graph] of graphs) results.push(await measure(name, graph));
  console.log(
    'graph              req/s   p50 ms   p99 ms  errors  SQL/request per organisation subgraph  directory',
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(17)} ${r.rps.toFixed(1).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(7)}  ${r.sqlPerOrganisationMin.toFixed(2)}-${r.sqlPerOrganisation.toFixed(2)}`.padEnd(
        88,
      ) + r.sqlDirectory.toFixed(2),
    );
  }
  const mean = (name: string, key: 'rps' | 'p50' | 'p99') => {
    const rows = results.filter((r) => r.name === name);
    return rows.reduce((s, r) => s + r[key], 0) / rows.length;
  };
  console.log(
    `\n50 / 5 organisations: throughput ${(mean('50 organisations', 'rps') / mean('5 organisations', 'rps')).toFixed(2)}x, p50 ${(mean('50 organisations', 'p50') / mean('5 organisations', 'p50')).toFixed(2)}x, p99 ${(mean('50 organisations', 'p99') / mean('5 organisations', 'p99')).toFixed(2)}x`,
  );
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  for (const [, , graph] of graphs) await graph.stop();
  await database.stop();
}
