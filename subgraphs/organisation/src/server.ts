import { type Publisher, type RegistryEntry } from '@crossgov/schema';
import {
  type RequestLimits,
  type SubgraphRequest,
  abandonedSignal,
  createSubgraphApollo,
  stopsWhenAborted,
  subgraphRequests,
  watchCache,
} from '@crossgov/schema/server';
import { type AuthConfig } from '@crossgov/schema/auth';
import { count, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { canReadDrafts } from './access.ts';
import { VersionedCache } from './cache.ts';
import type { OrganisationContext } from './context.ts';
import type { OrganisationDatabase } from './db/client.ts';
import { dataVersions } from './db/schema.ts';
import { readLimits } from './env.ts';
import { type ImportRouteOptions, importRoutes } from './imports/import.route.ts';
import { createLoaders } from './loaders.ts';
import { buildOrganisationSchema } from './schema.ts';

export interface OrganisationServerOptions {
  /** The publisher this subgraph is. */
  publisher: Publisher;
  /** The organisations it serves (the registry's entries whose publisher it is). */
  organisations: readonly RegistryEntry[];
  database: OrganisationDatabase;
  /**
   * Introspection, field suggestions, `_service { sdl }`, stack traces and unmasked errors.
   * @default false
   */
  development?: boolean;
  /**
   * Today's date for milestone status and returns; tests fix it.
   * @default the current UTC date
   */
  today?: () => string;
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
  /**
   * What is kept of each organisation between requests, keyed by its data version: its lists,
   * latest figures, scorecards and comparison figures (one entry per organisation and question).
   * @default 20000
   */
  cacheEntries?: number;
  /**
   * Request limits (README "Limits"), over those the environment sets: a subgraph can be called
   * directly, so it checks what the gateway checks, with room for the planner's own fetches.
   * @default SUBGRAPH_LIMITS, or QUERY_MAX_* and GRAPHQL_MAX_BODY_BYTES from the environment
   */
  limits?: Partial<RequestLimits>;
  /** File import limits (IMPORT_MAX_CSV_BYTES, IMPORT_MAX_JSON_BYTES, IMPORT_MAX_PROBLEMS). @default 20 MiB, 10 MiB, 1,000 */
  imports?: ImportLimits;
}

export type ImportLimits = Pick<ImportRouteOptions, 'maxBytes' | 'maxJsonBytes' | 'maxProblems'>;

/** Builds the Apollo Server for one publisher's subgraph. Starts nothing. */
export async function createOrganisationServer(options: OrganisationServerOptions) {
  const schema = await buildOrganisationSchema(options.publisher, options.organisations);
  const organisations = new Map(options.organisations.map((org) => [org.id, org]));
  const cache = new VersionedCache(options.cacheEntries);
  // Its size and hits at /metrics (crossgov_cache_entries), as the publisher's judgements.
  watchCache(`${options.publisher.id} judgements`, cache);
  const limits = { ...readLimits(), ...options.limits };
  const { today, verify, principalOf } = subgraphRequests(options);
  const server = createSubgraphApollo<OrganisationContext>({
    schema,
    limits,
    development: options.development,
    // Every organisation's version summed, and how many have one: any write moves it on
    // (the triggers of migration 0007), and the date statuses are judged on is part of it.
    dataVersion: async () => {
      const [row] = await options.database.db
        .select({
          organisations: count(),
          sum: sql<string>`coalesce(sum(${dataVersions.version}), 0)`,
        })
        .from(dataVersions);
      return `${row!.sum}.${row!.organisations}.${today()}`;
    },
  });
  const context = async (request?: SubgraphRequest): Promise<OrganisationContext> => {
    const principal = await principalOf(request);
    // A request whose caller went away (the gateway past its deadline) stops at its next query.
    const db = stopsWhenAborted(options.database.db, abandonedSignal(request?.res));
    const drafts = (id: string) => {
      const organisation = organisations.get(id);
      return organisation !== undefined && canReadDrafts(principal, organisation);
    };
    return {
      publisher: options.publisher,
      organisations,
      loaders: createLoaders(db, { drafts, cache }),
      cache,
      db,
      drafts,
      today: today(),
      principal,
    };
  };
  // Plain HTTP beside GraphQL: file imports, checked by the same token and rules as the mutations.
  const routes = importRoutes({
    ...options.imports,
    publisher: options.publisher,
    organisations,
    db: options.database.db,
    verify,
    today,
    logger: options.logger,
  });
  return { server, context, routes, cache, bodyLimit: limits.maxBodyBytes };
}
