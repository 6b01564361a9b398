import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { InsightsContext } from '../context.ts';
import { GovernmentInsights } from '../government/government.type.ts';
import { type OrganisationProgressInput, STRATEGY_KINDS, organisationProgress, rollUp } from './progress.ts';
import { StrategyProgress } from './progress.type.ts';

export const PROGRESS_REQUIRES =
  'organisations { id name kind milestones { status baseline { date } slippage { days } } programmes { latestConfidence { latest { rating assessedOn { date label } } change } } returns { completeness { expected received late missing } } }';

@Resolver(() => GovernmentInsights)
export class ProgressResolver {
  @Directive(`@requires(fields: "${PROGRESS_REQUIRES}")`)
  @FieldResolver(() => StrategyProgress, { description: 'Per cluster and supporting programme: milestones due, done and late, median slippage, latest delivery confidence and its change, completeness of returns; and the roll-up.' })
  progress(@Root() government: GovernmentInsights, @Ctx() ctx: InsightsContext): StrategyProgress {
    const orgs = (government.organisations as unknown as OrganisationProgressInput[]).filter((o) => STRATEGY_KINDS.includes(o.kind));
    return { organisations: orgs.map((o) => organisationProgress(o, ctx.today)), overall: rollUp(orgs, ctx.today), asOf: ctx.today };
  }
}
