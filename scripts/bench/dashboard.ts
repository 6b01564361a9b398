import { cpus, loadavg, totalmem } from 'node:os';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:dashboard [--rounds 10] [--database-url postgres://...] [--public-data]
//
// Time to a rendered page in Debian's headless Chromium, for the overview and, side by side, the
// other dashboard pages, alternating, against the seeded graph in this process. Each visit is a
// fresh browser context (no cache): from navigation start to the load event (styles and fonts
// applied, the page laid out), split into the server's GraphQL and render time (Server-Timing),
// with the size of the page's HTML.
//
// --public-data: the real government instead (346 organisations of the published data sets where
// CROSSGOV_PUBLIC_DATA, else ../shared/data/public; each publisher imports them as it starts, about
// a minute), and the pages a strategy team opens on it: the overview and one kind of it, an NHS
// trust's, a council's and a department's page, the strategy page and one department's major
// projects, the trusts' 4-hour league for a month and a council league within a family group.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:dashboard`,
    description:
      "Time to a rendered page in headless Chromium for the overview and the other dashboard pages, alternating, each\nvisit a fresh browser context: navigation to load, the server's GraphQL and render time, the page's size.",
    options: {
      rounds: { type: 'string', default: '10', value: '<n>', description: 'visits to each page' },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
      'public-data': {
        type: 'boolean',
        description:
          'the real government from the published data sets (CROSSGOV_PUBLIC_DATA, else ../shared/data/public)',
      },
    },
    examples: [`${PNPM} bench:dashboard`, `${PNPM} bench:dashboard -- --rounds 3 --public-data`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { loadRegistry } = await import('@crossgov/schema');
const { publicDataDir } = await import('@crossgov/organisation/sources');
const { launchChromium } = await import('../src/chromium.ts');
const { startLocalGraph } = await import('../src/local-graph.ts');
const { readPublicGovernment } = await import('../src/public-government.ts');
const { benchDatabase } = await import('./database.ts');
const { readScriptEnv } = await import('../src/env.ts');
const env = readScriptEnv();
const publicData = values['public-data']
  ? publicDataDir({ CROSSGOV_PUBLIC_DATA: env.CROSSGOV_PUBLIC_DATA })
  : null;

const TODAY_PAGES = {
  overview: '/',
  organisation: '/organisations/synergy',
  strategy: '/strategy',
  compare: '/compare?indicator=ss-invoices-paid-5-days',
};
const PUBLIC_PAGES = {
  overview: '/',
  'overview, NHS trusts': '/?kind=NHS_TRUST',
  'organisation, NHS trust': '/organisations/rjf',
  'organisation, council': '/organisations/angus',
  'organisation, department': '/organisations/dft',
  strategy: '/strategy',
  'strategy, one department': '/strategy?organisation=dft',
  'compare, trusts for a month': '/compare?indicator=ae-4-hours&period=2018-03',
  'compare, councils in a family group': `/compare?indicator=CORP01&peerGroup=${encodeURIComponent('LGBF family group: Place and corporate services, 3')}`,
};
const PAGES: Record<string, string> = publicData ? PUBLIC_PAGES : TODAY_PAGES;
const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const database = await benchDatabase(values['database-url']);
const government = publicData
  ? readPublicGovernment(publicData, { today: new Date().toISOString().slice(0, 10) })
  : null;
const started = performance.now();
const graph = await startLocalGraph({
  registry: government?.registry ?? loadRegistry(),
  databaseUrl: database.url,
  schemaPrefix: `benchdash${process.pid}`,
  ports: 'free',
  ...(government && { sources: government.reads, subgraphTimeoutMs: 10_000 }),
});
const upIn = (performance.now() - started) / 1000;
const browser = await launchChromium(env.CHROMIUM_PATH);
try {
  const base = graph.gatewayUrl.replace(/\/graphql$/, '');
  const samples: Record<
    string,
    { load: number[]; graphql: number[]; render: number[]; bytes: number }
  > = {};
  // One visit of each first, not counted: it warms the query plan cache as any running gateway has.
  for (const path of Object.values(PAGES))
    await (await browser.newPage()).goto(base + path, { timeout: 120_000 });
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const [name, path] of Object.entries(PAGES)) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(base + path, { waitUntil: 'load', timeout: 120_000 });
      if (response?.status() !== 200) throw new Error(`${path}: HTTP ${response?.status()}`);
      // Runs in the page; this project's TypeScript has no DOM types, so the entry is described here.
      const timing = await page.evaluate(() => {
        const [nav] = (
          performance as unknown as {
            getEntriesByType(type: string): { startTime: number; loadEventEnd: number }[];
          }
        ).getEntriesByType('navigation');
        return { load: nav!.loadEventEnd - nav!.startTime };
      });
      const server = Object.fromEntries(
        [
          ...(response.headers()['server-timing'] ?? '').matchAll(
            /(\w+);(?:desc="[^"]*";)?dur=([\d.]+)/g,
          ),
        ].map((m) => [m[1]!, Number(m[2])]),
      );
      const entry = (samples[name] ??= {
        load: [],
        graphql: [],
        render: [],
        bytes: (await response.body()).length,
      });
      entry.load.push(timing.load);
      entry.graphql.push(server.graphql ?? Number.NaN);
      entry.render.push(server.render ?? Number.NaN);
      await context.close();
    }
  }
  const graphLabel = government
    ? `the real government (${government.registry.organisations.length} organisations, graph up in ${upIn.toFixed(1)} s)`
    : "today's graph";
  console.log(
    `# pnpm bench:dashboard${government ? ' --public-data' : ''}, ${new Date().toISOString().slice(0, 10)}: ${values.rounds} visits of each page, fresh context each, ${graphLabel}, ${database.label}`,
  );
  console.log(
    `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${MiB(totalmem())} MiB, Node ${process.version}, ${browser.version()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end\n`,
  );
  console.log(
    '| page | path | HTML KiB | load p50 ms | load p90 ms | load max ms | GraphQL p50 ms | GraphQL p90 ms | render p50 ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, s] of Object.entries(samples)) {
    console.log(
      `| ${name} | \`${PAGES[name]}\` | ${Math.round(s.bytes / 1024)} | ${percentile(s.load, 50).toFixed(0)} | ${percentile(s.load, 90).toFixed(0)} | ${Math.max(...s.load).toFixed(0)} | ${percentile(s.graphql, 50).toFixed(0)} | ${percentile(s.graphql, 90).toFixed(0)} | ${percentile(s.render, 50).toFixed(1)} |`,
    );
  }
  const overview = percentile(samples.overview!.load, 50);
  console.log(
    `\noverview p50 against the others: ${Object.entries(samples)
      .filter(([n]) => n !== 'overview')
      .map(([n, s]) => `${n} ${(overview / percentile(s.load, 50)).toFixed(2)}x`)
      .join(', ')}`,
  );
} finally {
  await browser.close();
  await graph.stop();
  await database.stop();
}
