import { randomBytes } from 'node:crypto';
import { type Registry, loadRegistry, schemaNameOf } from '@crossgov/schema';
import { type AuthConfig } from '@crossgov/schema/auth';
import {
  type LocalGraph,
  type LocalGraphOptions,
  type PublicGovernment,
  readPublicGovernment,
  startLocalGraph,
} from '@crossgov/scripts';
import { publicDataDir } from '@crossgov/organisation/sources';
import { TEST_DATABASE_URL, dropSchemas } from './database.ts';

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
  /** Published data sets read for each publisher, imported when it starts (see {@link startPublicGraph}). */
  sources?: LocalGraphOptions['sources'];
}

export interface TestGraph extends LocalGraph {
  registry: Registry;
  /** Prefix of every PostgreSQL schema of this graph: `<prefix>_<subgraph>`. */
  schemaPrefix: string;
  supergraphSdl: string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A GraphQL POST as a client sends it, with the caller's bearer token when one is given. */
export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string | null,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
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
    sources: options.sources,
  });
  const stop = async () => {
    await graph.stop();
    await dropSchemas(
      ...['directory', ...registry.publishers.map((p) => p.id)].map(
        (name) => `${schemaPrefix}_${schemaNameOf(name)}`,
      ),
    );
  };
  return {
    ...graph,
    registry,
    schemaPrefix,
    supergraphSdl: graph.supergraphSdl!,
    query: (query, variables) => postGraphQL(graph.gatewayUrl, query, variables),
    stop,
  };
}

/**
 * The real government as `pnpm start -- --public-data` runs it: today's registry beside every
 * organisation of the published data sets in ../shared/data/public, each publisher importing what
 * its data sets' adapters read when it starts (about a minute on two cores).
 */
export async function startPublicGraph(
  options: Omit<GraphOptions, 'registry' | 'sources'> = {},
): Promise<TestGraph & { government: PublicGovernment }> {
  const government = readPublicGovernment(publicDataDir(), {
    today: options.today ?? '2026-11-21',
  });
  const graph = await startTestGraph({
    ...options,
    registry: government.registry,
    sources: government.reads,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 10_000,
  });
  return { ...graph, government };
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
