import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { startServerSpan, traceIdOf, withContext } from './tracing.ts';

/** The header a request's id travels in, from the caller (if it sent a usable one) to the gateway and on to each subgraph. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept only if it looks like an id: it is written into every log line.
const USABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's, or a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const known = (req as { id?: unknown }).id;
  if (typeof known === 'string') return known;
  const sent = req.headers[REQUEST_ID_HEADER];
  const id = typeof sent === 'string' && USABLE_ID.test(sent) ? sent : randomUUID();
  (req as { id?: string }).id = id;
  return id;
}

export interface RequestContextOptions {
  service: string;
  /** Where the one line per request goes; none: no request log. */
  logger?: Logger | undefined;
}

/**
 * What every request gets first (after the health probes): its id (echoed in `x-request-id`), its
 * server span (tracing.ts), and one structured log line when it ends, with the id, the trace id,
 * method, path, status and time (pino-http). Headers are not logged, so neither is a token (nor is
 * the query string, where a client could put one).
 */
export function requestContext(options: RequestContextOptions) {
  const log = options.logger
    ? pinoHttp({
        logger: options.logger,
        genReqId: (req) => requestIdOf(req),
        // Only what identifies the request: never its headers (authorization, cookies) or body.
        serializers: {
          req: (req: { id: unknown; method: unknown; url?: unknown }) => ({
            id: req.id,
            method: req.method,
            path: String(req.url ?? '').split('?')[0],
          }),
          res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
        },
        customProps: (req) => ({
          service: options.service,
          requestId: requestIdOf(req),
          traceId: (req as { traceId?: string }).traceId,
        }),
        customLogLevel: (_req, res, error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        customSuccessMessage: (req, res) =>
          `${req.method} ${String(req.url ?? '').split('?')[0]} ${res.statusCode}`,
        customErrorMessage: (req, res) =>
          `${req.method} ${String(req.url ?? '').split('?')[0]} ${res.statusCode}`,
        // pino-http makes up an Error ("failed with status code 500", with its own stack) for every
        // 5xx answer; the status says it all, and the error, if there was one, is logged where it happened.
        customErrorObject: (_req, _res, error, value: Record<string, unknown>) =>
          error.message.startsWith('failed with status code')
            ? { ...value, err: undefined }
            : value,
      })
    : undefined;
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    const id = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, id);
    const { span, context } = startServerSpan(options.service, req, res);
    const traceId = traceIdOf(span);
    if (traceId) (req as { traceId?: string }).traceId = traceId;
    withContext(context, () => (log ? log(req, res, next) : next()));
  };
}
