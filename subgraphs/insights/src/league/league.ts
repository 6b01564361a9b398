import { Polarity, type Rag, Unit } from '@crossgov/schema';
import { type FunnelLimits, type FunnelPosition, funnelLimits, funnelPosition } from './funnel.ts';

export interface Reporter {
  organisationId: string;
  organisationName: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  rag: Rag | null;
}

export interface RankedReporter extends Reporter {
  rank: number;
  tied: boolean;
  /** Funnel limits and position, in the indicator's unit; null unless the indicator is a proportion with parts. */
  funnel: (FunnelLimits & { volume: number; position: FunnelPosition }) | null;
}

export interface OverallRate {
  value: number;
  numerator: number;
  denominator: number;
  rule: string;
}

/**
 * Ranks best first by polarity. Ties share the best rank and the next rank skips ("1, 2, 2, 4",
 * standard competition ranking), so a rank always says how many did better plus one.
 */
export function rankReporters(reporters: readonly Reporter[], polarity: Polarity): (Reporter & { rank: number; tied: boolean })[] {
  const sign = polarity === Polarity.BIGGER_IS_BETTER ? -1 : 1;
  const sorted = [...reporters].sort((a, b) => sign * (a.value - b.value) || a.organisationName.localeCompare(b.organisationName));
  return sorted.map((reporter) => {
    const better = sorted.filter((other) => sign * (other.value - reporter.value) < 0).length;
    const same = sorted.filter((other) => other.value === reporter.value).length;
    return { ...reporter, rank: better + 1, tied: same > 1 };
  });
}

/**
 * The rate across government is the ratio of the sums of numerators and denominators, never the
 * mean of the organisations' rates. It exists only when every reporter gave both parts.
 */
export function overallRate(reporters: readonly Reporter[], unit: Unit): OverallRate | null {
  if (reporters.length === 0 || !reporters.every((r) => r.numerator !== null && r.denominator !== null)) return null;
  const numerator = reporters.reduce((sum, r) => sum + r.numerator!, 0);
  const denominator = reporters.reduce((sum, r) => sum + r.denominator!, 0);
  if (denominator <= 0) return null;
  const scale = unit === Unit.PERCENT ? 100 : 1;
  return { value: (numerator / denominator) * scale, numerator, denominator, rule: `ratio of sums: ${numerator} / ${denominator} across ${reporters.length} organisations` };
}

/** Ranks, then places each organisation on the funnel plot when the indicator is a proportion. */
export function buildLeague(reporters: readonly Reporter[], unit: Unit, polarity: Polarity): { rows: RankedReporter[]; overall: OverallRate | null } {
  const overall = overallRate(reporters, unit);
  const proportion = unit === Unit.PERCENT && overall !== null;
  const scale = unit === Unit.PERCENT ? 100 : 1;
  const rows = rankReporters(reporters, polarity).map((reporter) => {
    if (!proportion || !reporter.denominator) return { ...reporter, funnel: null };
    const limits = funnelLimits(overall.numerator / overall.denominator, reporter.denominator);
    const position = funnelPosition(reporter.numerator! / reporter.denominator, limits);
    return {
      ...reporter,
      funnel: {
        volume: reporter.denominator,
        lower95: limits.lower95 * scale,
        upper95: limits.upper95 * scale,
        lower998: limits.lower998 * scale,
        upper998: limits.upper998 * scale,
        position,
      },
    };
  });
  return { rows, overall };
}
