import { Arg, Ctx, Directive, FieldResolver, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { FactBreakdown, FactPage, Indicator, Milestone, Programme, type RegistryEntry, PeriodType, ReturnsSummary, ScorecardEntry, Service, badInput, entityTypeName } from '@crossgov/schema';
import { factsPage } from '../facts/facts.page.ts';
import { ChangeRecord } from '../changes/change.type.ts';
import { readChanges } from '../changes/change.store.ts';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { summariseReturns } from '../returns/returns.summary.ts';
import { buildScorecard } from '../scorecard/scorecard.ts';
import type { OrganisationContext } from '../context.ts';
import { toIndicator } from '../indicator/indicator.mapper.ts';
import { MeasurementInput } from '../indicator/submission.input.ts';
import { publishPeriod, submitMeasurements } from '../indicator/submission.store.ts';
import { PublicationResult, SubmissionResult } from '../indicator/submission.type.ts';
import { TargetInput } from '../indicator/target.input.ts';
import { setTargets } from '../indicator/target.store.ts';
import { recordConfidenceAssessments } from '../programme/confidence.store.ts';
import { recordMilestoneReturns } from '../programme/milestone.store.ts';
import { ConfidenceAssessmentInput, MilestoneReturnInput } from '../programme/programme.input.ts';
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

    @FieldResolver(() => FactPage, { nullable: true })
    async facts(
      @Ctx() ctx: OrganisationContext,
      @Arg('indicators', () => [String], { nullable: true }) indicators?: string[] | null,
      @Arg('from', () => String, { nullable: true }) from?: string | null,
      @Arg('to', () => String, { nullable: true }) to?: string | null,
      @Arg('updatedSince', () => String, { nullable: true }) updatedSince?: string | null,
      @Arg('breakdown', () => FactBreakdown, { defaultValue: FactBreakdown.ORGANISATION }) breakdown: FactBreakdown = FactBreakdown.ORGANISATION,
      @Arg('first', () => Int, { defaultValue: 1000 }) first: number = 1000,
      @Arg('after', () => String, { nullable: true }) after?: string | null,
    ): Promise<FactPage> {
      return factsPage(ctx, { indicators, from, to, updatedSince, breakdown, first, after });
    }

    @FieldResolver(() => [ChangeRecord], {
      nullable: true,
      description:
        'Every change made to targets, milestone returns and delivery confidence assessments, newest first, with the record before and after. The history of published plans is public; `actor` names a person, so it is null unless the caller may read this organisation\'s drafts.',
    })
    async changes(
      @Ctx() ctx: OrganisationContext,
      @Arg('record', () => String, { nullable: true, description: "Only this kind: 'target', 'milestone-return' or 'confidence-assessment'." }) record?: string | null,
      @Arg('key', () => String, { nullable: true, description: "Only this record, by its natural key (ChangeRecord.key), e.g. '608@2019-02'." }) key?: string | null,
      @Arg('limit', () => Int, { defaultValue: 100, description: 'At most this many entries (1-1000).' }) limit: number = 100,
    ): Promise<ChangeRecord[]> {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badInput('limit', limit, 'must be a whole number from 1 to 1000');
      const rows = await readChanges(ctx.db, { record, key, limit });
      return rows.map((row) => ({
        record: row.record,
        key: row.key,
        previous: row.previous === null ? null : JSON.stringify(row.previous),
        current: JSON.stringify(row.current),
        actor: ctx.drafts ? row.actor : null,
        at: row.at.toISOString(),
      }));
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

    @FieldResolver(() => SubmissionResult, {
      description:
        'Sets targets, each applying from its period until a later one; a target sent again (same indicator and period) replaces it, and the change log keeps both. If any row is invalid nothing is stored and the error lists every row.',
    })
    async setTargets(@Ctx() ctx: OrganisationContext, @Arg('targets', () => [TargetInput]) targets: TargetInput[]): Promise<SubmissionResult> {
      return setTargets(ctx.db, ctx.principal, entry, targets);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        "Records milestone returns: each is a forecast snapshot kept as history, and the milestone's forecast becomes its latest return's. A return sent again (same milestone and date) replaces that snapshot. If any row is invalid nothing is stored and the error lists every row.",
    })
    async recordMilestoneReturns(
      @Ctx() ctx: OrganisationContext,
      @Arg('returns', () => [MilestoneReturnInput]) returns: MilestoneReturnInput[],
    ): Promise<SubmissionResult> {
      return recordMilestoneReturns(ctx.db, ctx.principal, entry, returns);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        'Records delivery confidence assessments, kept as history; one sent again (same programme, assessor and day) replaces it. If any row is invalid nothing is stored and the error lists every row.',
    })
    async recordConfidenceAssessments(
      @Ctx() ctx: OrganisationContext,
      @Arg('assessments', () => [ConfidenceAssessmentInput]) assessments: ConfidenceAssessmentInput[],
    ): Promise<SubmissionResult> {
      return recordConfidenceAssessments(ctx.db, ctx.principal, entry, assessments);
    }
  }

  /** Resolves `{ __typename, id }` representations: only this organisation's own id exists here. */
  const resolveReference = (reference: OrganisationReference): OrganisationReference | null =>
    reference.id === entry.id ? { id: entry.id } : null;

  return { typeName, OrganisationEntity, OrganisationEntityResolver, OrganisationMutationsResolver, resolveReference };
}
