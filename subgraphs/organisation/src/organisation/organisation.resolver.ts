import { Arg, Ctx, Directive, FieldResolver, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Indicator, Milestone, Programme, type RegistryEntry, PeriodType, ReturnsSummary, ScorecardEntry, Service, badInput, entityTypeName } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { summariseReturns } from '../returns/returns.summary.ts';
import { buildScorecard } from '../scorecard/scorecard.ts';
import type { OrganisationContext } from '../context.ts';
import { toIndicator } from '../indicator/indicator.mapper.ts';
import { MeasurementInput } from '../indicator/submission.input.ts';
import { publishPeriod, submitMeasurements } from '../indicator/submission.store.ts';
import { PublicationResult, SubmissionResult } from '../indicator/submission.type.ts';
import { type ProgrammeValue, toMilestone, toProgramme } from '../programme/programme.mapper.ts';
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
    async programmes(@Ctx() ctx: OrganisationContext): Promise<ProgrammeValue[]> {
      return (await ctx.loaders.programmes()).map(toProgramme);
    }

    @FieldResolver(() => [Milestone], { nullable: true })
    async milestones(@Ctx() ctx: OrganisationContext): Promise<Milestone[]> {
      return (await ctx.loaders.allMilestones()).map(toMilestone);
    }

    @FieldResolver(() => ReturnsSummary, { nullable: true })
    async returns(@Ctx() ctx: OrganisationContext): Promise<ReturnsSummary> {
      return summariseReturns(await ctx.loaders.indicators(), await ctx.loaders.returns(), ctx.today);
    }

    @FieldResolver(() => [ScorecardEntry], { nullable: true })
    async scorecard(
      @Ctx() ctx: OrganisationContext,
      @Arg('periods', () => Int, { defaultValue: 24 }) periods: number,
      @Arg('indicators', () => [String], { nullable: true }) codes?: string[] | null,
      @Arg('periodType', () => PeriodType, { nullable: true }) periodType?: PeriodType | null,
    ): Promise<ScorecardEntry[]> {
      if (!Number.isInteger(periods) || periods < 1 || periods > 120) throw badInput('periods', periods, 'must be a whole number from 1 to 120');
      const build = (indicator: IndicatorRow, rows: MeasurementRow[], targets: TargetRow[]) => {
        try {
          return buildScorecard(indicator, rows, targets, { periods, periodType });
        } catch (error) {
          if (error instanceof RangeError) throw badInput('periodType', periodType, `${(error as Error).message} (indicator ${indicator.code})`);
          throw error;
        }
      };
      const all = await ctx.loaders.indicators();
      const selected = codes ? all.filter((indicator) => codes.includes(indicator.code)) : all;
      return Promise.all(
        selected.map(async (indicator) =>
          build(indicator, await ctx.loaders.measurementsByIndicator.load(indicator.id), await ctx.loaders.targetsByIndicator.load(indicator.id)),
        ),
      );
    }
  }

  // Writes are partitioned by type like the entities: `mutation { synergy { submitMeasurements(...) } }`.
  @ObjectType(`${typeName}Mutations`, {
    description: `Changes to ${entry.name}'s own data; each needs a token of ${entry.name} with the write scope. Fields inside one namespace run at the same time, not in order: to submit and then publish, send them as two top-level fields (aliases) or two requests.`,
  })
  class OrganisationMutations {}

  @Resolver(() => OrganisationMutations)
  class OrganisationMutationsResolver {
    @Mutation(() => OrganisationMutations, { name: entry.id, description: `Changes to ${entry.name}'s own data.` })
    self(): OrganisationMutations {
      return {};
    }

    @FieldResolver(() => SubmissionResult, {
      description: 'Stores figures as drafts, replacing drafts of the same figure. If any row is invalid nothing is stored and the error lists every row.',
    })
    async submitMeasurements(
      @Ctx() ctx: OrganisationContext,
      @Arg('measurements', () => [MeasurementInput]) measurements: MeasurementInput[],
    ): Promise<SubmissionResult> {
      return submitMeasurements(ctx.db, ctx.principal, entry, measurements);
    }

    @FieldResolver(() => PublicationResult, { description: 'Publishes every draft of a period: readers without the draft scope see them from now on.' })
    async publishPeriod(@Ctx() ctx: OrganisationContext, @Arg('period', () => String) period: string): Promise<PublicationResult> {
      return publishPeriod(ctx.db, ctx.principal, entry, period, ctx.today);
    }
  }

  /** Resolves `{ __typename, id }` representations: only this organisation's own id exists here. */
  const resolveReference = (reference: OrganisationReference): OrganisationReference | null =>
    reference.id === entry.id ? { id: entry.id } : null;

  return { typeName, OrganisationEntity, OrganisationEntityResolver, OrganisationMutationsResolver, resolveReference };
}
