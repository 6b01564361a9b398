import type { GraphQLSchema } from 'graphql';
import { type Registry, buildFederatedSchema } from '@crossgov/schema';
import { StandardIndicatorResolver } from './catalogue/standard-indicator.resolver.ts';
import { DepartmentResolver, MembershipResolver } from './department/department.resolver.ts';
import {
  GovernmentResolver,
  resolveGovernmentReference,
} from './government/government.resolver.ts';
import {
  OrganisationQueryResolver,
  PublisherResolver,
  createDirectoryEntity,
} from './organisation/organisation.resolver.ts';
import { OrganisationDirectory, Publisher } from './organisation/organisation.type.ts';

/** Builds the directory's subgraph schema: one entity type per publisher, from code alone. */
export async function buildDirectorySchema(registry: Registry): Promise<GraphQLSchema> {
  const entities = registry.publishers.map(createDirectoryEntity);
  return buildFederatedSchema(
    {
      resolvers: [
        OrganisationQueryResolver,
        PublisherResolver,
        DepartmentResolver,
        MembershipResolver,
        StandardIndicatorResolver,
        GovernmentResolver,
        ...entities.map((entity) => entity.DirectoryEntityResolver),
      ] as [Function, ...Function[]],
      orphanedTypes: [
        OrganisationDirectory,
        Publisher,
        ...entities.map((entity) => entity.DirectoryEntity),
      ],
    },
    {
      Government: { __resolveReference: resolveGovernmentReference },
      ...Object.fromEntries(
        entities.map((entity) => [
          entity.typeName,
          { __resolveReference: entity.resolveReference },
        ]),
      ),
    },
  );
}
