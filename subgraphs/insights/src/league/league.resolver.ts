import { Arg, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { Polarity, type Unit, badInput, parsePeriod } from '@crossgov/schema';
import { GovernmentInsights, registered } from '../government/government.type.ts';
import { type Reporter, buildLeague } from './league.ts';
import { League } from './league.type.ts';

/**
 * The fields insights asks the planner for. A literal: @requires cannot take the query's own
 * arguments, so every indicator's figures over 24 periods come along, as columns (IndicatorFigures):
 * for a thousand organisations a scorecard per organisation cost several times as much to compute,
 * send and merge (scripts/bench/RESULTS.md, "bench:scale").
 */
export const LEAGUE_REQUIRES =
  'organisationSummaries { id name kind } organisations { id figures(periods: 24) { indicator unit polarity periods periodStarts values numerators denominators targets rags } }';

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
      answered: data !== null && data.figures !== null && data.figures !== undefined,
      entry: data?.figures?.find((e) => e.indicator === indicator) ?? null,
    }));
    // Expected: whoever reports the indicator, and whoever could not be asked.
    const reporting = entries.filter((e) => e.entry !== null || !e.answered);
    const known = entries.find((e) => e.entry !== null)?.entry;
    if (!known) return null;
    let chosen = period ?? '';
    if (!period) {
      let latestStart = '';
      for (const { entry } of entries) {
        if (!entry) continue;
        const last = entry.periodStarts.length - 1;
        if (last >= 0 && entry.periodStarts[last]! > latestStart) {
          latestStart = entry.periodStarts[last]!;
          chosen = entry.periods[last]!;
        }
      }
    }
    const reporters: Reporter[] = [];
    const notReported: League['notReported'] = [];
    const closest = known.polarity === Polarity.CLOSEST_TO_TARGET;
    for (const { org, entry, answered } of reporting) {
      const at = entry ? entry.periods.lastIndexOf(chosen) : -1;
      if (entry && at >= 0 && closest && entry.targets[at] === null) {
        notReported.push({ organisationId: org.id, organisationName: org.name, reason: `no target for ${chosen}: the indicator is closest to target, so there is nothing to rank its figure against` });
      } else if (entry && at >= 0) {
        reporters.push({
          organisationId: org.id,
          organisationName: org.name,
          value: entry.values[at]!,
          numerator: entry.numerators[at] ?? null,
          denominator: entry.denominators[at] ?? null,
          rag: entry.rags[at] ?? null,
          target: entry.targets[at] ?? null,
        });
      } else {
        notReported.push({ organisationId: org.id, organisationName: org.name, reason: answered ? `no figure for ${chosen}` : 'its subgraph did not answer' });
      }
    }
    const { rows, overall } = buildLeague(reporters, known.unit as Unit, known.polarity as Polarity);
    return { indicator, period: chosen, unit: known.unit, polarity: known.polarity, reported: reporters.length, expected: reporting.length, overall, rows, notReported };
  }
}
