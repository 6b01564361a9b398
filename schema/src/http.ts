import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import type { GraphQLError } from 'graphql';
import express, {
  type Express,
  type NextFunction,
  type Request,
  type Response,
  type Router,
} from 'express';
import type { Logger } from 'pino';
import { type AdmissionSettings, createAdmission } from './admission.ts';
import { readAdmission } from './env.ts';
import {
  type ErrorCode,
  RequestError,
  errorBody,
  isClientVisible,
  isErrorCode,
  statusOf,
} from './errors.ts';
import { SUBGRAPH_LIMITS } from './limits/settings.ts';
import { type ReadinessCheck, Readiness, probeRoutes } from './observability/health.ts';
import { graphqlMetricsPlugin } from './observability/metrics.ts';
import { requestContext } from './observability/request-log.ts';

export type { Express, Request, Response } from 'express';

/** Plain HTTP routes a server mounts beside /graphql. */
export type HttpRoutes = (app: Express) => void;

export interface HttpListenOptions {
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  /**
   * Who this server is in its log lines, metrics and spans: gateway, directory, insights, or a
   * publisher's id.
   * @default "crossgov"
   */
  service?: string;
  /** Where one line per request goes (request id, trace id, status, time); none: no request log. */
  logger?: Logger;
}

export interface HttpServerOptions<TContext extends BaseContext> extends HttpListenOptions {
  apollo: ApolloServer<TContext>;
  /** The request's context; `res` lets it notice a caller that went away (and stop the work). */
  context: ContextFunction<[{ req: IncomingMessage; res?: ServerResponse }], TContext>;
  /** Routes besides GraphQL (imports, exports, pages), mounted before it. */
  routes?: HttpRoutes;
  /**
   * Largest GraphQL request body, in bytes; a larger one is refused with 413 (as JSON) without
   * being parsed. The gateway passes its own, smaller limit.
   * @default 16 MiB, a subgraph's (SUBGRAPH_LIMITS.maxBodyBytes)
   */
  bodyLimit?: number;
  /**
   * Admission control (schema/src/admission.ts): requests running at once, waiting, and for how
   * long, over those the environment sets; `false` turns it off.
   * @default readAdmission(): MAX_CONCURRENT_REQUESTS and the rest
   */
  admission?: Partial<AdmissionSettings> | false;
  /**
   * Which requests admission control counts; the rest always go through.
   * @default admittedByDefault: all but file imports
   */
  admits?: (req: Request) => boolean;
  /** Answers a path no route has. @default 404 NOT_FOUND as JSON */
  notFound?: (req: Request, res: Response) => void;
  /** What must keep holding for /readyz to say ready once serving (a database reachable, its migrations applied). */
  ready?: readonly ReadinessCheck[];
}

export interface RunningHttpServer {
  /** Base URL, ending in "/". GraphQL is at `${url}graphql`. */
  url: string;
  httpServer: Server;
  stop(): Promise<void>;
}

export interface ListeningHttpServer {
  /** Base URL, ending in "/". */
  url: string;
  httpServer: Server;
  /** What /readyz reports while starting: name each phase (migrating, seeding) as it begins. */
  readiness: Readiness;
  /** Mounts GraphQL and the routes, and turns ready. */
  serve<TContext extends BaseContext>(
    options: Omit<HttpServerOptions<TContext>, keyof HttpListenOptions>,
  ): Promise<RunningHttpServer>;
  /** Stops listening, for a start that failed before `serve`. */
  close(): Promise<void>;
}

/**
 * Listens at once, before the slow part of starting (migrations, seeding, an import of published
 * data): /healthz says alive from the first moment, /readyz says which phase it is in, and anything
 * else is answered 503 with Retry-After until `serve` mounts GraphQL. An orchestrator can tell a
 * process that is starting from one that is stuck.
 */
export async function listenHttpServer(options: HttpListenOptions): Promise<ListeningHttpServer> {
  const service = options.service ?? 'crossgov';
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  // Keep idle connections longer than a load balancer or client pool does (AWS's load balancers
  // default to 60 s), so connections are reused rather than opened: a Node process busy with work
  // accepts new connections slowly (bench:overload saw 10-20 a second), while a request on an open
  // connection reaches admission control at once.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const readiness = new Readiness();
  probeRoutes(app, service, readiness);
  app.use(requestContext({ service, logger: options.logger }));
  let served: Router | undefined;
  app.use((req, res, next) => {
    if (served) {
      served(req, res, next);
      return;
    }
    sendError(
      res,
      'SERVICE_UNAVAILABLE',
      `${service} is starting (${readiness.currentPhase ?? 'starting'}); try again shortly`,
      {},
      { headers: { 'retry-after': '1' } },
    );
  });
  // Last: whatever a route or body parser could not handle is answered as JSON, never Express's HTML page.
  app.use(jsonErrors);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { address, port } = httpServer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}/`;
  const close = () => new Promise<void>((resolve) => httpServer.close(() => resolve()));
  return {
    url,
    httpServer,
    readiness,
    close: async () => {
      httpServer.closeAllConnections();
      await close();
    },
    async serve(serving) {
      serving.apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
      serving.apollo.addPlugin(graphqlMetricsPlugin(service));
      const admission =
        serving.admission === false
          ? null
          : createAdmission({ ...readAdmission(), ...serving.admission });
      if (admission)
        serving.apollo.addPlugin({
          serverWillStart: async () => ({ serverWillStop: async () => admission.close() }),
        });
      await serving.apollo.start();
      const router = express.Router();
      if (admission) {
        // First, before any body is read: a saturated process answers 503 with Retry-After at once.
        const admits = serving.admits ?? admittedByDefault;
        router.use((req, res, next) =>
          admits(req) ? admission.middleware(req, res, next) : next(),
        );
      }
      router.use(cors());
      serving.routes?.(router as unknown as Express);
      router.use(
        '/graphql',
        express.json({ limit: serving.bodyLimit ?? SUBGRAPH_LIMITS.maxBodyBytes }),
        expressMiddleware(serving.apollo, {
          context: ({ req, res }) => serving.context({ req, res }),
        }),
      );
      // A path no route has: 404 as JSON like every other refusal (or the caller's own page), never
      // Express's HTML "Cannot GET" page.
      router.use(serving.notFound ?? sendNotFound);
      served = router;
      readiness.serving(serving.ready ?? []);
      return {
        url,
        httpServer,
        stop: async () => {
          // Not ready from the first moment of stopping, so a load balancer sends no more.
          readiness.starting('stopping');
          await serving.apollo.stop();
        },
      };
    },
  };
}

/**
 * Serves an Apollo Server at /graphql on Express, with room for plain HTTP routes beside it (file
 * imports, CSV exports, pages), and the probes (/healthz, /readyz, /metrics). Stopping drains open
 * requests, as Apollo's standalone server does.
 */
export async function startHttpServer<TContext extends BaseContext>(
  options: HttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const { port, host, service, logger, ...serving } = options;
  const listening = await listenHttpServer({ port, host, service, logger });
  try {
    return await listening.serve(serving);
  } catch (error) {
    await listening.close();
    throw error;
  }
}

/**
 * Whether admission control counts a request: everything but file imports and the questions about
 * them, which have their own size limits and deadline (README "Importing a file") and would hold a
 * slot meant for reads for minutes.
 */
export const admittedByDefault = (req: Pick<Request, 'path'>): boolean =>
  !/\/imports(\/[^/]*)?\/?$/.test(req.path);

/** A path no route has, answered as every other refusal is: 404 NOT_FOUND as JSON. */
export function sendNotFound(req: Request, res: Response): void {
  sendError(res, 'NOT_FOUND', `no route answers ${req.method} ${req.path}`);
}

export interface SendErrorOptions {
  /** Headers that go with the refusal, such as Retry-After. */
  headers?: Record<string, string>;
}

/**
 * Writes every refused plain-HTTP request: the status is the table's for the code (errors.ts ERRORS),
 * never the caller's choice, and the body is shaped like a GraphQL error (errorBody) so clients read
 * both alike.
 */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
  options: SendErrorOptions = {},
): void {
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.status(statusOf(code, extensions.reason)).json(errorBody(code, message, extensions));
}

/**
 * Writes a GraphQL error raised on purpose (a RequestError, a token refused) as sendError does: its
 * code, message and extensions, and a RequestError's headers (Apollo's `extensions.http` is not
 * sent). One of a code clients may not see was not raised for them: masked, as the GraphQL answer
 * masks it.
 */
export function sendRefusal(
  res: Response,
  error: GraphQLError,
  options: SendErrorOptions = {},
): void {
  const { code, http: _http, ...extensions } = error.extensions;
  const headers = { ...(error instanceof RequestError ? error.headers : {}), ...options.headers };
  if (isErrorCode(code) && isClientVisible(code))
    sendError(res, code, error.message, extensions, { headers });
  else sendError(res, 'INTERNAL_SERVER_ERROR', 'Internal server error', {}, { headers });
}

/** What a body parser's or static file's refusal (an `http-errors` status) is, in the table's terms. */
const PLAIN_REFUSALS: Record<number, { code: ErrorCode; reason?: string }> = {
  403: { code: 'FORBIDDEN' },
  404: { code: 'NOT_FOUND' },
  405: { code: 'BAD_REQUEST', reason: 'METHOD_NOT_ALLOWED' },
  413: { code: 'PAYLOAD_TOO_LARGE' },
  415: { code: 'BAD_REQUEST', reason: 'UNSUPPORTED_MEDIA_TYPE' },
};

/**
 * Answers an error no route handled, shaped like a GraphQL error: a body over its limit (413,
 * PAYLOAD_TOO_LARGE, naming the limit), a body that is not JSON (400), a file not found (404) and so
 * on; anything else is a masked 500.
 */
function jsonErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { status, type, limit, length } = (error ?? {}) as {
    status?: unknown;
    type?: unknown;
    limit?: unknown;
    length?: unknown;
  };
  if (type === 'entity.too.large' && typeof limit === 'number') {
    const size = typeof length === 'number' ? `${length.toLocaleString('en-GB')} bytes` : 'larger';
    sendError(
      res,
      'PAYLOAD_TOO_LARGE',
      `the request body is ${size}, over this route's limit of ${limit.toLocaleString('en-GB')} bytes`,
      {
        limit: 'body',
        max: limit,
        ...(typeof length === 'number' ? { found: length } : {}),
      },
    );
  } else if (type === 'entity.parse.failed') {
    sendError(res, 'BAD_REQUEST', 'the request body is not valid JSON');
  } else if (typeof status === 'number' && status >= 400 && status < 500) {
    const { code, reason } = PLAIN_REFUSALS[status] ?? { code: 'BAD_REQUEST' };
    sendError(
      res,
      code,
      error instanceof Error ? error.message : 'the request could not be read',
      reason ? { reason } : {},
    );
  } else {
    sendError(res, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
}
