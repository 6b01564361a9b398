import { Supergraph } from '@apollo/federation-internals';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';

/** The client-facing API schema of a supergraph (federation machinery removed). */
function apiSchema(supergraphSdl: string) {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** Changes between two supergraphs' public APIs that would break an existing client query. */
export async function breakingChanges(before: string, after: string): Promise<Change[]> {
  const changes = await diff(apiSchema(before), apiSchema(after));
  return changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
}
