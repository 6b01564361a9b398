export {
  metrics,
  graphqlMetricsPlugin,
  recordImportRows,
  recordSharedCall,
  recordSubgraphCall,
  watchCache,
  watchPool,
} from './metrics.ts';
export { type Tracing, type TracingOptions, injectTraceHeaders, startTracing } from './tracing.ts';
export { REQUEST_ID_HEADER, requestContext, requestIdOf } from './request-log.ts';
export { type ReadinessCheck, Readiness, probeRoutes } from './health.ts';
