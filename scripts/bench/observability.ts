import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:observability [-- --seconds 10 --rounds 3 --connections 10 --database-url postgres://...]
//
// What the request log and tracing cost. Three copies of the production build's whole graph (every
// publisher of schema/registry.json, the directory, insights, the gateway; separate `node`
// processes), identical but for their operations settings: "quiet" logs warnings only and does not
// trace; "logged" logs a line per request in every process (LOG_LEVEL=info); "observed" does that
// and exports every span to an OTLP collector this process runs (which reads and drops them). The uniform query is
// sent to each in turn, alternating, for a bounded time; throughput, p50 and p99 and the ratio.
// Loopback only.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:observability`,
    description:
      'Three copies of the production build (quiet, logging every request, and logging and tracing every request to a\ncollector this process runs), the uniform query sent to each in turn: throughput, p50 and p99 and the ratios.',
    options: {
      seconds: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'seconds per phase (at most 60)',
      },
      rounds: { type: 'string', default: '3', value: '<n>', description: 'rounds (at most 10)' },
      connections: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'connections at once (at most 50)',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [
      `${PNPM} bench:observability`,
      `${PNPM} bench:observability -- --seconds 5 --rounds 1`,
    ],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
const { default: autocannon } = await import('autocannon');
const { buildDeployables, startDeployedGraph } = await import('../src/deployed.ts');
const { benchDatabase } = await import('./database.ts');
const seconds = Math.min(Number(values.seconds), 60);
const rounds = Math.min(Number(values.rounds), 10);
const connections = Math.min(Number(values.connections), 50);
const UNIFORM =
  '{ organisations { id name kind services { id name department phase } indicators { id code name unit polarity latest { period value numerator denominator synthetic } } milestones { id title baseline { date precision label } forecast { label } actual { label } } } }';

// The collector: reads each export and answers 200, as a collector does, keeping only a count.
let spanBatches = 0;
const collector = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    spanBatches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const collectorUrl = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;

console.log(
  `observability: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${new Date().toISOString()}`,
);
await buildDeployables();
const database = await benchDatabase(values['database-url']);
const organisations = (
  JSON.parse(readFileSync(new URL('../../schema/registry.json', import.meta.url), 'utf8')) as {
    organisations: { id: string }[];
  }
).organisations.map((o) => o.id);
const quiet = await startDeployedGraph({
  databaseUrl: database.url,
  organisations,
  env: { LOG_LEVEL: 'warn' },
  label: 'quiet',
});
const logged = await startDeployedGraph({
  databaseUrl: database.url,
  organisations,
  env: { LOG_LEVEL: 'info' },
  label: 'logged',
});
const observed = await startDeployedGraph({
  databaseUrl: database.url,
  organisations,
  env: { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl },
  label: 'observed',
});

try {
  const graphs = {
    quiet: quiet.gatewayUrl,
    logged: logged.gatewayUrl,
    observed: observed.gatewayUrl,
  };
  const results: Record<string, { rps: number[]; p50: number[]; p99: number[]; errors: number }> =
    Object.fromEntries(
      Object.keys(graphs).map((label) => [label, { rps: [], p50: [], p99: [], errors: 0 }]),
    );
  const body = JSON.stringify({ query: UNIFORM });
  for (const url of Object.values(graphs))
    await autocannon({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections,
      duration: 3,
    }); // warm up
  for (let round = 1; round <= rounds; round++) {
    // Each round in another order, so no graph always runs after the same one.
    const order = Object.entries(graphs);
    for (let i = 0; i < round - 1; i++) order.push(order.shift()!);
    for (const [label, url] of order) {
      const result = await autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        duration: seconds,
      });
      const r = results[label]!;
      r.rps.push(result.requests.average);
      r.p50.push(result.latency.p50);
      r.p99.push(result.latency.p99);
      r.errors += result.errors + result.non2xx;
      console.log(
        `round ${round} ${label}: ${result.requests.average.toFixed(1)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors + result.non2xx} errors`,
      );
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [q, l, o] = [results.quiet!, results.logged!, results.observed!];
  console.log(
    `\n| graph | req/s (mean of ${rounds}) | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|`,
  );
  for (const [label, r] of Object.entries(results))
    console.log(
      `| ${label} | ${mean(r.rps).toFixed(1)} | ${mean(r.p50).toFixed(0)} | ${mean(r.p99).toFixed(0)} | ${r.errors} |`,
    );
  console.log(
    `\nlogged / quiet: throughput ${(mean(l.rps) / mean(q.rps)).toFixed(2)}, p50 ${(mean(l.p50) / mean(q.p50)).toFixed(2)}, p99 ${(mean(l.p99) / mean(q.p99)).toFixed(2)}`,
  );
  console.log(
    `observed / quiet: throughput ${(mean(o.rps) / mean(q.rps)).toFixed(2)}, p50 ${(mean(o.p50) / mean(q.p50)).toFixed(2)}, p99 ${(mean(o.p99) / mean(q.p99)).toFixed(2)}; ${spanBatches} span batches exported; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const lines = observed.processes.reduce((sum, p) => sum + p.lines.length, 0);
  console.log(`the observed graph wrote ${lines.toLocaleString('en-GB')} log lines`);
} finally {
  await Promise.all([quiet.stop(), logged.stop(), observed.stop()]);
  await database.stop();
  collector.close();
}
