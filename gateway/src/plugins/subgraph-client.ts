import { EventEmitter } from 'node:events';
import { Agent } from 'undici';

/**
 * The HTTP under every subgraph call: undici's own request API on one pool of kept-alive
 * connections per process. Node's `fetch` cost 34-45% of the gateway's CPU under load (web streams,
 * an `AbortSignal` built per call, its `Response` and `Headers`; profiled 2026-12-01, issue 17) for
 * what is a JSON POST on loopback or a private network; this reads the answer as one string.
 */
const agent = new Agent({
  // Idle connections are kept as long as the subgraph's own server keeps them (its Keep-Alive
  // header), at most a minute; undici closes them a second early, so a call never races the close.
  keepAliveMaxTimeout: 60_000,
});

/** What to do when each request's signal aborts: one listener per signal, however many calls wait on it. */
const abortHandlers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `handler` when `signal` aborts, until the returned function is called. A request's plan may
 * have dozens of subgraph calls in flight at once; a listener each made Node warn of a listener
 * leak past ten (the fuzz test's wide queries did), so the signal gets one listener that calls them all.
 */
function onAbort(signal: AbortSignal, handler: () => void): () => void {
  let handlers = abortHandlers.get(signal);
  if (!handlers) {
    const all = (handlers = new Set());
    abortHandlers.set(signal, all);
    signal.addEventListener('abort', () => all.forEach((run) => run()), { once: true });
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** What a subgraph sent back: its status, its data version (for ETags, plugins/data-versions.ts) and its body, unparsed. */
export interface SubgraphAnswer {
  status: number;
  dataVersion: string | undefined;
  text: string;
}

/** Why a call ended without an answer: its deadline passed, or the connection failed. */
export class CallFailed extends Error {
  constructor(
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(timedOut ? 'timed out' : 'could not be reached', { cause });
  }
}

/**
 * One call to a subgraph, which several requests may wait on (shared in-flight fetches,
 * subgraph-timeout.ts). It ends at its deadline, or as soon as the last request waiting on it has
 * gone (past its own deadline, or its caller hung up), which closes the connection so the subgraph
 * stops too.
 */
export class SubgraphCall {
  readonly answer: Promise<SubgraphAnswer>;
  /** Requests waiting on this call. */
  private waiting = 0;
  private settled = false;
  /** undici takes an EventEmitter as a request's signal: one small object, no AbortSignal. */
  private readonly cancel = new EventEmitter() as EventEmitter & { reason?: unknown };

  constructor(
    url: URL,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
    subgraph: string,
  ) {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.stop(new Error(`subgraph "${subgraph}" did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // The timer holds this call (and so its signal) until it fires or is cleared: a garbage
    // collection cannot take the deadline away (subgraph-timeout.test.ts).
    timer.unref();
    this.answer = agent
      .request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers,
        body,
        signal: this.cancel,
      })
      .then(async (response) => {
        const version = response.headers['crossgov-data-version'];
        return {
          status: response.statusCode,
          dataVersion: typeof version === 'string' ? version : undefined,
          text: await response.body.text(),
        };
      })
      .catch((error: unknown) => {
        throw new CallFailed(timedOut, error);
      })
      .finally(() => {
        this.settled = true;
        clearTimeout(timer);
      });
    // A call every waiting request has left still settles: handled here, so that is not an unhandled rejection.
    this.answer.catch(() => undefined);
  }

  /**
   * The answer for one waiting request, or `undefined` when its own signal ended first (it stops
   * waiting; the call goes on for the others, and ends once none is left).
   */
  async waitFor(signal: AbortSignal | undefined): Promise<SubgraphAnswer | undefined> {
    if (signal?.aborted) {
      if (this.waiting === 0)
        this.stop(new Error('the request had ended before the call was sent'));
      return undefined;
    }
    this.waiting += 1;
    if (!signal) return this.answer.finally(() => (this.waiting -= 1));
    let stopWaiting!: () => void;
    const aborted = new Promise<undefined>((resolve) => (stopWaiting = () => resolve(undefined)));
    const forget = onAbort(signal, stopWaiting);
    try {
      const answer = await Promise.race([this.answer, aborted]);
      return answer ?? this.leave();
    } finally {
      forget();
      this.waiting -= 1;
    }
  }

  /** Whether a request may still join this call: it has not ended and not been given up. */
  get open(): boolean {
    return !this.settled && this.cancel.reason === undefined;
  }

  private leave(): undefined {
    // `waiting` still counts the request leaving (waitFor's finally takes it off).
    if (this.waiting <= 1) this.stop(new Error('every request waiting on this call has ended'));
    return undefined;
  }

  private stop(reason: Error): void {
    if (this.settled || this.cancel.reason !== undefined) return;
    this.cancel.reason = reason;
    this.cancel.emit('abort');
  }
}
