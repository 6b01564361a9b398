import { Polarity, type Rag, Unit, formatNumber, unitRange } from '@crossgov/schema';
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
  /** Generated for demonstration, not published: shown, and marked wherever it appears. */
  synthetic?: boolean;
}

export interface RankedReporter extends Reporter {
  synthetic: boolean;
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
export function rankReporters(
  reporters: readonly Reporter[],
  polarity: Polarity,
): (Reporter & { synthetic: boolean; rank: number; tied: boolean })[] {
  // Distances from a target are compared at 12 significant digits, as RAG is: 0.9 and 1.1 are both
  // 0.1 from 1, whatever binary rounding says. One without a target has no distance and comes last.
  const score =
    polarity === Polarity.CLOSEST_TO_TARGET
      ? (r: Reporter) =>
          r.target === null || r.target === undefined
            ? Number.POSITIVE_INFINITY
            : Number(Math.abs(r.value - r.target).toPrecision(12))
      : polarity === Polarity.BIGGER_IS_BETTER
        ? (r: Reporter) => -r.value
        : (r: Reporter) => r.value;
  const sorted = reporters
    .map((reporter) => ({ reporter, score: score(reporter) }))
    .sort(
      (a, b) =>
        compare(a.score, b.score) ||
        a.reporter.organisationName.localeCompare(b.reporter.organisationName),
    );
  // One pass over the sorted list: each group of equal scores shares the rank of its first member.
  const ranked: (Reporter & { synthetic: boolean; rank: number; tied: boolean })[] = [];
  for (let first = 0; first < sorted.length;) {
    let end = first + 1;
    while (end < sorted.length && sorted[end]!.score === sorted[first]!.score) end += 1;
    for (let i = first; i < end; i++)
      ranked.push({
        ...sorted[i]!.reporter,
        synthetic: sorted[i]!.reporter.synthetic ?? false,
        rank: first + 1,
        tied: end - first > 1,
      });
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
  if (
    reporters.length === 0 ||
    !reporters.every((r) => r.numerator !== null && r.denominator !== null)
  )
    return null;
  const numerator = reporters.reduce((sum, r) => sum + r.numerator!, 0);
  const denominator = reporters.reduce((sum, r) => sum + r.denominator!, 0);
  if (denominator <= 0) return null;
  const scale = unit === Unit.PERCENT ? 100 : 1;
  const value = (numerator / denominator) * scale;
  // Parts within the value rules always sum to finite numbers; a guard for parts that were not.
  if (!Number.isFinite(value)) return null;
  const across = `${formatNumber(reporters.length, 'COUNT')} ${reporters.length === 1 ? 'organisation' : 'organisations'}`;
  return {
    value,
    numerator,
    denominator,
    rule: `ratio of sums: ${formatNumber(numerator)} / ${formatNumber(denominator)} across ${across}`,
  };
}

/** Whether the league's funnel plot is drawn, and the rule that says why or why not. */
export interface FunnelAvailability {
  drawn: boolean;
  rule: string;
}

/**
 * A funnel plot (Spiegelhalter) compares proportions: each organisation's share of its own cases
 * against the share across all of them, with limits that narrow as its cases grow. So it is drawn
 * only for a percentage whose every reporter gave the numerator and denominator, whose parts add up
 * to a proportion, and where there are at least two organisations to compare: one organisation is
 * its own overall rate and always inside its limits. Otherwise the rule says which of these fails,
 * truly: a cost per transaction has a numerator and denominator, but it is an amount of money.
 */
export function funnelAvailability(
  reporters: readonly Reporter[],
  unit: Unit,
  overall: OverallRate | null,
): FunnelAvailability {
  if (unit !== Unit.PERCENT)
    return {
      drawn: false,
      rule: `A funnel plot compares proportions; this indicator is ${unitRange(unit).noun}, not a proportion.`,
    };
  if (reporters.length === 0)
    return {
      drawn: false,
      rule: 'A funnel plot needs figures; no organisation has one for the period.',
    };
  const partless = reporters.filter((r) => r.numerator === null || r.denominator === null).length;
  if (partless > 0) {
    return {
      drawn: false,
      rule: `A funnel plot needs each organisation's numerator and denominator; ${formatNumber(partless, 'COUNT')} of the ${formatNumber(reporters.length, 'COUNT')} that reported gave a percentage without them.`,
    };
  }
  const p = overall ? overall.numerator / overall.denominator : Number.NaN;
  if (!overall || !(p >= 0 && p <= 1)) {
    const sum = (part: 'numerator' | 'denominator') =>
      formatNumber(reporters.reduce((s, r) => s + r[part]!, 0));
    return {
      drawn: false,
      rule: `A funnel plot needs a proportion; the numerators and denominators reported add up to ${sum('numerator')} of ${sum('denominator')}, which is not one between 0 and 1.`,
    };
  }
  if (reporters.length === 1)
    return {
      drawn: false,
      rule: 'A funnel plot compares organisations with one another; only one reported a figure for the period.',
    };
  return {
    drawn: true,
    rule: `Each of the ${formatNumber(reporters.length, 'COUNT')} organisations' rates against its denominator, with 95% and 99.8% limits around the overall rate: p +/- z sqrt(p(1-p)/n).`,
  };
}

/** Ranks, then places each organisation on the funnel plot when one is drawn (funnelAvailability). */
export function buildLeague(
  reporters: readonly Reporter[],
  unit: Unit,
  polarity: Polarity,
): { rows: RankedReporter[]; overall: OverallRate | null; funnel: FunnelAvailability } {
  const overall = overallRate(reporters, unit);
  // Funnel limits exist for a proportion: an overall rate from 0 to 1 and a positive volume. Parts
  // from old data can break either (a numerator above its denominator); that row, or the plot, goes
  // without limits rather than the whole league failing.
  const funnel = funnelAvailability(reporters, unit, overall);
  const scale = unit === Unit.PERCENT ? 100 : 1;
  const rows = rankReporters(reporters, polarity).map((reporter) => {
    if (
      !funnel.drawn ||
      !overall ||
      !reporter.denominator ||
      !(reporter.denominator > 0) ||
      reporter.numerator === null
    )
      return { ...reporter, funnel: null };
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
  return { rows, overall, funnel };
}
