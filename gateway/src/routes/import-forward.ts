import {
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request as httpRequest,
} from 'node:http';
import { request as httpsRequest } from 'node:https';

// One import's trip through the gateway: the caller's upload streamed to the publisher's subgraph,
// its answer (progress lines, then the result) streamed back. What the gateway may say when it
// gives up rests on two facts. Until the caller's last byte has been passed on, the subgraph cannot
// commit (it reads the whole file before it writes), so "nothing was imported" is certain. After
// that, only the subgraph knows: the gateway closes the connection (the subgraph rolls back if it
// has not committed) and asks it, and says "not known yet" unless it answers.

export const NDJSON = 'application/x-ndjson';
/** The largest answer line (or JSON answer) read from a subgraph: a refusal lists at most its capped problems. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** What the subgraph answered, or why there is no answer. */
export type ForwardOutcome =
  | { kind: 'answer'; status: number; body: Record<string, unknown> }
  /** The caller's upload passed the gateway's limit; the rest was never sent on. */
  | { kind: 'too-large' }
  /** The caller's upload stopped short, or the caller went away. */
  | { kind: 'caller-gone'; cutOff: boolean }
  /** No answer: the deadline passed, the subgraph did not start answering in time, or the connection broke. */
  | {
      kind: 'no-answer';
      why: 'deadline' | 'not-answering' | 'unreachable' | 'broken';
      sentWhole: boolean;
    };

export interface ForwardRequest {
  target: URL;
  headers: OutgoingHttpHeaders;
  /** The caller's request, passed on as it arrives. */
  from: IncomingMessage;
  /** Every progress line as it arrives (for a caller who asked for them). */
  onLine: (line: Record<string, unknown>) => void;
  /** When the subgraph's answer is a stream of lines (its headers have arrived). */
  onStreaming: () => void;
  maxBytes: number;
  deadlineMs: number;
  answerTimeoutMs: number;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
}

/** Sockets to subgraphs that already ignore a late write's error. */
const guarded = new WeakSet<object>();
const ignore = () => undefined;

/** Sends the upload on and reads the answer; resolves once there is one or the gateway has given up (and closed the subgraph's connection). */
export function forwardImport(request: ForwardRequest): Promise<ForwardOutcome> {
  const { from } = request;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let sentWhole = false;
    let bytes = 0;
    const send = (
      request.target.protocol === 'https:' ? httpsRequest : httpRequest
    ) as typeof httpRequest;
    const upstream: ClientRequest = send(request.target, {
      method: 'POST',
      headers: request.headers,
    });
    const finish = (outcome: ForwardOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(answering);
      from.unpipe?.(upstream);
      from.off('data', onData);
      // Closing the connection is what tells the subgraph to stop: it rolls back what it has not
      // committed. After an answer that came before the whole file was sent, nothing more is sent.
      if (outcome.kind !== 'answer' || !sentWhole) upstream.destroy();
      resolve(outcome);
    };
    const deadline = setTimeout(
      () => finish({ kind: 'no-answer', why: 'deadline', sentWhole }),
      request.deadlineMs,
    );
    const answering = setTimeout(
      () => finish({ kind: 'no-answer', why: 'not-answering', sentWhole }),
      request.answerTimeoutMs,
    );
    request.signal.addEventListener('abort', () => finish({ kind: 'caller-gone', cutOff: false }), {
      once: true,
    });

    upstream.on('socket', (socket) => {
      // A write still in flight when the connection is closed fails after the request has let go
      // of its socket; with nobody listening, that would be an uncaught error. Once per socket: a
      // kept-alive socket carries import after import, and a listener each would pile up on it.
      if (!guarded.has(socket)) {
        guarded.add(socket);
        socket.on('error', ignore);
      }
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    upstream.on('error', () =>
      finish({
        kind: 'no-answer',
        why: connected ? 'broken' : 'unreachable',
        sentWhole: connected && sentWhole,
      }),
    );
    upstream.on('drain', () => from.resume());
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > request.maxBytes) return finish({ kind: 'too-large' });
      if (!upstream.write(chunk)) from.pause();
    };
    from.on('data', onData);
    from.on('end', () => {
      if (settled) return;
      if (!from.complete) return finish({ kind: 'caller-gone', cutOff: true });
      // From here the subgraph may have the whole file, and may commit it.
      sentWhole = true;
      upstream.end();
    });
    from.on('error', () => finish({ kind: 'caller-gone', cutOff: true }));
    from.on('close', () => {
      if (!from.complete) finish({ kind: 'caller-gone', cutOff: true });
    });

    upstream.on('response', (answer) => {
      clearTimeout(answering);
      answer.on('error', () => undefined);
      const lines = (answer.headers['content-type'] ?? '').includes(NDJSON);
      if (lines) request.onStreaming();
      let buffered = '';
      let last: Record<string, unknown> | null = null;
      answer.setEncoding('utf8');
      answer.on('data', (text: string) => {
        if (settled) return;
        buffered += text;
        if (!lines) {
          if (buffered.length > MAX_LINE_BYTES)
            finish({ kind: 'no-answer', why: 'broken', sentWhole });
          return;
        }
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          const parsed = parseLine(line);
          if (!parsed) return finish({ kind: 'no-answer', why: 'broken', sentWhole });
          if ('progress' in parsed) request.onLine(parsed);
          else last = parsed;
        }
        if (buffered.length > MAX_LINE_BYTES)
          finish({ kind: 'no-answer', why: 'broken', sentWhole });
      });
      answer.on('end', () => {
        if (settled) return;
        const body = lines ? last : parseLine(buffered);
        if (!body) return finish({ kind: 'no-answer', why: 'broken', sentWhole });
        finish({ kind: 'answer', status: answer.statusCode ?? 502, body });
      });
      answer.on('close', () => {
        if (!answer.complete) finish({ kind: 'no-answer', why: 'broken', sentWhole });
      });
    });
  });
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const parsed = JSON.parse(line) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
