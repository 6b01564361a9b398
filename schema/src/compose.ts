import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { type GraphQLSchema, parse } from 'graphql';

export interface SubgraphDefinition {
  /** Subgraph name in the supergraph: `directory`, `insights` or an organisation's registry id. */
  name: string;
  url: string;
  schema: GraphQLSchema;
}

export interface Composed {
  supergraphSdl: string;
  /** Each subgraph's SDL as printed for composition, by name. */
  subgraphSdl: Record<string, string>;
}

/** Composes subgraph schemas into a supergraph; throws with every composition error listed. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): Composed {
  const subgraphSdl = Object.fromEntries(
    subgraphs.map((s) => [s.name, printSubgraphSchema(s.schema)]),
  );
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(subgraphSdl[s.name]!) })),
  );
  if (result.errors) {
    throw new Error(
      `composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
  }
  return { supergraphSdl: result.supergraphSdl, subgraphSdl };
}
