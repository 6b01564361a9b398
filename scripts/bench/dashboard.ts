import '@crossgov/schema/production';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { loadRegistry } from '@crossgov/schema';
import { launchChromium } from '../src/chromium.ts';
import { startLocalGraph } from '../src/local-graph.ts';
import { benchDatabase } from './database.ts';

// pnpm bench:dashboard [--rounds 10] [--database-url postgres://...]
//
// Time to a rendered page in Debian's headless Chromium, for the overview and, side by side, the
// other dashboard pages, alternating, against the seeded graph in this process. Each visit is a
// fresh browser context (no cache): from navigation start to the load event (styles and fonts
// applied, the page laid out), split into the server's GraphQL and render time (Server-Timing).

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { rounds: { type: 'string', default: '10' }, 'database-url': { type: 'string' } },
});

const PAGES = { overview: '/', organisation: '/organisations/synergy', strategy: '/strategy', compare: '/compare?indicator=ss-invoices-paid-5-days' };
const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const database = await benchDatabase(values['database-url']);
const graph = await startLocalGraph({ registry: loadRegistry(), databaseUrl: database.url, schemaPrefix: `benchdash${process.pid}`, ports: 'free' });
const browser = await launchChromium();
try {
  const base = graph.gatewayUrl.replace(/\/graphql$/, '');
  const samples: Record<string, { load: number[]; graphql: number[]; render: number[] }> = {};
  // One visit of each first, not counted: it warms the query plan cache as any running gateway has.
  for (const path of Object.values(PAGES)) await (await browser.newPage()).goto(base + path);
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const [name, path] of Object.entries(PAGES)) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(base + path, { waitUntil: 'load' });
      if (response?.status() !== 200) throw new Error(`${path}: HTTP ${response?.status()}`);
      // Runs in the page; this project's TypeScript has no DOM types, so the entry is described here.
      const timing = await page.evaluate(() => {
        const [nav] = (performance as unknown as { getEntriesByType(type: string): { startTime: number; loadEventEnd: number }[] }).getEntriesByType('navigation');
        return { load: nav!.loadEventEnd - nav!.startTime };
      });
      const server = Object.fromEntries([...(response.headers()['server-timing'] ?? '').matchAll(/(\w+);(?:desc="[^"]*";)?dur=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]));
      const entry = (samples[name] ??= { load: [], graphql: [], render: [] });
      entry.load.push(timing.load);
      entry.graphql.push(server.graphql ?? Number.NaN);
      entry.render.push(server.render ?? Number.NaN);
      await context.close();
    }
  }
  console.log(`# pnpm bench:dashboard, ${new Date().toISOString().slice(0, 10)}: ${values.rounds} visits of each page, fresh context each, ${database.label}`);
  console.log(`# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${MiB(totalmem())} MiB, Node ${process.version}, ${browser.version()}\n`);
  console.log('| page | load p50 ms | load p90 ms | load max ms | GraphQL p50 ms | render p50 ms |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, s] of Object.entries(samples)) {
    console.log(`| ${name} | ${percentile(s.load, 50).toFixed(0)} | ${percentile(s.load, 90).toFixed(0)} | ${Math.max(...s.load).toFixed(0)} | ${percentile(s.graphql, 50).toFixed(0)} | ${percentile(s.render, 50).toFixed(1)} |`);
  }
  const overview = percentile(samples.overview!.load, 50);
  console.log(`\noverview p50 against the others: ${Object.entries(samples).filter(([n]) => n !== 'overview').map(([n, s]) => `${n} ${(overview / percentile(s.load, 50)).toFixed(2)}x`).join(', ')}`);
} finally {
  await browser.close();
  await graph.stop();
  await database.stop();
}
