import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Admission, type AdmissionOptions, createAdmission } from './admission.ts';

/** A server whose handler holds each request until the test lets it go. */
async function serve(options: AdmissionOptions) {
  const admission = createAdmission(options);
  const held: (() => void)[] = [];
  let started = 0;
  const server = createServer((req, res) =>
    admission.middleware(req, res, () => {
      started += 1;
      held.push(() => res.end('done'));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { admission, server, url, held, started: () => started };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

let open: { admission: Admission; server: Server }[] = [];
afterEach(async () => {
  for (const { admission, server } of open) {
    admission.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  open = [];
});

describe('admission', () => {
  it('runs up to the limit, queues up to the queue, and refuses the rest at once with 503 and Retry-After', async () => {
    const s = await serve({
      maxConcurrent: 2,
      maxQueue: 1,
      maxWaitMs: 60_000,
      maxEventLoopDelayMs: 0,
      retryAfterSeconds: 3,
    });
    open.push(s);
    const answers = [fetch(s.url), fetch(s.url), fetch(s.url)];
    await until(() => s.admission.stats().running === 2 && s.admission.stats().queued === 1);
    const refused = await fetch(s.url);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    const body = (await refused.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0]!.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'QUEUE_FULL',
      retryAfterSeconds: 3,
    });
    expect(body.errors[0]!.message).toContain('2 requests running, 1 waiting');
    // Releasing one running request starts the queued one.
    s.held.shift()!();
    await until(() => s.started() === 3);
    s.held.splice(0).forEach((release) => release());
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(s.admission.stats()).toMatchObject({
      running: 0,
      queued: 0,
      admitted: 3,
      shed: { QUEUE_FULL: 1, QUEUE_TIMEOUT: 0 },
    });
  });

  it('refuses a request that waited longer than maxWaitMs, and never starts it', async () => {
    const s = await serve({
      maxConcurrent: 1,
      maxQueue: 5,
      maxWaitMs: 150,
      maxEventLoopDelayMs: 0,
    });
    open.push(s);
    const first = fetch(s.url);
    await until(() => s.started() === 1);
    const waited = performance.now();
    const second = await fetch(s.url);
    expect(second.status).toBe(503);
    expect(performance.now() - waited).toBeGreaterThanOrEqual(140);
    expect(
      ((await second.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!
        .extensions.reason,
    ).toBe('QUEUE_TIMEOUT');
    s.held.shift()!();
    expect((await first).status).toBe(200);
    expect(s.started()).toBe(1);
  });

  it('drops a waiting request whose client hung up, without starting it', async () => {
    const s = await serve({
      maxConcurrent: 1,
      maxQueue: 5,
      maxWaitMs: 60_000,
      maxEventLoopDelayMs: 0,
    });
    open.push(s);
    const first = fetch(s.url);
    await until(() => s.started() === 1);
    const controller = new AbortController();
    const gaveUp = fetch(s.url, { signal: controller.signal }).catch((error: Error) => error.name);
    await until(() => s.admission.stats().queued === 1);
    controller.abort();
    expect(await gaveUp).toBe('AbortError');
    await until(() => s.admission.stats().queued === 0);
    s.held.shift()!();
    expect((await first).status).toBe(200);
    // The next request starts at once: the abandoned one took no slot.
    const third = fetch(s.url);
    await until(() => s.started() === 2);
    s.held.shift()!();
    expect((await third).status).toBe(200);
    expect(s.admission.stats()).toMatchObject({ abandoned: 1, admitted: 2 });
  });

  it('refuses new requests while the event loop lags window after window, and serves again once it recovers', async () => {
    const s = await serve({
      maxConcurrent: 10,
      maxQueue: 10,
      maxWaitMs: 1000,
      maxEventLoopDelayMs: 500,
    });
    open.push(s);
    // Two synchronous tasks holding the event loop, with only a sample between them: saturated.
    for (let block = 0; block < 2; block += 1) {
      const blockedUntil = performance.now() + 1200;
      while (performance.now() < blockedUntil) {
        // a synchronous task holding the event loop
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const refused = await fetch(s.url);
    expect(refused.status).toBe(503);
    expect(
      ((await refused.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]!
        .extensions.reason,
    ).toBe('EVENT_LOOP_DELAY');
    // Recovered a window later.
    await until(() => s.admission.stats().eventLoopDelayMs < 500);
    const served = fetch(s.url);
    await until(() => s.started() === 1);
    s.held.shift()!();
    expect((await served).status).toBe(200);
  });

  it('does not refuse the requests that arrive just after one long task, such as starting up', async () => {
    // The threshold well above what a busy machine's scheduling adds, so only the task counts.
    const s = await serve({
      maxConcurrent: 10,
      maxQueue: 10,
      maxWaitMs: 1000,
      maxEventLoopDelayMs: 500,
    });
    open.push(s);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const blockedUntil = performance.now() + 1200;
    while (performance.now() < blockedUntil) {
      // one synchronous task holding the event loop
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    const served = fetch(s.url);
    await until(() => s.started() === 1);
    s.held.shift()!();
    expect((await served).status).toBe(200);
  });

  it('holds the slot of a request whose caller hung up until its handler ends, so abandoned work is still counted', async () => {
    const s = await serve({
      maxConcurrent: 1,
      maxQueue: 0,
      maxWaitMs: 1000,
      maxEventLoopDelayMs: 0,
    });
    open.push(s);
    const gone = new AbortController();
    const abandoned = fetch(s.url, { signal: gone.signal }).catch(() => 'aborted');
    await until(() => s.started() === 1);
    gone.abort();
    expect(await abandoned).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The handler is still working on the gone caller's request: no room for another.
    expect(s.admission.stats().running).toBe(1);
    expect((await fetch(s.url)).status).toBe(503);
    // It ends its answer (to no one): the slot is free.
    s.held.shift()!();
    await until(() => s.admission.stats().running === 0);
    const next = fetch(s.url);
    await until(() => s.started() === 2);
    s.held.shift()!();
    expect((await next).status).toBe(200);
  });
});
