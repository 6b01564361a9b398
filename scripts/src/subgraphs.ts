import { buildDirectorySchema } from '@crossgov/directory';
import { buildInsightsSchema } from '@crossgov/insights';
import { buildOrganisationSchema } from '@crossgov/organisation';
import { type Registry, type SubgraphDefinition, composeSupergraph, organisationsOf } from '@crossgov/schema';

/** Every subgraph's schema, built from code alone (no servers, no databases). */
export async function buildSubgraphDefinitions(registry: Registry): Promise<SubgraphDefinition[]> {
  const definitions: SubgraphDefinition[] = [
    { name: 'directory', url: registry.directory.url, schema: await buildDirectorySchema(registry) },
    { name: 'insights', url: registry.insights.url, schema: await buildInsightsSchema() },
  ];
  // One subgraph per publisher, whether it serves one organisation or hundreds.
  for (const publisher of registry.publishers) {
    definitions.push({ name: publisher.id, url: publisher.url, schema: await buildOrganisationSchema(publisher, organisationsOf(registry, publisher)) });
  }
  return definitions;
}

/** Builds and composes the whole graph for a registry. */
export async function composeRegistry(registry: Registry) {
  return composeSupergraph(await buildSubgraphDefinitions(registry));
}
