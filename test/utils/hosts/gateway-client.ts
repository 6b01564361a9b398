import { request } from 'node:http';

// The test's way in to the central host: HTTP over the gateway bridge's Unix socket (hosts.ts), as a
// client on the network would send it, each request on a connection of its own.

export interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  } | null;
  ms: number;
}

/** An answer with HTTP 200, data, and no error. */
export const isWhole = (answer: Answer): boolean =>
  answer.status === 200 && !!answer.body?.data && !answer.body.errors?.length;

/** One POST to /graphql over the gateway bridge's Unix socket, on a connection of its own. */
export function postOverSocket(
  socketPath: string,
  query: string,
  timeoutMs: number,
): Promise<Answer> {
  const started = performance.now();
  const payload = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let body: Answer['body'] = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'];
          } catch {
            // not JSON: a proxy's or a dying server's answer
          }
          resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
