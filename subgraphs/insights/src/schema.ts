import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '@crossgov/schema';
import { GovernmentInsights, OrganisationView } from './government/government.type.ts';
import { LeagueResolver } from './league/league.resolver.ts';
import { ProgressResolver } from './progress/progress.resolver.ts';

/** Builds the insights subgraph schema from code alone. */
export async function buildInsightsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [LeagueResolver, ProgressResolver],
      orphanedTypes: [OrganisationView, GovernmentInsights],
    },
    // The representation already carries everything insights needs (the @requires fields).
    { Government: { __resolveReference: (reference: GovernmentInsights) => reference } },
  );
}
