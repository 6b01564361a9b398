import type { ServerResponse } from 'node:http';

/** Why a request's work was stopped when its caller went away. */
export class CallerGone extends Error {
  override readonly name = 'CallerGone';
}

/**
 * A signal that aborts when the caller hangs up before its answer is sent (the gateway gave up at
 * its deadline, a client timed out); undefined without a response (executeOperation in tests).
 */
export function abandonedSignal(res: ServerResponse | undefined): AbortSignal | undefined {
  if (!res) return undefined;
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished)
      gone.abort(new CallerGone('the caller went away before the answer was sent'));
  });
  return gone.signal;
}

/**
 * The database as one request sees it: once `signal` aborts, starting a query throws, so an
 * abandoned request stops its work at its next query instead of running every query of its plan
 * for an answer no one will read. A query already sent runs to its end; a transaction already
 * begun finishes or rolls back as a whole. Without a signal, the database itself.
 */
export function stopsWhenAborted<T extends object>(db: T, signal: AbortSignal | undefined): T {
  if (!signal) return db;
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        signal.throwIfAborted();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
