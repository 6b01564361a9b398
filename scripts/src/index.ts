export { buildSubgraphDefinitions, composeRegistry } from './subgraphs.ts';
export { startLocalGraph, type LocalGraph, type LocalGraphOptions } from './local-graph.ts';
