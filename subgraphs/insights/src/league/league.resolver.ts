import { Arg, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  type IndicatorFigures,
  Polarity,
  type Unit,
  badInput,
  parsePeriod,
  parsedOrBadInput,
  partRule,
  standardIndicator,
  valueRule,
} from '@crossgov/schema';
import { GovernmentInsights, registered } from '../government/government.type.ts';
import { type Reporter, buildLeague } from './league.ts';
import { League } from './league.type.ts';
import { choosePeriod, periodsReported } from './period.ts';

/**
 * The fields insights asks the planner for. A literal: @requires cannot take the query's own
 * arguments, so every indicator's figures over 24 periods come along, as columns (IndicatorFigures):
 * for a thousand organisations a scorecard per organisation cost several times as much to compute,
 * send and merge (scripts/bench/RESULTS.md, "bench:scale").
 */
export const LEAGUE_REQUIRES =
  'organisationSummaries { id name kind peerGroups } organisations { id figures(periods: 24) { indicator unit polarity periods periodStarts values numerators denominators targets rags synthetic unreadable { period field value rule } } }';

@Resolver(() => GovernmentInsights)
export class LeagueResolver {
  @Directive(`@requires(fields: "${LEAGUE_REQUIRES}")`)
  @FieldResolver(() => League, {
    nullable: true,
    description:
      "A league table of every organisation reporting an indicator, with the overall rate, funnel limits and who has not reported. Null when nobody (in the peer group) reports a known indicator, or none of them has a figure in its latest 24 periods and no period was asked; an error for an indicator that is neither standard nor any organisation's own.",
  })
  league(
    @Root() government: GovernmentInsights,
    @Arg('indicator', () => String, {
      description:
        "An indicator code: a standard one (indicatorCatalogue), e.g. ss-invoices-paid-5-days, or an organisation's own.",
    })
    indicator: string,
    @Arg('period', () => String, {
      nullable: true,
      description:
        'Default: the latest period at least half of the expected organisations reported (League.periodRule says which rule chose it).',
    })
    period?: string | null,
    @Arg('peerGroup', () => String, {
      nullable: true,
      description:
        "Only the organisations of this peer group (an LGBF family group, as `organisation { peerGroups }` names it); the overall rate is then the group's.",
    })
    peerGroup?: string | null,
  ): League | null {
    if (period) parsedOrBadInput('period', period, parsePeriod);
    const all = registered(government);
    // Unknown only when everyone answered: an organisation whose subgraph did not may be the one that defines the code.
    const defined = all.some(({ data }) => data?.figures?.some((e) => e.indicator === indicator));
    if (
      !defined &&
      !standardIndicator(indicator) &&
      all.every(({ data }) => data?.figures !== null && data?.figures !== undefined)
    ) {
      throw badInput(
        'indicator',
        indicator,
        'is not a standard indicator (indicatorCatalogue) nor one any organisation reports',
      );
    }
    const members = peerGroup
      ? all.filter(({ summary }) => (summary.peerGroups ?? []).includes(peerGroup))
      : all;
    if (peerGroup && members.length === 0) {
      const known = [...new Set(all.flatMap(({ summary }) => summary.peerGroups ?? []))].sort();
      throw badInput(
        'peerGroup',
        peerGroup,
        `is not a peer group of any organisation (known: ${known.slice(0, 20).join('; ') || 'none'}${known.length > 20 ? '; ...' : ''})`,
      );
    }
    const entries = members.map(({ summary, data }) => ({
      org: summary,
      answered: data !== null && data.figures !== null && data.figures !== undefined,
      entry: data?.figures?.find((e) => e.indicator === indicator) ?? null,
    }));
    // Expected: whoever reports the indicator, and whoever could not be asked.
    const reporting = entries.filter((e) => e.entry !== null || !e.answered);
    const known = entries.find((e) => e.entry !== null)?.entry;
    if (!known) return null;
    const periods = periodsReported(reporting.flatMap((e) => (e.entry ? [e.entry] : [])));
    const choice = choosePeriod(periods, reporting.length, period);
    if (!choice) return null;
    const chosen = choice.period;
    const reporters: Reporter[] = [];
    const notReported: League['notReported'] = [];
    const closest = known.polarity === Polarity.CLOSEST_TO_TARGET;
    for (const { org, entry, answered } of reporting) {
      const at = entry ? entry.periods.lastIndexOf(chosen) : -1;
      // A figure its publisher could not read, or one that arrived unfit to compare, is named and
      // left out: the league of everyone else stays whole (docs/domain.md, "Leagues").
      const unreadable = entry?.unreadable?.find(
        (u) => u.period === chosen && u.field !== 'target',
      );
      const unfit = entry && at >= 0 ? unfitFigure(entry, at) : null;
      if (unreadable) {
        notReported.push({
          organisationId: org.id,
          organisationName: org.name,
          reason: `its figure for ${chosen} could not be read: ${unreadable.field} ${unreadable.value} ${unreadable.rule}`,
        });
      } else if (unfit) {
        notReported.push({
          organisationId: org.id,
          organisationName: org.name,
          reason: `its figure for ${chosen} cannot be compared: ${unfit}`,
        });
      } else if (entry && at >= 0 && closest && entry.targets[at] === null) {
        notReported.push({
          organisationId: org.id,
          organisationName: org.name,
          reason: `no target for ${chosen}: the indicator is closest to target, so there is nothing to rank its figure against`,
        });
      } else if (entry && at >= 0) {
        reporters.push({
          organisationId: org.id,
          organisationName: org.name,
          value: entry.values[at]!,
          numerator: entry.numerators[at] ?? null,
          denominator: entry.denominators[at] ?? null,
          rag: entry.rags[at] ?? null,
          target: entry.targets[at] ?? null,
          synthetic: entry.synthetic ?? false,
        });
      } else {
        notReported.push({
          organisationId: org.id,
          organisationName: org.name,
          reason: answered ? `no figure for ${chosen}` : 'its subgraph did not answer',
        });
      }
    }
    const { rows, overall, funnel } = buildLeague(
      reporters,
      known.unit as Unit,
      known.polarity as Polarity,
    );
    return {
      indicator,
      peerGroup: peerGroup ?? null,
      period: chosen,
      periodRule: choice.rule,
      periods: periods.map(({ period: label, start, reported }) => ({
        period: label,
        start,
        reported,
      })),
      unit: known.unit,
      polarity: known.polarity,
      reported: reporters.length,
      expected: reporting.length,
      overall,
      rows,
      funnel,
      notReported,
    };
  }
}

/**
 * Why one organisation's figure for a period cannot be compared, or null. A publisher on this
 * hub's rules never sends such a figure; one running older code, or reading rows written before
 * the rules, may: a figure past its unit's range (1.7e308 as a score) would overflow the overall
 * rate and the funnel limits for everyone.
 */
export function unfitFigure(
  entry: Pick<IndicatorFigures, 'unit' | 'values' | 'numerators' | 'denominators' | 'targets'>,
  at: number,
): string | null {
  const value = entry.values[at];
  if (typeof value !== 'number') return 'value missing';
  const valueBreaks = valueRule(value, entry.unit, null, false);
  if (valueBreaks) return `value ${describeNumber(value)} ${valueBreaks}`;
  for (const [field, part] of [
    ['numerator', entry.numerators[at]],
    ['denominator', entry.denominators[at]],
  ] as const) {
    if (part === null || part === undefined) continue;
    const rule =
      partRule(part) ?? (field === 'denominator' && part <= 0 ? 'must be greater than zero' : null);
    if (rule) return `${field} ${describeNumber(part)} ${rule}`;
  }
  const target = entry.targets[at];
  if (target !== null && target !== undefined) {
    const rule = valueRule(target, entry.unit, null, false);
    if (rule) return `target ${describeNumber(target)} ${rule}`;
  }
  return null;
}

const describeNumber = (n: number) => (Number.isFinite(n) ? JSON.stringify(n) : String(n));
