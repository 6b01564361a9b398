export { buildSubgraphDefinitions, composeRegistry } from './subgraphs.ts';
export { startLocalGraph, type LocalGraph, type LocalGraphOptions } from './local-graph.ts';
export * from './import-fixtures.ts';
export { ROOT } from './processes.ts';
export { launchChromium } from './chromium.ts';
export {
  generateGovernment,
  REAL_SHAPE,
  THOUSAND_SHAPE,
  type GovernmentShape,
  type SectorBody,
} from './government.ts';
export { type PublicGovernment, readPublicGovernment } from './public-government.ts';
export {
  type Deployable,
  type DeployedGraph,
  type DeployedProcess,
  buildDeployables,
  startDeployedGraph,
  deploymentRegistry,
  freePort,
  startDeployed,
  waitUntilReady,
} from './deployed.ts';
