import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { type Express, type Principal, type Publisher, type RegistryEntry, type Request, type Response, Scope, sendError, statusOf, userError } from '@crossgov/schema';
import type { Logger } from 'pino';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { parseCsvImport } from './import.csv.ts';
import { type ImportBatch, type ImportFormat, parseJsonImport } from './import.parse.ts';
import { type ImportProgress, type ImportScope, importBatch } from './import.store.ts';

export interface ImportRouteOptions {
  publisher: Publisher;
  /** The organisations the publisher serves, by id. */
  organisations: ReadonlyMap<string, RegistryEntry>;
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
 * Whose data a request imports: `/organisations/<id>/imports` is one organisation's file;
 * `/imports` is the publisher's, every row naming its organisation (for an organisation's own
 * subgraph, that organisation's file, as before publishers). Checked before the body is read.
 */
function scopeOf(options: ImportRouteOptions, req: Request, principal: Principal): ImportScope {
  const id = req.params.organisation;
  if (typeof id === 'string') {
    const organisation = options.organisations.get(id);
    if (!organisation) throw userError('NOT_FOUND', `organisation ${JSON.stringify(id)} is not served by publisher ${options.publisher.id} (it serves ${[...options.organisations.keys()].join(', ')})`);
    authoriseWrite(principal, organisation);
    return organisation;
  }
  if (options.publisher.own) {
    const own = options.organisations.get(options.publisher.own)!;
    authoriseWrite(principal, own);
    return own;
  }
  // A publisher's file: its data team's token (or an administrator's) may write every row; an
  // organisation's own token may still send one, and each row is then authorised as its own.
  if (principal.anonymous) throw userError('UNAUTHENTICATED', `importing for publisher ${options.publisher.id} needs a token with the "${Scope.PUBLISH}" scope`);
  if (principal.publisher !== null && principal.publisher !== options.publisher.id && !principal.scopes.has(Scope.ADMIN)) {
    throw userError('FORBIDDEN', `this token speaks for publisher ${principal.publisher}, so it may not import for publisher ${options.publisher.id}`);
  }
  return { serves: [...options.organisations.values()] };
}

/**
 * `POST /imports` and `POST /organisations/<id>/imports`: a CSV or JSON file, one transaction,
 * refused whole with every invalid row listed. `?publish=true` publishes the figures at once. A
 * client that accepts application/x-ndjson gets progress lines as the import runs, then the result line.
 */
export function importRoutes(options: ImportRouteOptions) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return (app: Express) => {
    app.post(['/imports', '/organisations/:organisation/imports'], async (req, res) => {
      const started = performance.now();
      let principal: Principal;
      let scope: ImportScope;
      try {
        principal = await options.verify(req.headers);
        scope = scopeOf(options, req, principal);
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
            : parseJsonImport(await bytes(body(req, maxBytes)));
        const result = await importBatch(options.db, principal, scope, batch, { publish, today: options.today(), onProgress: report });
        const elapsedMs = Math.round(performance.now() - started);
        options.logger?.info({ import: { ...result, publisher: options.publisher.id, elapsedMs, actor: principal.subject } }, 'imported');
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

async function bytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
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
