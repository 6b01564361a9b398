import { cpus, totalmem } from 'node:os';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench [--url http://127.0.0.1:4000/graphql] [--seconds 10] [--connections 10]
//
// Load-tests the running graph (start it with `pnpm start`) with the uniform query, side by side
// with a directory-only query in the same run, so the ratio shows what the fan-out to every
// organisation costs on this machine whatever else it is doing. Loopback only; bounded in time.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench`,
    description:
      'Load-tests the running graph (start it first) with the uniform query, side by side with a directory-only query,\nso the ratio shows what the fan-out to every organisation costs on this machine. Loopback only; bounded in time.',
    options: {
      url: {
        type: 'string',
        default: 'http://127.0.0.1:4000/graphql',
        value: '<url>',
        description: "the running graph's GraphQL URL (loopback only)",
      },
      seconds: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'seconds per phase (at most 60)',
      },
      connections: {
        type: 'string',
        default: '10',
        value: '<n>',
        description: 'connections at once (at most 50)',
      },
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds of the two queries, alternating',
      },
    },
    examples: [`${PNPM} bench`, `${PNPM} bench -- --seconds 5 --connections 4`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
const { default: autocannon } = await import('autocannon');

const url = new URL(values.url!);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error(`bench only targets this machine (loopback); ${url.hostname} is not loopback`);
  process.exit(2);
}
const seconds = Math.min(Number(values.seconds), 60);
const connections = Math.min(Number(values.connections), 50);

export const UNIFORM_QUERY = `query Uniform { organisations { id name kind
  services { id name department phase }
  indicators { id code name unit polarity latest { period value numerator denominator synthetic } }
  milestones { id title baseline { date precision label } forecast { label } actual { label } } } }`;
const DIRECTORY_QUERY = 'query DirectoryOnly { organisations { id name kind } }';

async function check(query: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }).catch(() => null);
  if (!response?.ok) {
    console.error(`no graph answers at ${url}; start it first with \`pnpm start\``);
    process.exit(2);
  }
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) {
    console.error(`the graph answered with errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    process.exit(2);
  }
}

async function run(name: string, query: string) {
  const result = await autocannon({
    url: url.toString(),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    connections,
    duration: seconds,
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
  };
}

await check(UNIFORM_QUERY);
await check(DIRECTORY_QUERY);
console.log(
  `${new Date().toISOString()}  ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
console.log(
  `${connections} connections, ${seconds} s per phase, ${values.rounds} rounds alternating the two queries\n`,
);
const results: Awaited<ReturnType<typeof run>>[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  results.push(await run('uniform', UNIFORM_QUERY));
  results.push(await run('directory-only', DIRECTORY_QUERY));
}
console.log('query           round   req/s    p50 ms   p99 ms   errors');
results.forEach((r, i) =>
  console.log(
    `${r.name.padEnd(15)} ${String(Math.floor(i / 2) + 1).padStart(5)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(9)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(8)}`,
  ),
);
const mean = (name: string, key: 'rps' | 'p50' | 'p99') => {
  const rows = results.filter((r) => r.name === name);
  return rows.reduce((s, r) => s + r[key], 0) / rows.length;
};
console.log(
  `\nuniform / directory-only: throughput ${(mean('uniform', 'rps') / mean('directory-only', 'rps')).toFixed(2)}x, p50 ${(mean('uniform', 'p50') / mean('directory-only', 'p50')).toFixed(2)}x, p99 ${(mean('uniform', 'p99') / mean('directory-only', 'p99')).toFixed(2)}x`,
);
if (results.some((r) => r.errors > 0)) process.exitCode = 1;
