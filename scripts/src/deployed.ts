import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { type Registry, loadRegistry, schemaNameOf } from '@crossgov/schema';
import { ROOT } from './processes.ts';
import { composeRegistry } from './subgraphs.ts';

// The production build run as it is deployed (README "Deploying"): each deployable started from its
// own package with the command its package.json `start` script gives (node on dist/, no tsx),
// configured only by its environment, as separate processes.

export type Deployable = 'gateway' | 'directory' | 'insights' | 'organisation';

const PACKAGE_DIRS: Record<Deployable, string> = {
  gateway: 'gateway',
  directory: 'subgraphs/directory',
  insights: 'subgraphs/insights',
  organisation: 'subgraphs/organisation',
};

/** A free loopback port: one the kernel gave a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A registry of some of the checked-in organisations, each publisher and the directory and insights
 * on free loopback ports, written to `dir`, with its composed supergraph beside it.
 */
export async function deploymentRegistry(
  dir: string,
  organisationIds: readonly string[],
): Promise<{ registry: Registry; registryPath: string; supergraphPath: string }> {
  const document = JSON.parse(readFileSync(join(ROOT, 'schema/registry.json'), 'utf8')) as {
    directory: { url: string };
    insights: { url: string };
    organisations: { id: string; subgraph?: { url: string } }[];
  };
  const url = async () => `http://127.0.0.1:${await freePort()}/graphql`;
  document.directory.url = await url();
  document.insights.url = await url();
  document.organisations = document.organisations.filter((o) => organisationIds.includes(o.id));
  for (const organisation of document.organisations)
    if (organisation.subgraph) organisation.subgraph.url = await url();
  const registryPath = join(dir, 'registry.json');
  writeFileSync(registryPath, JSON.stringify(document, null, 2));
  const registry = loadRegistry(registryPath);
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, (await composeRegistry(registry)).supergraphSdl);
  return { registry, registryPath, supergraphPath };
}

/** Builds every deployable as `pnpm build` does (the root package.json's build script). */
export async function buildDeployables(): Promise<void> {
  const script = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts.build!;
  const [command, ...args] = script.split(' ');
  if (command !== 'tsc') throw new Error(`the build script is expected to run tsc: ${script}`);
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`pnpm build failed (${code}):\n${output}`);
}

export interface DeployedProcess {
  name: string;
  pid: number;
  /** Every line it wrote to stdout and stderr, in order. */
  lines: string[];
  /** Its stdout lines that are pino JSON. */
  logs(): Record<string, unknown>[];
  exited(): boolean;
  /** SIGTERM, then waits for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts one deployable with its package's `start` command and only the given environment (plus PATH and HOME). */
export function startDeployed(
  name: string,
  deployable: Deployable,
  env: Record<string, string>,
): DeployedProcess {
  const dir = join(ROOT, PACKAGE_DIRS[deployable]);
  const script = (
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts.start!;
  const [command, ...args] = script.split(' ');
  if (command !== 'node')
    throw new Error(`${deployable}'s start script is expected to run node: ${script}`);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  let exited = false;
  const ended = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    name,
    pid: child.pid!,
    lines,
    logs: () =>
      lines.flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as unknown;
          return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    exited: () => exited,
    stop: async (graceMs = 10_000) => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, or throws after `timeoutMs` with the process's last lines. */
export async function waitUntilReady(
  process: DeployedProcess,
  baseUrl: string,
  timeoutMs = 120_000,
): Promise<{ notReadyAnswers: number }> {
  const deadline = Date.now() + timeoutMs;
  let notReadyAnswers = 0;
  while (Date.now() < deadline) {
    if (process.exited())
      throw new Error(
        `${process.name} exited before it was ready:\n${process.lines.slice(-20).join('\n')}`,
      );
    try {
      const response = await fetch(`${baseUrl}readyz`, { signal: AbortSignal.timeout(3000) });
      await response.body?.cancel();
      if (response.status === 200) return { notReadyAnswers };
      notReadyAnswers += 1;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${process.name} was not ready within ${timeoutMs} ms:\n${process.lines.slice(-20).join('\n')}`,
  );
}

export interface DeployedGraph {
  gatewayUrl: string;
  /** Every process, the gateway last. */
  processes: DeployedProcess[];
  /** Each process's base URL (ending in "/"; its /readyz, /metrics, /graphql), by its name. */
  baseUrls: Map<string, string>;
  /** Stops every process and drops the graph's database schemas and its folder. */
  stop(): Promise<void>;
}

/**
 * The production build's whole graph for some of the checked-in organisations: the directory,
 * insights, every publisher and the gateway, each a separate `node` process on free loopback ports,
 * each database in a schema of its own (`<prefix>_<name>`) on `databaseUrl`, all ready (`/readyz`)
 * when it resolves. `env` is added to every process's environment (LOG_LEVEL, OTEL_*...).
 */
export async function startDeployedGraph(options: {
  /** The PostgreSQL every process uses, or one for each (by name: directory, or a publisher's id); schemas are dropped through the first. */
  databaseUrl: string | ((name: string) => string);
  organisations: readonly string[];
  env?: Record<string, string>;
  label?: string;
}): Promise<DeployedGraph> {
  const databaseUrlOf =
    typeof options.databaseUrl === 'string'
      ? () => options.databaseUrl as string
      : options.databaseUrl;
  const dir = mkdtempSync(join(tmpdir(), 'crossgov-deployed-'));
  const prefix = `d${randomBytes(4).toString('hex')}`;
  const { registry, registryPath, supergraphPath } = await deploymentRegistry(
    dir,
    options.organisations,
  );
  const processes: DeployedProcess[] = [];
  const schemas: string[] = [];
  const baseUrls = new Map<string, string>();
  const label = options.label ? `${options.label} ` : '';
  const start = (
    name: string,
    deployable: Deployable,
    url: string,
    env: Record<string, string>,
  ) => {
    const child = startDeployed(`${label}${name}`, deployable, {
      NODE_ENV: 'production',
      REGISTRY_PATH: registryPath,
      PORT: new URL(url).port,
      ...options.env,
      ...env,
    });
    processes.push(child);
    baseUrls.set(child.name, url.replace(/graphql$/, ''));
  };
  const database = (name: string) => {
    const schema = `${prefix}_${schemaNameOf(name)}`;
    schemas.push(schema);
    return { DATABASE_URL: databaseUrlOf(name), DATABASE_SCHEMA: schema };
  };
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    const client = new pg.Client({ connectionString: databaseUrlOf('directory') });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    start('directory', 'directory', registry.directory.url, database('directory'));
    start('insights', 'insights', registry.insights.url, {});
    for (const publisher of registry.publishers)
      start(publisher.id, 'organisation', publisher.url, {
        PUBLISHER: publisher.id,
        ...database(publisher.id),
      });
    const gatewayUrl = `http://127.0.0.1:${await freePort()}/graphql`;
    start('gateway', 'gateway', gatewayUrl, { SUPERGRAPH_PATH: supergraphPath });
    for (const child of processes) await waitUntilReady(child, baseUrls.get(child.name)!);
    return { gatewayUrl, processes, baseUrls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
