import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { type AuthConfig, type Principal, type RequestHeaders, createVerifier } from './auth.ts';
import { dataVersionPlugin } from './data-version.ts';
import { type HttpListenOptions, type HttpServerOptions, listenHttpServer } from './http.ts';
import { hardenedApolloOptions } from './limits/harden.ts';
import { requestChecksPlugin } from './limits/plugin.ts';
import type { RequestLimits } from './limits/settings.ts';

// What every subgraph (directory, insights, each publisher) builds and starts alike. Each subgraph's
// src/server.ts builds its Apollo Server with `createSubgraphApollo` and `subgraphRequests`, and its
// src/start.ts serves it with `startSubgraph`; what differs (schema, context, storage) stays there.

/** Today's date (ISO), in UTC: what a subgraph judges statuses on unless a test fixes the date. */
export const utcToday = (): string => new Date().toISOString().slice(0, 10);

export interface SubgraphApolloOptions {
  schema: GraphQLSchema;
  /** The limits it checks: the subgraph's own, over those its environment sets. */
  limits: RequestLimits;
  /**
   * Introspection, field suggestions, `_service { sdl }`, stack traces and unmasked errors.
   * @default false
   */
  development?: boolean | undefined;
  /** Its data version (schema/src/data-version.ts), read as a request that asks for it starts. */
  dataVersion: () => Promise<string> | string;
}

/**
 * A subgraph's Apollo Server, built as every subgraph's is: production unless asked otherwise (no
 * introspection, suggestions, `_service` or unmasked errors) with the token limit, the request
 * checks, and its data version for the gateway's ETags. Starts nothing.
 */
export function createSubgraphApollo<TContext extends { principal: Principal }>(
  options: SubgraphApolloOptions,
): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: options.schema,
    ...hardenedApolloOptions({ limits: options.limits, development: options.development }),
    plugins: [
      requestChecksPlugin<TContext>({
        limits: options.limits,
        principalOf: (context) => context.principal,
      }),
      // The gateway does not ask for federated traces; computing them costs every request.
      ApolloServerPluginInlineTraceDisabled(),
      // Nor does anything read cache hints: computing them wraps every field resolver of every request.
      ApolloServerPluginCacheControlDisabled(),
      dataVersionPlugin<TContext>(options.dataVersion),
    ],
    // The process that starts the server decides how it stops (several may share one process).
    stopOnTerminationSignals: false,
  });
}

/** What a subgraph's context is built from: the HTTP request, or nothing when a test calls `executeOperation`. */
export interface SubgraphRequest {
  req: Pick<IncomingMessage, 'headers'>;
  /** Lets the context notice a caller that went away (`abandonedSignal`). */
  res?: ServerResponse;
}

export interface SubgraphRequestOptions {
  /** Token verification; a request through the gateway carries the caller's token, verified again here. */
  auth?: AuthConfig | undefined;
  /**
   * Today's date; tests fix it.
   * @default utcToday
   */
  today?: (() => string) | undefined;
}

export interface SubgraphRequests {
  /** Today's date, asked once per request so every field of an answer agrees. */
  today: () => string;
  /** The caller of a request with these headers; for plain HTTP routes beside GraphQL. */
  verify: (headers: RequestHeaders) => Promise<Principal>;
  /** The caller of a GraphQL request, from the token this subgraph verified itself. */
  principalOf: (request?: SubgraphRequest) => Promise<Principal>;
}

/** The date and the caller, which every subgraph's context starts from. */
export function subgraphRequests(options: SubgraphRequestOptions): SubgraphRequests {
  const verify = createVerifier(options.auth ?? {});
  return {
    today: options.today ?? utcToday,
    verify,
    // Without a request (executeOperation in tests) the caller is anonymous.
    principalOf: (request) => verify(request?.req.headers ?? {}),
  };
}

export interface SubgraphListenOptions {
  /** Who it is in log lines, metrics and spans: directory, insights, or a publisher's id. */
  service: string;
  /** 0 picks a free one. */
  port: number;
  /** @default "127.0.0.1" */
  host?: string | undefined;
  /** Where one line per request goes (request id, trace id, status, time); none: no request log. */
  requestLog?: Logger | undefined;
}

/** What a subgraph's start is handed while it prepares (migrations, a sync, seeding). */
export interface SubgraphStartup {
  /** Names the phase /readyz reports as it begins ("migrating", "seeding"). */
  phase(name: string): void;
  /** Something opened while starting (a database): closed after the server stops, or at once if starting fails. */
  opened<T extends { close(): Promise<void> }>(resource: T): T;
}

/** What a prepared subgraph serves: its Apollo Server and context, and anything else `ListeningHttpServer.serve` takes. */
export type SubgraphServing<TContext extends BaseContext> = Omit<
  HttpServerOptions<TContext>,
  keyof HttpListenOptions
>;

export interface RunningSubgraph {
  /** Its GraphQL endpoint. */
  url: string;
  /** Stops serving (draining open requests), then closes what starting opened. */
  stop(): Promise<void>;
}

/**
 * Starts a subgraph as every subgraph starts. It listens first, so /healthz answers and /readyz
 * names the phase while `prepare` does the slow part (migrations, a sync, seeding, imports); then
 * serves what `prepare` built. If any step fails, what was opened is closed and the port let go
 * before the error is thrown, so a failed start leaves nothing behind. What `prepare` returns as
 * `started` (the database, seed reports) is part of the running subgraph.
 */
export async function startSubgraph<TContext extends BaseContext, TStarted extends object>(
  listen: SubgraphListenOptions,
  prepare: (
    startup: SubgraphStartup,
  ) => Promise<{ serving: SubgraphServing<TContext>; started: TStarted }>,
): Promise<RunningSubgraph & TStarted> {
  const http = await listenHttpServer({
    port: listen.port,
    host: listen.host,
    service: listen.service,
    logger: listen.requestLog,
  });
  const opened: { close(): Promise<void> }[] = [];
  // Last opened, first closed: what was opened later may depend on what was opened before it.
  const closeOpened = async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
  };
  try {
    const { serving, started } = await prepare({
      phase: (name) => http.readiness.starting(name),
      opened: (resource) => {
        opened.push(resource);
        return resource;
      },
    });
    const running = await http.serve(serving);
    return {
      ...started,
      url: `${running.url}graphql`,
      stop: async () => {
        await running.stop();
        await closeOpened();
      },
    };
  } catch (error) {
    await closeOpened();
    await http.close();
    throw error;
  }
}
