import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  Milestone,
  MilestoneForecastSnapshot,
  MilestoneStatus,
  Slippage,
  preciseDate,
} from '@crossgov/schema';
import type { OrganisationContext } from '../context.ts';
import { milestoneStatus, slippage } from './milestone.rules.ts';
import type { MilestoneValue } from './programme.mapper.ts';

@Resolver(() => Milestone)
export class MilestoneResolver {
  @FieldResolver(() => Slippage, {
    nullable: true,
    description:
      'Actual (or forecast) against baseline; null without a baseline or without either date.',
  })
  slippage(@Root() milestone: Milestone): Slippage | null {
    return milestone.baseline
      ? slippage(milestone.baseline, milestone.forecast, milestone.actual)
      : null;
  }

  @FieldResolver(() => MilestoneStatus)
  async status(
    @Root() milestone: MilestoneValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<MilestoneStatus> {
    return (await this.judge(milestone, ctx)).status;
  }

  @FieldResolver(() => String, {
    description: 'The status rule that fired, with the dates it compared.',
  })
  async statusRule(
    @Root() milestone: MilestoneValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<string> {
    return (await this.judge(milestone, ctx)).rule;
  }

  @FieldResolver(() => [MilestoneForecastSnapshot], {
    description: 'The forecast as each return gave it, oldest first.',
  })
  async forecastHistory(
    @Root() milestone: MilestoneValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<MilestoneForecastSnapshot[]> {
    return (
      await ctx.loaders.forecastsByMilestone.load({
        organisationId: milestone.organisationId,
        id: milestone.id,
      })
    ).map((row) => ({
      returnDate: row.returnDate,
      forecast: preciseDate(row.forecastDate, row.forecastPrecision)!,
      note: row.note,
    }));
  }

  private async judge(milestone: MilestoneValue, ctx: OrganisationContext) {
    const history = await ctx.loaders.forecastsByMilestone.load({
      organisationId: milestone.organisationId,
      id: milestone.id,
    });
    return milestoneStatus({
      baseline: milestone.baseline,
      forecast: milestone.forecast,
      actual: milestone.actual,
      today: ctx.today,
      lastReturnOn: history.at(-1)?.returnDate ?? null,
    });
  }
}
