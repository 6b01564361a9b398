import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { OrganisationKind } from '@crossgov/schema';
import type { DirectoryContext } from '../context.ts';
import { toMembership } from '../organisation/organisation.mapper.ts';
import { Department, Membership } from '../organisation/organisation.type.ts';

@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], {
    description:
      'Every department the directory knows, including those renamed or merged by machinery-of-government changes.',
  })
  async departments(@Ctx() ctx: DirectoryContext): Promise<Department[]> {
    return ctx.loaders.allDepartments();
  }

  @Query(() => Department, { nullable: true })
  async department(
    @Ctx() ctx: DirectoryContext,
    @Arg('code', () => ID) code: string,
  ): Promise<Department | null> {
    return ctx.loaders.department.load(code.toUpperCase());
  }

  @FieldResolver(() => [Membership], {
    description: 'The clusters this department belongs or belonged to, with dates.',
  })
  async memberships(
    @Root() department: Department,
    @Ctx() ctx: DirectoryContext,
  ): Promise<Membership[]> {
    return (await ctx.loaders.membershipsByDepartment.load(department.code)).map(toMembership);
  }

  @FieldResolver(() => ID, {
    nullable: true,
    description:
      "Registry id of the department's own organisation (one reporting as a department, e.g. hmrc for HMRC); null when it reports only through its clusters.",
  })
  async organisationId(
    @Root() department: Department,
    @Ctx() ctx: DirectoryContext,
  ): Promise<string | null> {
    // The whole table is read once per request, so a cluster's members cost one query however many there are.
    const rows = await ctx.loaders.allOrganisations();
    return (
      rows.find((row) => row.kind === OrganisationKind.DEPARTMENT && row.lead === department.code)
        ?.id ?? null
    );
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => String, {
    description:
      "The cluster's name, so a department's page can name its clusters without asking for each.",
  })
  async organisationName(
    @Root() membership: Membership,
    @Ctx() ctx: DirectoryContext,
  ): Promise<string> {
    const organisation = await ctx.loaders.organisation.load(membership.organisationId);
    // The foreign key guarantees the row; fall back to the id rather than fail the whole list.
    return organisation?.name ?? membership.organisationId;
  }

  @FieldResolver(() => Department)
  async department(
    @Root() membership: Membership,
    @Ctx() ctx: DirectoryContext,
  ): Promise<Department> {
    const department = await ctx.loaders.department.load(membership.departmentCode);
    // The foreign key guarantees the row; fall back to the code rather than fail the whole list.
    return department ?? { code: membership.departmentCode, name: membership.departmentCode };
  }
}
