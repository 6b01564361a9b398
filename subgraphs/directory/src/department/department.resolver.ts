import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { DirectoryContext } from '../context.ts';
import { toMembership } from '../organisation/organisation.mapper.ts';
import { Department, Membership } from '../organisation/organisation.type.ts';

@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], { description: 'Every department the directory knows, including those renamed or merged by machinery-of-government changes.' })
  async departments(@Ctx() ctx: DirectoryContext): Promise<Department[]> {
    return ctx.loaders.allDepartments();
  }

  @Query(() => Department, { nullable: true })
  async department(@Ctx() ctx: DirectoryContext, @Arg('code', () => ID) code: string): Promise<Department | null> {
    return ctx.loaders.department.load(code.toUpperCase());
  }

  @FieldResolver(() => [Membership], { description: 'The clusters this department belongs or belonged to, with dates.' })
  async memberships(@Root() department: Department, @Ctx() ctx: DirectoryContext): Promise<Membership[]> {
    return (await ctx.loaders.membershipsByDepartment.load(department.code)).map(toMembership);
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => Department)
  async department(@Root() membership: Membership, @Ctx() ctx: DirectoryContext): Promise<Department> {
    const department = await ctx.loaders.department.load(membership.departmentCode);
    // The foreign key guarantees the row; fall back to the code rather than fail the whole list.
    return department ?? { code: membership.departmentCode, name: membership.departmentCode };
  }
}
