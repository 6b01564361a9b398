import {
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { OrganisationSummary } from '@crossgov/schema';
import type { DirectoryContext } from '../context.ts';
import { type OrganisationValue, toOrganisation } from '../organisation/organisation.mapper.ts';
import { OrganisationDirectory } from '../organisation/organisation.type.ts';

/** There is one government; cross-organisation analytics hang off it. */
export const GOVERNMENT_ID = 'uk';

@Directive('@key(fields: "id")')
@ObjectType('Government', {
  description:
    'Everything that reports through the hub: the entry point for comparisons across organisations.',
})
export class Government {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => Government)
export class GovernmentResolver {
  @Query(() => Government, {
    description:
      'The whole of government: league tables, funnel plots and progress across organisations.',
  })
  government(): Government {
    return { id: GOVERNMENT_ID };
  }

  @FieldResolver(() => [OrganisationDirectory], {
    description: 'Every organisation in the registry.',
  })
  async organisations(@Ctx() ctx: DirectoryContext): Promise<OrganisationValue[]> {
    return (await ctx.loaders.allOrganisations()).map(toOrganisation);
  }

  @FieldResolver(() => [OrganisationSummary], {
    description:
      'Every organisation in the registry as plain values (id, name, kind, peer groups).',
  })
  async organisationSummaries(@Ctx() ctx: DirectoryContext): Promise<OrganisationSummary[]> {
    return (await ctx.loaders.allOrganisations()).map((row) => ({
      id: row.id,
      name: row.name,
      kind: toOrganisation(row).kind,
      peerGroups: row.peerGroups,
    }));
  }
}

export const resolveGovernmentReference = (reference: { id: string }): Government | null =>
  reference.id === GOVERNMENT_ID ? { id: GOVERNMENT_ID } : null;
