import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PNPM, defineCommand, exitWithUsage, readCommand } from './cli.ts';
import type { PublicGovernment } from './public-government.ts';

// pnpm start: an embedded PostgreSQL server (the real engine, from npm) under .data/postgres, the
// directory, one subgraph per registered publisher (each on its own port with its own schema),
// insights, then the gateway. Ctrl-C stops them all, the database last. With DATABASE_URL set, the
// subgraphs use that server instead.
//
// By default the subgraphs share this one Node process, which holds the graph in the least memory;
// `--separate` runs each subgraph in its own process, as they are deployed.
//
// Only node: modules and cli.ts are imported statically: the first line is printed before the
// graph's code (seconds of it) is loaded, and --help answers at once.

const COMMAND = defineCommand({
  name: `${PNPM} start`,
  description:
    'Starts the whole federated graph on this machine: an embedded PostgreSQL (or the one DATABASE_URL names), the\n' +
    'directory, a subgraph per publisher, insights and the gateway, with the dashboard and the GraphQL explorer.\n' +
    'The first start seeds every organisation; later starts keep what is there. Ctrl-C stops everything.',
  options: {
    port: {
      type: 'string',
      default: '4000',
      value: '<port>',
      description: "the gateway's port (GraphQL, the dashboard, BI)",
    },
    'data-dir': {
      type: 'string',
      default: '.data',
      value: '<dir>',
      description: 'where the embedded PostgreSQL and the development token secret are kept',
    },
    'pg-port': {
      type: 'string',
      default: '4432',
      value: '<port>',
      description: "the embedded PostgreSQL's port",
    },
    'log-level': {
      type: 'string',
      default: 'warn',
      value: '<level>',
      description: "the subgraphs' log level (trace, debug, info, warn, error)",
    },
    separate: {
      type: 'boolean',
      description: 'run each subgraph in a process of its own, as deployed',
    },
    'public-data': {
      type: 'string',
      value: '<dir>',
      description:
        'the real government, from the published data sets in <dir> (docs/public-data.md)',
    },
  },
  examples: [
    `${PNPM} start`,
    `${PNPM} start -- --port 4001 --pg-port 4433`,
    `${PNPM} start -- --public-data ../shared/data/public`,
  ],
  notes:
    'Environment: DATABASE_URL (an external PostgreSQL instead of the embedded one), AUTH_SECRET (tokens; else one kept in <data-dir>).',
});

const { values } = readCommand(COMMAND);
if (values['public-data'] && values.separate)
  exitWithUsage(COMMAND, '--public-data runs the graph in one process; leave out --separate');
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
console.log(
  `Starting Crossgov${values['public-data'] ? ` from the published data sets in ${values['public-data']}` : ''}: loading its code...`,
);

await import('@crossgov/schema/production');
const [
  { loadRegistry, organisationsOf },
  { startEmbeddedPostgres },
  { authSecretOf, readScriptEnv },
  { startLocalGraph },
  { readPublicGovernment },
  { ROOT, startProcess, waitForGraphQL },
] = await Promise.all([
  import('@crossgov/schema'),
  import('@crossgov/schema/embedded-postgres'),
  import('./env.ts'),
  import('./local-graph.ts'),
  import('./public-government.ts'),
  import('./processes.ts'),
]);
const env = readScriptEnv();

// --public-data <dir>: the real government, from the published data sets in <dir> (scripts/src/public-government.ts).
let government: PublicGovernment | null = null;
if (values['public-data']) {
  try {
    government = readPublicGovernment(values['public-data'], {
      today: new Date().toISOString().slice(0, 10),
    });
  } catch (error) {
    console.error(
      `start failed: the published data sets in ${values['public-data']} cannot be read: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  for (const line of government.summary) console.log(`[public data] ${line}`);
}
const registry = government?.registry ?? loadRegistry();
// Relative to the repository, as the default is, wherever pnpm runs the script from.
const dataDir = resolve(ROOT, values['data-dir']);
const logLevel = values['log-level'];
// Tokens from `pnpm token` are signed with the same secret, kept under the data folder.
const authSecret = authSecretOf(env, dataDir);
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
    await Promise.race([
      Promise.allSettled(stops.map((stop) => stop())),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopDatabase().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function spawnSubgraph(
  name: string,
  entry: string,
  settings: Record<string, string>,
  url: string,
): Promise<void> {
  const child = startProcess(
    name,
    join(ROOT, entry),
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: logLevel,
      AUTH_SECRET: authSecret,
      DATABASE_URL: databaseUrl,
      ...settings,
    },
    env.CG_NODE_FLAGS,
  );
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  return waitForGraphQL(url, Date.now() + 90_000, () => child.exitCode === null);
}

/** Whom a publisher serves: its one organisation by name, or how many of each kind. */
function servedBy(publisher: (typeof registry.publishers)[number]): string {
  const served = organisationsOf(registry, publisher);
  if (served.length === 1) return `${served[0]!.name} (${served[0]!.kind})`;
  const kinds = new Map<string, number>();
  for (const { kind } of served) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  return `${served.length} organisations (${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')})`;
}

async function inProcess(): Promise<string> {
  let stillStarting: ReturnType<typeof setInterval> | undefined;
  const graph = await startLocalGraph({
    registry,
    databaseUrl,
    // The checked-in supergraph is today's registry's; the real government's is composed at start.
    ...(government ? {} : { supergraphPath: join(ROOT, 'schema/supergraph.graphql') }),
    sources: government?.reads,
    gatewayPort: Number(values.port),
    auth: { secret: authSecret },
    logger: consoleLogger,
    // A line as each publisher starts (saying whom it serves and what it imports, which can take a
    // minute for a sector publisher of hundreds of organisations), one every 10 s while it is still
    // starting, and one when it is up.
    onPublisherStarting: (id) => {
      const publisher = registry.publishers.find((p) => p.id === id)!;
      const reads = government?.reads.get(id) ?? [];
      console.log(
        `[${id}] starting: ${servedBy(publisher)}${reads.length > 0 ? `; importing ${reads.map((r) => r.source).join(', ')}` : ''}...`,
      );
      const started = Date.now();
      clearInterval(stillStarting);
      stillStarting = setInterval(
        () =>
          console.log(
            `[${id}] still starting after ${((Date.now() - started) / 1000).toFixed(0)} s`,
          ),
        10_000,
      );
    },
    onPublisher: (id, running) => {
      clearInterval(stillStarting);
      const publisher = registry.publishers.find((p) => p.id === id)!;
      console.log(`[${id}] up at ${running.url}: ${servedBy(publisher)}, after ${elapsed()}`);
      for (const report of running.sources) {
        if (report.imported)
          console.log(
            `[${id}] imported ${report.source} in ${(report.elapsedMs / 1000).toFixed(1)} s: ${report.result!.measurements} figures, ${report.result!.programmes} programmes, ${report.result!.notTaken.length} cells not taken and ${report.result!.repairs.length} repairs (GET /imports/${report.importId} with a token of ${id} lists them)`,
          );
      }
    },
  });
  clearInterval(stillStarting);
  stops.push(graph.stop);
  return graph.gatewayUrl;
}

async function separately(): Promise<string> {
  const gatewayUrl = `http://localhost:${values.port}/graphql`;
  await Promise.all([
    spawnSubgraph('directory', 'subgraphs/directory/src/main.ts', {}, registry.directory.url),
    spawnSubgraph('insights', 'subgraphs/insights/src/main.ts', {}, registry.insights.url),
    ...registry.publishers.map((publisher) =>
      spawnSubgraph(
        publisher.id,
        'subgraphs/organisation/src/main.ts',
        { PUBLISHER: publisher.id },
        publisher.url,
      ),
    ),
    spawnSubgraph('gateway', 'gateway/src/main.ts', { PORT: values.port }, gatewayUrl),
  ]);
  return gatewayUrl;
}

let databaseUrl = env.DATABASE_URL ?? '';
try {
  if (databaseUrl) {
    console.log(
      `[postgres] DATABASE_URL's, for ${registry.organisations.length} organisations from ${registry.publishers.length} publishers`,
    );
  } else {
    console.log(
      `[postgres] starting the embedded PostgreSQL in ${join(dataDir, 'postgres')}, then ${registry.organisations.length} organisations from ${registry.publishers.length} publishers...`,
    );
    const postgres = await startEmbeddedPostgres({
      dir: join(dataDir, 'postgres'),
      port: Number(values['pg-port']),
    });
    stopDatabase = postgres.stop;
    databaseUrl = postgres.url;
    console.log(`[postgres] 127.0.0.1:${postgres.port} after ${elapsed()}`);
  }
  const url = (values.separate ? await separately() : await inProcess()).replace(
    '127.0.0.1',
    'localhost',
  );
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
