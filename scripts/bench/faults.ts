import { cpus, loadavg, totalmem } from 'node:os';
import type { Answer } from '@crossgov/testing/hosts/hosts';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:faults [--queries 20] [--rounds 3] [--subgraph-timeout-ms 2000] [--database-url postgres://...]
//
// The network faults of test/deploy/faults.deploy.test.ts, measured: three publishers (synergy,
// unity, norfolk) each on a host of its own (a network namespace joined to the gateway's by a veth
// pair, test/utils/hosts), the gateway, directory and insights on the central host, each a separate
// Node process. One publisher (unity) is slowed by the delaying proxy in front of it, another
// (synergy) partitioned by taking its link down and healed, then the gateway is restarted under
// two retrying clients. The README's first query throughout. Needs root and iproute2.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:faults`,
    description:
      'Three publishers on hosts of their own (network namespaces; needs root and iproute2): answer times under latency\nand loss, a partition and its healing, and a gateway restart under two retrying clients.',
    options: {
      queries: {
        type: 'string',
        default: '20',
        value: '<n>',
        description: 'uniform queries per profile (at most 200)',
      },
      rounds: { type: 'string', default: '3', value: '<n>', description: 'rounds (at most 10)' },
      'subgraph-timeout-ms': {
        type: 'string',
        default: '2000',
        value: '<ms>',
        description: "the gateway's deadline for each subgraph call",
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [`${PNPM} bench:faults`, `${PNPM} bench:faults -- --queries 10 --rounds 1`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
const { isWhole, startHosts } = await import('@crossgov/testing/hosts/hosts');
const { answersUnderLatency, partitionAndHeal, restartGatewayUnderLoad } =
  await import('@crossgov/testing/hosts/scenarios');
const { benchDatabase } = await import('./database.ts');
const { QUERIES } = await import('./workload.ts');
const queries = Math.min(Number(values.queries), 200);
const rounds = Math.min(Number(values.rounds), 10);
const subgraphTimeoutMs = Number(values['subgraph-timeout-ms']);
const query = QUERIES.uniform;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number | null) =>
  n === null || Number.isNaN(n) ? '-' : Math.round(n).toLocaleString('en-GB');
const reasons = (answers: Answer[]) => {
  const counts = new Map<string, number>();
  for (const answer of answers)
    for (const error of answer.body?.errors ?? [])
      counts.set(
        String(error.extensions?.reason ?? error.extensions?.code),
        (counts.get(String(error.extensions?.reason ?? error.extensions?.code)) ?? 0) + 1,
      );
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
};
const row = (label: string, answers: Answer[]) => {
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  return `| ${label} | ${answers.length} | ${answers.filter(isWhole).length} | ${ms(percentile(times, 50))} | ${ms(times.at(-1) ?? NaN)} | ${reasons(answers)} |`;
};

const database = await benchDatabase(values['database-url']);
const started = new Date();
console.log(
  `# bench:faults ${started.toISOString()}: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 20)} MiB, Node ${process.version}, ${database.label}, load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const t0 = performance.now();
const hosts = await startHosts({ databaseUrl: database.url, subgraphTimeoutMs });
// Ctrl-C still stops every process and deletes the namespaces (a run killed harder leaves them to the next run's sweep).
process.once('SIGINT', () => void hosts.stop().finally(() => process.exit(130)));
console.log(
  `# 3 publisher hosts + the central host ready in ${ms(performance.now() - t0)} ms; SUBGRAPH_TIMEOUT_MS=${subgraphTimeoutMs}\n`,
);
try {
  console.log(
    `## Latency and loss to unity (the delaying proxy: each chunk delayed each way; a "lost" chunk held 200 ms more), ${queries} uniform queries one after another\n`,
  );
  console.log(
    "| unity's link | answers | whole | p50 ms | max ms | errors |\n| --- | --- | --- | --- | --- | --- |",
  );
  const profiles: [string, { delayMs: number; loss?: number }][] = [
    ['no fault', { delayMs: 0 }],
    ['100 ms each way', { delayMs: 100 }],
    ['300 ms each way', { delayMs: 300 }],
    ['300 ms each way, 5% of chunks lost', { delayMs: 300, loss: 0.05 }],
    [
      `${subgraphTimeoutMs} ms each way (past the subgraph timeout)`,
      { delayMs: subgraphTimeoutMs },
    ],
  ];
  for (const [label, faults] of profiles)
    console.log(row(label, await answersUnderLatency(hosts, 'unity', faults, query, queries)));

  console.log(
    `\n## synergy partitioned (its veth link down), ${Math.min(queries, 10)} queries, then healed; ${rounds} rounds\n`,
  );
  console.log(
    '| round | during: answers | whole | p50 ms | max ms | errors | after the heal: queries to whole | recovery ms |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (let round = 1; round <= rounds; round += 1) {
    const { during, after, recoveryMs } = await partitionAndHeal(
      hosts,
      'synergy',
      query,
      Math.min(queries, 10),
    );
    const times = during.map((a) => a.ms).sort((a, b) => a - b);
    const errors = reasons(during);
    console.log(
      `| ${round} | ${during.length} | ${during.filter(isWhole).length} | ${ms(percentile(times, 50))} | ${ms(times.at(-1) ?? NaN)} | ${errors} | ${recoveryMs === null ? `none of ${after.length}` : after.length} | ${ms(recoveryMs)} |`,
    );
  }

  console.log(
    `\n## Gateway restarted (SIGTERM, then started again) under 2 clients sending back to back, retrying on connection errors and 503 every 100 ms; ${rounds} rounds\n`,
  );
  console.log(
    '| round | requests | answered whole | failed | lost | retried requests | retries | down ms (SIGTERM to answering) |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (let round = 1; round <= rounds; round += 1) {
    const r = await restartGatewayUnderLoad(hosts, query, { clients: 2 });
    console.log(
      `| ${round} | ${r.requests} | ${r.answered} | ${r.failed} | ${r.lost} | ${r.retriedRequests} | ${r.retries} | ${ms(r.downtimeMs)} |`,
    );
  }
} finally {
  await hosts.stop();
  await database.stop();
}
console.log(
  `\n# ${ms(performance.now() - t0)} ms in all; load average at end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
