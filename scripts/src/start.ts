import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRegistry } from '@crossgov/schema';
import { devSecret } from './dev-secret.ts';
import { startLocalGraph } from './local-graph.ts';
import { ROOT, startProcess, waitForGraphQL } from './processes.ts';

// pnpm start: the directory, one subgraph per registered organisation (each on its own port with
// its own embedded database under .data/), then the gateway. Ctrl-C stops them all.
//
// By default the subgraphs share this one Node process: each embedded PostgreSQL costs about two
// cores for two seconds to start, and ten processes starting at once took 25-29 s on this 2-core
// machine against about 10 s in one process. `--separate` runs each subgraph in its own process,
// as they are deployed.

const { values } = parseArgs({
  // pnpm passes a literal `--` through to the script.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'data-dir': { type: 'string', default: join(ROOT, '.data') },
    port: { type: 'string', default: '4000' },
    'log-level': { type: 'string', default: 'warn' },
    separate: { type: 'boolean', default: false },
  },
});

const registry = loadRegistry();
const dataDir = values['data-dir']!;
const logLevel = values['log-level']!;
// Tokens from `pnpm token` are signed with the same secret, kept under the data folder.
const authSecret = process.env.AUTH_SECRET || devSecret(dataDir);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
/** Prints a subgraph's log lines as `[name] message` rather than JSON. */
function consoleLogger(name: string) {
  const line = (write: (text: string) => void) => (a: unknown, b?: string) =>
    write(`[${name}] ${typeof a === 'string' ? a : `${b ?? ''} ${JSON.stringify(a)}`}`);
  return { info: line(console.log), warn: line(console.warn) } as never;
}

const stops: (() => Promise<unknown>)[] = [];
const children: ChildProcess[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([Promise.allSettled(stops.map((stop) => stop())), new Promise((resolve) => setTimeout(resolve, 5000))]);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function spawnSubgraph(name: string, entry: string, env: Record<string, string>, url: string): Promise<void> {
  const child = startProcess(name, join(ROOT, entry), { DATA_DIR: dataDir, LOG_LEVEL: logLevel, AUTH_SECRET: authSecret, ...env });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return waitForGraphQL(url, Date.now() + 90_000, () => child.exitCode === null);
}

async function inProcess(): Promise<string> {
  const graph = await startLocalGraph({
    registry,
    dataDir,
    supergraphPath: join(ROOT, 'schema/supergraph.graphql'),
    gatewayPort: Number(values.port),
    auth: { secret: authSecret },
    logger: consoleLogger,
    onOrganisation: (id, running) => console.log(`[${id}] ${running.url} (${running.database.driver}) after ${elapsed()}`),
  });
  stops.push(graph.stop);
  return graph.gatewayUrl;
}

async function separately(): Promise<string> {
  const gatewayUrl = `http://localhost:${values.port}/graphql`;
  await Promise.all([
    spawnSubgraph('directory', 'subgraphs/directory/src/index.ts', {}, registry.directory.url),
    spawnSubgraph('insights', 'subgraphs/insights/src/index.ts', {}, registry.insights.url),
    ...registry.organisations.map((org) => spawnSubgraph(org.id, 'subgraphs/organisation/src/index.ts', { ORGANISATION: org.id }, org.subgraph.url)),
    spawnSubgraph('gateway', 'gateway/src/index.ts', { PORT: values.port! }, gatewayUrl),
  ]);
  return gatewayUrl;
}

try {
  const url = (values.separate ? await separately() : await inProcess()).replace('127.0.0.1', 'localhost');
  console.log(`
Crossgov is up in ${elapsed()}: ${registry.organisations.length} organisations + directory + insights, data in ${dataDir}

  GraphQL:   ${url}
  Dashboard: ${url.replace(/graphql$/, '')}
  BI facts:  ${url.replace(/graphql$/, 'facts?format=csv')} (docs/bi.md)

A first query to paste (or send with curl, see README.md):

  {
    organisations {
      id name kind
      services { name department phase }
      indicators { code name unit polarity latest { period value numerator denominator synthetic } }
      milestones { title baseline { label } forecast { label } actual { label } }
    }
  }

Ctrl-C stops every process.`);
} catch (error) {
  console.error(`start failed: ${(error as Error).message}`);
  await stopAll(1);
}
