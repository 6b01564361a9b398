import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { type AuthConfig, type RequestLimits, createVerifier, dataVersionPlugin, hardenedApolloOptions, requestChecksPlugin, startHttpServer } from '@crossgov/schema';
import type { Logger } from 'pino';
import type { InsightsContext } from './context.ts';
import { readLimits } from './env.ts';
import { buildInsightsSchema } from './schema.ts';

// Insights has no database: it computes from what the planner hands it and keeps nothing.

export interface InsightsServerOptions {
  /**
   * Introspection, field suggestions, `_service { sdl }`, stack traces and unmasked errors.
   * @default false
   */
  development?: boolean;
  /**
   * Today's date for progress figures; tests fix it.
   * @default the current UTC date
   */
  today?: () => string;
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig;
  /**
   * Request limits (README "Limits"), over those the environment sets. Insights is called with
   * every organisation's figures in one representation (about 1 MB at 1,000), within the body limit.
   * @default SUBGRAPH_LIMITS, or QUERY_MAX_* and GRAPHQL_MAX_BODY_BYTES from the environment
   */
  limits?: Partial<RequestLimits>;
}

/** Builds the insights Apollo Server. Starts nothing. */
export async function createInsightsServer(options: InsightsServerOptions = {}) {
  const schema = await buildInsightsSchema();
  const limits = { ...readLimits(), ...options.limits };
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const server = new ApolloServer<InsightsContext>({
    schema,
    // Production unless asked otherwise (no introspection, suggestions, _service or unmasked errors), and the token limit.
    ...hardenedApolloOptions({ limits, development: options.development }),
    // Nor does anything read cache hints: computing them wraps every field resolver of every request.
    plugins: [
      requestChecksPlugin<InsightsContext>({ limits, principalOf: (context) => context.principal }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      // Insights keeps no data: its answers are computed from what the publishers send it, and the date.
      dataVersionPlugin<InsightsContext>(() => today()),
    ],
    stopOnTerminationSignals: false,
  });
  const verify = createVerifier(options.auth ?? {});
  // Without a request (executeOperation in tests) the caller is anonymous.
  const context = async (request?: { req: Pick<IncomingMessage, 'headers'> }): Promise<InsightsContext> => ({
    today: today(),
    principal: await verify(request?.req.headers ?? {}),
  });
  return { server, context, bodyLimit: limits.maxBodyBytes };
}

export interface RunningInsights {
  url: string;
  stop(): Promise<void>;
}

/** Serves insights; port 0 picks a free one. */
export async function startInsightsSubgraph(options: InsightsServerOptions & { port: number; host?: string; requestLog?: Logger }): Promise<RunningInsights> {
  const { server, context, bodyLimit } = await createInsightsServer(options);
  // The same Express wrapper as every server: body limits, refusals answered as JSON, the probes.
  // Nothing to wait for (no database): ready once it serves.
  const { url, stop } = await startHttpServer({ apollo: server, context, port: options.port, host: options.host, bodyLimit, service: 'insights', logger: options.requestLog });
  return { url: `${url}graphql`, stop };
}

export { buildInsightsSchema } from './schema.ts';
