import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * What the proxy does with connections: pass them to the target, refuse them (it stops listening,
 * as a stopped process does), or accept them and never answer (a hung process).
 */
export type ProxyMode = 'pass' | 'refuse' | 'hang';

export interface TcpProxy {
  /** The target's URL with the proxy's host and port. */
  url: string;
  readonly mode: ProxyMode;
  /** Connections accepted so far, and bytes received from clients: any call to the target, kept-alive or not, adds to `bytes`. */
  readonly connections: number;
  readonly bytes: number;
  /** Changes mode; every open connection is cut, so a kept-alive one cannot carry on as before. */
  set(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on a loopback port in front of an HTTP URL, to stop or hang a subgraph without stopping it. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'pass';
  let connections = 0;
  let bytes = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    connections += 1;
    client.on('data', (chunk: Buffer) => (bytes += chunk.length));
    if (mode === 'hang') {
      client.resume(); // read the request, never answer
      return;
    }
    const server = connect(Number(upstream.port), upstream.hostname);
    track(server);
    client.pipe(server).pipe(client);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  let port = 0;
  await listen();
  port = (server.address() as { port: number }).port;
  const cut = () => sockets.forEach((socket) => socket.destroy());
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      cut();
    });
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    get mode() {
      return mode;
    },
    get connections() {
      return connections;
    },
    get bytes() {
      return bytes;
    },
    async set(next) {
      mode = next;
      cut();
      if (next === 'refuse') await stopListening();
      else if (!server.listening) await listen();
    },
    close: stopListening,
  };
}
