// The masker is shared: every subgraph masks its errors the same way, so a subgraph called
// directly says no more than the gateway would.
export { createErrorMasker } from '@crossgov/schema/server';
