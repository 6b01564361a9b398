import { Ctx, Directive, FieldResolver, ObjectType, Query, Resolver } from 'type-graphql';
import { Indicator, Milestone, Programme, type RegistryEntry, Service, entityTypeName } from '@crossgov/schema';
import type { OrganisationContext } from '../context.ts';
import { toIndicator } from '../indicator/indicator.mapper.ts';
import { toMilestone, toProgramme } from '../programme/programme.mapper.ts';
import { toService } from './service.mapper.ts';
import { OrganisationData } from './organisation.type.ts';

export interface OrganisationReference {
  id: string;
}

/**
 * Creates this organisation's own entity type (`SynergyCluster`, `NorfolkLocalAuthority`, ...) and
 * its resolvers. Federation partitions by type, so the registry entry decides the type name and the
 * code stays the same for every organisation.
 */
export function createOrganisationEntity(entry: RegistryEntry) {
  const typeName = entityTypeName(entry);

  @Directive('@key(fields: "id")')
  @ObjectType(typeName, { implements: OrganisationData, description: `${entry.name}: its own data, served from its own database.` })
  class OrganisationEntity extends OrganisationData {}

  @Resolver(() => OrganisationEntity)
  class OrganisationEntityResolver {
    @Query(() => OrganisationEntity, {
      name: entry.id,
      description: `${entry.name}'s own data. Cross-organisation queries start from \`organisations\` instead.`,
    })
    self(): OrganisationReference {
      return { id: entry.id };
    }

    @FieldResolver(() => [Service], { nullable: true })
    async services(@Ctx() ctx: OrganisationContext): Promise<Service[]> {
      return (await ctx.loaders.services()).map(toService);
    }

    @FieldResolver(() => [Indicator], { nullable: true })
    async indicators(@Ctx() ctx: OrganisationContext): Promise<Indicator[]> {
      return (await ctx.loaders.indicators()).map(toIndicator);
    }

    @FieldResolver(() => [Programme], { nullable: true })
    async programmes(@Ctx() ctx: OrganisationContext): Promise<Programme[]> {
      return (await ctx.loaders.programmes()).map(toProgramme);
    }

    @FieldResolver(() => [Milestone], { nullable: true })
    async milestones(@Ctx() ctx: OrganisationContext): Promise<Milestone[]> {
      return (await ctx.loaders.allMilestones()).map(toMilestone);
    }
  }

  /** Resolves `{ __typename, id }` representations: only this organisation's own id exists here. */
  const resolveReference = (reference: OrganisationReference): OrganisationReference | null =>
    reference.id === entry.id ? { id: entry.id } : null;

  return { typeName, OrganisationEntity, OrganisationEntityResolver, resolveReference };
}
