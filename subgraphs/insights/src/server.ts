import {
  type RequestLimits,
  type SubgraphRequest,
  createSubgraphApollo,
  subgraphRequests,
} from '@crossgov/schema/server';
import { type AuthConfig } from '@crossgov/schema/auth';
import type { InsightsContext } from './context.ts';
import { readLimits } from './env.ts';
import { buildInsightsSchema } from './schema.ts';

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
  const { today, principalOf } = subgraphRequests(options);
  const server = createSubgraphApollo<InsightsContext>({
    schema,
    limits,
    development: options.development,
    // Insights keeps no data: its answers are computed from what the publishers send it, and the date.
    dataVersion: () => today(),
  });
  const context = async (request?: SubgraphRequest): Promise<InsightsContext> => ({
    today: today(),
    principal: await principalOf(request),
  });
  return { server, context, bodyLimit: limits.maxBodyBytes };
}
