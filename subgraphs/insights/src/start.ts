import { type RunningSubgraph, startSubgraph } from '@crossgov/schema/server';
import type { Logger } from 'pino';
import { type InsightsServerOptions, createInsightsServer } from './server.ts';

// Insights has no database: it computes from what the planner hands it and keeps nothing.

export interface StartInsightsOptions extends InsightsServerOptions {
  /** 0 picks a free one. */
  port: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Where one line per request goes (request id, trace id, status, time); none: no request log. */
  requestLog?: Logger;
}

export type RunningInsights = RunningSubgraph;

/** Serves insights; nothing to open or wait for, so it is ready once it serves. */
export async function startInsightsSubgraph(
  options: StartInsightsOptions,
): Promise<RunningInsights> {
  return startSubgraph(
    { service: 'insights', port: options.port, host: options.host, requestLog: options.requestLog },
    async () => {
      const { server, context, bodyLimit } = await createInsightsServer(options);
      return { serving: { apollo: server, context, bodyLimit }, started: {} };
    },
  );
}
