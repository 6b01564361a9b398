import '@crossgov/schema/production';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRegistry } from '@crossgov/schema';
import { startEmbeddedPostgres } from '@crossgov/schema/embedded-postgres';
import { devSecret } from './dev-secret.ts';
import { startLocalGraph } from './local-graph.ts';
import { type PublicGovernment, readPublicGovernment } from './public-government.ts';
import { ROOT, startProcess, waitForGraphQL } from './processes.ts';

// pnpm start: an embedded PostgreSQL server (the real engine, from npm) under .data/postgres, the
// directory, one subgraph per registered publisher (each on its own port with its own schema),
// insights, then the gateway. Ctrl-C stops them all, the database last. With DATABASE_URL set, the
// subgraphs use that server instead.
//
// By default the subgraphs share this one Node process, which holds the graph in the least memory;
// `--separate` runs each subgraph in its own process, as they are deployed.

const { values } = parseArgs({
  // pnpm passes a literal `--` through to the script.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'data-dir': { type: 'string', default: join(ROOT, '.data') },
    port: { type: 'string', default: '4000' },
    'log-level': { type: 'string', default: 'warn' },
    separate: { type: 'boolean', default: false },
    'pg-port': { type: 'string', default: '4432' },
    'public-data': { type: 'string' },
  },
});

// --public-data <dir>: the real government, from the published data sets in <dir> (scripts/src/public-government.ts).
let government: PublicGovernment | null = null;
if (values['public-data']) {
  if (values.separate) {
    console.error('start failed: --public-data runs the graph in one process; leave out --separate');
    process.exit(2);
  }
  try {
    government = readPublicGovernment(values['public-data'], { today: new Date().toISOString().slice(0, 10) });
  } catch (error) {
    console.error(`start failed: the published data sets in ${values['public-data']} cannot be read: ${(error as Error).message}`);
    process.exit(1);
  }
  for (const line of government.summary) console.log(`[public data] ${line}`);
}
const registry = government?.registry ?? loadRegistry();
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
let stopDatabase: () => Promise<unknown> = async () => undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([Promise.allSettled(stops.map((stop) => stop())), new Promise((resolve) => setTimeout(resolve, 5000))]);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopDatabase().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function spawnSubgraph(name: string, entry: string, env: Record<string, string>, url: string): Promise<void> {
  const child = startProcess(name, join(ROOT, entry), { DATA_DIR: dataDir, LOG_LEVEL: logLevel, AUTH_SECRET: authSecret, DATABASE_URL: databaseUrl, ...env });
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
    databaseUrl,
    // The checked-in supergraph is today's registry's; the real government's is composed at start.
    ...(government ? {} : { supergraphPath: join(ROOT, 'schema/supergraph.graphql') }),
    sources: government?.reads,
    gatewayPort: Number(values.port),
    auth: { secret: authSecret },
    logger: consoleLogger,
    onPublisher: (id, running) => {
      const served = registry.publishers.find((p) => p.id === id)!.organisations;
      const who = served.length === 1 ? '' : ` for ${served.length} organisations`;
      console.log(`[${id}] ${running.url}${who} after ${elapsed()}`);
      for (const report of running.sources) {
        if (report.imported) console.log(`[${id}] imported ${report.source} in ${(report.elapsedMs / 1000).toFixed(1)} s: ${report.result!.measurements} figures, ${report.result!.programmes} programmes, ${report.result!.notTaken.length} cells not taken and ${report.result!.repairs.length} repairs (GET /imports/${report.importId} with a token of ${id} lists them)`);
      }
    },
  });
  stops.push(graph.stop);
  return graph.gatewayUrl;
}

async function separately(): Promise<string> {
  const gatewayUrl = `http://localhost:${values.port}/graphql`;
  await Promise.all([
    spawnSubgraph('directory', 'subgraphs/directory/src/index.ts', {}, registry.directory.url),
    spawnSubgraph('insights', 'subgraphs/insights/src/index.ts', {}, registry.insights.url),
    ...registry.publishers.map((publisher) => spawnSubgraph(publisher.id, 'subgraphs/organisation/src/index.ts', { PUBLISHER: publisher.id }, publisher.url)),
    spawnSubgraph('gateway', 'gateway/src/index.ts', { PORT: values.port! }, gatewayUrl),
  ]);
  return gatewayUrl;
}

let databaseUrl = process.env.DATABASE_URL ?? '';
try {
  if (databaseUrl) {
    console.log(`Starting Crossgov on the PostgreSQL of DATABASE_URL: ${registry.organisations.length} organisations from ${registry.publishers.length} publishers...`);
  } else {
    console.log(`Starting Crossgov: the embedded PostgreSQL in ${join(dataDir, 'postgres')}, then ${registry.organisations.length} organisations from ${registry.publishers.length} publishers...`);
    const postgres = await startEmbeddedPostgres({ dir: join(dataDir, 'postgres'), port: Number(values['pg-port']) });
    stopDatabase = postgres.stop;
    databaseUrl = postgres.url;
    console.log(`[postgres] 127.0.0.1:${postgres.port} after ${elapsed()}`);
  }
  const url = (values.separate ? await separately() : await inProcess()).replace('127.0.0.1', 'localhost');
  console.log(`
Crossgov is up in ${elapsed()}: ${registry.organisations.length} organisations from ${registry.publishers.length} publishers + directory + insights, data in ${dataDir}

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
