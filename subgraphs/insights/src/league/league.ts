import { Polarity, type Rag, Unit } from '@crossgov/schema';
import { type FunnelLimits, type FunnelPosition, funnelLimits, funnelPosition } from './funnel.ts';

export interface Reporter {
  organisationId: string;
  organisationName: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  rag: Rag | null;
  /** Its own target for the period; what an indicator closest to target is ranked against. */
  target?: number | null;
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
 * Ranks best first by polarity (closest to target: nearest its own target first). Ties share the
 * best rank and the next rank skips ("1, 2, 2, 4", standard competition ranking), so a rank always
 * says how many did better plus one. An organisation closest to target needs its target to be ranked.
 */
export function rankReporters(reporters: readonly Reporter[], polarity: Polarity): (Reporter & { rank: number; tied: boolean })[] {
  // Distances from a target are compared at 12 significant digits, as RAG is: 0.9 and 1.1 are both
  // 0.1 from 1, whatever binary rounding says. One without a target has no distance and comes last.
  const score =
    polarity === Polarity.CLOSEST_TO_TARGET
      ? (r: Reporter) => (r.target === null || r.target === undefined ? Number.POSITIVE_INFINITY : Number(Math.abs(r.value - r.target).toPrecision(12)))
      : polarity === Polarity.BIGGER_IS_BETTER
        ? (r: Reporter) => -r.value
        : (r: Reporter) => r.value;
  const sorted = reporters.map((reporter) => ({ reporter, score: score(reporter) })).sort((a, b) => compare(a.score, b.score) || a.reporter.organisationName.localeCompare(b.reporter.organisationName));
  // One pass over the sorted list: each group of equal scores shares the rank of its first member.
  const ranked: (Reporter & { rank: number; tied: boolean })[] = [];
  for (let first = 0; first < sorted.length; ) {
    let end = first + 1;
    while (end < sorted.length && sorted[end]!.score === sorted[first]!.score) end += 1;
    for (let i = first; i < end; i++) ranked.push({ ...sorted[i]!.reporter, rank: first + 1, tied: end - first > 1 });
    first = end;
  }
  return ranked;
}

const compare = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

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
  const value = (numerator / denominator) * scale;
  // Parts within the value rules always sum to finite numbers; a guard for parts that were not.
  if (!Number.isFinite(value)) return null;
  return { value, numerator, denominator, rule: `ratio of sums: ${numerator} / ${denominator} across ${reporters.length} organisations` };
}

/** Ranks, then places each organisation on the funnel plot when the indicator is a proportion. */
export function buildLeague(reporters: readonly Reporter[], unit: Unit, polarity: Polarity): { rows: RankedReporter[]; overall: OverallRate | null } {
  const overall = overallRate(reporters, unit);
  // Funnel limits exist for a proportion: an overall rate from 0 to 1 and a positive volume. Parts
  // from old data can break either (a numerator above its denominator); that row, or the plot, goes
  // without limits rather than the whole league failing.
  const p = overall ? overall.numerator / overall.denominator : Number.NaN;
  const proportion = unit === Unit.PERCENT && overall !== null && p >= 0 && p <= 1;
  const scale = unit === Unit.PERCENT ? 100 : 1;
  const rows = rankReporters(reporters, polarity).map((reporter) => {
    if (!proportion || !reporter.denominator || !(reporter.denominator > 0) || reporter.numerator === null) return { ...reporter, funnel: null };
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
