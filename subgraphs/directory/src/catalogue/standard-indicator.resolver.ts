import { Ctx, Query, Resolver } from 'type-graphql';
import type { DirectoryContext } from '../context.ts';
import { StandardIndicator } from './standard-indicator.type.ts';

@Resolver(() => StandardIndicator)
export class StandardIndicatorResolver {
  @Query(() => [StandardIndicator], {
    description: 'The standard indicators: the four GDS KPIs and the shared-services KPIs.',
  })
  async indicatorCatalogue(@Ctx() ctx: DirectoryContext): Promise<StandardIndicator[]> {
    return (await ctx.loaders.catalogue()) as StandardIndicator[];
  }
}
