import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { type BuildSchemaOptions, buildSchema, createResolversMap } from 'type-graphql';
import { badInput } from './errors.ts';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@interfaceObject"])';

/**
 * Builds a federation 2 subgraph schema from type-graphql classes: the one helper every subgraph
 * uses (after type-graphql's examples/apollo-federation-2/helpers).
 *
 * `referenceResolvers` adds `__resolveReference` (and `__resolveType`) for entity types, which
 * type-graphql does not know about.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: GraphQLResolverMap<unknown> = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = {
      ...(resolvers[typeName] as object),
      ...(typeResolvers as object),
    } as never;
  }
  const subgraph = buildSubgraphSchema({ typeDefs, resolvers });
  guardEntities(subgraph);
  return subgraph;
}

/**
 * The gateway's planner only ever sends `_entities` representations of this subgraph's own types;
 * one naming no type here (or none) is a caller's mistake. @apollo/subgraph throws a plain Error
 * for it, which masking would answer as INTERNAL_SERVER_ERROR, so it is refused first as bad input.
 */
function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) return;
  field.resolve = (source, args: { representations?: unknown[] }, context, info) => {
    for (const [i, representation] of (args.representations ?? []).entries()) {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
      // Object and interface types, told apart without instanceof (a test may load two copies of graphql).
      if (!type || !('getInterfaces' in type))
        throw badInput(
          `representations[${i}].__typename`,
          typename ?? null,
          'must name an entity type of this subgraph',
        );
    }
    return resolve(source, args, context, info);
  };
}
