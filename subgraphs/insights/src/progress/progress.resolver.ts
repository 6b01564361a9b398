import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { InsightsContext } from '../context.ts';
import { GovernmentInsights, registered } from '../government/government.type.ts';
import { type OrganisationProgressInput, STRATEGY_KINDS, organisationProgress, rollUp } from './progress.ts';
import { StrategyProgress } from './progress.type.ts';

export const PROGRESS_REQUIRES =
  'organisationSummaries { id name kind } organisations { id milestones { status baseline { date } slippage { days } } programmes { latestConfidence { latest { rating assessedOn { date label } } change } } returns { completeness { expected received late missing } } }';

@Resolver(() => GovernmentInsights)
export class ProgressResolver {
  @Directive(`@requires(fields: "${PROGRESS_REQUIRES}")`)
  @FieldResolver(() => StrategyProgress, { description: 'Per cluster and supporting programme: milestones due, done and late, median slippage, latest delivery confidence and its change, completeness of returns; and the roll-up.' })
  progress(@Root() government: GovernmentInsights, @Ctx() ctx: InsightsContext): StrategyProgress {
    const orgs: OrganisationProgressInput[] = registered(government)
      .filter(({ summary }) => STRATEGY_KINDS.includes(summary.kind))
      .map(({ summary, data }) => ({
        ...summary,
        milestones: (data?.milestones as OrganisationProgressInput['milestones'] | undefined) ?? null,
        programmes: (data?.programmes as OrganisationProgressInput['programmes'] | undefined) ?? null,
        returns: data?.returns ?? null,
      }));
    return { organisations: orgs.map((o) => organisationProgress(o, ctx.today)), overall: rollUp(orgs, ctx.today), asOf: ctx.today };
  }
}
