import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { type AuthConfig, createVerifier } from '@crossgov/schema';
import type { InsightsContext } from './context.ts';
import { buildInsightsSchema } from './schema.ts';

// Insights has no database: it computes from what the planner hands it and keeps nothing.

export interface InsightsServerOptions {
  /** @default false */
  development?: boolean;
  /**
   * Today's date for progress figures; tests fix it.
   * @default the current UTC date
   */
  today?: () => string;
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig;
}

/** Builds the insights Apollo Server. Starts nothing. */
export async function createInsightsServer(options: InsightsServerOptions = {}) {
  const schema = await buildInsightsSchema();
  const server = new ApolloServer<InsightsContext>({
    schema,
    includeStacktraceInErrorResponses: options.development ?? false,
    // Nor does anything read cache hints: computing them wraps every field resolver of every request.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    stopOnTerminationSignals: false,
  });
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const verify = createVerifier(options.auth ?? {});
  // Without a request (executeOperation in tests) the caller is anonymous.
  const context = async (request?: { req: Pick<IncomingMessage, 'headers'> }): Promise<InsightsContext> => ({
    today: today(),
    principal: await verify(request?.req.headers ?? {}),
  });
  return { server, context };
}

export interface RunningInsights {
  url: string;
  stop(): Promise<void>;
}

/** Serves insights; port 0 picks a free one. */
export async function startInsightsSubgraph(options: InsightsServerOptions & { port: number; host?: string }): Promise<RunningInsights> {
  const { server, context } = await createInsightsServer(options);
  const { url } = await startStandaloneServer(server, { listen: { port: options.port, host: options.host ?? '127.0.0.1' }, context });
  return { url: `${url}graphql`, stop: () => server.stop() };
}

export { buildInsightsSchema } from './schema.ts';
