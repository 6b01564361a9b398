import type { ApolloServerPlugin } from '@apollo/server';
import {
  type HardenedApolloOptions,
  type RequestLimits,
  hardenedApolloOptions,
  requestChecksPlugin,
} from '@crossgov/schema/server';
import type { GatewayContext } from './auth.ts';

export interface GatewayLimits {
  /** Spread into the gateway's ApolloServer options: production behaviour, the token limit, masking. */
  apolloOptions: HardenedApolloOptions;
  /** Refuses, before the query is planned, what is over the limits or not the caller's to ask. */
  plugin: ApolloServerPlugin<GatewayContext>;
}

/**
 * The gateway's request limits (README "Limits"). Measured before they existed (scripts/bench/RESULTS.md,
 * "Request limits"): a cycle of departments and memberships grows its answer at every level, all
 * of it computed by the directory and merged here; fragments spread twice per level with distinct
 * directives took @apollo/query-planner seconds per level (9 s at 14 levels, doubling) before a
 * subgraph was called; 5,000 aliases cost planning plus a directory query each. So every limit is
 * checked once the operation is known and before it is planned (didResolveOperation runs before
 * the gateway's executor), from a measure linear in the document (schema/src/limits/measure.ts).
 * Parsing and graphql-js validation come first, bounded by the token limit.
 */
export function gatewayLimits(limits: RequestLimits, development: boolean): GatewayLimits {
  return {
    apolloOptions: hardenedApolloOptions({ limits, development }),
    plugin: requestChecksPlugin<GatewayContext>({
      limits,
      principalOf: (context) => context.principal,
    }),
  };
}
