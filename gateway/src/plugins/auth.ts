import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthConfig, type Principal, abandonedSignal, createVerifier, tokenFrom } from '@crossgov/schema';

/** What every gateway request carries to the subgraph calls it plans. */
export interface GatewayContext {
  principal: Principal;
  /** The token as the client sent it, forwarded to each subgraph (which verifies it again). */
  token: string | null;
  /**
   * Aborts when the request's deadline passes or its caller goes away; every subgraph call the
   * plan makes for it listens, so nobody's work runs on for an answer no one will read.
   */
  signal?: AbortSignal;
  /** Whether `signal` aborted because the deadline passed (rather than the caller leaving). */
  pastDeadline?: () => boolean;
}

/**
 * Verifies the caller's token before any planning; a refused token ends the request with
 * UNAUTHENTICATED and HTTP 401. Anonymous callers go through with no token to forward.
 */
export function createAuthContext(config: AuthConfig = {}, deadlineMs?: number) {
  const verify = createVerifier(config);
  return async ({ req, res }: { req: Pick<IncomingMessage, 'headers'>; res?: ServerResponse }): Promise<GatewayContext> => {
    const principal = await verify(req.headers);
    return { principal, token: principal.anonymous ? null : tokenFrom(req.headers), ...requestSignal(deadlineMs, res) };
  };
}

/** The signal of one request: its deadline, and its caller hanging up before the answer is sent. */
function requestSignal(deadlineMs: number | undefined, res: ServerResponse | undefined): Pick<GatewayContext, 'signal' | 'pastDeadline'> {
  const signals: AbortSignal[] = [];
  const deadline = deadlineMs ? AbortSignal.timeout(deadlineMs) : null;
  if (deadline) signals.push(deadline);
  const gone = abandonedSignal(res);
  if (gone) signals.push(gone);
  if (signals.length === 0) return {};
  return { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals), pastDeadline: () => deadline?.aborted ?? false };
}
