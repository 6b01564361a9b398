import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT } from '@crossgov/scripts';

/** A Node process the harness started inside a namespace, known by its pid. */
export interface HostProcess {
  name: string;
  pid: number;
  /** How it ended, or null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Its last 40 lines of output, for an error message. */
  tail(): string;
  /** The next JSON line of its stdout that `match` accepts, or an error naming the process after `timeoutMs`. */
  nextLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  /** Writes one line to its stdin. */
  send(line: unknown): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `node --import tsx <entry>` inside a network namespace (`ip netns exec` execs in place, so
 * the pid is Node's) with only the environment given: the deployables read nothing else.
 */
export function startInNamespace(
  namespace: string,
  name: string,
  entry: string,
  options: { env?: Record<string, string>; args?: string[] } = {},
): HostProcess {
  const child: ChildProcess = spawn(
    'ip',
    [
      'netns',
      'exec',
      namespace,
      process.execPath,
      '--import',
      'tsx',
      entry,
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // Writing to a process already gone fails (EPIPE): it has nothing left to read.
  child.stdin!.on('error', () => undefined);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const ended = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const lines: string[] = [];
  const waiters = new Set<(line: Record<string, unknown>) => void>();
  const read = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 40) lines.shift();
      if (process.env.CG_HOSTS_LOG) console.log(`[${name}] ${line}`);
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      waiters.forEach((waiter) => waiter(parsed));
    });
  read(child.stdout!);
  read(child.stderr!);
  const tail = () => lines.join('\n');
  return {
    name,
    pid: child.pid!,
    exited: () => exit,
    tail,
    nextLine(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (outcome: Record<string, unknown> | Error) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
        const waiter = (line: Record<string, unknown>) => match(line) && done(line);
        const timer = setTimeout(
          () =>
            done(
              new Error(
                `${name} (pid ${child.pid}) did not say what was expected within ${timeoutMs} ms:\n${tail()}`,
              ),
            ),
          timeoutMs,
        );
        const gone = () =>
          waiters.has(waiter) &&
          done(
            new Error(`${name} (pid ${child.pid}) exited (${JSON.stringify(exit)}):\n${tail()}`),
          );
        waiters.add(waiter);
        void ended.then(gone);
      });
    },
    send: (line) => child.stdin!.write(`${JSON.stringify(line)}\n`),
    async stop(graceMs = 10_000) {
      if (exit) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(killer);
    },
  };
}
