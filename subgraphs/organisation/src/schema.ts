import type { GraphQLSchema } from 'graphql';
import { type Publisher, type RegistryEntry, buildFederatedSchema } from '@crossgov/schema';
import { IndicatorResolver } from './indicator/indicator.resolver.ts';
import { createOrganisationEntity } from './organisation/organisation.resolver.ts';
import { OrganisationData } from './organisation/organisation.type.ts';
import { MilestoneResolver } from './programme/milestone.resolver.ts';
import { ProgrammeResolver } from './programme/programme.resolver.ts';

/** Builds one publisher's subgraph schema from code alone: no database, no server. */
export async function buildOrganisationSchema(
  publisher: Publisher,
  organisations: readonly RegistryEntry[],
): Promise<GraphQLSchema> {
  const entity = createOrganisationEntity(publisher, organisations);
  return buildFederatedSchema(
    {
      resolvers: [
        entity.RootResolver,
        entity.OrganisationEntityResolver,
        entity.OrganisationMutationsResolver,
        IndicatorResolver,
        ProgrammeResolver,
        MilestoneResolver,
      ],
      orphanedTypes: [OrganisationData, entity.OrganisationEntity],
    },
    { [entity.typeName]: { __resolveReference: entity.resolveReference } },
  );
}
