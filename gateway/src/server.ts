import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  type AdmissionSettings,
  type ReadinessCheck,
  type RequestLimits,
  admittedByDefault,
  startHttpServer,
} from '@crossgov/schema/server';
import { type AuthConfig, createVerifier } from '@crossgov/schema/auth';
import { pino, type Logger } from 'pino';
import { type GatewayContext, createAuthContext } from './plugins/auth.ts';
import { readLimits } from './env.ts';
import { overloadPlugin } from './plugins/overload.ts';
import { gatewayLimits } from './plugins/request-limits.ts';
import { supergraphFromFile } from './plugins/supergraph-file.ts';
import { TimedDataSource } from './plugins/subgraph-timeout.ts';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import {
  LAST_GOOD_DEFAULTS,
  type LastGoodOptions,
  LastGoodDataSource,
} from './plugins/last-good-source.ts';
import { LastGoodAnswers, staleAnswersPlugin } from './plugins/last-good.ts';
import { dashboardRoutes, notFoundPage } from './dashboard/routes.ts';
import { explorerRoutes } from './routes/explorer.ts';
import { factsRoute } from './routes/facts.ts';
import { graphqlGetRoutes } from './routes/graphql-get.ts';
import { importForwarding, publisherLookup } from './routes/imports.ts';
import { loadOperations } from './routes/operations.ts';
import { queryRunner } from './routes/run-query.ts';
import { answerValidators } from './plugins/data-versions.ts';
import { createHash } from 'node:crypto';

export interface GatewayOptions {
  /** Path of the composed supergraph; watched and reloaded when it changes. */
  supergraphPath?: string;
  /** The supergraph itself, instead of a file (tests). */
  supergraphSdl?: string;
  /** Subgraph URLs by subgraph name, overriding those in the supergraph (tests on `listen(0)`). */
  subgraphUrls?: Record<string, string>;
  /**
   * Deadline for each subgraph call.
   * @default 5000
   */
  subgraphTimeoutMs?: number;
  /**
   * Deadline for a whole request, from the moment it is admitted to its answer: past it every
   * subgraph call still running is cancelled and the answer is a 503 with Retry-After, never a
   * partial one (plugins/overload.ts).
   * @default 10000
   */
  requestDeadlineMs?: number;
  /** Admission control (schema/src/admission.ts), over the environment's settings; `false` turns it off. */
  admission?: Partial<AdmissionSettings> | false;
  /**
   * Show unmasked errors and stack traces.
   * @default false
   */
  development?: boolean;
  /** Token verification; without a secret every caller is anonymous and any token is refused. */
  auth?: AuthConfig;
  logger?: Logger;
  /**
   * Folder of registered operations (`<id>.graphql`), served at /operations/<id>.
   * @default gateway/operations
   */
  operationsDir?: string;
  /** Today's date (ISO) for the dashboard; tests fix it. @default the system date */
  today?: () => string;
  /**
   * Request limits (README "Limits"), over those the environment sets.
   * @default GATEWAY_LIMITS, or QUERY_MAX_* and GRAPHQL_MAX_BODY_BYTES from the environment
   */
  limits?: Partial<RequestLimits>;
  /**
   * Where callers reach the gateway (scheme, host, port, path), for absolute links such as the
   * `next` link of /facts. Never taken from the request's Host header, which a caller chooses.
   * @default PUBLIC_URL, or the address the gateway listens on
   */
  publicUrl?: string;
  /**
   * The directory's last good answers, served marked stale while it is down, and the breaker that
   * stops calling it while it keeps failing (docs/architecture.md, "Resilience").
   * @default 32 MiB of answers; the breaker opens when over half of at least 3 calls in 10 s failed, and tries again after 5 s
   */
  lastGood?: Partial<LastGoodOptions>;
  /**
   * How long a file import may take, upload to answer (IMPORT_DEADLINE_MS).
   * @default 240000
   */
  importDeadlineMs?: number;
}

/** Builds the gateway (Apollo Server on @apollo/gateway). Starts nothing. */
export function createGateway(options: GatewayOptions) {
  const logger = options.logger ?? pino({ name: 'gateway', level: 'info' });
  const timeoutMs = options.subgraphTimeoutMs ?? 5000;
  const deadlineMs = options.requestDeadlineMs ?? 10_000;
  if (!options.supergraphSdl && !options.supergraphPath)
    throw new Error('createGateway needs supergraphSdl or supergraphPath');
  // Where each subgraph is, as the current supergraph says: plain-HTTP routes (imports) go there too.
  const subgraphUrls = new Map<string, string>();
  // The directory's last good answers, kept here so that a reloaded supergraph (which builds the
  // data sources again) does not forget them.
  const directoryAnswers = new LastGoodAnswers<GatewayGraphQLResponse>({
    maxBytes: options.lastGood?.maxBytes ?? LAST_GOOD_DEFAULTS.maxBytes,
  });
  // Without APOLLO_TELEMETRY_DISABLED this sends Apollo anonymous usage metrics: it has no option
  // for them, so every process entry turns them off first (schema/src/production.ts).
  const gateway = new ApolloGateway({
    supergraphSdl:
      options.supergraphSdl ??
      supergraphFromFile(options.supergraphPath!, (error) =>
        logger.error({ err: error }, 'supergraph reload failed'),
      ),
    buildService: ({ name, url }) => {
      const resolved = options.subgraphUrls?.[name] ?? url!;
      subgraphUrls.set(name, resolved);
      return name === 'directory'
        ? new LastGoodDataSource(name, resolved, timeoutMs, {
            logger,
            ...options.lastGood,
            answers: directoryAnswers,
          })
        : new TimedDataSource(name, resolved, timeoutMs);
    },
    logger: {
      debug: () => undefined,
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  const limits = { ...readLimits(), ...options.limits };
  const guard = gatewayLimits(limits, options.development ?? false);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    // Production unless asked otherwise (no introspection, suggestions or unmasked errors), and the token limit.
    ...guard.apolloOptions,
    // A browser opening /graphql gets the explorer (routes/explorer.ts), served from this gateway;
    // Apollo's landing page loads from a CDN and is blank on a network without the internet.
    plugins: [
      guard.plugin,
      staleAnswersPlugin(),
      overloadPlugin({ deadlineMs }),
      ApolloServerPluginLandingPageDisabled(),
    ],
    stopOnTerminationSignals: false,
  });
  const context = createAuthContext(options.auth, deadlineMs);
  // Plain HTTP beside /graphql: file imports forwarded to their subgraph, the shapes BI tools read
  // (flat facts, GraphQL over GET, registered operations, CSV) and the dashboard's pages, all
  // answered by running queries through this same server.
  const run = queryRunner(server, context);
  // Absolute links name the configured public URL, else the address the gateway listens on (known
  // once listening), never the Host header a caller sent.
  let listeningUrl: string | undefined;
  const publicUrl = () => options.publicUrl ?? listeningUrl;
  const operations = loadOperations(options.operationsDir);
  // The API schema the explorer's Docs pane reads; set once a supergraph is loaded (below).
  let apiSchema: GraphQLSchema | undefined;
  let supergraphHash = '';
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const mounts = [
    // ETag and Last-Modified on the GET answers below, from the subgraphs' data versions.
    (app: Parameters<ReturnType<typeof factsRoute>>[0]) =>
      void app.use(answerValidators({ today, supergraph: () => supergraphHash })),
    importForwarding({
      deadlineMs: options.importDeadlineMs,
      subgraphUrl: (name) => subgraphUrls.get(name),
      publisherOf: publisherLookup(run),
      verify: createVerifier(options.auth ?? {}),
      logger,
    }),
    factsRoute({ run, logger, publicUrl }),
    explorerRoutes({ schema: () => apiSchema }),
    graphqlGetRoutes({ run, operations, logger }),
    dashboardRoutes({ run, logger, today }),
  ];
  const routes = (app: Parameters<(typeof mounts)[number]>[0]) =>
    mounts.forEach((mount) => mount(app));
  const listeningAt = (url: string) => (listeningUrl = url);
  // Ready once a supergraph is loaded (a reload that fails keeps the one before: still ready).
  let supergraphLoaded = false;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    supergraphLoaded = true;
    apiSchema = loaded.apiSchema;
    supergraphHash = createHash('sha256').update(loaded.coreSupergraphSdl).digest('base64url');
  });
  const ready: ReadinessCheck[] = [
    {
      name: 'supergraph',
      check: async () => (supergraphLoaded ? undefined : 'no supergraph loaded yet'),
    },
  ];
  return { server, gateway, context, routes, limits, listeningAt, ready };
}

/** Builds the gateway and listens; returns its GraphQL URL and a stop function. */
export async function startGateway(
  options: GatewayOptions & { port?: number; host?: string; requestLog?: Logger },
) {
  const { server, context, routes, limits, listeningAt, ready } = createGateway(options);
  const { url, stop } = await startHttpServer({
    apollo: server,
    context,
    routes,
    port: options.port ?? 4000,
    host: options.host,
    bodyLimit: limits.maxBodyBytes,
    admission: options.admission,
    // The dashboard's styles and fonts are files, cheap to send and needed to read a 503 page; the
    // explorer's files are as cheap.
    admits: (req) =>
      !req.path.startsWith('/assets/') &&
      !req.path.startsWith('/explorer/') &&
      admittedByDefault(req),
    notFound: notFoundPage,
    ready,
    service: 'gateway',
    logger: options.requestLog,
  });
  listeningAt(url);
  return { url: `${url}graphql`, baseUrl: url, stop };
}
