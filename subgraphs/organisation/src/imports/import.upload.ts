import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { RequestError } from '@crossgov/schema';

export const tooLarge = (maxBytes: number, what: string) =>
  new RequestError(
    'PAYLOAD_TOO_LARGE',
    `the ${what} is larger than the ${maxBytes} bytes (${mebibytes(maxBytes)}) this publisher accepts; nothing was imported. Split it into smaller files, each imported on its own`,
    {
      maxBytes,
    },
  );

/** Thrown wherever an import checks its signal once its caller has gone: nobody hears the answer, and nothing is committed. */
export const cancelled = () =>
  new RequestError(
    'CANCELLED',
    'the caller went away before the import finished; it was rolled back and nothing was imported',
  );

const mebibytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;

/**
 * How long an answer sent before the whole upload arrived keeps reading (and throwing away) the
 * rest before it closes the connection: a client still sending then reads the answer rather than a
 * reset connection, and one that never stops sending is cut off.
 */
const LINGER_MS = 5000;

/** Once the answer is sent, throws away what is left of an upload for a few seconds, then closes the connection. */
export function linger(req: IncomingMessage, res: Pick<NodeJS.EventEmitter, 'once'>): void {
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    req.resume();
    const timer = setTimeout(() => req.socket?.destroy(), LINGER_MS);
    timer.unref();
    const done = () => clearTimeout(timer);
    req.once('end', done);
    req.once('close', done);
  });
}

export interface Upload {
  /** The body, chunk by chunk: ends with an error when it passes the limit, arrives cut off, or the caller goes away. */
  chunks: AsyncIterable<Buffer>;
  /** Stops reading for the import; whatever is left is thrown away once the answer is sent (see {@link linger}). */
  finish(res: Pick<NodeJS.EventEmitter, 'once'>): void;
}

/**
 * Reads an upload without ever holding it whole: counted as it arrives (refused past `maxBytes`),
 * checked against the caller's signal between chunks. The request itself is never destroyed, so a
 * refusal can still be answered.
 */
export function readUpload(
  req: IncomingMessage,
  options: { maxBytes: number; what: string; signal: AbortSignal },
): Upload {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (options.signal.aborted) return callback(cancelled());
      bytes += chunk.length;
      if (bytes > options.maxBytes) return callback(tooLarge(options.maxBytes, options.what));
      callback(null, chunk);
    },
  });
  // pipe() neither passes errors on nor notices a body that stops short: both end the reading here.
  const cutOff = () =>
    counted.destroy(
      options.signal.aborted
        ? cancelled()
        : new RequestError(
            'BAD_REQUEST',
            'the upload ended before the whole file arrived; nothing was imported',
          ),
    );
  const ended = () => {
    if (!req.complete) cutOff();
  };
  // Whoever reads the chunks gets the error; this only keeps one nobody is reading yet from crashing the process.
  counted.on('error', () => undefined);
  req.on('error', cutOff);
  req.on('end', ended);
  req.on('close', ended);
  req.pipe(counted);
  return {
    chunks: counted,
    finish(res) {
      req.unpipe(counted);
      counted.destroy();
      linger(req, res);
    },
  };
}
