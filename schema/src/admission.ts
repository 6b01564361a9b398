import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { errorBody, statusOf } from './errors.ts';

/**
 * Admission control: how much work a process takes on at once, and what it says to the rest.
 *
 * A saturated process that queues without bound answers everyone late (a probe at 12 requests/s saw
 * 35% errors and p99 of 30 s). Instead each process runs at most `maxConcurrent` requests, lets at
 * most `maxQueue` more wait, each for at most `maxWaitMs`, and answers the excess at once with 503
 * and `Retry-After`, so a client or load balancer can back off or go elsewhere. A request whose
 * client hangs up while it waits is dropped without being started. An event loop that lags window
 * after window (saturated) also refuses new work until it recovers; one long task does not.
 * See docs/architecture.md, "Resilience".
 */
export interface AdmissionSettings {
  /** Requests running at once. */
  maxConcurrent: number;
  /** Requests waiting for a slot beyond those; more are refused at once. */
  maxQueue: number;
  /** The longest a request waits for a slot before it is refused. */
  maxWaitMs: number;
  /** Refuse new requests while the event loop's delay has exceeded this two sample windows (200 ms each) running (0 turns the check off). */
  maxEventLoopDelayMs: number;
}

export interface AdmissionOptions extends AdmissionSettings {
  /** What `Retry-After` says, in seconds. @default 1 */
  retryAfterSeconds?: number;
  /** Answers a refused request; the default is a GraphQL-shaped JSON error. */
  refuse?: (req: IncomingMessage, res: ServerResponse, refusal: Refusal) => void;
}

export type ShedReason = 'QUEUE_FULL' | 'QUEUE_TIMEOUT' | 'EVENT_LOOP_DELAY';

export interface Refusal {
  reason: ShedReason;
  message: string;
  retryAfterSeconds: number;
}

export interface AdmissionStats {
  running: number;
  queued: number;
  admitted: number;
  /** Refusals by reason since start. */
  shed: Record<ShedReason, number>;
  /** Requests whose client went away while they waited, never started. */
  abandoned: number;
  eventLoopDelayMs: number;
}

type Next = (error?: unknown) => void;

interface Waiting {
  req: IncomingMessage;
  res: ServerResponse;
  next: Next;
  timer: NodeJS.Timeout;
}

export interface Admission {
  /** Express middleware: runs the request now, queues it, or refuses it with 503. */
  middleware: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  stats(): AdmissionStats;
  /** Stops the event-loop monitor. */
  close(): void;
}

const SAMPLE_MS = 200;
/** How long a gone caller's request may hold its slot without ending its answer. */
const ORPHAN_GRACE_MS = 30_000;

export function createAdmission(options: AdmissionOptions): Admission {
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const queue: Waiting[] = [];
  let running = 0;
  let admitted = 0;
  let abandoned = 0;
  const shed: Record<ShedReason, number> = { QUEUE_FULL: 0, QUEUE_TIMEOUT: 0, EVENT_LOOP_DELAY: 0 };

  // The event loop's sustained delay, in ms (perf_hooks measures in ns): the lesser of the worst
  // delays of the last two sample windows. One long task (start-up, composing a supergraph, a
  // garbage collection) lags one window and says nothing of the load: refusing the requests that
  // arrive just after it (the first query after start-up was refused that way) helps no one. A
  // loop that lags window after window is saturated, and new work is refused until it recovers.
  let delayMs = 0;
  let lastWindowMs = 0;
  const monitor =
    options.maxEventLoopDelayMs > 0 ? monitorEventLoopDelay({ resolution: 20 }) : null;
  let sampler: NodeJS.Timeout | null = null;
  if (monitor) {
    monitor.enable();
    let sampledAt = performance.now();
    sampler = setInterval(() => {
      // The sampler's own lateness catches a block that just ended before the histogram records it.
      const now = performance.now();
      const windowMs = Math.max(monitor.max / 1e6, now - sampledAt - SAMPLE_MS);
      delayMs = Math.min(windowMs, lastWindowMs);
      lastWindowMs = windowMs;
      sampledAt = now;
      monitor.reset();
    }, SAMPLE_MS);
    sampler.unref();
  }

  const refuse = (req: IncomingMessage, res: ServerResponse, reason: ShedReason) => {
    shed[reason] += 1;
    const message =
      reason === 'EVENT_LOOP_DELAY'
        ? `The service is busy (event loop delayed ${Math.round(delayMs)} ms); try again in ${retryAfterSeconds} s.`
        : reason === 'QUEUE_FULL'
          ? `The service is busy (${running} requests running, ${queue.length} waiting); try again in ${retryAfterSeconds} s.`
          : `The service is busy (no slot within ${options.maxWaitMs} ms); try again in ${retryAfterSeconds} s.`;
    if (res.headersSent || res.destroyed) return;
    res.setHeader('retry-after', String(retryAfterSeconds));
    if (options.refuse) {
      options.refuse(req, res, { reason, message, retryAfterSeconds });
      return;
    }
    // Plain Node (no Express here: http.ts builds on this file), with sendError's status and body.
    res.statusCode = statusOf('SERVICE_UNAVAILABLE');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify(errorBody('SERVICE_UNAVAILABLE', message, { reason, retryAfterSeconds })),
    );
  };

  const start = (res: ServerResponse, next: Next) => {
    running += 1;
    admitted += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      running -= 1;
      drain();
    };
    // The slot is held until the work ends, which is when the handler ends its answer, even if the
    // caller has gone: a subgraph whose caller (the gateway, past its deadline) hung up still runs
    // until its next database query, and freeing the slot at the hang-up let new work pile onto
    // work still running (bench:overload saw p50 of 51 s at 4x that way). A handler that never
    // ends a gone caller's answer frees its slot after ORPHAN_GRACE_MS, so no slot is lost for good.
    const end = res.end;
    res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
      release();
      return end.apply(this, args);
    } as ServerResponse['end'];
    res.once('close', () => {
      if (res.writableEnded) release();
      else setTimeout(release, ORPHAN_GRACE_MS).unref();
    });
    next();
  };

  const drain = () => {
    while (running < options.maxConcurrent && queue.length > 0) {
      const waiting = queue.shift()!;
      clearTimeout(waiting.timer);
      if (waiting.res.destroyed || waiting.req.destroyed) {
        abandoned += 1;
        continue;
      }
      start(waiting.res, waiting.next);
    }
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => {
    if (monitor && delayMs > options.maxEventLoopDelayMs) {
      refuse(req, res, 'EVENT_LOOP_DELAY');
      return;
    }
    if (running < options.maxConcurrent && queue.length === 0) {
      start(res, next);
      return;
    }
    if (queue.length >= options.maxQueue) {
      refuse(req, res, 'QUEUE_FULL');
      return;
    }
    const waiting: Waiting = {
      req,
      res,
      next,
      timer: setTimeout(() => {
        const at = queue.indexOf(waiting);
        if (at < 0) return;
        queue.splice(at, 1);
        refuse(req, res, 'QUEUE_TIMEOUT');
      }, options.maxWaitMs),
    };
    queue.push(waiting);
    // A client that gives up while waiting frees its place at once.
    res.once('close', () => {
      const at = queue.indexOf(waiting);
      if (at < 0) return;
      queue.splice(at, 1);
      clearTimeout(waiting.timer);
      abandoned += 1;
    });
  };

  return {
    middleware,
    stats: () => ({
      running,
      queued: queue.length,
      admitted,
      shed: { ...shed },
      abandoned,
      eventLoopDelayMs: delayMs,
    }),
    close: () => {
      if (sampler) clearInterval(sampler);
      monitor?.disable();
    },
  };
}
