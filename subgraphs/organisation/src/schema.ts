import type { GraphQLSchema } from 'graphql';
import { type RegistryEntry, buildFederatedSchema } from '@crossgov/schema';
import { IndicatorResolver } from './indicator/indicator.resolver.ts';
import { createOrganisationEntity } from './organisation/organisation.resolver.ts';
import { OrganisationData } from './organisation/organisation.type.ts';
import { MilestoneResolver } from './programme/milestone.resolver.ts';
import { ProgrammeResolver } from './programme/programme.resolver.ts';

/** Builds the subgraph schema of one organisation from code alone: no database, no server. */
export async function buildOrganisationSchema(entry: RegistryEntry): Promise<GraphQLSchema> {
  const entity = createOrganisationEntity(entry);
  return buildFederatedSchema(
    {
      resolvers: [entity.OrganisationEntityResolver, entity.OrganisationMutationsResolver, IndicatorResolver, ProgrammeResolver, MilestoneResolver],
      orphanedTypes: [OrganisationData, entity.OrganisationEntity],
    },
    { [entity.typeName]: { __resolveReference: entity.resolveReference } },
  );
}
