import { Agent, request } from 'node:http';

/** The four kinds of input the fuzz test sends (issue 13, acceptance item 2). */
export const FAMILIES = ['documents', 'variables', 'imports', 'routes'] as const;
export type Family = (typeof FAMILIES)[number];

/** One generated request, as it goes on the wire. */
export interface FuzzInput {
  /** Its number in the run: with the seed, all it takes to make it again. */
  n: number;
  family: Family;
  /** What kind of input it is, for the summary: "mutated query", "CSV import". */
  kind: string;
  /** Who it goes to: "gateway", or a subgraph's name. */
  to: string;
  method: 'GET' | 'POST';
  /** `http://host:port`, no path. */
  origin: string;
  /** The path and query as sent, unnormalised: `%00`, `%ff` and `../` go as they are. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** A write that must be refused, whoever sends it: any answer that accepts it is a finding. */
  write: boolean;
  /** Sent by a caller who may write there, so only the rules (a poison row) can refuse it. */
  byWriter?: boolean;
  /** A dashboard page, whose refusals are HTML pages. */
  page: boolean;
}

export interface FuzzAnswer {
  /** 0 when there was no answer. */
  status: number;
  type: string;
  /** The first 2 MiB of the body. */
  text: string;
  /** The whole body's length. */
  bytes: number;
  retryAfter: string | null;
  /** Why there was no whole answer: a reset connection, a timeout. */
  failure: string | null;
  /** Sent again on a new connection: the kept-alive one it first went on was closed under it. */
  retried: boolean;
  ms: number;
}

const KEEP = 2 * 1024 * 1024;

type Attempt = Omit<FuzzAnswer, 'ms' | 'retried'> & { stale?: boolean };

/**
 * Sends inputs over a keep-alive agent, at most `connections` at once. A request whose kept-alive
 * connection is reset before any answer (the server closed it idle as the request went out) is
 * sent once more, as Node's documentation advises (`request.reusedSocket`): that is the client's
 * race, not the server's failure. A reset on a new connection, or after an answer began, is not.
 */
export function sender(connections: number, timeoutMs: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = async (input: FuzzInput): Promise<FuzzAnswer> => {
    const started = performance.now();
    let attempt = await sendOnce(input);
    const retried = attempt.stale === true;
    if (retried) attempt = await sendOnce(input);
    const { stale: _stale, ...answer } = attempt;
    return { ...answer, retried, ms: performance.now() - started };
  };
  const sendOnce = (input: FuzzInput): Promise<Attempt> =>
    new Promise((resolve) => {
      const { hostname, port } = new URL(input.origin);
      let settled = false;
      const finish = (answer: Attempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      let req: ReturnType<typeof request>;
      try {
        req = request({
          agent,
          hostname,
          port,
          method: input.method,
          path: input.path,
          headers: input.headers,
        });
      } catch (error) {
        // A path Node will not send (an unescaped space) is the generator's mistake, not the server's.
        throw new Error(`input ${input.n} cannot be sent: ${(error as Error).message}`);
      }
      const timer = setTimeout(() => {
        req.destroy();
        finish({
          status: 0,
          type: '',
          text: '',
          bytes: 0,
          retryAfter: null,
          failure: `no answer in ${timeoutMs} ms`,
        });
      }, timeoutMs);
      req.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code ?? error.message;
        finish({
          status: 0,
          type: '',
          text: '',
          bytes: 0,
          retryAfter: null,
          failure: `${code} on a ${req.reusedSocket ? 'kept-alive' : 'new'} connection`,
          stale: req.reusedSocket && code === 'ECONNRESET',
        });
      });
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < KEEP) chunks.push(chunk);
          kept += chunk.length;
        });
        const answer = (failure: string | null) => ({
          status: response.statusCode ?? 0,
          type: response.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).subarray(0, KEEP).toString('utf8'),
          bytes: kept,
          retryAfter:
            typeof response.headers['retry-after'] === 'string'
              ? response.headers['retry-after']
              : null,
          failure,
        });
        response.on('end', () => finish(answer(null)));
        response.on('error', (error) =>
          finish(
            answer(`answer cut off: ${(error as NodeJS.ErrnoException).code ?? error.message}`),
          ),
        );
        response.on('aborted', () => finish(answer('answer cut off')));
      });
      req.end(input.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Runs `work` on each item, `concurrency` at a time, in order of starting. */
export async function pool<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
