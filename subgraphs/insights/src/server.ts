import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
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
}

/** Builds the insights Apollo Server. Starts nothing. */
export async function createInsightsServer(options: InsightsServerOptions = {}) {
  const schema = await buildInsightsSchema();
  return new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: options.development ?? false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
}

export interface RunningInsights {
  url: string;
  stop(): Promise<void>;
}

/** Serves insights; port 0 picks a free one. */
export async function startInsightsSubgraph(options: InsightsServerOptions & { port: number; host?: string }): Promise<RunningInsights> {
  const server = await createInsightsServer(options);
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port, host: options.host ?? '127.0.0.1' },
    context: async (): Promise<InsightsContext> => ({ today: today() }),
  });
  return { url: `${url}graphql`, stop: () => server.stop() };
}

export { buildInsightsSchema } from './schema.ts';
