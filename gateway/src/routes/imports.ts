import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Express, type Principal, type RequestHeaders, sendError, statusOf } from '@crossgov/schema';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { QueryRunner } from './run-query.ts';

/** Subgraphs that are not publishers: they take no imports. */
const NOT_PUBLISHERS = new Set(['directory', 'insights']);

/** Headers passed on to the subgraph: the caller's token and what describes the file. */
const FORWARDED = ['authorization', 'x-api-key', 'content-type', 'content-length', 'accept'];

export interface ImportForwardOptions {
  /** The current URL of each subgraph by name, as the gateway's supergraph says (or a test overrides). */
  subgraphUrl: (name: string) => string | undefined;
  /** The publisher (subgraph name) that serves an organisation, as the directory says; null when it has none. */
  publisherOf: (organisation: string) => Promise<string | null>;
  verify: (headers: RequestHeaders) => Promise<Principal>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * `POST /organisations/:organisation/imports` and `POST /publishers/:publisher/imports`: the
 * gateway checks the token (a bad one is refused here with 401, as for GraphQL), then streams the
 * file to the publisher's subgraph (for an organisation, the publisher the directory names), which
 * verifies the token again, checks every row and writes in one transaction. Its answer, including
 * NDJSON progress lines, streams back as it comes.
 */
export function importForwarding(options: ImportForwardOptions) {
  return (app: Express) => {
    app.post(['/organisations/:organisation/imports', '/publishers/:publisher/imports'], async (req, res) => {
      try {
        await options.verify(req.headers);
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : 'UNAUTHENTICATED';
        const { http: _http, ...extensions } = error instanceof GraphQLError ? error.extensions : {};
        sendError(res, statusOf(code), 'UNAUTHENTICATED', (error as Error).message, extensions);
        return;
      }
      const { organisation, publisher } = req.params as { organisation?: string; publisher?: string };
      let name: string | null;
      try {
        name = publisher ?? (await options.publisherOf(organisation!));
      } catch (error) {
        options.logger.warn({ err: error, organisation }, 'import could not ask the directory for the organisation\'s publisher');
        sendError(res, 502, 'SUBGRAPH_UNAVAILABLE', `Subgraph "directory" could not say which publisher serves ${JSON.stringify(organisation)}; nothing was imported`);
        return;
      }
      const graphqlUrl = name === null || NOT_PUBLISHERS.has(name) ? undefined : options.subgraphUrl(name);
      if (!graphqlUrl) {
        const what = publisher ? `publisher ${JSON.stringify(publisher)} is not in this graph; the publishers are listed by { publishers { id } }` : `organisation ${JSON.stringify(organisation)} is not in this graph; the organisations are listed by { organisations { id } }`;
        sendError(res, 404, 'NOT_FOUND', what);
        return;
      }
      // The publisher's own route for one organisation's file, or for its whole file.
      const path = organisation ? `organisations/${encodeURIComponent(organisation)}/imports` : 'imports';
      const target = new URL(path, new URL('.', graphqlUrl));
      target.search = new URL(req.originalUrl, 'http://gateway').search;
      const headers: Record<string, string> = {};
      for (const header of FORWARDED) {
        const value = req.headers[header];
        if (typeof value === 'string') headers[header] = value;
      }
      const aborted = new AbortController();
      // The caller hung up: stop sending to the subgraph, whose transaction then never commits.
      res.on('close', () => {
        if (!res.writableFinished) aborted.abort();
      });
      let answer: globalThis.Response;
      try {
        answer = await fetch(target, { method: 'POST', headers, body: Readable.toWeb(req) as ReadableStream, duplex: 'half', signal: aborted.signal } as RequestInit);
      } catch (error) {
        if (aborted.signal.aborted) return;
        options.logger.warn({ err: error, subgraph: name }, 'import could not reach its subgraph');
        sendError(res, 502, 'SUBGRAPH_UNAVAILABLE', `Subgraph "${name}" could not be reached; nothing was imported`);
        return;
      }
      res.status(answer.status);
      const type = answer.headers.get('content-type');
      if (type) res.setHeader('content-type', type);
      if (!answer.body) {
        res.end();
        return;
      }
      try {
        for await (const chunk of Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>)) res.write(chunk);
      } catch (error) {
        options.logger.warn({ err: error, subgraph: name }, 'import answer was cut off');
      }
      res.end();
    });
  };
}

/**
 * Asks the directory, through the gateway itself, which publisher serves an organisation. Anonymous
 * and published-only: who publishes whom is public.
 */
export function publisherLookup(run: QueryRunner): (organisation: string) => Promise<string | null> {
  return async (organisation) => {
    const result = await run({ headers: {} }, 'query PublisherOf($id: ID!) { organisation(id: $id) { publisher { id } } }', { id: organisation });
    if (result.errors.length > 0 && !result.data) throw new Error(result.errors.map((e) => e.message).join('; '));
    const found = result.data?.organisation as { publisher: { id: string } | null } | null | undefined;
    return found?.publisher?.id ?? null;
  };
}
