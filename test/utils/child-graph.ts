import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadRegistry, schemaNameOf } from '@crossgov/schema';
import { type AuthConfig } from '@crossgov/schema/auth';
import { ROOT } from '@crossgov/scripts';
import { TEST_DATABASE_URL, dropSchemas } from './database.ts';

/** What the graph's process logged at warn level and above (and `raw` lines that are not pino's JSON): counts by level and distinct messages. */
export interface ProcessLog {
  counts: Record<string, number>;
  /** Distinct messages (up to 50), with how often each came. */
  messages: Map<string, number>;
  /** Forgets what was logged so far (the seed's warnings, say). */
  clear(): void;
}

export interface GraphProcess {
  pid: number;
  gatewayUrl: string;
  /** The gateway's base URL, ending in "/". */
  baseUrl: string;
  /** URL of every subgraph by name. */
  subgraphUrls: Record<string, string>;
  /** The PostgreSQL schemas of the directory and of every publisher. */
  schemas: string[];
  /** How the process ended, or null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  log: ProcessLog;
  stop(): Promise<void>;
}

const LEVELS: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * Starts the whole graph (scripts/src/graph-process.ts) in a Node process of its own, on free ports
 * and fresh schemas of the run's PostgreSQL, and resolves once it says where it listens. Its stdin
 * is a pipe it watches: when this process ends, however it ends, the graph stops too.
 */
export async function startGraphProcess(options: {
  auth: AuthConfig;
  readyTimeoutMs?: number;
}): Promise<GraphProcess> {
  const registry = loadRegistry();
  const schemaPrefix = `t${randomBytes(4).toString('hex')}`;
  const schemas = ['directory', ...registry.publishers.map((p) => p.id)].map(
    (name) => `${schemaPrefix}_${schemaNameOf(name)}`,
  );
  const child: ChildProcess = spawn(
    process.execPath,
    // CG_NODE_FLAGS adds Node flags (--cpu-prof, --trace-warnings), as for the processes `pnpm start` runs.
    [
      ...(process.env.CG_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      join(ROOT, 'scripts/src/graph-process.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: TEST_DATABASE_URL,
        SCHEMA_PREFIX: schemaPrefix,
        AUTH_SECRET: options.auth.secret!,
        TODAY: '2026-11-21',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // Ending the pipe of a process already gone fails (EPIPE): nothing to do then.
  child.stdin!.on('error', () => undefined);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const ended = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const log: ProcessLog = {
    counts: {},
    messages: new Map(),
    clear() {
      log.counts = {};
      log.messages.clear();
    },
  };
  const tail: string[] = [];
  const note = (level: string, message: string) => {
    log.counts[level] = (log.counts[level] ?? 0) + 1;
    const key = `${level}: ${message.slice(0, 200)}`;
    if (log.messages.has(key) || log.messages.size < 50)
      log.messages.set(key, (log.messages.get(key) ?? 0) + 1);
  };
  let ready: (value: { gatewayUrl: string; subgraphUrls: Record<string, string> }) => void = () =>
    undefined;
  const started = new Promise<{ gatewayUrl: string; subgraphUrls: Record<string, string> }>(
    (resolve) => (ready = resolve),
  );
  const read = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // A line that is not pino's JSON: a warning from Node itself, a stack trace.
      }
      if (parsed?.ready === true) ready(parsed as never);
      else if (parsed && typeof parsed.level === 'number') {
        if (parsed.level >= 40)
          note(
            LEVELS[parsed.level] ?? String(parsed.level),
            `${String(parsed.msg)}${parsed.err ? ` (${(parsed.err as { message?: string }).message})` : ''}`,
          );
      } else if (line.trim()) note('raw', line);
    });
  read(child.stdout!);
  read(child.stderr!);
  const timeout = options.readyTimeoutMs ?? 90_000;
  const outcome = await Promise.race([
    started,
    ended.then(
      () =>
        new Error(
          `the graph's process exited (${JSON.stringify(exit)}) before it was ready:\n${tail.join('\n')}`,
        ),
    ),
    new Promise<Error>((resolve) =>
      setTimeout(
        () =>
          resolve(
            new Error(`the graph's process was not ready in ${timeout} ms:\n${tail.join('\n')}`),
          ),
        timeout,
      ).unref(),
    ),
  ]);
  const stop = async () => {
    if (exit === null) {
      child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ended;
      clearTimeout(killer);
    }
    await dropSchemas(...schemas);
  };
  if (outcome instanceof Error) {
    child.kill('SIGKILL');
    await stop();
    throw outcome;
  }
  return {
    pid: child.pid!,
    gatewayUrl: outcome.gatewayUrl,
    baseUrl: new URL('.', outcome.gatewayUrl).href,
    subgraphUrls: outcome.subgraphUrls,
    schemas,
    exited: () => exit,
    log,
    stop,
  };
}
