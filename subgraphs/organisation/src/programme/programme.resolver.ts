import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Milestone, Programme } from '@crossgov/schema';
import type { OrganisationContext } from '../context.ts';
import { toMilestone } from './programme.mapper.ts';

@Resolver(() => Programme)
export class ProgrammeResolver {
  @FieldResolver(() => [Milestone])
  async milestones(@Root() programme: Programme, @Ctx() ctx: OrganisationContext): Promise<Milestone[]> {
    return (await ctx.loaders.milestonesByProgramme.load(programme.id)).map(toMilestone);
  }
}
