/**
 * XmR statistical process control (NHS "Making Data Count" rules). The hub gives the same answers as
 * the NHS-R package NHSRplotthedots (docs/domain.md, "SPC"), so every rule below follows its code, read at
 * github.com/nhs-r-community/NHSRplotthedots:
 * - R/ptd_spc_standard.R @ 8aac3239: mean, moving ranges, outlier screening, limits,
 *   fix_after_n_points and rebase groups;
 * - R/ptd_calculate_point_type.R @ f7891af4: the four rules, their priority, and improvement or
 *   concern;
 * - R/ptd_calculate_assurance_type.R @ f7891af4 and R/ptd_spc.R @ 24745e75 (summary): assurance
 *   of the last rebase group;
 * - R/ptd_spc_options.R @ c7fbaae5: fix_after_n_points >= 12, screen_outliers defaults to TRUE;
 * - R/ptd_add_short_group_warnings.R @ 45a6bd9d: a warning for a group of fewer than 12 points;
 * - tests/testthat/test-ptd_calculate_point_type.R and test-ptd_spc_standard.R @ 8aac3239 with
 *   _snaps/ptd_spc_standard.md @ ea2177d4, test-ptd_calculate_assurance_type.R @ 47af41fd.
 *
 * Where NHSRplotthedots is more precise than the rules as usually summarised we follow it (comments
 * marked "Summary:"):
 * the near-limit multiplier, which points of a 2-of-3 window are flagged, and how a trend is judged.
 *
 * Gaps (null) are NHSRplotthedots' NA values: they are left out of the mean, a moving range next to a
 * gap is missing, and a rule window that contains a gap never fires (R's NA propagation), so no run
 * crosses a gap. A gap still counts as a position for fixAfterPoints and the 12-point warning, as
 * R's row_number() and n() count NA rows.
 */
import { Polarity, SpcAssurance, SpcSignal, SpcVariation } from '@crossgov/schema';

// The enums are declared once in @crossgov/schema, whose GraphQL types carry these values; they are
// re-exported here so that callers get the whole SPC interface from this module.
export { SpcAssurance, SpcSignal, SpcVariation };

/** Process limits sit 2.66 average moving ranges from the mean. */
const LIMIT = 2.66;
/** Summary: rounds this to 1.773; NHSRplotthedots computes 2 * (2.66 / 3) = 1.77333..., kept exactly. */
const NEAR_LIMIT = 2 * (LIMIT / 3);
/** A moving range of 3.267 average moving ranges or more is screened out (R keeps only mr < 3.267 * amr). */
const OUTLIER_MOVING_RANGES = 3.267;
/** Points in a trend or a shift. */
const RUN = 7;
/** NHSRplotthedots refuses fix_after_n_points under 12 and warns for a group of fewer than 12 points. */
const MIN_POINTS = 12;

export interface SpcOptions {
  polarity: Polarity;
  /** Target for assurance; null/undefined means no assurance. */
  target?: number | null;
  /**
   * Compute mean and limits from the first N points only (N >= 12), then apply them to every point.
   * With rebases it applies within each phase, as NHSRplotthedots counts rows per rebase group.
   * @default every point
   */
  fixAfterPoints?: number;
  /**
   * Indexes (into the input array) where a new phase starts with its own mean and limits.
   * @default []
   */
  rebaseAt?: number[];
  /**
   * Screen moving-range outliers (default true, as NHSRplotthedots).
   * @default true
   */
  screenOutliers?: boolean;
}

export interface SpcPoint {
  index: number;
  value: number | null;
  mean: number | null;
  upperLimit: number | null;
  lowerLimit: number | null;
  upperNearLimit: number | null;
  lowerNearLimit: number | null;
  /** |x(i) - x(i-1)| within a phase; null at a phase start and next to a gap. */
  movingRange: number | null;
  /** The highest-priority rule this point is part of, in the rules' priority order (docs/domain.md, "SPC"); null for a gap. */
  signal: SpcSignal | null;
  /** Every rule the point is part of (a point can be in a trend and a shift). */
  signals: SpcSignal[];
  variation: SpcVariation | null;
}

/** A phase with limits; a phase without any (see the warnings) is not listed. `to` is inclusive. */
export interface SpcPhase {
  from: number;
  to: number;
  mean: number;
  averageMovingRange: number;
  upperLimit: number;
  lowerLimit: number;
  pointsUsed: number;
  screenedMovingRanges: number[]; /* indexes of screened moving ranges */
}

export interface SpcResult {
  points: SpcPoint[];
  phases: SpcPhase[];
  /** Assurance of the LAST phase against the target; null without a target or with too few points. */
  assurance: SpcAssurance | null;
  /** Human-readable notes, e.g. fewer points than recommended (NHSRplotthedots warns under 12). */
  warnings: string[];
}

interface Limits {
  upper: number;
  lower: number;
  upperNear: number;
  lowerNear: number;
  averageMovingRange: number;
}

interface PhaseStats {
  from: number;
  to: number;
  /** Null only when the phase has no value at all among the points it is computed from. */
  mean: number | null;
  /** Null when no moving range is left to compute them from. */
  limits: Limits | null;
  pointsUsed: number;
  screened: number[];
}

/** Where a point sits against its phase (R's relative_to_mean, outside_limits and close_to_limits). */
interface Position {
  side: number;
  outside: boolean;
  near: boolean;
}

export function spc(values: readonly (number | null)[], options: SpcOptions): SpcResult {
  validate(values, options);
  const movingRanges = values.map((_, i) => movingRange(values, i, options.rebaseAt ?? []));
  const stats = phaseRanges(values.length, options.rebaseAt ?? []).map(([from, to]) =>
    phaseStats(values, movingRanges, from, to, options),
  );
  const points = stats.flatMap((phase) =>
    phasePoints(values, movingRanges, phase, options.polarity, options.target ?? null),
  );
  return {
    points,
    phases: stats.flatMap((s) =>
      s.mean !== null && s.limits ? [toPhase(s, s.mean, s.limits)] : [],
    ),
    assurance: assurance(stats.at(-1), options),
    warnings: warnings(values, stats),
  };
}

function validate(values: readonly (number | null)[], options: SpcOptions): void {
  if (!Object.values(Polarity).includes(options.polarity)) {
    throw new RangeError(
      `polarity = ${String(options.polarity)}: must be one of ${Object.values(Polarity).join(', ')}`,
    );
  }
  values.forEach((value, i) => {
    if (value !== null && !Number.isFinite(value))
      throw new RangeError(
        `values[${i}] = ${value}: each value must be a finite number, or null for a gap`,
      );
  });
  // NHSRplotthedots silently uses every point when fix_after_n_points exceeds them, and ignores a
  // rebase date that is not in the data; the hub refuses both so that a misconfiguration is noticed.
  const { fixAfterPoints, rebaseAt = [], target } = options;
  if (target != null && !Number.isFinite(target))
    throw new RangeError(`target = ${target}: must be a finite number, or null for no assurance`);
  if (
    fixAfterPoints !== undefined &&
    (!Number.isInteger(fixAfterPoints) ||
      fixAfterPoints < MIN_POINTS ||
      fixAfterPoints > values.length)
  ) {
    throw new RangeError(
      `fixAfterPoints = ${fixAfterPoints}: must be a whole number from ${MIN_POINTS} (NHSRplotthedots' minimum) to the number of points (${values.length})`,
    );
  }
  rebaseAt.forEach((at, i) => {
    if (!Number.isInteger(at) || at < 1 || at >= values.length) {
      throw new RangeError(
        `rebaseAt[${i}] = ${at}: must be an index from 1 to ${values.length - 1} (a new phase starts after the first point)`,
      );
    }
    const previous = rebaseAt[i - 1];
    if (previous !== undefined && at <= previous)
      throw new RangeError(
        `rebaseAt[${i}] = ${at}: rebase indexes must be strictly increasing (the one before is ${previous})`,
      );
  });
}

/** [from, to] (inclusive) of each phase: each rebase starts a new group, as R's cumsum(rebase). */
function phaseRanges(length: number, rebaseAt: readonly number[]): [number, number][] {
  if (length === 0) return [];
  const starts = [0, ...rebaseAt];
  return starts.map((from, i) => [from, (starts[i + 1] ?? length) - 1]);
}

/** R computes the moving range per rebase group, so it never straddles a rebase; NA next to a gap. */
function movingRange(
  values: readonly (number | null)[],
  i: number,
  rebaseAt: readonly number[],
): number | null {
  const value = values[i];
  const previous = values[i - 1];
  if (value == null || previous == null || rebaseAt.includes(i)) return null;
  return Math.abs(value - previous);
}

/**
 * The mean as R's mean() computes it: a second pass corrects the rounding of the first (R sums in
 * long double, so the last digit can still differ on rare inputs).
 */
function mean(xs: readonly number[]): number {
  const first = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  return first + xs.reduce((sum, x) => sum + (x - first), 0) / xs.length;
}

function phaseStats(
  values: readonly (number | null)[],
  movingRanges: readonly (number | null)[],
  from: number,
  to: number,
  options: SpcOptions,
): PhaseStats {
  // R blanks every row after the first fix_after_n_points of the group (row_number(), gaps included).
  const basisEnd = Math.min(to, from + (options.fixAfterPoints ?? Infinity) - 1);
  const used = values.slice(from, basisEnd + 1).filter((v): v is number => v !== null);
  const centre = used.length > 0 ? mean(used) : null;

  const candidates: number[] = [];
  for (let i = from + 1; i <= basisEnd; i++) if (movingRanges[i] != null) candidates.push(i);
  const { kept, screened } = screenMovingRanges(
    candidates,
    movingRanges,
    options.screenOutliers ?? true,
  );
  const amr = kept.length > 0 ? mean(kept) : null;
  const limits = centre !== null && amr !== null ? limitsAround(centre, amr) : null;
  return { from, to, mean: centre, limits, pointsUsed: used.length, screened };
}

/**
 * One pass, as R: ranges of 3.267 x mean(MR) or more go, mean(MR) is taken again over the rest. When
 * every range is zero, 0 < 0 fails for all of them and none is left, so a flat phase has no limits.
 */
function screenMovingRanges(
  candidates: readonly number[],
  movingRanges: readonly (number | null)[],
  screen: boolean,
): { kept: number[]; screened: number[] } {
  const ranges = candidates.map((index) => ({ index, range: movingRanges[index] ?? 0 }));
  if (!screen || ranges.length === 0) return { kept: ranges.map((r) => r.range), screened: [] };
  const threshold = OUTLIER_MOVING_RANGES * mean(ranges.map((r) => r.range));
  const kept = ranges.filter((r) => r.range < threshold);
  return {
    kept: kept.map((r) => r.range),
    screened: ranges.filter((r) => !kept.includes(r)).map((r) => r.index),
  };
}

function limitsAround(centre: number, amr: number): Limits {
  // Same operations as R (mean - 2.66 * amr, with 2 * (2.66 / 3) near), so a point on a limit compares alike.
  return {
    upper: centre + LIMIT * amr,
    lower: centre - LIMIT * amr,
    upperNear: centre + NEAR_LIMIT * amr,
    lowerNear: centre - NEAR_LIMIT * amr,
    averageMovingRange: amr,
  };
}

function position(value: number, centre: number | null, limits: Limits | null): Position {
  const side = centre === null ? 0 : Math.sign(value - centre);
  const outside = limits !== null && (value > limits.upper || value < limits.lower);
  // A point outside the limits is not "near" them: R's close_to_limits is !outside_limits & ...
  const near =
    limits !== null && !outside && (value < limits.lowerNear || value > limits.upperNear);
  return { side, outside, near };
}

function phasePoints(
  values: readonly (number | null)[],
  movingRanges: readonly (number | null)[],
  phase: PhaseStats,
  polarity: Polarity,
  target: number | null,
): SpcPoint[] {
  const { from, to, mean: centre, limits } = phase;
  const positions = new Map<number, Position>();
  for (let i = from; i <= to; i++) {
    const value = values[i];
    if (value != null) positions.set(i, position(value, centre, limits));
  }
  const trend = trendMembers(values, from, to);
  const twoOfThree = twoOfThreeMembers(positions, from, to);
  const shift = shiftMembers(positions, from, to);

  const points: SpcPoint[] = [];
  for (let i = from; i <= to; i++) {
    const at = positions.get(i);
    const signals: SpcSignal[] = [];
    if (at?.outside) signals.push(SpcSignal.OUTSIDE_LIMITS);
    if (trend.has(i)) signals.push(SpcSignal.TREND);
    if (twoOfThree.has(i)) signals.push(SpcSignal.TWO_OF_THREE_NEAR_LIMIT);
    if (shift.has(i)) signals.push(SpcSignal.SHIFT);
    const signal = at ? (signals[0] ?? SpcSignal.COMMON_CAUSE) : null;
    points.push({
      index: i,
      value: values[i] ?? null,
      mean: centre,
      upperLimit: limits?.upper ?? null,
      lowerLimit: limits?.lower ?? null,
      upperNearLimit: limits?.upperNear ?? null,
      lowerNearLimit: limits?.lowerNear ?? null,
      movingRange: movingRanges[i] ?? null,
      signal,
      signals,
      variation:
        at && signal
          ? variation(
              signal,
              signalDirection(signal, at, values, trend, i, to),
              polarity,
              centre,
              target,
            )
          : null,
    });
  }
  return points;
}

/** Start indexes of every window of `size` consecutive positions inside [from, to]. */
function windowStarts(from: number, to: number, size: number): number[] {
  const starts: number[] = [];
  for (let start = from; start + size - 1 <= to; start++) starts.push(start);
  return starts;
}

/** 7 points each strictly higher (or each strictly lower) than the one before; a tie or a gap breaks it. */
function trendMembers(values: readonly (number | null)[], from: number, to: number): Set<number> {
  const members = new Set<number>();
  for (const start of windowStarts(from, to, RUN)) {
    const run = values.slice(start, start + RUN);
    const steps = run.slice(1).map((value, k) => {
      const previous = run[k];
      return value == null || previous == null ? 0 : Math.sign(value - previous);
    });
    if (steps.every((s) => s === 1) || steps.every((s) => s === -1))
      for (let k = 0; k < RUN; k++) members.add(start + k);
  }
  return members;
}

/**
 * 2 of 3 consecutive points in the near-limit band, all 3 on the same side of the mean.
 * Summary: says each point of a qualifying run is flagged; NHSRplotthedots flags only the points in
 * the band (ptd_part_of_two_in_three: two_in_three == 1 & close_to_limits), not the third point.
 */
function twoOfThreeMembers(
  positions: ReadonlyMap<number, Position>,
  from: number,
  to: number,
): Set<number> {
  const members = new Set<number>();
  for (const start of windowStarts(from, to, 3)) {
    const window = [start, start + 1, start + 2].map((i) => ({ i, at: positions.get(i) }));
    const side = window[0]?.at?.side ?? 0;
    if (side === 0 || !window.every(({ at }) => at?.side === side)) continue;
    const near = window.filter(({ at }) => at?.near);
    if (near.length >= 2) for (const { i } of near) members.add(i);
  }
  return members;
}

/** 7 consecutive points on the same side of the mean; a point exactly on the mean or a gap breaks it. */
function shiftMembers(
  positions: ReadonlyMap<number, Position>,
  from: number,
  to: number,
): Set<number> {
  const members = new Set<number>();
  for (const start of windowStarts(from, to, RUN)) {
    const side = positions.get(start)?.side ?? 0;
    let run = side !== 0;
    for (let k = 1; run && k < RUN; k++) run = positions.get(start + k)?.side === side;
    if (run) for (let k = 0; k < RUN; k++) members.add(start + k);
  }
  return members;
}

/**
 * +1 when the signal points upwards, -1 downwards. Summary: only says "according to polarity";
 * NHSRplotthedots (ptd_point_type) judges outside the limits, 2 of 3 and shift by the side of the
 * mean, and a trend by its direction even where it runs on the other side of the mean. The direction
 * is read as R does: towards the next point when that is in a trend too, otherwise from the previous
 * one ("Increasing" only when that step is a rise).
 */
function signalDirection(
  signal: SpcSignal,
  at: Position,
  values: readonly (number | null)[],
  trend: ReadonlySet<number>,
  i: number,
  to: number,
): number {
  if (signal === SpcSignal.COMMON_CAUSE) return 0;
  if (signal !== SpcSignal.TREND) return at.side > 0 ? 1 : -1;
  const [a, b] =
    i + 1 <= to && trend.has(i + 1) ? [values[i], values[i + 1]] : [values[i - 1], values[i]];
  return a != null && b != null && b > a ? 1 : -1;
}

/**
 * Improvement or concern by polarity. NHSRplotthedots has no "closest to target" direction, only
 * "neutral", whose special causes are neither; the hub goes one step further when it has a target:
 * a signal pointing from the mean towards the target is an improvement, away from it a concern.
 */
function variation(
  signal: SpcSignal,
  direction: number,
  polarity: Polarity,
  centre: number | null,
  target: number | null,
): SpcVariation {
  if (signal === SpcSignal.COMMON_CAUSE) return SpcVariation.COMMON_CAUSE;
  if (polarity === Polarity.CLOSEST_TO_TARGET) {
    if (target === null || centre === null || target === centre) return SpcVariation.NEITHER;
    return direction * Math.sign(target - centre) > 0
      ? SpcVariation.IMPROVEMENT
      : SpcVariation.CONCERN;
  }
  const better = polarity === Polarity.BIGGER_IS_BETTER ? 1 : -1;
  return direction * better > 0 ? SpcVariation.IMPROVEMENT : SpcVariation.CONCERN;
}

/**
 * Target above the upper limit or below the lower limit: the process will consistently fail or pass
 * it (by polarity); on or between the limits it will hit and miss. NHSRplotthedots answers
 * "inconsistent" when the limits are NaN; we answer null, as there are no limits to judge by.
 */
function assurance(last: PhaseStats | undefined, options: SpcOptions): SpcAssurance | null {
  if (options.target == null || !last?.limits) return null;
  // Closest to target: a target outside the limits is one the process never reaches, either side.
  if (options.polarity === Polarity.CLOSEST_TO_TARGET) {
    return options.target > last.limits.upper || options.target < last.limits.lower
      ? SpcAssurance.CONSISTENTLY_FAIL
      : SpcAssurance.HIT_AND_MISS;
  }
  const biggerIsBetter = options.polarity === Polarity.BIGGER_IS_BETTER;
  if (options.target > last.limits.upper)
    return biggerIsBetter ? SpcAssurance.CONSISTENTLY_FAIL : SpcAssurance.CONSISTENTLY_PASS;
  if (options.target < last.limits.lower)
    return biggerIsBetter ? SpcAssurance.CONSISTENTLY_PASS : SpcAssurance.CONSISTENTLY_FAIL;
  return SpcAssurance.HIT_AND_MISS;
}

function toPhase(stats: PhaseStats, centre: number, limits: Limits): SpcPhase {
  return {
    from: stats.from,
    to: stats.to,
    mean: centre,
    averageMovingRange: limits.averageMovingRange,
    upperLimit: limits.upper,
    lowerLimit: limits.lower,
    pointsUsed: stats.pointsUsed,
    screenedMovingRanges: stats.screened,
  };
}

function warnings(values: readonly (number | null)[], stats: readonly PhaseStats[]): string[] {
  const out: string[] = [];
  for (const { from, to, limits } of stats) {
    const size = to - from + 1;
    const where = `points ${from} to ${to}`;
    if (size < MIN_POINTS)
      out.push(
        `${where}: ${size} points, fewer than the ${MIN_POINTS} recommended for reliable limits (NHSRplotthedots warns under ${MIN_POINTS})`,
      );
    if (!limits)
      out.push(
        `${where}: no process limits, as no moving range is left to compute them from (fewer than two consecutive values, or every moving range is zero)`,
      );
  }
  const gaps = values.filter((v) => v === null).length;
  if (gaps > 0)
    out.push(
      `${gaps} gap${gaps === 1 ? '' : 's'}: moving ranges next to a gap are left out and no run crosses a gap (NHSRplotthedots expects a series without gaps)`,
    );
  return out;
}
