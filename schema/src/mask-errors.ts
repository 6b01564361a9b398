import type { GraphQLFormattedError } from 'graphql';
import { isClientVisible } from './errors.ts';

/**
 * Masks anything unexpected as INTERNAL_SERVER_ERROR: clients never see subgraph URLs, request
 * bodies, SQL and its parameters or stack traces outside development (after graphql-yoga's
 * mask-error). The gateway and every subgraph use it, so a subgraph called directly says no more
 * than the gateway would.
 */
export function createErrorMasker(development: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (development) return formatted;
    const {
      stacktrace: _stack,
      exception: _exception,
      ...extensions
    } = (formatted.extensions ?? {}) as Record<string, unknown>;
    // The codes whose messages are written for clients are the table's `client` ones (errors.ts).
    if (isClientVisible(extensions.code)) return { ...formatted, extensions };
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        ...(extensions.serviceName ? { serviceName: extensions.serviceName } : {}),
      },
    };
  };
}
