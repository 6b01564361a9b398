import { GraphQLError } from 'graphql';
import { statusOf } from '@crossgov/schema';
import { type Response } from '@crossgov/schema/server';
import type { ImportProgress } from './import.store.ts';

/** The header that carries an import's id, both ways: sent by the gateway or `pnpm run import`, and on every answer. */
export const IMPORT_ID_HEADER = 'import-id';
export const NDJSON = 'application/x-ndjson';

/** An answer to send: its status, and the body (every body names the import in `extensions.importId`). */
export interface ImportAnswer {
  status: number;
  body: {
    data?: unknown;
    errors?: { message: string; extensions: Record<string, unknown> }[];
    extensions: { importId: string | null };
  };
}

/**
 * The answer for an error: a refusal (a GraphQL error, or a RequestError about the request rather
 * than its rows) as GraphQL sends it, with the table's status for its code (errors.ts), and anything
 * else as ours, not the caller's, without SQL or stack; `unexpected` says what became of the import
 * when that is not "nothing was imported".
 */
export function answerOf(
  error: unknown,
  importId: string | null,
  unexpected?: string,
): ImportAnswer {
  const extensions = { importId };
  if (error instanceof GraphQLError) {
    // `http` tells Apollo which status to send; over plain HTTP the status says it already.
    const { http: _http, ...rest } = error.extensions;
    return {
      status: statusOf(rest.code, rest.reason),
      body: { errors: [{ message: error.message, extensions: rest }], extensions },
    };
  }
  const message = `the import failed inside the subgraph; ${unexpected ?? 'nothing was imported'}`;
  return {
    status: 500,
    body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }], extensions },
  };
}

/** Sends an answer: as the last line of a progress stream once one has begun, else as JSON with its status. Nothing when the caller has gone. */
export function send(res: Response, answer: ImportAnswer): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.end(`${JSON.stringify(answer.body)}\n`);
    return;
  }
  res.status(answer.status).json(answer.body);
}

export type ReadingProgress = Omit<ImportProgress, 'total' | 'phase'> & {
  phase: ImportProgress['phase'] | 'reading';
  total: number | null;
};

/** Progress lines, at most a few per second, so a large import shows it is alive without flooding the client. */
export function progressWriter(res: Response, importId: string) {
  res.status(200).setHeader('content-type', `${NDJSON}; charset=utf-8`);
  res.flushHeaders();
  let last = 0;
  return (progress: ReadingProgress) => {
    const now = performance.now();
    const final = progress.total !== null && progress.done === progress.total;
    if (!final && now - last < 250) return;
    last = now;
    if (res.destroyed) return;
    res.write(`${JSON.stringify({ progress, extensions: { importId } })}\n`);
    // Let the line leave now: without a turn of the event loop the socket stays corked and every
    // line arrives at the end.
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
}
