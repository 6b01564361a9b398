import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Registry } from '@crossgov/schema';
import { ROOT } from '../src/processes.ts';

// What the benchmarks that run every deployable in its own process share (bench:scale,
// bench:gateways): free loopback ports, the registry on them, spawning and waiting for a process,
// and its CPU time and memory from /proc. Only Node's own modules are imported, so a benchmark's
// --help answers before the graph is loaded.

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

let nextPort = 21_000;
/**
 * A free port below Linux's ephemeral range (32768-60999): a port the kernel handed out for a
 * moment could be given to one of the many outgoing connections (to PostgreSQL, between
 * subgraphs) before the process meant for it listens.
 */
export async function freePort(): Promise<number> {
  while (nextPort < 32_000) {
    const port = nextPort++;
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 21000 and 32000');
}

/**
 * The registry as a document the processes read from REGISTRY_PATH, with every subgraph on a free
 * loopback port: an organisation that is its own publisher keeps its `subgraph`, a sector body's
 * organisations name their publisher.
 */
export async function onFreePorts(registry: Registry) {
  const url = async () => `http://127.0.0.1:${await freePort()}/graphql`;
  const urls = new Map<string, string>();
  for (const p of registry.publishers) urls.set(p.id, await url());
  return {
    directory: { url: await url() },
    insights: { url: await url() },
    publishers: registry.publishers
      .filter((p) => !p.own)
      .map((p) => ({ id: p.id, name: p.name, typeName: p.typeName, url: urls.get(p.id) })),
    organisations: registry.organisations.map(({ publisher, ...org }) => {
      const own = registry.publishers.find((p) => p.id === publisher)!.own === org.id;
      return own ? { ...org, subgraph: { url: urls.get(publisher) } } : { ...org, publisher };
    }),
  };
}

export interface Running {
  name: string;
  child: ChildProcess;
  /** Its GraphQL endpoint. */
  url: string;
}

/**
 * Any command as a benchmark runs it: its stderr kept (the last 4000 characters) and printed if it
 * exits on its own, stdout dropped. The command must be the process whose CPU and memory are
 * measured (a shell script must `exec` it).
 */
export function spawnRunning(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  url: string,
  cwd = ROOT,
): Running {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL')
      console.error(`[${name}] exited (${signal ?? code}): ${errors}`);
  });
  return { name, child, url };
}

/** A deployable's TypeScript entry point as deployed: its own Node process, production, logging warnings only. */
export function spawnDeployable(
  name: string,
  entry: string,
  env: Record<string, string>,
  url: string,
): Running {
  return spawnRunning(
    name,
    process.execPath,
    ['--import', 'tsx', join(ROOT, entry)],
    { LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    url,
  );
}

/** Waits until the process answers `{ __typename }`; throws if it exits first or `deadline` (epoch ms) passes. */
export async function ready(process: Running, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null)
      throw new Error(`${process.name} exited before it was ready`);
    try {
      const response = await fetch(process.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${process.name} was not ready in time`);
}

/** CPU time a process has used, user and system, in milliseconds (from /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** cpuMs, or 0 for a process that has gone (a PostgreSQL backend whose connection closed). */
export const safeCpu = (pid: number) => {
  try {
    return cpuMs(pid);
  } catch {
    return 0;
  }
};

/** Every process of the PostgreSQL server listening on `port`: the postmaster and its children. */
export function postgresProcesses(port: number): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const parent = Number(
        /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
      );
      const ours = (p: number) =>
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`\u0000${port}\u0000`) &&
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('postgres');
      if (ours(pid) || (cmdline.startsWith('postgres:') && parent > 0 && ours(parent)))
        pids.push(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

/** Resident memory of a process, in KiB (from /proc). */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Proportional memory of the PostgreSQL server: the postmaster and every backend, shared buffers counted once. */
export function postgresPssKiB(port: number): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const postmaster = cmdline.includes('postgres') && cmdline.includes(`\u0000${port}\u0000`);
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const parent = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const isBackend =
        comm === 'postgres' &&
        parent > 0 &&
        readFileSync(`/proc/${parent}/cmdline`, 'utf8').includes(`\u0000${port}\u0000`);
      if (postmaster || isBackend)
        total += Number(
          /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0,
        );
    } catch {
      // gone, or not ours to read
    }
  }
  return total;
}

/**
 * The PostgreSQL backends serving `clients` (pids): those whose client address is a loopback port
 * one of them holds a socket on. Unlike postgresProcesses this finds them on a shared server
 * started by someone else (`--database-url`), and leaves out other users' backends.
 */
export function postgresBackendsServing(clients: number[], databasePort: number): number[] {
  const inodes = new Set<string>();
  for (const pid of clients) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = /^socket:\[(\d+)\]$/.exec(readlinkSafe(`/proc/${pid}/fd/${fd}`))?.[1];
        if (link) inodes.add(link);
      }
    } catch {
      // gone
    }
  }
  // Each connection to the server, as /proc/net/tcp lists it: local port (hex), remote port (hex), inode.
  const clientPorts = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const local = parseInt(fields[1]!.split(':').at(-1)!, 16);
      const remote = parseInt(fields[2]!.split(':').at(-1)!, 16);
      if (remote === databasePort && inodes.has(fields[9]!)) clientPorts.add(local);
    }
  }
  const backends: number[] = [];
  for (const pid of readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)) {
    try {
      const port = /^postgres: .*\((\d+)\)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
      if (port && clientPorts.has(Number(port))) backends.push(pid);
    } catch {
      // gone
    }
  }
  return backends;
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** Proportional memory of a process, in KiB (from /proc): shared pages divided among those sharing them. */
export function pssKiB(pid: number): number {
  try {
    return Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
