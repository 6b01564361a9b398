// The package's API (`@crossgov/gateway`): re-exports only. The process is src/main.ts, as in every subgraph.
export { createGateway, startGateway, type GatewayOptions } from './server.ts';
