import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { IncomingMessage } from 'node:http';
import { type AuthConfig, type Registry, createVerifier } from '@crossgov/schema';
import type { DirectoryContext } from './context.ts';
import type { DirectoryDatabase } from './db/client.ts';
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
  /** @default false */
  development?: boolean;
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig;
}

/** Builds the directory's Apollo Server. Starts nothing. */
export async function createDirectoryServer(options: DirectoryServerOptions) {
  const schema = await buildDirectorySchema(options.registry);
  const server = new ApolloServer<DirectoryContext>({ schema, includeStacktraceInErrorResponses: options.development ?? false,
    // The gateway does not ask for federated traces; computing them costs every request.
    // Nor does anything read cache hints: computing them wraps every field resolver of every request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    // The process that starts the server decides how it stops (several may share one process).
    stopOnTerminationSignals: false });
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const verify = createVerifier(options.auth ?? {});
  // Without a request (executeOperation in tests) the caller is anonymous.
  const context = async (request?: { req: Pick<IncomingMessage, 'headers'> }): Promise<DirectoryContext> => ({
    loaders: createLoaders(options.database.db),
    today: today(),
    principal: await verify(request?.req.headers ?? {}),
  });
  return { server, context };
}

export { buildDirectorySchema } from './schema.ts';
export { openDirectoryDatabase, type DirectoryDatabase } from './db/client.ts';
export { syncDirectory } from './seed/sync.ts';
export { startDirectorySubgraph, type RunningDirectory, type StartDirectoryOptions } from './start.ts';
