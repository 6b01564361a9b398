import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthConfig,
  type Registry,
  type RequestLimits,
  abandonedSignal,
  createVerifier,
  dataVersionPlugin,
  hardenedApolloOptions,
  requestChecksPlugin,
  stopsWhenAborted,
} from '@crossgov/schema';
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
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const started = Date.now();
  const server = new ApolloServer<DirectoryContext>({
    schema,
    // Production unless asked otherwise (no introspection, suggestions, _service or unmasked SQL), and the token limit.
    ...hardenedApolloOptions({ limits, development: options.development }),
    // The gateway does not ask for federated traces; computing them costs every request.
    // Nor does anything read cache hints: computing them wraps every field resolver of every request.
    plugins: [
      requestChecksPlugin<DirectoryContext>({ limits, principalOf: (context) => context.principal }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // The directory changes only when it is synced with the registry, as it starts: its start time stands for its data.
      dataVersionPlugin<DirectoryContext>(() => `${started}.${today()}`),
    ],
    // The process that starts the server decides how it stops (several may share one process).
    stopOnTerminationSignals: false,
  });
  const verify = createVerifier(options.auth ?? {});
  // Without a request (executeOperation in tests) the caller is anonymous.
  const context = async (request?: { req: Pick<IncomingMessage, 'headers'>; res?: ServerResponse }): Promise<DirectoryContext> => ({
    // A request whose caller went away (the gateway past its deadline) stops at its next query.
    loaders: createLoaders(stopsWhenAborted(options.database.db, abandonedSignal(request?.res))),
    today: today(),
    principal: await verify(request?.req.headers ?? {}),
  });
  return { server, context, bodyLimit: limits.maxBodyBytes };
}

export { buildDirectorySchema } from './schema.ts';
export { openDirectoryDatabase, type DirectoryDatabase } from './db/client.ts';
export { syncDirectory } from './seed/sync.ts';
export { startDirectorySubgraph, type RunningDirectory, type StartDirectoryOptions } from './start.ts';
