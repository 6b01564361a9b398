import {
  type ASTNode,
  type GraphQLError,
  type GraphQLFormattedError,
  Lexer,
  Source,
  TokenKind,
} from 'graphql';
import { RequestError } from '../errors.ts';
import type { OperationMeasure } from './measure.ts';
import type { RequestLimits } from './settings.ts';

/** Which limit a refused query went over, in `extensions.limit`. */
export type LimitName = 'depth' | 'aliases' | 'rootFields' | 'tokens' | 'selections' | 'cost';

const WHAT: Record<LimitName, string> = {
  depth: 'depth',
  aliases: 'aliases',
  rootFields: 'root fields',
  tokens: 'tokens',
  selections: 'field selections once fragments are expanded',
  cost: 'estimated cost (organisations x fields)',
};

const SETTING: Record<LimitName, string> = {
  depth: 'QUERY_MAX_DEPTH',
  aliases: 'QUERY_MAX_ALIASES',
  rootFields: 'QUERY_MAX_ROOT_FIELDS',
  tokens: 'QUERY_MAX_TOKENS',
  selections: 'QUERY_MAX_SELECTIONS',
  cost: 'QUERY_MAX_COST',
};

const number = (n: number) => (n >= 1e15 ? n.toExponential(2) : n.toLocaleString('en-GB'));

/**
 * A query refused for its size: 400 with QUERY_TOO_COMPLEX, naming the limit, its value and what
 * was found. `found` is capped at Number.MAX_SAFE_INTEGER so it stays a JSON number.
 */
export function tooComplex(
  limit: LimitName,
  found: number,
  max: number,
  nodes?: readonly ASTNode[],
  atLeast = false,
): GraphQLError {
  const shown = Math.min(found, Number.MAX_SAFE_INTEGER);
  const message = `Query too complex: ${WHAT[limit]} ${atLeast ? 'more than ' : ''}${number(shown)}, over the limit of ${number(max)} (${SETTING[limit]}).`;
  return new RequestError('QUERY_TOO_COMPLEX', message, { limit, max, found: shown }, { nodes });
}

/** The refusals an operation's measure earns, worst first in the order the planner would meet them. */
export function refusalsOf(
  measure: OperationMeasure,
  limits: RequestLimits,
  nodes?: readonly ASTNode[],
): GraphQLError[] {
  const checks: [LimitName, number, number][] = [
    ['depth', measure.depth, limits.maxDepth],
    ['aliases', measure.aliases, limits.maxAliases],
    ['rootFields', measure.rootFields, limits.maxRootFields],
    ['selections', measure.selections, limits.maxSelections],
    ['cost', measure.cost, limits.maxCost],
  ];
  return checks
    .filter(([, found, max]) => found > max)
    .map(([limit, found, max]) => tooComplex(limit, found, max, nodes));
}

// graphql 16 says "more that"; a later release may fix the spelling.
const TOKEN_LIMIT =
  /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * graphql-js stops parsing at `maxTokens` with a syntax error (GRAPHQL_PARSE_FAILED); this turns it
 * into the same QUERY_TOO_COMPLEX refusal as the other limits. The tokens are counted on to ten
 * times the limit, no further, so a refusal costs little more than the parse it stopped.
 */
export function nameTokenRefusal(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const match = TOKEN_LIMIT.exec(formatted.message);
  if (!match || formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return formatted;
  const max = Number(match[1]);
  const body = (error as { source?: { body?: unknown } } | null)?.source?.body;
  const cap = max * 10;
  const counted = typeof body === 'string' ? countTokens(body, cap) : cap + 1;
  const refusal =
    counted > cap
      ? tooComplex('tokens', cap, max, undefined, true)
      : tooComplex('tokens', counted, max);
  const { http: _http, ...extensions } = refusal.extensions;
  return { message: refusal.message, extensions };
}

/** Lexical tokens in a query, as graphql-js counts them for `maxTokens`; past `cap`, `cap` + 1. */
export function countTokens(body: string, cap: number): number {
  const lexer = new Lexer(new Source(body));
  let count = 0;
  try {
    while (count <= cap && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error past the limit: what was counted stands.
  }
  return count;
}
