import { buildDirectorySchema } from '@crossgov/directory';
import { buildInsightsSchema } from '@crossgov/insights';
import { buildOrganisationSchema } from '@crossgov/organisation';
import { HUB_SUBGRAPHS, type HubSubgraph, type Registry, organisationsOf } from '@crossgov/schema';
import { type SubgraphDefinition, composeSupergraph } from '@crossgov/schema/compose';

/** Every subgraph's schema, built from code alone (no servers, no databases). */
export async function buildSubgraphDefinitions(registry: Registry): Promise<SubgraphDefinition[]> {
  // Keyed by the hub's list, so a hub subgraph added there cannot be left out of the graph.
  const hub: Record<HubSubgraph, () => Promise<SubgraphDefinition['schema']>> = {
    directory: () => buildDirectorySchema(registry),
    insights: () => buildInsightsSchema(),
  };
  const definitions: SubgraphDefinition[] = [];
  for (const name of HUB_SUBGRAPHS)
    definitions.push({ name, url: registry[name].url, schema: await hub[name]() });
  // One subgraph per publisher, whether it serves one organisation or hundreds.
  for (const publisher of registry.publishers) {
    definitions.push({
      name: publisher.id,
      url: publisher.url,
      schema: await buildOrganisationSchema(publisher, organisationsOf(registry, publisher)),
    });
  }
  return definitions;
}

/** Builds and composes the whole graph for a registry. */
export async function composeRegistry(registry: Registry) {
  return composeSupergraph(await buildSubgraphDefinitions(registry));
}
