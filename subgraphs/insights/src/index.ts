// The package's API (`@crossgov/insights`): re-exports only. The process is src/main.ts.
export { createInsightsServer, type InsightsServerOptions } from './server.ts';
export { startInsightsSubgraph, type RunningInsights, type StartInsightsOptions } from './start.ts';
export { buildInsightsSchema } from './schema.ts';
