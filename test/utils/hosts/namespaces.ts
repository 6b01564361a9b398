import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

// Network namespaces as hosts: each has its own interfaces, addresses and ports, joined to the
// gateway's by a veth pair, so one `ip link set ... down` partitions one publisher and nothing else.
// Every address is assigned inside a namespace made here; the root namespace is never touched.

const run = promisify(execFile);

/** Every namespace of this harness starts with it; the owner's pid follows, so a sweep can tell a dead run's from a live one's. */
export const NAMESPACE_PREFIX = 'cg-';
const OWNED = /^cg-(\d+)-([0-9a-f]+)-/;

/** Fails, saying what to install, unless this process is root and has iproute2's `ip`. */
export function requireNetworkTools(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the network-fault harness needs root to create network namespaces (uid is ${process.getuid?.()}); run the deploy tests as root, as .ci/run does`,
    );
  }
  const probe = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `the network-fault harness needs iproute2's \`ip\` (${probe.error?.message ?? probe.stderr.trim()}); install it: apt-get install -y iproute2`,
    );
  }
}

/** Runs `ip` with a bounded wait; the error names the command and what `ip` said. */
export async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args, { timeout: 10_000 })).stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`ip ${args.join(' ')} failed: ${stderr?.trim() || (error as Error).message}`, {
      cause: error,
    });
  }
}

/** A run's namespace names: `cg-<owner pid>-<random>-<host>`. */
export function namespaceNamer(): (host: string) => string {
  const run = `${process.pid}-${randomBytes(3).toString('hex')}`;
  return (host) => `${NAMESPACE_PREFIX}${run}-${host}`;
}

/** The random part of a run's namespace name, which also names the run's database schemas. */
export const runOf = (namespace: string): string | null => OWNED.exec(namespace)?.[2] ?? null;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
};

/** Whether a name (a namespace, a temporary folder) is of a run of this harness whose owner is gone. */
export function isStale(name: string): boolean {
  const owner = OWNED.exec(name);
  return owner !== null && !isAlive(Number(owner[1]));
}

/**
 * Deletes the namespaces a killed run left (ours by prefix, and their owner gone), ending the
 * processes still inside them by pid first: they were started by that run and serve nothing now.
 */
export async function sweepStaleNamespaces(): Promise<string[]> {
  const names = (await ip('netns', 'list'))
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
  const stale = names.filter(isStale);
  for (const name of stale) await deleteNamespace(name);
  return stale;
}

/** A namespace with its loopback up (the processes in it talk to each other on 127.0.0.1). */
export async function addNamespace(name: string): Promise<void> {
  await ip('netns', 'add', name);
  await ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** Ends whatever still runs in a namespace (by pid), then deletes it. */
export async function deleteNamespace(name: string): Promise<void> {
  const pids = (await ip('netns', 'pids', name).catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await ip('netns', 'delete', name);
}

export interface VethLink {
  /** The interface on the gateway's side, whose state partitions the host. */
  device: string;
  /** The host's address, as the gateway reaches it. */
  hostAddress: string;
}

/**
 * Joins a host to the gateway's namespace: a veth pair created inside the two namespaces, the
 * gateway's end 10.231.<index>.1/30 and the host's 10.231.<index>.2/30.
 */
export async function linkHost(
  gatewayNs: string,
  hostNs: string,
  index: number,
): Promise<VethLink> {
  if (!Number.isInteger(index) || index < 1 || index > 254)
    throw new Error(
      `host index ${index} must be an integer from 1 to 254 (the third octet of 10.231.<index>.0/30)`,
    );
  const device = `h${index}`;
  await ip(
    '-n',
    gatewayNs,
    'link',
    'add',
    device,
    'type',
    'veth',
    'peer',
    'name',
    'gw',
    'netns',
    hostNs,
  );
  await ip('-n', gatewayNs, 'addr', 'add', `10.231.${index}.1/30`, 'dev', device);
  await ip('-n', hostNs, 'addr', 'add', `10.231.${index}.2/30`, 'dev', 'gw');
  await ip('-n', gatewayNs, 'link', 'set', device, 'up');
  await ip('-n', hostNs, 'link', 'set', 'gw', 'up');
  return { device, hostAddress: `10.231.${index}.2` };
}

/** Takes a link down (a partition) or up (healed). */
export async function setLink(
  namespace: string,
  device: string,
  state: 'up' | 'down',
): Promise<void> {
  await ip('-n', namespace, 'link', 'set', device, state);
}
