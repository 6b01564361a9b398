import { GraphQLError } from 'graphql';

/** Every error code a Crossgov resolver may send; clients can switch on these. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'SUBGRAPH_UNAVAILABLE'
  /** A query over a request limit (depth, aliases, tokens, expanded selections, cost): 400. */
  | 'QUERY_TOO_COMPLEX'
  /** A request body over its route's limit: 413. */
  | 'PAYLOAD_TOO_LARGE'
  /** A saturated process, or an answer that could not be completed by its deadline: 503 with Retry-After. */
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** A bad input names the field, the value and the rule it broke. */
export function badInput(field: string, value: unknown, rule: string): GraphQLError {
  return userError('BAD_USER_INPUT', `${field} ${JSON.stringify(value)} ${rule}`, { field, value, rule });
}

export function notFound(what: string, id: string): GraphQLError {
  return userError('NOT_FOUND', `${what} "${id}" was not found`, { id });
}
