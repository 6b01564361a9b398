import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerVersions } from './data-versions.ts';
import { abandonedSignal, requestIdOf } from '@crossgov/schema/server';
import { type AuthConfig, type Principal, createVerifier, tokenFrom } from '@crossgov/schema/auth';

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
  /** The request's id (x-request-id), sent on to every subgraph so each one's log line for it carries it too. */
  requestId?: string;
  /**
   * Set for the queries of the GET routes: every subgraph call asks for the subgraph's data version
   * and notes it here, for the ETag of the route's answer (data-versions.ts).
   */
  dataVersions?: AnswerVersions;
}

/**
 * Verifies the caller's token before any planning; a refused token ends the request with
 * UNAUTHENTICATED and HTTP 401. Anonymous callers go through with no token to forward.
 */
export function createAuthContext(config: AuthConfig = {}, deadlineMs?: number) {
  const verify = createVerifier(config);
  // One deadline per HTTP request, however many queries its route runs (a page of /facts runs one
  // per organisation): kept by request object. Express gives a route's request its response (req.res).
  const signals = new WeakMap<object, Pick<GatewayContext, 'signal' | 'pastDeadline'>>();
  return async ({
    req,
    res,
  }: {
    req: Pick<IncomingMessage, 'headers'>;
    res?: ServerResponse;
  }): Promise<GatewayContext> => {
    const principal = await verify(req.headers);
    let signal = signals.get(req);
    if (!signal) {
      signal = requestSignal(
        streaming.has(req) ? undefined : deadlineMs,
        res ?? (req as { res?: ServerResponse }).res,
      );
      signals.set(req, signal);
    }
    return {
      principal,
      token: principal.anonymous ? null : tokenFrom(req.headers),
      requestId: requestIdOf(req as IncomingMessage),
      ...signal,
    };
  };
}

/** Requests that stream for as long as their rows take (`/facts?all=true`): no deadline, only their caller. */
const streaming = new WeakSet<object>();

/**
 * Takes a request out of the deadline: an export that streams every row, bounded by the client's
 * reading (back-pressure) and each subgraph call's own deadline, not by REQUEST_DEADLINE_MS.
 */
export function withoutDeadline(req: object): void {
  streaming.add(req);
}

/** The signal of one request: its deadline, and its caller hanging up before the answer is sent. */
function requestSignal(
  deadlineMs: number | undefined,
  res: ServerResponse | undefined,
): Pick<GatewayContext, 'signal' | 'pastDeadline'> {
  const signals: AbortSignal[] = [];
  const deadline = deadlineMs ? AbortSignal.timeout(deadlineMs) : null;
  if (deadline) signals.push(deadline);
  const gone = abandonedSignal(res);
  if (gone) signals.push(gone);
  if (signals.length === 0) return {};
  return {
    signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
    pastDeadline: () => deadline?.aborted ?? false,
  };
}
