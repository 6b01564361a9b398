import { type RunningDirectory, startDirectorySubgraph } from '@crossgov/directory';
import { type GatewayOptions, startGateway } from '@crossgov/gateway';
import { type RunningInsights, startInsightsSubgraph } from '@crossgov/insights';
import {
  type RunningOrganisation,
  type StartOrganisationOptions,
  startOrganisationSubgraph,
} from '@crossgov/organisation';
import type { SourceRead } from '@crossgov/organisation/sources';
import { type Registry, organisationsOf, schemaNameOf } from '@crossgov/schema';
import { type AuthConfig } from '@crossgov/schema/auth';
import { pino } from 'pino';
import { composeRegistry } from './subgraphs.ts';

export interface LocalGraphOptions {
  registry: Registry;
  /** PostgreSQL for every subgraph, each in its own schema: an external server or an embedded one. */
  databaseUrl: string;
  /** Prefix for the PostgreSQL schema names, so several graphs can share one database. */
  schemaPrefix?: string;
  /**
   * Listen on the ports the registry gives (and `gatewayPort`), or on free ones (0).
   * @default 'registry'
   */
  ports?: 'registry' | 'free';
  /** @default 4000 */
  gatewayPort?: number;
  /** Compose from code rather than read the checked-in supergraph (needed for free ports or a changed registry). */
  supergraphPath?: string;
  /** Services the department profile generates. */
  serviceCount?: number;
  subgraphTimeoutMs?: number;
  today?: () => string;
  /** One token configuration for the gateway and every subgraph. @default none: anonymous only */
  auth?: AuthConfig;
  /** A logger for each publisher's subgraph (seeding, rejected source rows). */
  logger?: (publisherId: string) => StartOrganisationOptions['logger'];
  /** Called as each publisher's subgraph starts (before it seeds and imports) */
  onPublisherStarting?: (id: string) => void;
  /** Called as each publisher's subgraph comes up. */
  onPublisher?: (id: string, running: RunningOrganisation) => void;
  /** Published data sets read for each publisher (by publisher id), imported on its first start (`pnpm start -- --public-data`). */
  sources?: ReadonlyMap<string, readonly SourceRead[]>;
  /** The gateway's request deadline and admission control, over its defaults and the environment's. */
  gateway?: Pick<GatewayOptions, 'requestDeadlineMs' | 'admission'>;
}

export interface LocalGraph {
  gatewayUrl: string;
  supergraphSdl: string | undefined;
  directory: RunningDirectory;
  insights: RunningInsights;
  /** Each publisher's running subgraph, by publisher id. */
  publishers: Map<string, RunningOrganisation>;
  /** The running subgraph that serves each organisation, by organisation id. */
  organisations: Map<string, RunningOrganisation>;
  /** URL of every subgraph by subgraph name. */
  subgraphUrls: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Runs the whole graph in this process: the directory, insights, every publisher's subgraph on its
 * own port with its own schema, and the gateway. Used by `pnpm start`, the benchmarks and the
 * end-to-end tests, so all three run the graph the same way.
 */
export async function startLocalGraph(options: LocalGraphOptions): Promise<LocalGraph> {
  const { registry } = options;
  const free = options.ports === 'free';
  const portOf = (url: string) => (free ? 0 : Number(new URL(url).port));
  const schemaFor = (name: string) =>
    options.schemaPrefix ? `${options.schemaPrefix}_${schemaNameOf(name)}` : undefined;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.allSettled(stops.reverse().map((s) => s()));
  };
  try {
    const directory = await startDirectorySubgraph({
      registry,
      databaseUrl: options.databaseUrl,
      databaseSchema: schemaFor('directory'),
      port: portOf(registry.directory.url),
      today: options.today,
      auth: options.auth,
    });
    stops.push(directory.stop);
    const insights = await startInsightsSubgraph({
      port: portOf(registry.insights.url),
      today: options.today,
      auth: options.auth,
    });
    stops.push(insights.stop);
    const publishers = new Map<string, RunningOrganisation>();
    const organisations = new Map<string, RunningOrganisation>();
    const subgraphUrls: Record<string, string> = {
      directory: directory.url,
      insights: insights.url,
    };
    for (const publisher of registry.publishers) {
      options.onPublisherStarting?.(publisher.id);
      const running = await startOrganisationSubgraph({
        publisher,
        organisations: organisationsOf(registry, publisher),
        databaseUrl: options.databaseUrl,
        databaseSchema: schemaFor(publisher.id),
        port: portOf(publisher.url),
        seed: { serviceCount: options.serviceCount },
        logger: options.logger?.(publisher.id),
        today: options.today,
        auth: options.auth,
        sources: options.sources?.get(publisher.id),
      });
      stops.push(running.stop);
      publishers.set(publisher.id, running);
      for (const id of publisher.organisations) organisations.set(id, running);
      subgraphUrls[publisher.id] = running.url;
      options.onPublisher?.(publisher.id, running);
    }
    const supergraphSdl = options.supergraphPath
      ? undefined
      : (await composeRegistry(registry)).supergraphSdl;
    const gateway = await startGateway({
      ...(options.supergraphPath ? { supergraphPath: options.supergraphPath } : { supergraphSdl }),
      subgraphUrls: free ? subgraphUrls : undefined,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      auth: options.auth,
      today: options.today,
      port: free ? 0 : (options.gatewayPort ?? 4000),
      logger: pino({ level: 'warn' }),
      ...options.gateway,
    });
    stops.push(gateway.stop);
    return {
      gatewayUrl: gateway.url,
      supergraphSdl,
      directory,
      insights,
      publishers,
      organisations,
      subgraphUrls,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
