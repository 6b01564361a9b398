import { randomBytes } from 'node:crypto';
import { type AuthConfig, type Registry, loadRegistry, schemaNameOf } from '@crossgov/schema';
import { type LocalGraph, type LocalGraphOptions, startLocalGraph } from '@crossgov/scripts';
import { TEST_DATABASE_URL, dropSchemas } from './database.ts';

export { STORAGE, TEST_DATABASE_URL } from './database.ts';

export interface GraphOptions {
  registry?: Registry;
  /** Services the department profile generates (HMRC). @default 4 */
  serviceCount?: number;
  /** @default 2000 */
  subgraphTimeoutMs?: number;
  /** Today's date for the directory. @default '2026-11-21' */
  today?: string;
  /** Token verification for the gateway and every subgraph. @default none: anonymous only */
  auth?: AuthConfig;
  /** The gateway's request deadline and admission control. @default the gateway's */
  gateway?: LocalGraphOptions['gateway'];
}

export interface TestGraph extends LocalGraph {
  registry: Registry;
  supergraphSdl: string;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A GraphQL POST as a client sends it, with the caller's bearer token when one is given. */
export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/**
 * Starts the whole graph as users run it: the directory and every organisation subgraph on their
 * own loopback ports (listen(0)) with their own databases, composed from code, behind the real gateway.
 */
export async function startTestGraph(options: GraphOptions = {}): Promise<TestGraph> {
  const registry = options.registry ?? loadRegistry();
  const schemaPrefix = `t${randomBytes(4).toString('hex')}`;
  const graph = await startLocalGraph({
    registry,
    databaseUrl: TEST_DATABASE_URL,
    schemaPrefix,
    ports: 'free',
    serviceCount: options.serviceCount,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 2000,
    today: () => options.today ?? '2026-11-21',
    auth: options.auth,
    gateway: options.gateway,
  });
  const stop = async () => {
    await graph.stop();
    await dropSchemas(...['directory', ...registry.publishers.map((p) => p.id)].map((name) => `${schemaPrefix}_${schemaNameOf(name)}`));
  };
  return { ...graph, registry, supergraphSdl: graph.supergraphSdl!, query: (query, variables) => postGraphQL(graph.gatewayUrl, query, variables), stop };
}

/** The query every strategy team starts with: every organisation, its services, indicators and milestones. */
export const UNIFORM_QUERY = /* GraphQL */ `
  query Uniform {
    organisations {
      id
      name
      kind
      services { id name department phase }
      indicators { id code name unit polarity latest { period value numerator denominator synthetic } }
      milestones { id title baseline { date precision label } forecast { label } actual { label } }
    }
  }
`;
