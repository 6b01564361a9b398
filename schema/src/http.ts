import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Express, type Response } from 'express';
import type { ErrorCode } from './errors.ts';

export type { Express, Request, Response } from 'express';

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: ContextFunction<[{ req: IncomingMessage }], TContext>;
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Routes besides GraphQL (imports, exports, pages), mounted before it. */
  routes?: (app: Express) => void;
  /**
   * Largest GraphQL request body.
   * @default "50mb", as Apollo's standalone server
   */
  jsonLimit?: string;
}

export interface RunningHttpServer {
  /** Base URL, ending in "/". GraphQL is at `${url}graphql`. */
  url: string;
  httpServer: Server;
  stop(): Promise<void>;
}

/**
 * Serves an Apollo Server at /graphql on Express, with room for plain HTTP routes beside it (file
 * imports, CSV exports, pages). Stopping drains open requests, as Apollo's standalone server does.
 */
export async function startHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  options.apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await options.apollo.start();
  app.use(cors());
  options.routes?.(app);
  app.use('/graphql', express.json({ limit: options.jsonLimit ?? '50mb' }), expressMiddleware(options.apollo, { context: ({ req }) => options.context({ req }) }));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { address, port } = httpServer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}/`, httpServer, stop: () => options.apollo.stop() };
}

/** The body of a refused plain-HTTP request, shaped like a GraphQL error so clients read both alike. */
export function sendError(res: Response, status: number, code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** The HTTP status for an error code a plain-HTTP route refuses with. */
export function statusOf(code: unknown): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'BAD_USER_INPUT':
    case 'BAD_REQUEST':
      return 400;
    default:
      return 500;
  }
}
