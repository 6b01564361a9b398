import { cpus, totalmem } from 'node:os';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:facts [--services 1000] [--rounds 2] [--database-url postgres://...]
//
// Exports HMRC's facts with every service (breakdown=all) as one streamed CSV through the gateway
// (GET /facts?all=true&format=csv), side by side with the export of one monthly indicator (about a
// third of the rows), alternating, in one process holding the whole graph. Reports rows, seconds,
// rows per second and the peak heap and RSS above their level before each export (after a GC): if
// the export streams, three times the rows must not cost three times the memory.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:facts`,
    description:
      "Exports HMRC's facts with every service as one streamed CSV through the gateway, beside the export of one monthly\nindicator, alternating: rows, seconds, rows per second and peak memory above the level before each export.",
    options: {
      services: { type: 'string', default: '1000', value: '<n>', description: "HMRC's services" },
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds of the two exports, alternating',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [`${PNPM} bench:facts`, `${PNPM} bench:facts -- --services 200 --rounds 1`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { loadRegistry } = await import('@crossgov/schema');
const { startLocalGraph } = await import('../src/local-graph.ts');
const { benchDatabase } = await import('./database.ts');

const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function exportCsv(url: string) {
  globalThis.gc?.();
  const start = process.memoryUsage();
  let peak = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak = Math.max(peak, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  const response = await fetch(url);
  if (response.status !== 200)
    throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  let lines = 0;
  let bytes = 0;
  // Count lines as they arrive; keep nothing, as a tool writing to disk would.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sample();
  return {
    rows: lines - 1,
    seconds,
    megabytes: bytes / 1024 / 1024,
    peakAboveMiB: MiB(peak - start.rss),
    heapAboveMiB: MiB(peakHeap - start.heapUsed),
    baselineMiB: MiB(start.rss),
  };
}

const registry = loadRegistry();
const started = performance.now();
const database = await benchDatabase(values['database-url']);
const graph = await startLocalGraph({
  registry: {
    ...registry,
    publishers: registry.publishers.filter((p) => p.id === 'hmrc'),
    organisations: registry.organisations.filter((o) => o.id === 'hmrc'),
  },
  databaseUrl: database.url,
  schemaPrefix: `bench${process.pid}`,
  ports: 'free',
  serviceCount: Number(values.services),
  subgraphTimeoutMs: 60_000,
});
try {
  const base = graph.gatewayUrl.replace(/graphql$/, '');
  // One monthly indicator: about 30 of every 100 rows.
  const { data } = (await (
    await fetch(`${base}facts?organisations=hmrc&pageSize=10000`)
  ).json()) as { data: { indicatorCode: string; periodType: string }[] };
  const one = data.find((f) => f.periodType === 'MONTH')!.indicatorCode;
  const exports = {
    'every indicator': `${base}facts?organisations=hmrc&breakdown=all&all=true&format=csv`,
    [`one indicator (${one})`]: `${base}facts?organisations=hmrc&indicators=${one}&breakdown=all&all=true&format=csv`,
  };
  console.log(
    `# pnpm bench:facts, ${new Date().toISOString().slice(0, 10)}: HMRC with ${values.services} services on ${database.label} (graph up in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${MiB(totalmem())} MiB, Node ${process.version}\n`,
  );
  console.log(
    '| export | round | rows | MB | seconds | rows/s | peak heap above start MiB | peak RSS above start MiB | RSS at start MiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const results: Record<string, { rows: number; peak: number[]; heap: number[]; rate: number[] }> =
    {};
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    for (const [name, url] of Object.entries(exports)) {
      const r = await exportCsv(url);
      const rate = r.rows / r.seconds;
      console.log(
        `| ${name} | ${round} | ${r.rows.toLocaleString('en-GB')} | ${r.megabytes.toFixed(1)} | ${r.seconds.toFixed(2)} | ${Math.round(rate).toLocaleString('en-GB')} | ${r.heapAboveMiB} | ${r.peakAboveMiB} | ${r.baselineMiB} |`,
      );
      const entry = (results[name] ??= { rows: r.rows, peak: [], heap: [], rate: [] });
      entry.peak.push(r.peakAboveMiB);
      entry.heap.push(r.heapAboveMiB);
      entry.rate.push(rate);
    }
  }
  const [all, single] = Object.values(results) as [
    (typeof results)[string],
    (typeof results)[string],
  ];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `\nevery / one indicator: rows ${(all.rows / single.rows).toFixed(2)}x, peak heap above start ${(mean(all.heap) / Math.max(1, mean(single.heap))).toFixed(2)}x, peak RSS above start ${mean(all.peak).toFixed(0)} vs ${mean(single.peak).toFixed(0)} MiB, rows per second ${(mean(all.rate) / mean(single.rate)).toFixed(2)}x`,
  );
} finally {
  await graph.stop();
  await database.stop();
}
