import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Express, type Principal, type RequestHeaders, sendError, statusOf } from '@crossgov/schema';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';

/** Subgraphs that are not organisations: they take no imports. */
const NOT_ORGANISATIONS = new Set(['directory', 'insights']);

/** Headers passed on to the subgraph: the caller's token and what describes the file. */
const FORWARDED = ['authorization', 'x-api-key', 'content-type', 'content-length', 'accept'];

export interface ImportForwardOptions {
  /** The current URL of each subgraph by name, as the gateway's supergraph says (or a test overrides). */
  subgraphUrl: (name: string) => string | undefined;
  verify: (headers: RequestHeaders) => Promise<Principal>;
  logger: Pick<Logger, 'warn'>;
}

/**
 * `POST /organisations/:organisation/imports`: the gateway checks the token (a bad one is refused
 * here with 401, as for GraphQL), then streams the file to that organisation's own subgraph, which
 * verifies the token again, checks every row and writes in one transaction. Its answer, including
 * NDJSON progress lines, streams back as it comes.
 */
export function importForwarding(options: ImportForwardOptions) {
  return (app: Express) => {
    app.post('/organisations/:organisation/imports', async (req, res) => {
      try {
        await options.verify(req.headers);
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : 'UNAUTHENTICATED';
        const { http: _http, ...extensions } = error instanceof GraphQLError ? error.extensions : {};
        sendError(res, statusOf(code), 'UNAUTHENTICATED', (error as Error).message, extensions);
        return;
      }
      const name = req.params.organisation;
      const graphqlUrl = NOT_ORGANISATIONS.has(name) ? undefined : options.subgraphUrl(name);
      if (!graphqlUrl) {
        sendError(res, 404, 'NOT_FOUND', `organisation ${JSON.stringify(name)} is not in this graph; the organisations are listed by { organisations { id } }`);
        return;
      }
      const target = new URL('imports', new URL('.', graphqlUrl));
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
