// What serving takes ("@crossgov/schema/server"), apart from the contracts: the Express wrapper every
// process serves through, admission control and abandoned requests, error masking, data versions,
// request limits, observability and the one subgraph skeleton (startSubgraph).
export * from './http.ts';
export * from './admission.ts';
export * from './abandon.ts';
export * from './mask-errors.ts';
export * from './data-version.ts';
export * from './subgraph.ts';
export * from './limits/index.ts';
export * from './observability/index.ts';
