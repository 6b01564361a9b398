import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { type Express, type Principal, type RegistryEntry, type Request, type Response, sendError, statusOf } from '@crossgov/schema';
import type { Logger } from 'pino';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { type ImportBatch, type ImportFormat, parseCsvImport, parseJsonImport } from './import.parse.ts';
import { type ImportProgress, importBatch } from './import.store.ts';

export interface ImportRouteOptions {
  organisation: RegistryEntry;
  db: OrganisationDb;
  verify: (headers: IncomingMessage['headers']) => Promise<Principal>;
  today: () => string;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
  /** Largest file accepted. @default 200 MiB */
  maxBytes?: number;
}

export const NDJSON = 'application/x-ndjson';
const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

/** The file's format, from `?format=` or else its content type. */
function formatOf(req: Request): ImportFormat | null {
  const asked = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : null;
  if (asked === 'csv' || asked === 'json') return asked;
  if (asked) return null;
  if (req.is('text/csv') || req.is('application/csv')) return 'csv';
  if (req.is('application/json')) return 'json';
  return null;
}

/** The request body, refused past the size limit, and refused if the client went away before sending all of it. */
async function* body(req: Request, maxBytes: number): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw Object.assign(new Error(`the file is larger than the ${maxBytes} bytes this subgraph accepts`), { status: 413 });
    yield chunk;
  }
  if (!req.complete) throw Object.assign(new Error('the upload ended before the whole file arrived; nothing was imported'), { status: 400 });
}

/**
 * `POST /imports`: a CSV or JSON file for this organisation, one transaction, refused whole with
 * every invalid row listed. `?publish=true` publishes the figures at once. A client that accepts
 * application/x-ndjson gets progress lines as the import runs, then the result line.
 */
export function importRoutes(options: ImportRouteOptions) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return (app: Express) => {
    app.post('/imports', async (req, res) => {
      const started = performance.now();
      let principal: Principal;
      try {
        principal = await options.verify(req.headers);
        authoriseWrite(principal, options.organisation.id);
      } catch (error) {
        refuse(res, error);
        return;
      }
      const format = formatOf(req);
      if (!format) {
        sendError(res, 415, 'BAD_REQUEST', `send the file as text/csv or application/json (or say ?format=csv or ?format=json); content-type ${JSON.stringify(req.headers['content-type'] ?? null)} is neither`);
        return;
      }
      const publish = req.query.publish === 'true' || req.query.publish === '1';
      const streaming = (req.headers.accept ?? '').includes(NDJSON);
      const report = streaming ? progressWriter(res) : () => undefined;
      try {
        const batch: ImportBatch =
          format === 'csv'
            ? await parseCsvImport(body(req, maxBytes), (rows) => report({ phase: 'reading', done: rows, total: null }))
            : parseJsonImport(await text(body(req, maxBytes)));
        const result = await importBatch(options.db, principal, options.organisation, batch, { publish, today: options.today(), onProgress: report });
        const elapsedMs = Math.round(performance.now() - started);
        options.logger?.info({ import: { ...result, elapsedMs, actor: principal.subject } }, 'imported');
        if (streaming) res.end(`${JSON.stringify({ data: { ...result, elapsedMs } })}\n`);
        else res.json({ data: { ...result, elapsedMs } });
      } catch (error) {
        if (!(error instanceof GraphQLError) && !(error as { status?: number }).status) options.logger?.warn({ err: error }, 'import failed');
        if (streaming) {
          res.end(`${JSON.stringify(errorBody(error))}\n`);
          return;
        }
        refuse(res, error);
      }
    });
  };
}

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

function errorBody(error: unknown) {
  if (error instanceof GraphQLError) {
    // `http` tells Apollo which status to send; over plain HTTP the status says it already.
    const { http: _http, ...extensions } = error.extensions;
    return { errors: [{ message: error.message, extensions }] };
  }
  const status = (error as { status?: number }).status;
  if (status) return { errors: [{ message: (error as Error).message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' } }] };
  // Anything else is ours, not the caller's: say so without leaking SQL or stack.
  return { errors: [{ message: 'the import failed inside the subgraph; nothing was imported', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
}

function refuse(res: Response, error: unknown): void {
  const body = errorBody(error);
  const code = body.errors[0]!.extensions.code;
  const status = (error as { status?: number }).status ?? statusOf(code);
  res.status(status).json(body);
}

/** Progress lines, at most a few per second, so a large import shows it is alive without flooding the client. */
function progressWriter(res: Response) {
  res.status(200).setHeader('content-type', `${NDJSON}; charset=utf-8`);
  res.flushHeaders();
  let last = 0;
  return (progress: Omit<ImportProgress, 'total' | 'phase'> & { phase: ImportProgress['phase'] | 'reading'; total: number | null }) => {
    const now = performance.now();
    const final = progress.total !== null && progress.done === progress.total;
    if (!final && now - last < 250) return;
    last = now;
    res.write(`${JSON.stringify({ progress })}\n`);
    // Let the line leave now. PGlite answers within the same turn of the event loop, so without
    // this an import's awaits never yield, the socket stays corked and every line arrives at the end.
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
}
