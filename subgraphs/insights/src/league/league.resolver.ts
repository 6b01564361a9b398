import { Arg, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { type Polarity, type Unit, badInput, parsePeriod } from '@crossgov/schema';
import { GovernmentInsights, registered } from '../government/government.type.ts';
import { type Reporter, buildLeague } from './league.ts';
import { League } from './league.type.ts';

/**
 * The fields insights asks the planner for. A literal: @requires cannot take the query's own
 * arguments, so every organisation's whole scorecard (24 periods) comes along.
 */
export const LEAGUE_REQUIRES =
  'organisationSummaries { id name kind } organisations { id scorecard(periods: 24) { indicator unit polarity series { period periodStart gap value numerator denominator rag { status } } } }';

@Resolver(() => GovernmentInsights)
export class LeagueResolver {
  @Directive(`@requires(fields: "${LEAGUE_REQUIRES}")`)
  @FieldResolver(() => League, {
    nullable: true,
    description: 'A league table of every organisation reporting a standard indicator, with the overall rate, funnel limits and who has not reported. Null when nobody reports the indicator.',
  })
  league(
    @Root() government: GovernmentInsights,
    @Arg('indicator', () => String, { description: 'A standard indicator code, e.g. ss-invoices-paid-5-days.' }) indicator: string,
    @Arg('period', () => String, { nullable: true, description: 'Default: the latest period any organisation reported.' }) period?: string | null,
  ): League | null {
    if (period) {
      try {
        parsePeriod(period);
      } catch (error) {
        throw badInput('period', period, (error as Error).message);
      }
    }
    const entries = registered(government).map(({ summary, data }) => ({
      org: summary,
      answered: data !== null && data.scorecard !== null,
      entry: data?.scorecard?.find((e) => e.indicator === indicator) ?? null,
    }));
    // Expected: whoever reports the indicator, and whoever could not be asked.
    const reporting = entries.filter((e) => e.entry !== null || !e.answered);
    const known = entries.find((e) => e.entry !== null)?.entry;
    if (!known) return null;
    const chosen =
      period ??
      entries
        .flatMap((e) => e.entry?.series.filter((p) => !p.gap) ?? [])
        .reduce((latest, p) => (p.periodStart > latest.periodStart ? p : latest), { period: '', periodStart: '' } as { period: string; periodStart: string }).period;
    const reporters: Reporter[] = [];
    const notReported: League['notReported'] = [];
    for (const { org, entry, answered } of reporting) {
      const point = entry?.series.find((p) => p.period === chosen && !p.gap && p.value !== null);
      if (point) {
        reporters.push({ organisationId: org.id, organisationName: org.name, value: point.value!, numerator: point.numerator, denominator: point.denominator, rag: point.rag?.status ?? null });
      } else {
        notReported.push({ organisationId: org.id, organisationName: org.name, reason: answered ? `no figure for ${chosen}` : 'its subgraph did not answer' });
      }
    }
    const { rows, overall } = buildLeague(reporters, known.unit as Unit, known.polarity as Polarity);
    return { indicator, period: chosen, unit: known.unit, polarity: known.polarity, reported: reporters.length, expected: reporting.length, overall, rows, notReported };
  }
}
