import { randomBytes } from 'node:crypto';
import { type RunningDirectory, startDirectorySubgraph } from '@crossgov/directory';
import { startGateway } from '@crossgov/gateway';
import { type RunningOrganisation, startOrganisationSubgraph } from '@crossgov/organisation';
import { type Registry, loadRegistry } from '@crossgov/schema';
import { composeRegistry } from '@crossgov/scripts';
import pg from 'pg';
import { pino } from 'pino';

/** PostgreSQL for the run when set (CI sets it); otherwise every subgraph gets an in-memory PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const STORAGE = TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface GraphOptions {
  registry?: Registry;
  /** Services the department profile generates (HMRC). @default 4 */
  serviceCount?: number;
  /** @default 2000 */
  subgraphTimeoutMs?: number;
  /** Today's date for the directory. @default '2026-11-21' */
  today?: string;
}

export interface TestGraph {
  registry: Registry;
  gatewayUrl: string;
  supergraphSdl: string;
  directory: RunningDirectory;
  organisations: Map<string, RunningOrganisation>;
  /** Subgraph URLs by subgraph name, as the gateway was told them. */
  subgraphUrls: Record<string, string>;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const schemaFor = (name: string) => `${prefix}_${name}`;
  const directory = await startDirectorySubgraph({
    registry,
    databaseUrl: TEST_DATABASE_URL,
    databaseSchema: schemaFor('directory'),
    port: 0,
    today: () => options.today ?? '2026-11-21',
  });
  const organisations = new Map<string, RunningOrganisation>();
  const subgraphUrls: Record<string, string> = { directory: directory.url };
  for (const organisation of registry.organisations) {
    const running = await startOrganisationSubgraph({
      organisation,
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schemaFor(organisation.id),
      port: 0,
      seed: { serviceCount: options.serviceCount },
    });
    organisations.set(organisation.id, running);
    subgraphUrls[organisation.id] = running.url;
  }
  const { supergraphSdl } = await composeRegistry(registry);
  const gateway = await startGateway({
    supergraphSdl,
    subgraphUrls,
    subgraphTimeoutMs: options.subgraphTimeoutMs ?? 2000,
    port: 0,
    logger: pino({ level: 'silent' }),
  });
  const stop = async () => {
    await gateway.stop();
    await Promise.allSettled([directory.stop(), ...[...organisations.values()].map((o) => o.stop())]);
    if (TEST_DATABASE_URL) {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        for (const name of ['directory', ...registry.organisations.map((o) => o.id)]) await client.query(`DROP SCHEMA IF EXISTS ${schemaFor(name)} CASCADE`);
      } finally {
        await client.end();
      }
    }
  };
  return {
    registry,
    gatewayUrl: gateway.url,
    supergraphSdl,
    directory,
    organisations,
    subgraphUrls,
    query: (query, variables) => postGraphQL(gateway.url, query, variables),
    stop,
  };
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
