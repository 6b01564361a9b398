import type { GraphQLFormattedError } from 'graphql';

/** Codes whose messages are written for clients and safe to pass on as they are. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'SUBGRAPH_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'PAYLOAD_TOO_LARGE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Masks anything unexpected as INTERNAL_SERVER_ERROR: clients never see subgraph URLs, request
 * bodies, SQL and its parameters or stack traces outside development (after graphql-yoga's
 * mask-error). The gateway and every subgraph use it, so a subgraph called directly says no more
 * than the gateway would.
 */
export function createErrorMasker(development: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (development) return formatted;
    const { stacktrace: _stack, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (code && CLIENT_CODES.has(code)) return { ...formatted, extensions };
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(extensions.serviceName ? { serviceName: extensions.serviceName } : {}) },
    };
  };
}
