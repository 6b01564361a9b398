import {
  Arg,
  Ctx,
  Directive,
  FieldResolver,
  ID,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import {
  OrganisationKind,
  type Publisher as RegistryPublisher,
  parseDay,
  parsedOrBadInput,
} from '@crossgov/schema';
import type { DirectoryContext } from '../context.ts';
import {
  type OrganisationValue,
  inForce,
  toMembership,
  toOrganisation,
  toPublisher,
} from './organisation.mapper.ts';
import {
  Department,
  Membership,
  OrganisationDirectory,
  Publisher,
  Succession,
} from './organisation.type.ts';

function dayArg(field: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  return parsedOrBadInput(field, value, parseDay);
}

@Resolver()
export class OrganisationQueryResolver {
  @Query(() => [OrganisationDirectory], {
    description: 'Every organisation in the registry, optionally of one kind.',
  })
  async organisations(
    @Ctx() ctx: DirectoryContext,
    @Arg('kind', () => OrganisationKind, { nullable: true }) kind?: OrganisationKind,
  ): Promise<OrganisationValue[]> {
    const rows = await ctx.loaders.allOrganisations();
    return rows
      .filter((row) => kind === undefined || kind === null || row.kind === kind)
      .map(toOrganisation);
  }

  @Query(() => OrganisationDirectory, {
    nullable: true,
    description: 'One organisation by its registry id; null when there is none.',
  })
  async organisation(
    @Ctx() ctx: DirectoryContext,
    @Arg('id', () => ID) id: string,
  ): Promise<OrganisationValue | null> {
    const row = await ctx.loaders.organisation.load(id);
    return row ? toOrganisation(row) : null;
  }

  @Query(() => [Publisher], {
    description:
      "Every publisher: the subgraphs that serve organisations' data, each from its own database.",
  })
  async publishers(@Ctx() ctx: DirectoryContext): Promise<Publisher[]> {
    return (await ctx.loaders.allPublishers()).map(toPublisher);
  }
}

@Resolver(() => Publisher)
export class PublisherResolver {
  @FieldResolver(() => [OrganisationDirectory], { description: 'The organisations it serves.' })
  async organisations(
    @Root() publisher: Publisher,
    @Ctx() ctx: DirectoryContext,
  ): Promise<OrganisationValue[]> {
    return (await ctx.loaders.allOrganisations())
      .filter((row) => row.publisherId === publisher.id)
      .map(toOrganisation);
  }
}

/**
 * The directory's side of one publisher's entity type: the key plus who each organisation is. The
 * same registry entry gives the publisher's subgraph the other side of the same type.
 */
export function createDirectoryEntity(publisher: RegistryPublisher) {
  const { typeName } = publisher;

  @Directive('@key(fields: "id")')
  @ObjectType(typeName, { implements: OrganisationDirectory })
  class DirectoryEntity extends OrganisationDirectory {}

  @Resolver(() => DirectoryEntity)
  class DirectoryEntityResolver {
    @FieldResolver(() => Department, { nullable: true })
    async lead(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
    ): Promise<Department | null> {
      return org.leadCode ? ctx.loaders.department.load(org.leadCode) : null;
    }

    @FieldResolver(() => [Membership])
    async members(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
      @Arg('asOf', () => String, { nullable: true, description: 'ISO date; default today.' })
      asOf?: string,
    ): Promise<Membership[]> {
      const date = dayArg('asOf', asOf, ctx.today);
      return (await ctx.loaders.membershipsByOrganisation.load(org.id))
        .filter((row) => inForce(row, date))
        .map(toMembership);
    }

    @FieldResolver(() => Publisher)
    async publisher(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
    ): Promise<Publisher> {
      const row = await ctx.loaders.publisher.load(org.publisherId);
      return row
        ? toPublisher(row)
        : { id: org.publisherId, name: org.publisherId, typeName, own: false };
    }

    @FieldResolver(() => [Membership])
    async membershipHistory(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
    ): Promise<Membership[]> {
      return (await ctx.loaders.membershipsByOrganisation.load(org.id)).map(toMembership);
    }

    @FieldResolver(() => [Succession])
    async successors(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
    ): Promise<Succession[]> {
      const rows = await ctx.loaders.allOrganisations();
      const names = new Map(rows.map((row) => [row.id, row.name]));
      return org.successorRefs.map((s) => ({
        organisationId: s.id,
        organisationName: names.get(s.id) ?? s.id,
        from: s.from,
      }));
    }

    @FieldResolver(() => [Succession])
    async predecessors(
      @Root() org: OrganisationValue,
      @Ctx() ctx: DirectoryContext,
    ): Promise<Succession[]> {
      const rows = await ctx.loaders.allOrganisations();
      return rows.flatMap((row) =>
        row.successors
          .filter((s) => s.id === org.id)
          .map((s) => ({ organisationId: row.id, organisationName: row.name, from: s.from })),
      );
    }
  }

  const resolveReference = async (
    reference: { id: string },
    ctx: DirectoryContext,
  ): Promise<OrganisationValue | null> => {
    const row = await ctx.loaders.organisation.load(reference.id);
    return row && row.typeName === typeName ? toOrganisation(row) : null;
  };

  return { typeName, DirectoryEntity, DirectoryEntityResolver, resolveReference };
}
