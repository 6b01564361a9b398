import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { OrganisationKind } from '@crossgov/schema';
import type { InsightsContext } from '../context.ts';
import { GovernmentInsights, registered } from '../government/government.type.ts';
import {
  type OrganisationProgressInput,
  STRATEGY_KINDS,
  organisationProgress,
  rollUp,
} from './progress.ts';
import { StrategyProgress } from './progress.type.ts';

export const PROGRESS_REQUIRES =
  'organisationSummaries { id name kind } organisations { id milestones { status baseline { date } slippage { days } } programmes { latestConfidence { latest { rating assessedOn { date label } } change } } returns { completeness { expected received late outstanding missing from to } overdue { dataset period dueOn daysLate } } }';

@Resolver(() => GovernmentInsights)
export class ProgressResolver {
  @Directive(`@requires(fields: "${PROGRESS_REQUIRES}")`)
  @FieldResolver(() => StrategyProgress, {
    description:
      'Per cluster and supporting programme: milestones due, done and late, median slippage, latest delivery confidence and its change, completeness of returns; and the roll-up.',
  })
  progress(
    @Root() government: GovernmentInsights,
    @Ctx() ctx: InsightsContext,
    @Arg('kinds', () => [OrganisationKind], {
      nullable: true,
      description:
        "Which organisations count. Default: the strategy's clusters and supporting programmes; pass every kind for the whole of government.",
    })
    kinds?: OrganisationKind[] | null,
  ): StrategyProgress {
    const counted = kinds?.length ? kinds : STRATEGY_KINDS;
    const included = registered(government).filter(({ summary }) => counted.includes(summary.kind));
    const orgs: OrganisationProgressInput[] = included.map(({ summary, data }) => ({
      ...summary,
      milestones: (data?.milestones as OrganisationProgressInput['milestones'] | undefined) ?? null,
      programmes: (data?.programmes as OrganisationProgressInput['programmes'] | undefined) ?? null,
      returns: data?.returns ?? null,
    }));
    const overdueReturns = included
      .flatMap(({ summary, data }) =>
        (data?.returns?.overdue ?? []).map((line) => ({
          organisationId: summary.id,
          organisationName: summary.name,
          dataset: line.dataset,
          period: line.period,
          dueOn: line.dueOn,
          daysOverdue: line.daysLate ?? 0,
        })),
      )
      .sort(
        (a, b) => b.daysOverdue - a.daysOverdue || a.organisationId.localeCompare(b.organisationId),
      );
    return {
      organisations: orgs.map((o) => organisationProgress(o, ctx.today)),
      overall: rollUp(orgs, ctx.today),
      overdueReturns,
      asOf: ctx.today,
    };
  }
}
