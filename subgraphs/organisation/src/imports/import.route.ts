import type { IncomingMessage } from 'node:http';
import { type Publisher, type RegistryEntry, RequestError, userError } from '@crossgov/schema';
import {
  type Express,
  type HttpRoutes,
  type Request,
  type Response,
} from '@crossgov/schema/server';
import { type Principal, Scope } from '@crossgov/schema/auth';
import type { Logger } from 'pino';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { DEFAULT_MAX_PROBLEMS } from '../problems.ts';
import { parseCsvImport } from './import.csv.ts';
import { ImportClaims, importStatus, newImportId, publisherOfImportId } from './import.claim.ts';
import { type ImportBatch, type ImportFormat, parseJsonImport } from './import.parse.ts';
import {
  IMPORT_ID_HEADER,
  type ImportAnswer,
  NDJSON,
  answerOf,
  progressWriter,
  send,
} from './import.answer.ts';
import { type ImportScope, importBatch } from './import.store.ts';
import type { Executor } from '../indicator/submission.store.ts';
import { linger, readUpload, tooLarge } from './import.upload.ts';
import { importSource, readSourceFiles } from './import.source.ts';
import { SOURCE_IDS, type Source, sourceOf } from '../sources/index.ts';

export interface ImportRouteOptions {
  publisher: Publisher;
  /** The organisations the publisher serves, by id. */
  organisations: ReadonlyMap<string, RegistryEntry>;
  db: OrganisationDb;
  verify: (headers: IncomingMessage['headers']) => Promise<Principal>;
  today: () => string;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
  /**
   * Largest CSV file accepted. An import holds its parsed rows until it commits, at peak about 50
   * times the file's size in memory (scripts/bench/RESULTS.md: ~250 MiB for a 4.8 MB file of
   * 100,000 rows); 20 MiB is about 400,000 rows, four times the largest import measured.
   * @default 20 MiB
   */
  maxBytes?: number;
  /**
   * Largest JSON file accepted: a JSON document is parsed whole, so it is refused past this before
   * it is read (by its content-length) or as soon as it passes it. 10 MiB is about 100,000 records.
   * @default 10 MiB
   */
  maxJsonBytes?: number;
  /** Problems a refusal lists; reading a file stops once this many are found. @default 1000 */
  maxProblems?: number;
  /**
   * Largest upload of a published data set's files (`?source=`): the Transactions Explorer's twelve
   * versions are 8.8 MB, GMPP's ten publications 4.1 MB.
   * @default 64 MiB
   */
  maxSourceBytes?: number;
}

export const DEFAULT_MAX_CSV_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_JSON_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** The published data set `?source=` names, or null for a CSV or JSON file. */
function sourceAsked(req: Request): Source | null {
  const asked = req.query.source;
  if (asked === undefined) return null;
  try {
    return sourceOf(String(asked));
  } catch {
    throw new RequestError(
      'BAD_REQUEST',
      `source ${JSON.stringify(asked)} is not a published data set this hub reads (known: ${SOURCE_IDS.join(', ')}); nothing was imported`,
    );
  }
}

/** The file's format, from `?format=` or else its content type. */
function formatOf(req: Request): ImportFormat | null {
  const asked = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : null;
  if (asked === 'csv' || asked === 'json') return asked;
  if (asked) return null;
  if (req.is('text/csv') || req.is('application/csv')) return 'csv';
  if (req.is('application/json')) return 'json';
  return null;
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
    if (!organisation)
      throw userError(
        'NOT_FOUND',
        `organisation ${JSON.stringify(id)} is not served by publisher ${options.publisher.id} (it serves ${[...options.organisations.keys()].join(', ')})`,
      );
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
  if (principal.anonymous)
    throw userError(
      'UNAUTHENTICATED',
      `importing for publisher ${options.publisher.id} needs a token with the "${Scope.PUBLISH}" scope`,
    );
  if (
    principal.publisher !== null &&
    principal.publisher !== options.publisher.id &&
    !principal.scopes.has(Scope.ADMIN)
  ) {
    throw userError(
      'FORBIDDEN',
      `this token speaks for publisher ${principal.publisher}, so it may not import for publisher ${options.publisher.id}`,
    );
  }
  return { serves: [...options.organisations.values()] };
}

/** The id the caller gave the import (`import-id`, as the gateway and `pnpm run import` send it), or a new one. */
function importIdOf(options: ImportRouteOptions, req: Request): string {
  const asked = req.headers[IMPORT_ID_HEADER];
  if (asked === undefined) return newImportId(options.publisher.id);
  if (typeof asked !== 'string' || publisherOfImportId(asked) !== options.publisher.id) {
    throw new RequestError(
      'BAD_REQUEST',
      `${IMPORT_ID_HEADER} ${JSON.stringify(asked)} is not an import id of publisher ${options.publisher.id}: send "${options.publisher.id}." followed by 16 to 64 letters, digits, hyphens or underscores, or no ${IMPORT_ID_HEADER} and one is made; nothing was imported`,
    );
  }
  return asked;
}

/**
 * `POST /imports` and `POST /organisations/<id>/imports`: a CSV or JSON file, one transaction,
 * refused whole with its invalid rows listed. `?publish=true` publishes the figures at once. A
 * client that accepts application/x-ndjson gets progress lines as the import runs, then the result
 * line. Every answer and line carries the import's id; `GET /imports/<id>` says afterwards what
 * became of it. The import is rolled back if its caller goes away before it commits.
 */
export function importRoutes(options: ImportRouteOptions): HttpRoutes {
  const maxBytes = {
    csv: options.maxBytes ?? DEFAULT_MAX_CSV_BYTES,
    json: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
  };
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const claims = new ImportClaims(options.db);

  const runImport = async (
    req: Request,
    res: Response,
    importId: string,
  ): Promise<ImportAnswer> => {
    const started = performance.now();
    let source: Source | null = null;
    try {
      source = sourceAsked(req);
    } catch (error) {
      linger(req, res);
      return answerOf(error, importId);
    }
    const format = source ? 'csv' : formatOf(req);
    // Aborted when the caller goes away (a client gave up, the gateway's deadline passed): the
    // import stops at its next chunk or step, and in any case before it commits.
    const caller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) caller.abort();
    });
    const limit = source
      ? (options.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES)
      : maxBytes[format ?? 'csv'];
    const what = source
      ? `upload of ${source.id} files`
      : `${format === 'json' ? 'JSON' : 'CSV'} file`;
    const upload = readUpload(req, { maxBytes: limit, what, signal: caller.signal });
    try {
      const principal = await options.verify(req.headers);
      const scope = scopeOf(options, req, principal);
      if (!format) {
        throw new RequestError(
          'BAD_REQUEST',
          `send the file as text/csv or application/json (or say ?format=csv or ?format=json); content-type ${JSON.stringify(req.headers['content-type'] ?? null)} is neither`,
          {
            reason: 'UNSUPPORTED_MEDIA_TYPE',
          },
        );
      }
      const declared = Number(req.headers['content-length']);
      if (declared > limit) throw tooLarge(limit, what);
      if (!(await claims.claim(importId))) throw alreadyRunning(importId);
      try {
        const before = await importStatus(options.db, importId);
        if (before.status === 'COMMITTED') throw alreadyCommitted(importId, before.committedAt!);
        const report = (req.headers.accept ?? '').includes(NDJSON)
          ? progressWriter(res, importId)
          : () => undefined;
        let committing = false;
        const common = {
          today: options.today(),
          onProgress: report,
          importId,
          signal: caller.signal,
          maxProblems,
          beforeCommit: async (tx: Executor) => {
            await ImportClaims.confirm(tx, importId);
            committing = true;
          },
        };
        if (source) {
          const files = await readSourceFiles(upload.chunks, req.headers['content-type']);
          report({ phase: 'reading', done: files.length, total: files.length });
          try {
            const result = await importSource(options.db, principal, scope, source, files, common);
            const elapsedMs = Math.round(performance.now() - started);
            options.logger?.info(
              {
                import: {
                  source: source.id,
                  organisations: result.organisations.length,
                  measurements: result.measurements,
                  importId,
                  publisher: options.publisher.id,
                  elapsedMs,
                  actor: principal.subject,
                },
              },
              'imported',
            );
            return {
              status: 200,
              body: { data: { ...result, elapsedMs }, extensions: { importId } },
            };
          } catch (error) {
            if (committing && !(error instanceof RequestError))
              return answerOf(
                error,
                importId,
                `it failed while committing, so it may have committed all the same: GET /imports/${importId} says whether it did`,
              );
            throw error;
          }
        }
        const batch: ImportBatch =
          format === 'csv'
            ? await parseCsvImport(
                upload.chunks,
                (rows) => report({ phase: 'reading', done: rows, total: null }),
                { maxProblems },
              )
            : parseJsonImport(await whole(upload.chunks), { maxProblems });
        try {
          const result = await importBatch(options.db, principal, scope, batch, {
            ...common,
            publish: req.query.publish === 'true' || req.query.publish === '1',
          });
          const elapsedMs = Math.round(performance.now() - started);
          options.logger?.info(
            {
              import: {
                ...result,
                importId,
                publisher: options.publisher.id,
                elapsedMs,
                actor: principal.subject,
              },
            },
            'imported',
          );
          return {
            status: 200,
            body: { data: { ...result, elapsedMs }, extensions: { importId } },
          };
        } catch (error) {
          // A failure while committing (the connection broke) may have committed all the same.
          if (committing && !(error instanceof RequestError))
            return answerOf(
              error,
              importId,
              `it failed while committing, so it may have committed all the same: GET /imports/${importId} says whether it did`,
            );
          throw error;
        }
      } finally {
        await claims.release(importId);
      }
    } catch (error) {
      if (caller.signal.aborted)
        options.logger?.info(
          { importId, publisher: options.publisher.id },
          'import cancelled: its caller went away; rolled back',
        );
      else if (!(error instanceof RequestError) && !(error as { extensions?: unknown }).extensions)
        options.logger?.warn({ err: error, importId }, 'import failed');
      return answerOf(error, importId);
    } finally {
      upload.finish(res);
    }
  };

  return (app: Express) => {
    app.post(['/imports', '/organisations/:organisation/imports'], async (req, res) => {
      let importId: string;
      try {
        importId = importIdOf(options, req);
      } catch (error) {
        linger(req, res);
        send(res, answerOf(error, null));
        return;
      }
      res.setHeader(IMPORT_ID_HEADER, importId);
      send(res, await runImport(req, res, importId));
    });

    // What became of an import: committed (with what it wrote), still running, or not committed.
    app.get('/imports/:importId', async (req, res) => {
      const { importId } = req.params as { importId: string };
      // Only an id of the right form goes back as a header: anything else may hold characters
      // (a NUL, a line break) that no header can carry, and setting one would throw.
      if (publisherOfImportId(importId) !== null) res.setHeader(IMPORT_ID_HEADER, importId);
      try {
        const principal = await options.verify(req.headers);
        if (principal.anonymous)
          throw userError(
            'UNAUTHENTICATED',
            'asking what became of an import needs a token that may write for its organisations, such as the one that sent it',
          );
        if (publisherOfImportId(importId) !== options.publisher.id)
          throw userError(
            'NOT_FOUND',
            `${JSON.stringify(importId)} is not an import id of publisher ${options.publisher.id}`,
          );
        const status = await importStatus(options.db, importId);
        for (const id of (status.result?.organisations as string[] | undefined) ?? [])
          authoriseWrite(
            principal,
            options.organisations.get(id) ?? { id, publisher: options.publisher.id },
          );
        send(res, { status: 200, body: { data: status, extensions: { importId } } });
      } catch (error) {
        send(res, answerOf(error, importId));
      }
    });
  };
}

async function whole(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

const alreadyRunning = (importId: string) =>
  new RequestError(
    'BAD_REQUEST',
    `import ${importId} is already running; GET /imports/${importId} says when it has finished and what became of it. Send a new file with a new id, or none; nothing more was imported`,
    {
      reason: 'IMPORT_RUNNING',
    },
  );

const alreadyCommitted = (importId: string, at: string) =>
  new RequestError(
    'BAD_REQUEST',
    `import ${importId} was committed at ${at}; GET /imports/${importId} says what it wrote. Send a new file with a new id, or none; nothing more was imported`,
    {
      reason: 'IMPORT_COMMITTED',
    },
  );
