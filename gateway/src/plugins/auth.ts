import type { IncomingMessage } from 'node:http';
import { type AuthConfig, type Principal, createVerifier, tokenFrom } from '@crossgov/schema';

/** What every gateway request carries to the subgraph calls it plans. */
export interface GatewayContext {
  principal: Principal;
  /** The token as the client sent it, forwarded to each subgraph (which verifies it again). */
  token: string | null;
}

/**
 * Verifies the caller's token before any planning; a refused token ends the request with
 * UNAUTHENTICATED and HTTP 401. Anonymous callers go through with no token to forward.
 */
export function createAuthContext(config: AuthConfig = {}) {
  const verify = createVerifier(config);
  return async ({ req }: { req: Pick<IncomingMessage, 'headers'> }): Promise<GatewayContext> => {
    const principal = await verify(req.headers);
    return { principal, token: principal.anonymous ? null : tokenFrom(req.headers) };
  };
}
