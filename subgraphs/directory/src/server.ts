import { type Registry } from '@crossgov/schema';
import {
  type RequestLimits,
  type SubgraphRequest,
  abandonedSignal,
  createSubgraphApollo,
  stopsWhenAborted,
  subgraphRequests,
} from '@crossgov/schema/server';
import { type AuthConfig } from '@crossgov/schema/auth';
import type { DirectoryContext } from './context.ts';
import type { DirectoryDatabase } from './db/client.ts';
import { readLimits } from './env.ts';
import { createLoaders } from './loaders.ts';
import { buildDirectorySchema } from './schema.ts';

export interface DirectoryServerOptions {
  registry: Registry;
  database: DirectoryDatabase;
  /**
   * Today's date for membership questions; tests fix it.
   * @default the current UTC date
   */
  today?: () => string;
  /**
   * Introspection, field suggestions, `_service { sdl }`, stack traces and unmasked errors.
   * @default false
   */
  development?: boolean;
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig;
  /**
   * Request limits (README "Limits"), over those the environment sets: the directory can be called
   * directly, so it checks what the gateway checks, with room for the planner's own fetches.
   * @default SUBGRAPH_LIMITS, or QUERY_MAX_* and GRAPHQL_MAX_BODY_BYTES from the environment
   */
  limits?: Partial<RequestLimits>;
}

/** Builds the directory's Apollo Server. Starts nothing. */
export async function createDirectoryServer(options: DirectoryServerOptions) {
  const schema = await buildDirectorySchema(options.registry);
  const limits = { ...readLimits(), ...options.limits };
  const { today, principalOf } = subgraphRequests(options);
  const started = Date.now();
  const server = createSubgraphApollo<DirectoryContext>({
    schema,
    limits,
    development: options.development,
    // The directory changes only when it is synced with the registry, as it starts: its start time stands for its data.
    dataVersion: () => `${started}.${today()}`,
  });
  const context = async (request?: SubgraphRequest): Promise<DirectoryContext> => ({
    // A request whose caller went away (the gateway past its deadline) stops at its next query.
    loaders: createLoaders(stopsWhenAborted(options.database.db, abandonedSignal(request?.res))),
    today: today(),
    principal: await principalOf(request),
  });
  return { server, context, bodyLimit: limits.maxBodyBytes };
}
