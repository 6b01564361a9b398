import {
  type IncomingHttpHeaders,
  createServer as createHttpServer,
  request as httpRequest,
} from 'node:http';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { createGateway } from '@crossgov/gateway';
import { createOrganisationServer } from '@crossgov/organisation';
import { findPublisher, organisationsOf } from '@crossgov/schema';
import { startHttpServer } from '@crossgov/schema/server';
import { type AuthConfig, createVerifier } from '@crossgov/schema/auth';
import { pino } from 'pino';
import {
  type ImportForwardOptions,
  importForwarding,
  publisherLookup,
} from '../../gateway/src/routes/imports.ts';
import { queryRunner } from '../../gateway/src/routes/run-query.ts';
import {
  type ImportRouteOptions,
  importRoutes,
} from '../../subgraphs/organisation/src/imports/import.route.ts';
import type { TestGraph } from './graph.ts';

// Servers and raw requests for the import robustness tests: a publisher's subgraph and a gateway
// built from the production route modules with the small limits a test sets (the graph's own run
// with the defaults), on the graph's databases; a connection that swallows requests; uploads cut
// off, left unfinished or half-closed.

/** A second process of a publisher's subgraph (as a replica would be), on the graph's database, with the import limits given. */
export async function startImportSubgraph(
  graph: TestGraph,
  publisherId: string,
  auth: AuthConfig,
  limits: Pick<ImportRouteOptions, 'maxBytes' | 'maxJsonBytes' | 'maxProblems'>,
) {
  const publisher = findPublisher(graph.registry, publisherId);
  const organisations = organisationsOf(graph.registry, publisher);
  const database = graph.publishers.get(publisherId)!.database;
  const today = () => '2026-11-21';
  const { server, context } = await createOrganisationServer({
    publisher,
    organisations,
    database,
    auth,
    today,
  });
  const routes = importRoutes({
    publisher,
    organisations: new Map(organisations.map((o) => [o.id, o])),
    db: database.db,
    verify: createVerifier(auth),
    today,
    ...limits,
  });
  const running = await startHttpServer({ apollo: server, context, routes, port: 0 });
  return { url: running.url, graphqlUrl: `${running.url}graphql`, stop: running.stop };
}

/**
 * A gateway whose import routes have the limits given, over the graph's subgraphs; `subgraphs`
 * (by name, to a GraphQL URL) can be changed while it runs, to send a publisher's imports elsewhere.
 */
export async function startImportGateway(
  graph: TestGraph,
  auth: AuthConfig,
  limits: Pick<ImportForwardOptions, 'deadlineMs' | 'answerTimeoutMs' | 'maxBytes'>,
) {
  const subgraphs = new Map(Object.entries(graph.subgraphUrls));
  const logger = pino({ level: 'silent' });
  const { server, context } = createGateway({
    supergraphSdl: graph.supergraphSdl,
    subgraphUrls: graph.subgraphUrls,
    auth,
    logger,
  });
  const routes = importForwarding({
    subgraphUrl: (name) => subgraphs.get(name),
    publisherOf: publisherLookup(queryRunner(server, context)),
    verify: createVerifier(auth),
    logger,
    ...limits,
  });
  const running = await startHttpServer({ apollo: server, context, routes, port: 0 });
  return { url: running.url, subgraphs, stop: running.stop };
}

/** A server that accepts connections and never answers: a hung subgraph. */
export async function startBlackHole(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * A POST that sends `parts` and then: `wait`s for the answer without ever finishing the body (an
 * answer before the end proves the server stopped reading), or `destroy`s the connection once the
 * server has had `settleMs` to start on it (an upload cut off: resolves null).
 */
export function upload(
  url: string,
  headers: Record<string, string>,
  parts: (string | Buffer)[],
  then: 'wait' | 'destroy',
  settleMs = 300,
): Promise<RawAnswer | null> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers });
    request.on('error', (error) => (then === 'destroy' ? resolve(null) : reject(error)));
    request.on('socket', (socket) => socket.on('error', () => undefined));
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('error', () => undefined);
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode!, headers: response.headers, text });
      });
    });
    for (const part of parts) request.write(part);
    if (then === 'destroy') {
      setTimeout(() => {
        request.destroy();
        resolve(null);
      }, settleMs);
    }
  });
}

/**
 * A request written by hand: its headers (say a `content-length` it does not keep to, or a
 * chunked encoding it breaks), then `body`, then the end of its side of the connection; resolves
 * with what the server answered before closing.
 */
export function rawUpload(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<RawAnswer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const head = [
        `POST ${pathname}${search} HTTP/1.1`,
        `host: ${hostname}:${port}`,
        'connection: close',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
      socket.end();
    });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const headerLines = head.split('\r\n').slice(1);
      const parsed: IncomingHttpHeaders = Object.fromEntries(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ status, headers: parsed, text: rest.join('\r\n\r\n') });
    });
  });
}

/** NDJSON lines as objects. */
export const linesOf = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          progress?: { phase: string; done: number };
          extensions?: { importId?: string };
        },
    );

/**
 * A proxy in front of a subgraph that passes everything on, but keeps back the answer to every
 * import (POST) it passes: the subgraph finishes (and commits), and its caller never hears.
 * `finished` resolves once the first import it kept back has been answered in full by the subgraph.
 */
export async function startAnswerHoldingProxy(target: string) {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const server = createHttpServer((req, res) => {
    const upstream = httpRequest(
      new URL(req.url!, target),
      { method: req.method, headers: req.headers },
      (answer) => {
        if (req.method === 'POST') {
          answer.resume();
          answer.on('end', finish);
          return;
        }
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    finished,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
