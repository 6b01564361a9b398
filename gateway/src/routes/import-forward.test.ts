import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  globalAgent,
  request,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ForwardOutcome, type ForwardRequest, forwardImport } from './import-forward.ts';

// forwardImport between a caller and a stand-in subgraph, both on loopback: what the gateway may
// conclude when the subgraph answers, hangs, stops reading, or the caller goes away.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/imports`;
}

/** Posts `body` (then ends it, unless `end` is false) to a gateway stand-in that forwards it to `target`; resolves with the outcome and the lines passed on. */
async function forward(
  target: string,
  body: Buffer | string,
  options: Partial<ForwardRequest> & { end?: boolean; hangUpAfterMs?: number } = {},
) {
  const lines: Record<string, unknown>[] = [];
  let outcome!: Promise<ForwardOutcome>;
  const gateway = await listen((req, res) => {
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    outcome = forwardImport({
      target: new URL(target),
      headers: { 'content-type': 'text/csv' },
      from: req,
      onLine: (line) => lines.push(line),
      onStreaming: () => undefined,
      maxBytes: 1024 * 1024 * 1024,
      deadlineMs: 60_000,
      answerTimeoutMs: 60_000,
      signal: gone.signal,
      ...options,
    });
    void outcome.then(() => res.end());
  });
  const caller = request(gateway, { method: 'POST' });
  caller.on('error', () => undefined);
  // Still writing when the stand-in closes the connection: that write's failure is expected.
  caller.on('socket', (socket) => socket.on('error', () => undefined));
  caller.write(body);
  if (options.end !== false) caller.end();
  while (!outcome) await new Promise((resolve) => setTimeout(resolve, 5));
  if (options.hangUpAfterMs !== undefined)
    setTimeout(() => caller.destroy(), options.hangUpAfterMs);
  return { outcome: await outcome, lines };
}

describe('forwarding an import to its subgraph', () => {
  it('passes progress lines on as they come and returns the last line as the answer', async () => {
    const subgraph = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"progress":{"phase":"reading","done":5000,"total":null}}\n');
      req.resume();
      req.on('end', () =>
        res.end(
          '{"progress":{"phase":"committing","done":1,"total":1}}\n{"data":{"measurements":1}}\n',
        ),
      );
    });
    const { outcome, lines } = await forward(subgraph, 'indicator_code,period,value\n');
    expect(outcome).toEqual({ kind: 'answer', status: 200, body: { data: { measurements: 1 } } });
    expect(lines.map((l) => (l.progress as { phase: string }).phase)).toEqual([
      'reading',
      'committing',
    ]);
  });

  it('gives up on a subgraph that does not start answering, and knows it may have had the whole file', async () => {
    const subgraph = await listen((req) => req.resume());
    const { outcome } = await forward(subgraph, 'a small file', { answerTimeoutMs: 200 });
    expect(outcome).toEqual({ kind: 'no-answer', why: 'not-answering', sentWhole: true });
  });

  it('knows the subgraph never had the whole file when it stopped reading part-way', async () => {
    // It answers at once, then reads nothing: 32 MiB cannot all be sent before the deadline.
    const subgraph = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.flushHeaders();
    });
    const { outcome } = await forward(subgraph, Buffer.alloc(32 * 1024 * 1024, 'x'), {
      deadlineMs: 500,
    });
    expect(outcome).toEqual({ kind: 'no-answer', why: 'deadline', sentWhole: false });
  });

  it('closes the connection to the subgraph when the caller goes away, so the subgraph stops', async () => {
    let closedEarly!: (complete: boolean) => void;
    const seen = new Promise<boolean>((resolve) => (closedEarly = resolve));
    const subgraph = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.flushHeaders();
      req.resume();
      res.on('close', () => closedEarly(req.complete));
    });
    const { outcome } = await forward(subgraph, 'part of a file', {
      end: false,
      hangUpAfterMs: 50,
    });
    expect(outcome.kind).toBe('caller-gone');
    expect(await seen).toBe(false);
  });

  it('refuses past its size limit without sending the rest on', async () => {
    let received = 0;
    const subgraph = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.flushHeaders();
      req.on('data', (chunk: Buffer) => (received += chunk.length));
    });
    const { outcome } = await forward(subgraph, Buffer.alloc(256 * 1024, 'x'), {
      maxBytes: 64 * 1024,
      end: false,
    });
    expect(outcome).toEqual({ kind: 'too-large' });
    expect(received).toBeLessThanOrEqual(64 * 1024);
  });

  // Found by test/fuzz.e2e.test.ts: each import forwarded on a kept-alive socket left an error
  // listener on it (MaxListenersExceededWarning after ten, and a leak for the socket's life).
  it('keeps one error listener on a kept-alive socket to the subgraph however many imports it carries', async () => {
    const subgraph = await listen((req, res) => {
      req.resume();
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/x-ndjson' })
          .end('{"data":{"measurements":1}}\n'),
      );
    });
    const sockets = new Set<Socket>();
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    try {
      for (let i = 0; i < 15; i++) {
        const { outcome } = await forward(subgraph, 'indicator_code,period,value\n');
        expect(outcome.kind).toBe('answer');
        for (const free of Object.values(globalAgent.freeSockets))
          for (const socket of free ?? []) sockets.add(socket);
      }
    } finally {
      process.off('warning', warned);
    }
    expect(sockets.size).toBeGreaterThan(0);
    for (const socket of sockets) expect(socket.listenerCount('error')).toBeLessThanOrEqual(3);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('says a subgraph nobody listens on was unreachable, with nothing sent', async () => {
    const probe = await listen(() => undefined);
    servers.pop()!.close();
    const { outcome } = await forward(probe, 'a small file');
    expect(outcome).toEqual({ kind: 'no-answer', why: 'unreachable', sentWhole: false });
  });
});
