import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { type PlanNode, QueryPlanner, type SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';

/** The query plan the gateway's planner makes for an operation on a supergraph. */
export function planFor(supergraphSdl: string, query: string) {
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  return planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
}

/** The subgraph each fetch of a plan node goes to, in plan order, unwrapping Flatten nodes. */
export function fetchesOf(node: PlanNode | SubscriptionNode | undefined): string[] {
  if (!node) return [];
  switch (node.kind) {
    case 'Fetch':
      return [node.serviceName];
    case 'Flatten':
      return fetchesOf(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap(fetchesOf);
    default:
      return [];
  }
}
