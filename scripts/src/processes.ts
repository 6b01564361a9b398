import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Prints a child's pino JSON lines as `[name] message`, keeping plain lines as they are. */
function relay(name: string, stream: NodeJS.ReadableStream, write: (line: string) => void): void {
  createInterface({ input: stream }).on('line', (line) => {
    try {
      const {
        level,
        msg,
        time: _t,
        pid: _p,
        hostname: _h,
        name: _n,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      const tag = typeof level === 'number' && level >= 40 ? ` ${LEVELS[level]}:` : '';
      write(`[${name}]${tag} ${String(msg)}${extra}`);
    } catch {
      write(`[${name}] ${line}`);
    }
  });
}

/**
 * Starts a TypeScript entry point in its own Node process (through tsx), relaying its log. The child
 * inherits this process's environment (PATH, the settings it was started with) plus `env`.
 */
export function startProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  relay(name, child.stdout!, (line) => console.log(line));
  relay(name, child.stderr!, (line) => console.error(line));
  return child;
}

/** Waits until a GraphQL endpoint answers `{ __typename }`, or the deadline passes. */
export async function waitForGraphQL(
  url: string,
  deadline: number,
  isAlive: () => boolean,
): Promise<void> {
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the process serving ${url} exited before it was ready`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} was not ready in time`);
}
