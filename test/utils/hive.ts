import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

export interface HiveGatewayOptions {
  /** The supergraph file, read by Hive Gateway itself as `hive-gateway supergraph <file>` reads it. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name (`@join__graph(name:)`), over the supergraph's: the test graph listens on free ports. */
  subgraphUrls: Record<string, string>;
  /**
   * Which query planner plans federated queries: Hive Router's, in Rust (`@graphql-hive/router-runtime`,
   * what `hive-gateway supergraph --hive-router-runtime` runs), or Hive Gateway's default, in JavaScript.
   */
  planner: 'rust' | 'javascript';
}

export interface HiveGateway {
  url: string;
  /** The subgraph of every call the gateway made, in order: what its planner chose to fetch. Clear it between queries. */
  calls: string[];
  stop(): Promise<void>;
}

/** Hive Gateway on a loopback port, serving a supergraph file unchanged against running subgraphs. */
export async function startHiveGateway(options: HiveGatewayOptions): Promise<HiveGateway> {
  const calls: string[] = [];
  const subgraphAt = new Map(
    Object.entries(options.subgraphUrls).map(([name, url]) => [url, name]),
  );
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphPath,
    transportEntries: Object.fromEntries(
      Object.entries(options.subgraphUrls).map(([name, location]) => [name, { location }]),
    ),
    ...(options.planner === 'rust' ? { unifiedGraphHandler } : {}),
    logging: false,
    plugins: () => [{ onFetch: ({ url }) => void calls.push(subgraphAt.get(url) ?? url) }],
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    calls,
    async stop() {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await runtime.dispose();
    },
  };
}
