import { z } from 'zod';

/**
 * What one GraphQL request may ask of a server, checked before it is planned or run. Each value is
 * the most allowed; see README "Limits" for why these defaults.
 */
export interface RequestLimits {
  /** Deepest field (root fields at 1; fragments add no level). */
  maxDepth: number;
  /** Aliased fields, once fragments are inlined. */
  maxAliases: number;
  /** Fields at the root, once fragments are inlined, aliases included (`__typename` is free). */
  maxRootFields: number;
  /** Lexical tokens in the query text; parsing stops past it (graphql-js `maxTokens`). */
  maxTokens: number;
  /** Field selections once every fragment is inlined. */
  maxSelections: number;
  /**
   * Estimated cost, organisations x fields: 1 a field, a list of organisations' selections counted
   * once per organisation (`assumedOrganisations`), any other list's ten times.
   */
  maxCost: number;
  /**
   * How many organisations the estimate assumes a list of organisations returns: the size the
   * deployment is planned for, not a limit. The estimate is made on the document alone, before the
   * directory is asked, so it is the same for today's graph and a full one.
   */
  assumedOrganisations: number;
  /** Largest GraphQL POST body, in bytes; a larger one is refused with 413 before it is read into memory. */
  maxBodyBytes: number;
}

const MiB = 1024 * 1024;

/**
 * The gateway's limits: several times what the largest query Crossgov documents needs, far below
 * what took a process down (a depth-16 cycle, 2^19 expanded fragments, 5,000 aliases) or fans out
 * without end (organisations within publishers within organisations). The largest documented
 * (test/limits.e2e.test.ts measures them all): the strategy page, depth 6, 6 root fields, 285
 * selections, 308 tokens and cost 18.4 million (five lists of organisations, by kind, each assumed
 * to be every organisation); 2 aliases in the README's mutation. The cost limit is 100 times the
 * 500,000 it was when a list of organisations counted ten times: a query with one level of
 * organisation lists that was accepted then is accepted now; organisations nested in organisations
 * cost 1,000 times more per level and are what it refuses.
 */
export const GATEWAY_LIMITS: Readonly<RequestLimits> = Object.freeze({
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 15,
  maxTokens: 2000,
  maxSelections: 1000,
  maxCost: 50_000_000,
  assumedOrganisations: 1000,
  maxBodyBytes: 2 * MiB,
});

/**
 * A subgraph's limits, from the gateway's: what the planner sends for a query the gateway accepted
 * must pass. `_entities` and its type condition add up to two levels; the planner repeats selections
 * once per entity type (the directory's fetch names every publisher's type: 588 tokens for the
 * README queries on 40 publishers, against 110 at the gateway) and adds keys; `_entities` is a list
 * (of a union, so counted ten times, not once per organisation), so a single `organisation(id:)`
 * costs ten times more below the gateway. No fetch test/limits.e2e.test.ts plans has more root
 * fields than its query; five times leaves room. The same number of organisations is assumed everywhere. Bodies
 * carry the planner's representations: the league's is about 1 MB at 1,000 organisations.
 */
export function subgraphLimitsFor(gateway: Readonly<RequestLimits>): RequestLimits {
  return {
    maxDepth: gateway.maxDepth + 2,
    maxAliases: gateway.maxAliases * 5,
    maxRootFields: gateway.maxRootFields * 5,
    maxTokens: gateway.maxTokens * 5,
    maxSelections: gateway.maxSelections * 5,
    maxCost: gateway.maxCost * 10,
    assumedOrganisations: gateway.assumedOrganisations,
    maxBodyBytes: Math.max(gateway.maxBodyBytes, 16 * MiB),
  };
}

export const SUBGRAPH_LIMITS: Readonly<RequestLimits> = Object.freeze(
  subgraphLimitsFor(GATEWAY_LIMITS),
);

const positive = z.coerce.number().int().positive();

/** The environment settings of the limits, with a deployable's defaults (each env.ts spreads these). */
export function limitsEnv(defaults: Readonly<RequestLimits>) {
  return {
    QUERY_MAX_DEPTH: positive.default(defaults.maxDepth),
    QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(defaults.maxAliases),
    QUERY_MAX_ROOT_FIELDS: positive.default(defaults.maxRootFields),
    QUERY_MAX_TOKENS: positive.default(defaults.maxTokens),
    QUERY_MAX_SELECTIONS: positive.default(defaults.maxSelections),
    QUERY_MAX_COST: positive.default(defaults.maxCost),
    QUERY_ASSUMED_ORGANISATIONS: positive.default(defaults.assumedOrganisations),
    GRAPHQL_MAX_BODY_BYTES: positive.default(defaults.maxBodyBytes),
  };
}

type LimitsEnv = { [K in keyof ReturnType<typeof limitsEnv>]: number };

/** The limits a parsed environment sets. */
export function limitsOf(env: LimitsEnv): RequestLimits {
  return {
    maxDepth: env.QUERY_MAX_DEPTH,
    maxAliases: env.QUERY_MAX_ALIASES,
    maxRootFields: env.QUERY_MAX_ROOT_FIELDS,
    maxTokens: env.QUERY_MAX_TOKENS,
    maxSelections: env.QUERY_MAX_SELECTIONS,
    maxCost: env.QUERY_MAX_COST,
    assumedOrganisations: env.QUERY_ASSUMED_ORGANISATIONS,
    maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
  };
}
