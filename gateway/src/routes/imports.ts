import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type ErrorCode, errorBody, isRefusal, statusOf } from '@crossgov/schema';
import {
  type Express,
  type Request,
  type Response,
  sendError,
  sendRefusal,
} from '@crossgov/schema/server';
import { type Principal, type RequestHeaders } from '@crossgov/schema/auth';
import type { Logger } from 'pino';
import { type ForwardOutcome, NDJSON, forwardImport } from './import-forward.ts';
import type { QueryRunner } from './run-query.ts';

/** Subgraphs that are not publishers: they take no imports. */
const NOT_PUBLISHERS = new Set(['directory', 'insights']);

/** Headers passed on to the subgraph: the caller's token and what describes the file. */
const FORWARDED = ['authorization', 'x-api-key', 'content-type', 'content-length'];

/** The header that carries an import's id both ways, as the subgraph names it. */
export const IMPORT_ID_HEADER = 'import-id';
/** The header that tells the caller how long the gateway waits for its import. */
export const IMPORT_DEADLINE_HEADER = 'import-deadline-ms';

/**
 * An import id: the publisher's id, a dot, then 16 to 64 letters, digits, hyphens or underscores.
 * The same rule as the publisher's (subgraphs/organisation/src/imports/import.claim.ts): the
 * publisher in it tells the gateway where to ask what became of the import.
 */
const IMPORT_ID = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.([A-Za-z0-9_-]{16,64})$/;
const newImportId = (publisher: string) => `${publisher}.${randomBytes(16).toString('base64url')}`;

export const DEFAULT_IMPORT_DEADLINE_MS = 240_000;

export interface ImportForwardOptions {
  /** The current URL of each subgraph by name, as the gateway's supergraph says (or a test overrides). */
  subgraphUrl: (name: string) => string | undefined;
  /** The publisher (subgraph name) that serves an organisation, as the directory says; null when it has none. */
  publisherOf: (organisation: string) => Promise<string | null>;
  verify: (headers: RequestHeaders) => Promise<Principal>;
  logger: Pick<Logger, 'warn'>;
  /**
   * How long an import may take, upload to answer, before the gateway cancels it (the subgraph
   * rolls back) and says so; told to the caller in `import-deadline-ms`. Four minutes is about
   * twice the slowest measured import of a file at the subgraph's 20 MiB limit (400,000 rows at
   * 3,100 rows a second, published; scripts/bench/RESULTS.md), and within the five minutes common
   * HTTP clients (Node's fetch) wait for an answer's headers, so a client waiting for one JSON
   * answer hears the gateway's rather than its own timeout.
   * @default 240000
   */
  deadlineMs?: number;
  /**
   * How soon the publisher's subgraph must start answering (it does before it reads the file) and
   * answer a question about an import: a hung subgraph is given up on this soon. The gateway gives
   * it SUBGRAPH_TIMEOUT_MS.
   * @default 5000
   */
  answerTimeoutMs?: number;
  /** Largest file passed on; past it the import is refused with 413. The publisher's own limits (CSV 20 MiB, JSON 10 MiB by default) refuse first. @default 64 MiB */
  maxBytes?: number;
}

/**
 * `POST /organisations/:organisation/imports` and `POST /publishers/:publisher/imports`: the
 * gateway checks the token (a bad one is refused here with 401, as for GraphQL), then streams the
 * file to the publisher's subgraph (for an organisation, the publisher the directory names), which
 * verifies the token again, checks every row and writes in one transaction. Its progress lines
 * stream back as they come to a caller that accepts NDJSON. Every answer names the import (the
 * caller's `import-id`, or one made here); `GET /imports/:id` asks its publisher what became of it.
 */
export function importForwarding(options: ImportForwardOptions) {
  const deadlineMs = options.deadlineMs ?? DEFAULT_IMPORT_DEADLINE_MS;
  const answerTimeoutMs = options.answerTimeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const urlOf = (name: string | null, path: string) => {
    const graphqlUrl =
      name === null || NOT_PUBLISHERS.has(name) ? undefined : options.subgraphUrl(name);
    return graphqlUrl ? new URL(path, new URL('.', graphqlUrl)) : null;
  };

  /** What the subgraph says became of an import, asked until it is no longer running or `answerTimeoutMs` has passed; null when it did not say. */
  const askStatus = async (
    name: string,
    importId: string,
    headers: Record<string, string>,
  ): Promise<ImportStatusAnswer | null> => {
    const url = urlOf(name, `imports/${encodeURIComponent(importId)}`)!;
    const until = Date.now() + answerTimeoutMs;
    // What it last said: a question that times out after "running" leaves the import running, not unknown.
    let said: ImportStatusAnswer | null = null;
    for (;;) {
      try {
        const response = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(Math.max(1, until - Date.now())),
        });
        if (!response.ok) return said;
        said = ((await response.json()) as { data?: ImportStatusAnswer }).data ?? said;
        if (said?.status !== 'RUNNING' || Date.now() + 100 >= until) return said;
      } catch {
        return said;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  return (app: Express) => {
    app.post(
      ['/organisations/:organisation/imports', '/publishers/:publisher/imports'],
      async (req, res) => {
        lingerAfterAnswer(req, res);
        try {
          await options.verify(req.headers);
        } catch (error) {
          refuseToken(res, error, options.logger);
          return;
        }
        const { organisation, publisher } = req.params as {
          organisation?: string;
          publisher?: string;
        };
        let name: string | null;
        try {
          name = publisher ?? (await options.publisherOf(organisation!));
        } catch (error) {
          options.logger.warn(
            { err: error, organisation },
            "import could not ask the directory for the organisation's publisher",
          );
          sendError(
            res,
            'SUBGRAPH_UNAVAILABLE',
            `Subgraph "directory" could not say which publisher serves ${JSON.stringify(organisation)}; nothing was imported`,
          );
          return;
        }
        // The publisher's own route for one organisation's file, or for its whole file.
        const target = urlOf(
          name,
          organisation ? `organisations/${encodeURIComponent(organisation)}/imports` : 'imports',
        );
        if (!target || name === null) {
          const what = publisher
            ? `publisher ${JSON.stringify(publisher)} is not in this graph; the publishers are listed by { publishers { id } }`
            : `organisation ${JSON.stringify(organisation)} is not in this graph; the organisations are listed by { organisations { id } }`;
          sendError(res, 'NOT_FOUND', what);
          return;
        }
        const asked = req.headers[IMPORT_ID_HEADER];
        if (
          asked !== undefined &&
          (typeof asked !== 'string' || IMPORT_ID.exec(asked)?.[1] !== name)
        ) {
          const rule = `an import id for ${organisation ? `organisation ${organisation}` : `publisher ${name}`} is "${name}." followed by 16 to 64 letters, digits, hyphens or underscores`;
          sendError(
            res,
            'BAD_REQUEST',
            `${IMPORT_ID_HEADER} ${JSON.stringify(asked)} is not one: ${rule}; or send none and the gateway makes one. Nothing was imported`,
          );
          return;
        }
        const importId = asked ?? newImportId(name);
        res.setHeader(IMPORT_ID_HEADER, importId);
        res.setHeader(IMPORT_DEADLINE_HEADER, String(deadlineMs));
        target.search = new URL(req.originalUrl, 'http://gateway').search;
        const headers: Record<string, string> = { [IMPORT_ID_HEADER]: importId, accept: NDJSON };
        for (const header of FORWARDED) {
          const value = req.headers[header];
          if (typeof value === 'string') headers[header] = value;
        }
        const said = new Answer(res, importId, (req.headers.accept ?? '').includes(NDJSON));
        if (Number(req.headers['content-length']) > maxBytes) {
          said.refuse('PAYLOAD_TOO_LARGE', tooLarge(maxBytes), {});
          return;
        }
        const gone = new AbortController();
        res.on('close', () => {
          if (!res.writableFinished) gone.abort();
        });
        const outcome = await forwardImport({
          target,
          headers,
          from: req,
          maxBytes,
          deadlineMs,
          answerTimeoutMs,
          signal: gone.signal,
          onStreaming: () => said.startLines(),
          onLine: (line) => said.line(line),
        });
        const status = await said.outcome(
          outcome,
          name,
          { deadlineMs, answerTimeoutMs, maxBytes },
          () => askStatus(name, importId, authHeaders(req)),
        );
        if (status === 'unknown')
          options.logger.warn(
            { subgraph: name, importId, outcome: outcome.kind },
            'import outcome not known when the gateway answered',
          );
      },
    );

    // What became of an import, asked of the publisher its id names.
    app.get('/imports/:importId', async (req, res) => {
      const { importId } = req.params as { importId: string };
      // Only an id of the right form goes back as a header: anything else may hold characters
      // (a NUL, a line break) that no header can carry, and setting one would throw.
      if (IMPORT_ID.test(importId)) res.setHeader(IMPORT_ID_HEADER, importId);
      try {
        await options.verify(req.headers);
      } catch (error) {
        refuseToken(res, error, options.logger);
        return;
      }
      const name = IMPORT_ID.exec(importId)?.[1] ?? null;
      if (name === null) {
        sendError(
          res,
          'BAD_REQUEST',
          `${JSON.stringify(importId)} is not an import id: an import id is its publisher's id, a dot, then 16 to 64 letters, digits, hyphens or underscores, as every import's answer gives it`,
        );
        return;
      }
      const url = urlOf(name, `imports/${encodeURIComponent(importId)}`);
      if (!url) {
        sendError(
          res,
          'NOT_FOUND',
          `import ${importId} names publisher ${JSON.stringify(name)}, which is not in this graph`,
        );
        return;
      }
      try {
        const response = await fetch(url, {
          headers: authHeaders(req),
          signal: AbortSignal.timeout(answerTimeoutMs),
        });
        res
          .status(response.status)
          .type('application/json')
          .send(await response.text());
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        // TIMEOUT is the table's 504, UNREACHABLE its 502.
        sendError(
          res,
          'SUBGRAPH_UNAVAILABLE',
          `Subgraph "${name}" ${timedOut ? `did not answer within ${answerTimeoutMs} ms` : 'could not be reached'}, so what became of import ${importId} is not known yet; ask again`,
          {
            reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
            importId,
            importStatus: 'UNKNOWN',
          },
        );
      }
    });
  };
}

interface ImportStatusAnswer {
  importId: string;
  status: 'COMMITTED' | 'RUNNING' | 'NOT_COMMITTED';
  result?: Record<string, unknown>;
}

const authHeaders = (req: IncomingMessage) => {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'x-api-key']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
};

const tooLarge = (maxBytes: number) =>
  `the file is larger than the ${maxBytes} bytes the gateway passes on; nothing was imported. Split it into smaller files, each imported on its own`;

/** A token refused (401, as for GraphQL); a failure to check it that was not a refusal is ours (500). */
function refuseToken(res: Response, error: unknown, logger: Pick<Logger, 'warn'>): void {
  if (isRefusal(error)) {
    sendRefusal(res, error);
    return;
  }
  logger.warn({ err: error }, 'the token could not be checked');
  sendError(res, 'INTERNAL_SERVER_ERROR', 'the token could not be checked');
}

/**
 * After an answer sent before the whole upload arrived (a refusal, a deadline), reads and throws
 * away the rest for a few seconds so the caller can read the answer rather than a reset
 * connection, then closes the connection (as the publisher's subgraph does).
 */
function lingerAfterAnswer(req: Request, res: Response): void {
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    req.resume();
    const timer = setTimeout(() => req.socket?.destroy(), 5000);
    timer.unref();
    req.once('close', () => clearTimeout(timer));
  });
}

/** The gateway's side of one import's answer: progress lines passed on to a caller that wants them, then one last answer, always naming the import. */
class Answer {
  #streaming = false;
  constructor(
    readonly res: Response,
    readonly importId: string,
    readonly wantsLines: boolean,
  ) {}

  startLines(): void {
    if (!this.wantsLines || this.#streaming || this.res.headersSent) return;
    this.#streaming = true;
    this.res.status(200).setHeader('content-type', `${NDJSON}; charset=utf-8`);
    this.res.flushHeaders();
  }

  line(line: Record<string, unknown>): void {
    if (this.#streaming && !this.res.destroyed) this.res.write(`${JSON.stringify(line)}\n`);
  }

  /** The last answer: the subgraph's own, or the gateway's, with its status (a stream's last line says it in its error code). */
  send(status: number, body: Record<string, unknown>): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    const extensions = {
      ...(body.extensions as Record<string, unknown> | undefined),
      importId: this.importId,
    };
    const named = { ...body, extensions };
    if (this.#streaming) this.res.end(`${JSON.stringify(named)}\n`);
    else this.res.status(status).json(named);
  }

  /** The gateway's own refusal, with the table's status for its code and reason (a stream's last line says it in its code). */
  refuse(code: ErrorCode, message: string, extensions: Record<string, unknown>): void {
    this.send(
      statusOf(code, extensions.reason),
      errorBody(code, message, { ...extensions, importId: this.importId }),
    );
  }

  /**
   * Answers for an outcome; when the subgraph may have the whole file but did not answer, asks it
   * (ask) and says what it said. Returns what the caller was told became of the import.
   */
  async outcome(
    outcome: ForwardOutcome,
    subgraph: string,
    limits: { deadlineMs: number; answerTimeoutMs: number; maxBytes: number },
    ask: () => Promise<ImportStatusAnswer | null>,
  ): Promise<'answered' | 'not-imported' | 'imported' | 'unknown'> {
    const id = this.importId;
    switch (outcome.kind) {
      case 'answer': {
        const { code, reason } =
          (
            outcome.body.errors as
              { extensions?: { code?: unknown; reason?: unknown } }[] | undefined
          )?.[0]?.extensions ?? {};
        const status =
          outcome.status === 200 && code !== undefined ? statusOf(code, reason) : outcome.status;
        this.send(status, outcome.body);
        return 'answered';
      }
      case 'too-large':
        this.refuse('PAYLOAD_TOO_LARGE', tooLarge(limits.maxBytes), {});
        return 'not-imported';
      case 'caller-gone':
        this.refuse(
          'BAD_REQUEST',
          `the upload ended before the whole file arrived, so import ${id} was cancelled; nothing was imported`,
          {},
        );
        return 'not-imported';
      case 'no-answer':
        break;
    }
    const { why, sentWhole } = outcome;
    // DEADLINE and TIMEOUT are the table's 504 (the gateway gave up waiting), UNREACHABLE its 502.
    const reason =
      why === 'deadline' ? 'DEADLINE' : why === 'not-answering' ? 'TIMEOUT' : 'UNREACHABLE';
    const what =
      why === 'deadline'
        ? `Import ${id} took longer than the gateway's deadline of ${seconds(limits.deadlineMs)} (${IMPORT_DEADLINE_HEADER}) and was cancelled`
        : why === 'not-answering'
          ? `Subgraph "${subgraph}" did not start answering within ${limits.answerTimeoutMs} ms, so import ${id} was cancelled`
          : why === 'unreachable'
            ? `Subgraph "${subgraph}" could not be reached for import ${id}`
            : `The connection to subgraph "${subgraph}" broke during import ${id}`;
    const extensions = { reason, subgraph, deadlineMs: limits.deadlineMs };
    if (!sentWhole) {
      // The subgraph never had the whole file, and reads it whole before writing anything.
      const before = why === 'unreachable' ? '' : ' before the whole file reached it';
      this.refuse('SUBGRAPH_UNAVAILABLE', `${what}${before}; nothing was imported`, {
        ...extensions,
        importStatus: 'NOT_COMMITTED',
      });
      return 'not-imported';
    }
    const said = await ask();
    if (said?.status === 'COMMITTED' && said.result) {
      // It committed in the end: that is the answer, though the gateway had stopped waiting for it.
      this.send(200, { data: said.result });
      return 'imported';
    }
    if (said?.status === 'NOT_COMMITTED') {
      this.refuse(
        'SUBGRAPH_UNAVAILABLE',
        `${what}; subgraph "${subgraph}" rolled it back, so nothing was imported`,
        { ...extensions, importStatus: 'NOT_COMMITTED' },
      );
      return 'not-imported';
    }
    this.refuse(
      'SUBGRAPH_UNAVAILABLE',
      `${what}; whether it had committed is not known yet: GET /imports/${id} says what became of it`,
      { ...extensions, importStatus: said?.status ?? 'UNKNOWN' },
    );
    return 'unknown';
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Asks the directory, through the gateway itself, which publisher serves an organisation. Anonymous
 * and published-only: who publishes whom is public.
 */
export function publisherLookup(
  run: QueryRunner,
): (organisation: string) => Promise<string | null> {
  return async (organisation) => {
    const result = await run(
      { headers: {} },
      'query PublisherOf($id: ID!) { organisation(id: $id) { publisher { id } } }',
      { id: organisation },
    );
    // An id refused as input (one holding a NUL) names no organisation: the caller's 404, not the directory's failure.
    if (
      result.errors.length > 0 &&
      result.errors.every((e) => e.extensions?.code === 'BAD_USER_INPUT')
    )
      return null;
    if (result.errors.length > 0 && !result.data)
      throw new Error(result.errors.map((e) => e.message).join('; '));
    const found = result.data?.organisation as
      { publisher: { id: string } | null } | null | undefined;
    return found?.publisher?.id ?? null;
  };
}
