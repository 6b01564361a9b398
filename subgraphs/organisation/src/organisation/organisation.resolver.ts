import {
  Arg,
  Args,
  Ctx,
  Directive,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import {
  FactPage,
  FactsArgs,
  FiguresArgs,
  Indicator,
  IndicatorFigures,
  Milestone,
  Programme,
  type Publisher,
  type RegistryEntry,
  ReturnsSummary,
  ScorecardArgs,
  ScorecardEntry,
  Service,
  badInput,
  notFound,
  parsedOrBadInput,
  rootFieldOf,
} from '@crossgov/schema';
import { factsPage } from '../facts/facts.page.ts';
import { ChangeRecord } from '../changes/change.type.ts';
import { readChanges } from '../changes/change.store.ts';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { notChased, summariseReturns } from '../returns/returns.summary.ts';
import { versionedKey } from '../cache.ts';
import { indicatorFigures } from '../scorecard/figures.ts';
import { buildScorecard } from '../scorecard/scorecard.ts';
import type { OrganisationContext } from '../context.ts';
import { type IndicatorValue, toIndicator } from '../indicator/indicator.mapper.ts';
import { MeasurementInput } from '../indicator/submission.input.ts';
import { publishPeriod, submitMeasurements } from '../indicator/submission.store.ts';
import { PublicationResult, SubmissionResult } from '../indicator/submission.type.ts';
import { IndicatorDefinitionInput } from '../indicator/definition.input.ts';
import { defineIndicators } from '../indicator/definition.store.ts';
import { TargetInput } from '../indicator/target.input.ts';
import { setTargets } from '../indicator/target.store.ts';
import { recordConfidenceAssessments } from '../programme/confidence.store.ts';
import { recordMilestoneReturns } from '../programme/milestone.store.ts';
import { ConfidenceAssessmentInput, MilestoneReturnInput } from '../programme/programme.input.ts';
import {
  type MilestoneValue,
  type ProgrammeValue,
  toMilestone,
  toProgramme,
} from '../programme/programme.mapper.ts';
import { toService } from './service.mapper.ts';
import { OrganisationData } from './organisation.type.ts';

export interface OrganisationReference {
  id: string;
}

/** The root of one organisation's mutations: whose data they change. */
interface MutationRoot {
  organisation: RegistryEntry;
}

/**
 * Creates this publisher's entity type (`SynergyCluster` for an organisation's own subgraph,
 * `NhsTrust` for a sector body's) and its resolvers: every organisation the publisher serves is a
 * row of that type. Federation partitions by type, so the registry decides the type name and the
 * code stays the same for every publisher (docs/architecture.md, "Publishers").
 */
export function createOrganisationEntity(publisher: Publisher, served: readonly RegistryEntry[]) {
  const { typeName } = publisher;
  const organisations = new Map(served.map((org) => [org.id, org]));
  const own = publisher.own ? organisations.get(publisher.own)! : null;
  const field = rootFieldOf(publisher);
  const who = own ? own.name : `an organisation ${publisher.name} serves`;
  const organisationOf = (id: string): RegistryEntry => {
    const organisation = organisations.get(id);
    if (!organisation) throw notFound(`organisation served by ${publisher.id}`, id);
    return organisation;
  };

  @Directive('@key(fields: "id")')
  @ObjectType(typeName, {
    implements: OrganisationData,
    description: own
      ? `${own.name}: its own data, served from its own database.`
      : `An organisation whose data ${publisher.name} publishes, from its own database.`,
  })
  class OrganisationEntity extends OrganisationData {}

  @Resolver(() => OrganisationEntity)
  class OrganisationEntityResolver {
    @FieldResolver(() => [Service], { nullable: true })
    async services(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
    ): Promise<Service[]> {
      return (await ctx.loaders.services.load(org.id)).map(toService);
    }

    @FieldResolver(() => [Indicator], { nullable: true })
    async indicators(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
    ): Promise<IndicatorValue[]> {
      return (await ctx.loaders.indicators.load(org.id)).map(toIndicator);
    }

    @FieldResolver(() => [Programme], { nullable: true })
    async programmes(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
    ): Promise<ProgrammeValue[]> {
      return (await ctx.loaders.programmes.load(org.id)).map(toProgramme);
    }

    @FieldResolver(() => [Milestone], { nullable: true })
    async milestones(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
    ): Promise<MilestoneValue[]> {
      return (await ctx.loaders.allMilestones.load(org.id)).map(toMilestone);
    }

    @FieldResolver(() => ReturnsSummary, { nullable: true })
    async returns(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
    ): Promise<ReturnsSummary> {
      const dataSets = ctx.organisations.get(org.id)?.dataSets ?? [];
      if (dataSets.length > 0) return notChased(dataSets, ctx.today);
      const [indicatorRows, received, milestoneRows] = await Promise.all([
        ctx.loaders.indicators.load(org.id),
        ctx.loaders.returns.load(org.id),
        ctx.loaders.allMilestones.load(org.id),
      ]);
      return summariseReturns(indicatorRows, received, milestoneRows, ctx.today);
    }

    @FieldResolver(() => [ScorecardEntry], { nullable: true })
    async scorecard(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
      @Args(() => ScorecardArgs) { periods, indicators: codes, periodType }: ScorecardArgs,
    ): Promise<ScorecardEntry[]> {
      if (!Number.isInteger(periods) || periods < 1 || periods > 120)
        throw badInput('periods', periods, 'must be a whole number from 1 to 120');
      // A period type an indicator's periods cannot roll up into is the caller's to change.
      const build = (indicator: IndicatorRow, rows: MeasurementRow[], targets: TargetRow[]) =>
        parsedOrBadInput(
          'periodType',
          periodType,
          () => buildScorecard(indicator, rows, targets, { periods, periodType, today: ctx.today }),
          (rule) => `${rule} (indicator ${indicator.code})`,
        );
      // Today is part of the question: whether the latest figure is stale changes with it, not only with the data.
      return judged(
        ctx,
        'scorecard',
        org.id,
        { periods, codes, periodType, today: ctx.today },
        async () => {
          const selected = await indicatorsOf(ctx, org.id, codes);
          const { series, targets } = await seriesOf(ctx, org.id, selected);
          return selected.map((indicator, i) => build(indicator, series[i]!, targets[i]!));
        },
      );
    }

    @FieldResolver(() => [IndicatorFigures], { nullable: true })
    async figures(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
      @Args(() => FiguresArgs) { periods, indicators: codes }: FiguresArgs,
    ): Promise<IndicatorFigures[]> {
      if (!Number.isInteger(periods) || periods < 1 || periods > 120)
        throw badInput('periods', periods, 'must be a whole number from 1 to 120');
      return judged(ctx, 'figures', org.id, { periods, codes }, async () => {
        const selected = await indicatorsOf(ctx, org.id, codes);
        const { series, targets } = await seriesOf(ctx, org.id, selected);
        return selected.map((indicator, i) =>
          indicatorFigures(indicator, series[i]!, targets[i]!, periods),
        );
      });
    }

    @FieldResolver(() => FactPage, { nullable: true })
    async facts(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
      @Args(() => FactsArgs) args: FactsArgs,
    ): Promise<FactPage> {
      // A page of facts is kept like a scorecard, counting as an entry per hundred rows against the bound.
      return judged(
        ctx,
        'facts',
        org.id,
        args,
        () => factsPage(ctx, org.id, args),
        (page) => page.rows.length / FACT_ROWS_PER_ENTRY,
      );
    }

    @FieldResolver(() => [ChangeRecord], {
      nullable: true,
      description:
        "Every change made to indicator definitions, targets, milestone returns and delivery confidence assessments, newest first, with the record before and after. The history of published plans is public; `actor` names a person, so it is null unless the caller may read this organisation's drafts.",
    })
    async changes(
      @Root() org: OrganisationReference,
      @Ctx() ctx: OrganisationContext,
      @Arg('record', () => String, {
        nullable: true,
        description:
          "Only this kind: 'indicator', 'target', 'milestone-return' or 'confidence-assessment'.",
      })
      record?: string | null,
      @Arg('key', () => String, {
        nullable: true,
        description: "Only this record, by its natural key (ChangeRecord.key), e.g. '608@2019-02'.",
      })
      key?: string | null,
      @Arg('limit', () => Int, {
        defaultValue: 100,
        description: 'At most this many entries (1-1000).',
      })
      limit: number = 100,
    ): Promise<ChangeRecord[]> {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw badInput('limit', limit, 'must be a whole number from 1 to 1000');
      const rows = await readChanges(ctx.db, { organisationId: org.id, record, key, limit });
      return rows.map((row) => ({
        record: row.record,
        key: row.key,
        previous: row.previous === null ? null : JSON.stringify(row.previous),
        current: JSON.stringify(row.current),
        actor: ctx.drafts(org.id) ? row.actor : null,
        at: row.at.toISOString(),
      }));
    }
  }

  // Writes are partitioned by type like the entities: `mutation { synergy { submitMeasurements(...) } }`,
  // `mutation { nhsEngland(organisation: "rj1") { ... } }`.
  @ObjectType(`${typeName}Mutations`, {
    description: `Changes to ${who}'s own data; each needs ${own ? `a token of ${own.name} with the write scope` : `a token of that organisation with the write scope, or of ${publisher.name}'s data team with the publish scope`}. Fields inside one namespace run at the same time, not in order: to submit and then publish, send them as two top-level fields (aliases) or two requests.`,
  })
  class OrganisationMutations {}

  @Resolver(() => OrganisationMutations)
  class OrganisationMutationsResolver {
    @FieldResolver(() => SubmissionResult, {
      description:
        "Defines the organisation's indicators, or changes them when a code is sent again: a standard catalogue code adopts the catalogue's definition; any other code is the organisation's own. The change log keeps every version. If any row is invalid nothing is stored and the error lists every row.",
    })
    async defineIndicators(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('indicators', () => [IndicatorDefinitionInput]) definitions: IndicatorDefinitionInput[],
    ): Promise<SubmissionResult> {
      return defineIndicators(ctx.db, ctx.principal, root.organisation, definitions);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        'Stores figures as drafts, replacing drafts of the same figure. If any row is invalid nothing is stored and the error lists every row.',
    })
    async submitMeasurements(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('measurements', () => [MeasurementInput]) measurements: MeasurementInput[],
    ): Promise<SubmissionResult> {
      return submitMeasurements(ctx.db, ctx.principal, root.organisation, measurements, ctx.today);
    }

    @FieldResolver(() => PublicationResult, {
      description:
        'Publishes every draft of a period: readers without the draft scope see them from now on.',
    })
    async publishPeriod(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('period', () => String) period: string,
    ): Promise<PublicationResult> {
      return publishPeriod(ctx.db, ctx.principal, root.organisation, period, ctx.today);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        'Sets targets, each applying from its period until a later one; a target sent again (same indicator and period) replaces it, and the change log keeps both. If any row is invalid nothing is stored and the error lists every row.',
    })
    async setTargets(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('targets', () => [TargetInput]) targets: TargetInput[],
    ): Promise<SubmissionResult> {
      return setTargets(ctx.db, ctx.principal, root.organisation, targets);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        "Records milestone returns: each is a forecast snapshot kept as history, and the milestone's forecast becomes its latest return's. A return sent again (same milestone and date) replaces that snapshot. If any row is invalid nothing is stored and the error lists every row.",
    })
    async recordMilestoneReturns(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('returns', () => [MilestoneReturnInput]) returns: MilestoneReturnInput[],
    ): Promise<SubmissionResult> {
      return recordMilestoneReturns(ctx.db, ctx.principal, root.organisation, returns);
    }

    @FieldResolver(() => SubmissionResult, {
      description:
        'Records delivery confidence assessments, kept as history; one sent again (same programme, assessor and day) replaces it. If any row is invalid nothing is stored and the error lists every row.',
    })
    async recordConfidenceAssessments(
      @Root() root: MutationRoot,
      @Ctx() ctx: OrganisationContext,
      @Arg('assessments', () => [ConfidenceAssessmentInput])
      assessments: ConfidenceAssessmentInput[],
    ): Promise<SubmissionResult> {
      return recordConfidenceAssessments(ctx.db, ctx.principal, root.organisation, assessments);
    }
  }

  // The root fields: an organisation's own subgraph keeps today's `{ synergy { ... } }` with no
  // arguments; a sector body's takes the organisation, `{ nhsEngland(id: "rj1") { ... } }`.
  let RootResolver: Function;
  if (own) {
    @Resolver()
    class OwnRootResolver {
      @Query(() => OrganisationEntity, {
        name: field,
        description: `${own!.name}'s own data. Cross-organisation queries start from \`organisations\` instead.`,
      })
      self(): OrganisationReference {
        return { id: own!.id };
      }

      @Mutation(() => OrganisationMutations, {
        name: field,
        description: `Changes to ${own!.name}'s own data.`,
      })
      change(): MutationRoot {
        return { organisation: own! };
      }
    }
    RootResolver = OwnRootResolver;
  } else {
    @Resolver()
    class PublisherRootResolver {
      @Query(() => OrganisationEntity, {
        name: field,
        nullable: true,
        description: `One organisation whose data ${publisher.name} publishes; null for one it does not serve. Cross-organisation queries start from \`organisations\` instead.`,
      })
      self(@Arg('id', () => ID) id: string): OrganisationReference | null {
        return organisations.has(id) ? { id } : null;
      }

      @Mutation(() => OrganisationMutations, {
        name: field,
        description: `Changes to the data of one organisation ${publisher.name} serves.`,
      })
      change(
        @Arg('organisation', () => ID, { description: 'The organisation whose data changes.' })
        organisation: string,
      ): MutationRoot {
        return { organisation: organisationOf(organisation) };
      }
    }
    RootResolver = PublisherRootResolver;
  }

  /**
   * Resolves `{ __typename, id }` representations without a query: the registry says which
   * organisations this publisher serves, and their fields load in batches per request.
   */
  const resolveReference = (reference: OrganisationReference): OrganisationReference | null =>
    organisations.has(reference.id) ? { id: reference.id } : null;

  return {
    typeName,
    OrganisationEntity,
    OrganisationEntityResolver,
    OrganisationMutationsResolver,
    RootResolver,
    resolveReference,
  };
}

/**
 * An organisation's answer to a question computed from its figures, from the judgement cache when
 * its data has not changed since (the version is read once per request for all organisations).
 */
async function judged<T>(
  ctx: OrganisationContext,
  kind: string,
  organisationId: string,
  args: unknown,
  compute: () => Promise<T>,
  weigh?: (value: T) => number,
): Promise<T> {
  const version = await ctx.loaders.version.load(organisationId);
  return ctx.cache.get(
    versionedKey(kind, organisationId, version, ctx.drafts(organisationId), args),
    compute,
    weigh,
  );
}

/**
 * Fact rows that count as one entry of the judgement cache: a scorecard of a dozen indicators over
 * 24 periods holds a few hundred figures, about as much as a hundred fact rows with their names.
 */
const FACT_ROWS_PER_ENTRY = 100;

/** An organisation's indicators, or only those of the codes asked for. */
async function indicatorsOf(
  ctx: OrganisationContext,
  organisationId: string,
  codes: readonly string[] | null | undefined,
): Promise<IndicatorRow[]> {
  const all = await ctx.loaders.indicators.load(organisationId);
  return codes ? all.filter((indicator) => codes.includes(indicator.code)) : all;
}

/** The rows and targets of each indicator, in one batch with every other organisation's of the request. */
async function seriesOf(
  ctx: OrganisationContext,
  organisationId: string,
  selected: readonly IndicatorRow[],
) {
  const keys = selected.map((indicator) => ({ organisationId, id: indicator.id }));
  const [series, targets] = await Promise.all([
    ctx.loaders.measurementsByIndicator.loadMany(keys),
    ctx.loaders.targetsByIndicator.loadMany(keys),
  ]);
  return { series: series.map(rowsOf), targets: targets.map(rowsOf) };
}

/** A loaded list, or the error its batch failed with. */
function rowsOf<T>(result: T[] | Error | undefined): T[] {
  if (result instanceof Error) throw result;
  return result ?? [];
}
