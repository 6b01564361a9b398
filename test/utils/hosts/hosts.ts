import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_REGISTRY_PATH, parseRegistry, schemaNameOf } from '@crossgov/schema';
import { composeRegistry } from '@crossgov/scripts';
import pg from 'pg';
import { type Faults, type RunningRoute, startRoute } from './forwarder.ts';
import { type Answer, isWhole, postOverSocket } from './gateway-client.ts';
import { type HostProcess, startInNamespace } from './host-process.ts';
import {
  addNamespace,
  deleteNamespace,
  isStale,
  linkHost,
  namespaceNamer,
  requireNetworkTools,
  runOf,
  setLink,
  sweepStaleNamespaces,
} from './namespaces.ts';

// The central team's host (gateway, directory and insights in one namespace) and one host per
// publisher, each a network namespace joined to the central one by a veth pair. The test, in the
// root namespace, reaches the gateway only through a Unix socket, and the hosts reach the test's
// PostgreSQL the same way (forwarder.ts), so no address outside the test's namespaces is used.

export { type Answer, isWhole } from './gateway-client.ts';

export interface HostsOptions {
  /** The test's PostgreSQL (on 127.0.0.1 in the root namespace). */
  databaseUrl: string;
  /** Organisations of schema/registry.json that run their own subgraph, one host each. @default synergy, unity, norfolk */
  publishers?: string[];
  /** @default 2000 */
  subgraphTimeoutMs?: number;
  /** The longest the whole deployment may take to answer a whole uniform query. @default 180000 */
  readyTimeoutMs?: number;
}

export interface Hosts {
  /** A GraphQL POST to the gateway, as a client on the network sends it; rejects on a connection error. */
  query(query: string, options?: { timeoutMs?: number }): Promise<Answer>;
  /** Latency and loss between the gateway and a publisher, from now on. */
  setFaults(publisher: string, faults: Partial<Faults>): Promise<void>;
  /** Takes the publisher's link down (partition) or up again (heal). */
  partition(publisher: string): Promise<void>;
  heal(publisher: string): Promise<void>;
  /** SIGTERM to the gateway's process; resolves once it has exited. */
  stopGateway(): Promise<void>;
  /** Starts the gateway again; resolves once it answers. */
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

// Ports are per namespace: fixed ones cannot collide with anything else on the machine.
const GATEWAY_PORT = 4000;
const PUBLISHER_PORT = 4101;
const PROXY_PORT = 4100;
const POSTGRES_PORT = 5432;
const FORWARDER = fileURLToPath(new URL('./forwarder.ts', import.meta.url));

/** Starts every host and process; on any failure it stops what it started and rethrows. */
export async function startHosts(options: HostsOptions): Promise<Hosts> {
  requireNetworkTools();
  const stale = await sweepStaleNamespaces();
  const ids = options.publishers ?? ['synergy', 'unity', 'norfolk'];
  const subgraphTimeoutMs = options.subgraphTimeoutMs ?? 2000;
  const nameOf = namespaceNamer();
  const gatewayNs = nameOf('gw');
  // Its sockets, registry and supergraph, in a folder named like its namespaces so a sweep finds it too.
  for (const name of readdirSync(tmpdir()).filter(isStale))
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  const dir = mkdtempSync(join(tmpdir(), nameOf('')));
  const schemaPrefix = `h${runOf(gatewayNs)}`;
  const namespaces: string[] = [];
  const processes: HostProcess[] = [];
  const devices = new Map<string, string>();
  const proxies = new Map<string, HostProcess>();
  let postgresRoute: RunningRoute | null = null;
  let gateway: HostProcess | null = null;

  const stop = async () => {
    await Promise.allSettled(processes.map((p) => p.stop(5000)));
    for (const name of namespaces) await deleteNamespace(name).catch(() => undefined);
    await postgresRoute?.close();
    rmSync(dir, { recursive: true, force: true });
    await dropRunSchemas(options.databaseUrl, [schemaPrefix]);
  };

  try {
    await dropRunSchemas(
      options.databaseUrl,
      stale.map((ns) => `h${runOf(ns)}`),
    );
    // The registry and supergraph as the central team would write them for these hosts.
    const document = JSON.parse(readFileSync(DEFAULT_REGISTRY_PATH, 'utf8')) as {
      organisations: { id: string; subgraph?: { url: string } }[];
    };
    const organisations = ids.map((id, i) => {
      const entry = document.organisations.find((o) => o.id === id && o.subgraph);
      if (!entry)
        throw new Error(
          `publisher "${id}" must be an organisation of schema/registry.json with a subgraph of its own`,
        );
      return { ...entry, subgraph: { url: `http://10.231.${i + 1}.2:${PROXY_PORT}/graphql` } };
    });
    const registryPath = join(dir, 'registry.json');
    const trimmed = {
      directory: { url: 'http://127.0.0.1:4001/graphql' },
      insights: { url: 'http://127.0.0.1:4002/graphql' },
      organisations,
    };
    writeFileSync(registryPath, JSON.stringify(trimmed, null, 2));
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(
      supergraphPath,
      (await composeRegistry(parseRegistry(trimmed, registryPath))).supergraphSdl,
    );

    const postgresSocket = join(dir, 'postgres.sock');
    const upstream = new URL(options.databaseUrl);
    postgresRoute = await startRoute({
      name: 'postgres',
      listen: `unix:${postgresSocket}`,
      target: `tcp:${upstream.hostname}:${upstream.port || POSTGRES_PORT}`,
    });
    const hostDatabase = new URL(options.databaseUrl);
    hostDatabase.hostname = '127.0.0.1';
    hostDatabase.port = String(POSTGRES_PORT);
    const postgresBridge = {
      name: 'postgres',
      listen: `tcp:127.0.0.1:${POSTGRES_PORT}`,
      target: `unix:${postgresSocket}`,
    };

    await addNamespace(gatewayNs);
    namespaces.push(gatewayNs);
    const forwarder = async (ns: string, name: string, routes: unknown[]) => {
      const child = startInNamespace(ns, name, FORWARDER, { args: [JSON.stringify(routes)] });
      processes.push(child);
      await child.nextLine((line) => Array.isArray(line.listening), 30_000);
      return child;
    };
    const gatewaySocket = join(dir, 'gateway.sock');
    const starting: Promise<unknown>[] = [
      forwarder(gatewayNs, 'gateway-bridge', [
        {
          name: 'gateway',
          listen: `unix:${gatewaySocket}`,
          target: `tcp:127.0.0.1:${GATEWAY_PORT}`,
        },
        postgresBridge,
      ]),
    ];
    for (const [i, id] of ids.entries()) {
      const ns = nameOf(`p${i + 1}`);
      await addNamespace(ns);
      namespaces.push(ns);
      const link = await linkHost(gatewayNs, ns, i + 1);
      devices.set(id, link.device);
      const publisherRoute = {
        name: 'publisher',
        listen: `tcp:${link.hostAddress}:${PROXY_PORT}`,
        target: `tcp:127.0.0.1:${PUBLISHER_PORT}`,
      };
      starting.push(
        forwarder(ns, `${id}-proxy`, [publisherRoute, postgresBridge]).then((proxy) =>
          proxies.set(id, proxy),
        ),
      );
    }
    await Promise.all(starting);

    // Two cores shared with other work: shedding on event-loop delay (MAX_EVENT_LOOP_DELAY_MS) would refuse requests at random.
    const shared = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      REGISTRY_PATH: registryPath,
      DATABASE_URL: hostDatabase.href,
      MAX_EVENT_LOOP_DELAY_MS: '0',
    };
    const start = (ns: string, name: string, entry: string, env: Record<string, string>) => {
      const child = startInNamespace(ns, name, entry, { env: { ...shared, ...env } });
      processes.push(child);
      return child;
    };
    start(gatewayNs, 'directory', 'subgraphs/directory/src/main.ts', {
      PORT: '4001',
      DATABASE_SCHEMA: `${schemaPrefix}_directory`,
    });
    start(gatewayNs, 'insights', 'subgraphs/insights/src/main.ts', { PORT: '4002' });
    for (const [i, id] of ids.entries()) {
      start(nameOf(`p${i + 1}`), id, 'subgraphs/organisation/src/main.ts', {
        PUBLISHER: id,
        PORT: String(PUBLISHER_PORT),
        DATABASE_SCHEMA: `${schemaPrefix}_${schemaNameOf(id)}`,
      });
    }
    const startGatewayProcess = () =>
      (gateway = start(gatewayNs, 'gateway', 'gateway/src/main.ts', {
        PORT: String(GATEWAY_PORT),
        SUPERGRAPH_PATH: supergraphPath,
        SUBGRAPH_TIMEOUT_MS: String(subgraphTimeoutMs),
      }));
    startGatewayProcess();

    const query = (text: string, { timeoutMs = 30_000 } = {}) =>
      postOverSocket(gatewaySocket, text, timeoutMs);
    // Ready when a uniform query comes back whole: every process up, every link carrying traffic.
    await waitFor(
      'every host to answer a whole uniform query',
      options.readyTimeoutMs ?? 180_000,
      processes,
      async () => isWhole(await query(READY_QUERY, { timeoutMs: 10_000 })),
    );

    const deviceOf = (publisher: string) => {
      const device = devices.get(publisher);
      if (!device)
        throw new Error(`publisher "${publisher}" is not one of this run's (${ids.join(', ')})`);
      return device;
    };
    return {
      query,
      async setFaults(publisher, faults) {
        const proxy = proxies.get(publisher);
        if (!proxy)
          throw new Error(`publisher "${publisher}" is not one of this run's (${ids.join(', ')})`);
        const applied = proxy.nextLine((line) => 'applied' in line || 'error' in line, 10_000);
        proxy.send({ route: 'publisher', ...faults });
        const reply = await applied;
        if (reply.error) throw new Error(String(reply.error));
      },
      partition: (publisher) => setLink(gatewayNs, deviceOf(publisher), 'down'),
      heal: (publisher) => setLink(gatewayNs, deviceOf(publisher), 'up'),
      async stopGateway() {
        await gateway?.stop(15_000);
      },
      async startGateway() {
        const running = startGatewayProcess();
        await waitFor(
          'the gateway to answer again',
          60_000,
          [running],
          async () => (await query('{ __typename }', { timeoutMs: 5000 })).status === 200,
        );
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Asks for the same fields of every organisation as the README's first query, in brief. */
const READY_QUERY = '{ organisations { id indicators { code } } }';

/** Polls `check` until it holds, failing early (with its output) when a process has exited, and at the deadline. */
async function waitFor(
  what: string,
  timeoutMs: number,
  processes: HostProcess[],
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const gone = processes.find((p) => p.exited());
    if (gone)
      throw new Error(
        `${gone.name} (pid ${gone.pid}) exited (${JSON.stringify(gone.exited())}) while waiting for ${what}:\n${gone.tail()}`,
      );
    try {
      if (await check()) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`,
  );
}

/** Drops every schema of the given runs (`<prefix>_<subgraph>`): this run's when it stops, a killed run's once swept. */
async function dropRunSchemas(databaseUrl: string, prefixes: string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE split_part(schema_name, '_', 1) = ANY($1)`,
      [prefixes],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}
