import { type Server, type Socket, connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

// One small byte forwarder for every bridge the network-fault harness needs (hosts.ts): TCP or a
// Unix socket in, TCP or a Unix socket out. Filesystem sockets work across network namespaces, so
// they carry traffic between the test (root namespace) and the hosts without an IP address outside
// the test's namespaces. In front of a publisher it is also the delaying proxy that stands in for
// netem (not available on these machines): each chunk waits `delayMs` in each direction, and with
// probability `loss` it is held `lossDelayMs` longer, as a lost segment waits for its
// retransmission; chunks stay in order, so later ones queue behind a held one as they do in TCP.
//
// As a process: `node --import tsx forwarder.ts '<routes as JSON>'`; prints one JSON line once every
// route listens, applies each JSON line of its stdin ({ route, delayMs, loss, lossDelayMs }) and
// answers { applied }, and exits when its stdin closes, so it cannot outlive the harness.

/** `tcp:<host>:<port>` or `unix:<path>`. */
export type Endpoint = string;

export interface Faults {
  /** Added to each chunk in each direction. @default 0 */
  delayMs: number;
  /** Probability that a chunk is held as if lost. @default 0 */
  loss: number;
  /** How much longer a "lost" chunk is held. @default 200 */
  lossDelayMs: number;
}

export interface Route {
  name: string;
  listen: Endpoint;
  target: Endpoint;
}

export interface RunningRoute {
  faults: Faults;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = { delayMs: 0, loss: 0, lossDelayMs: 200 };

function addressOf(endpoint: Endpoint): { path: string } | { host: string; port: number } {
  const unix = /^unix:(.+)$/.exec(endpoint);
  if (unix) return { path: unix[1]! };
  const tcp = /^tcp:(.+):(\d+)$/.exec(endpoint);
  if (tcp) return { host: tcp[1]!, port: Number(tcp[2]) };
  throw new Error(`endpoint "${endpoint}" must be tcp:<host>:<port> or unix:<path>`);
}

/** Copies one direction of a connection, each chunk released no earlier than the one before it. */
function pipeDelayed(from: Socket, to: Socket, faults: () => Faults): void {
  let lastRelease = 0;
  from.on('data', (chunk: Buffer) => {
    const { delayMs, loss, lossDelayMs } = faults();
    if (delayMs === 0 && loss === 0 && lastRelease <= Date.now()) {
      to.write(chunk);
      return;
    }
    const held = Math.random() < loss ? lossDelayMs : 0;
    lastRelease = Math.max(Date.now() + delayMs + held, lastRelease);
    setTimeout(() => to.writable && to.write(chunk), lastRelease - Date.now());
  });
  // An end is passed on after the data before it, never ahead of it.
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastRelease - Date.now())));
}

/** Listens on `route.listen` and forwards every connection to `route.target`. */
export async function startRoute(
  route: Route,
  initial: Partial<Faults> = {},
): Promise<RunningRoute> {
  const faults: Faults = { ...NO_FAULTS, ...initial };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = connect(addressOf(route.target) as never);
    track(upstream);
    // Either side gone means the connection is gone, as for a process that stopped.
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    pipeDelayed(client, upstream, () => faults);
    pipeDelayed(upstream, client, () => faults);
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(addressOf(route.listen), resolve),
  );
  return {
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      }),
  };
}

async function main(): Promise<void> {
  const routes = JSON.parse(process.argv[2] ?? '[]') as Route[];
  const running = new Map<string, RunningRoute>();
  for (const route of routes) running.set(route.name, await startRoute(route));
  console.log(JSON.stringify({ listening: routes.map((r) => r.listen) }));
  createInterface({ input: process.stdin }).on('line', (line) => {
    const { route, ...faults } = JSON.parse(line) as Partial<Faults> & { route: string };
    const target = running.get(route);
    if (!target)
      return console.log(
        JSON.stringify({
          error: `route "${route}" is not one of ${[...running.keys()].join(', ')}`,
        }),
      );
    Object.assign(target.faults, faults);
    console.log(JSON.stringify({ applied: { route, ...target.faults } }));
  });
  process.stdin.on('close', () => process.exit(0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
