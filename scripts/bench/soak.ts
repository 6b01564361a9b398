import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:soak [-- --minutes 30 --rate 10 --database-url postgres://...]
//
// The production build (pnpm build) as it is deployed: the gateway, the directory, insights and
// every publisher of schema/registry.json as separate `node` processes, under a mixed read workload
// sent at a fixed rate (open loop: a slow answer does not slow the sending) for a bounded time. Each
// minute: requests, errors, p50 and p99, and the resident memory of every process. Memory is
// judged flat when each process's resident set at the end is within 10% of the one after the first
// minute (warm: caches filled, code compiled). Every request has a 15 s deadline; at most 200 are in
// flight. Loopback only.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:soak`,
    description:
      'The production build as deployed (run build first), every process separate, under a fixed-rate mixed read workload\nfor a bounded time: requests, errors, p50 and p99 each minute, and the memory of every process.',
    options: {
      minutes: {
        type: 'string',
        default: '30',
        value: '<n>',
        description: 'how long (at most 240)',
      },
      rate: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'requests a second (at most 200)',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [`${PNPM} bench:soak`, `${PNPM} bench:soak -- --minutes 5 --rate 20`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
const { buildDeployables, startDeployedGraph } = await import('../src/deployed.ts');
const { benchDatabase } = await import('./database.ts');
const minutes = Number(values.minutes);
const rate = Number(values.rate);
if (!(minutes > 0 && minutes <= 240) || !(rate > 0 && rate <= 200))
  throw new Error('--minutes must be in (0, 240] and --rate in (0, 200] requests a second');

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const FIRST_QUERY = /"query":\s*\n\s*"([^"]+)"/.exec(README)![1]!;
const SCORECARD =
  '{ organisations(kind: CLUSTER) { name scorecard(periods: 12) { indicator latest { period value target rag { status rule } } exceptions { rule } } } }';
const LEAGUE =
  '{ government { league(indicator: "ss-invoices-paid-5-days") { period reported expected overall { value rule } } } }';

// The mix: what a strategy team's dashboard and a BI tool's refresh ask most.
const MIX: { name: string; weight: number; send: (base: string) => Promise<Response> }[] = [
  { name: 'first query', weight: 3, send: (base) => post(base, FIRST_QUERY) },
  { name: 'scorecard', weight: 3, send: (base) => post(base, SCORECARD) },
  { name: 'league', weight: 2, send: (base) => post(base, LEAGUE) },
  {
    name: 'facts csv',
    weight: 1,
    send: (base) =>
      fetch(`${base}facts?kinds=CLUSTER&format=csv`, { signal: AbortSignal.timeout(15_000) }),
  },
  {
    name: 'overview page',
    weight: 1,
    send: (base) => fetch(base, { signal: AbortSignal.timeout(15_000) }),
  },
];
const post = (base: string, query: string) =>
  fetch(`${base}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(15_000),
  });
const schedule = MIX.flatMap((m) => Array.from({ length: m.weight }, () => m));

const rssMiB = (pid: number) => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

console.log(
  `soak: ${minutes} min at ${rate} requests/s; ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg()
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
const graph = await startDeployedGraph({
  databaseUrl: database.url,
  organisations,
  env: { LOG_LEVEL: 'warn' },
});
const { processes, gatewayUrl } = graph;
try {
  const base = gatewayUrl.replace(/graphql$/, '');
  console.log(
    `${processes.length} processes ready; resident MiB at start: ${processes.map((p) => `${p.name} ${rssMiB(p.pid).toFixed(0)}`).join(', ')}`,
  );

  interface Minute {
    minute: number;
    sent: number;
    errors: number;
    p50: number;
    p99: number;
    rss: Record<string, number>;
  }
  const rows: Minute[] = [];
  const errorsSeen = new Map<string, number>();
  let inFlight = 0;
  let skipped = 0;
  let latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let next = 0;
  const started = Date.now();
  const end = started + minutes * 60_000;
  const send = async () => {
    const kind = schedule[next++ % schedule.length]!;
    const t0 = performance.now();
    inFlight += 1;
    sent += 1;
    try {
      const response = await kind.send(base);
      const text = await response.text();
      const failed =
        response.status !== 200 ||
        (response.headers.get('content-type')?.includes('json') &&
          (JSON.parse(text) as { errors?: unknown[] }).errors?.length);
      if (failed) {
        errors += 1;
        const key = `${kind.name}: HTTP ${response.status} ${text.slice(0, 120)}`;
        errorsSeen.set(key, (errorsSeen.get(key) ?? 0) + 1);
      }
    } catch (error) {
      errors += 1;
      const key = `${kind.name}: ${(error as Error).name} ${(error as Error).message}`;
      errorsSeen.set(key, (errorsSeen.get(key) ?? 0) + 1);
    } finally {
      inFlight -= 1;
      latencies.push(performance.now() - t0);
    }
  };
  const timer = setInterval(() => {
    if (inFlight >= 200) skipped += 1;
    else void send();
  }, 1000 / rate);
  let minute = 0;
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, end - Date.now())));
    minute += 1;
    const sorted = latencies.sort((a, b) => a - b);
    const row = {
      minute,
      sent,
      errors,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      rss: Object.fromEntries(processes.map((p) => [p.name, rssMiB(p.pid)])),
    };
    rows.push(row);
    console.log(
      `minute ${minute}: ${sent} sent, ${errors} errors, p50 ${row.p50.toFixed(0)} ms, p99 ${row.p99.toFixed(0)} ms, RSS MiB ${processes.map((p) => `${p.name} ${row.rss[p.name]!.toFixed(0)}`).join(', ')}`,
    );
    latencies = [];
    sent = 0;
    errors = 0;
  }
  clearInterval(timer);
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 100));

  const total = rows.reduce((s, r) => s + r.sent, 0);
  const totalErrors = rows.reduce((s, r) => s + r.errors, 0);
  console.log(
    `\n${total} requests in ${minutes} min (${(total / (minutes * 60)).toFixed(1)}/s), ${totalErrors} errors, ${skipped} ticks skipped at 200 in flight`,
  );
  for (const [error, count] of errorsSeen) console.log(`  ${count} x ${error}`);
  console.log('\n| minute | requests | errors | p50 ms | p99 ms |\n|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.minute} | ${r.sent} | ${r.errors} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} |`,
    );
  const first = rows[0]!;
  const last = rows.at(-1)!;
  console.log(
    '\n| process | RSS after minute 1, MiB | RSS at the end, MiB | change |\n|---|---:|---:|---:|',
  );
  let flat = true;
  for (const p of processes) {
    const change = last.rss[p.name]! / first.rss[p.name]! - 1;
    if (Math.abs(change) > 0.1) flat = false;
    console.log(
      `| ${p.name} | ${first.rss[p.name]!.toFixed(0)} | ${last.rss[p.name]!.toFixed(0)} | ${(change * 100).toFixed(1)}% |`,
    );
  }
  console.log(
    `\nmemory ${flat ? 'flat within 10%' : 'NOT flat within 10%'}; ${totalErrors === 0 ? '0 errors' : `${totalErrors} ERRORS`}; load at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await graph.stop();
  await database.stop();
}
