import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  /** The proxy's URL, with the targets' path. */
  url: string;
  /** How many requests each target was sent, in the order the targets were given. */
  readonly served: number[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on a loopback port that sends each request to the next of several processes of one
 * subgraph in turn, as a load balancer does: two requests in a row never reach the same process.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<RoundRobin> {
  const upstreams = targets.map((target) => new URL(target));
  const served = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const i = next++ % upstreams.length;
    served[i]! += 1;
    const upstream = upstreams[i]!;
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstreams[0]!.pathname}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
