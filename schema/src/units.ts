import { Unit } from './types/enums.ts';

// What a figure of each unit can be (docs/domain.md, "Measurements"). Every write path refuses a
// value, numerator, denominator or target outside these ranges, and every reader leaves a stored
// figure outside them out (naming it) rather than computing with it. The bounds are far beyond
// any figure government publishes, and they keep every computation the hub makes finite: sums of a
// million figures, differences and moving ranges, means and control limits, ratios of sums. A
// double overflows to Infinity past 1.8e308, and one Infinity turns a mean, a limit or a chart's
// scale into Infinity or NaN.

/** The range a figure of a unit may take; `whole`: a value given on its own must be a whole number. */
export interface UnitRange {
  min: number;
  max: number;
  whole: boolean;
  /** How a rule names the unit: "for a percentage". */
  noun: string;
}

/**
 * The largest count, amount of money or part (numerator, denominator) the hub accepts:
 * 1,000,000,000,000,000. No count a government publishes comes near it (the world's population is
 * about 8e9, HMRC's transactions a year about 1e9), nor any amount (UK public spending is about
 * £1.3e12 a year, the world's GDP about £8.5e13). Below 2^53 (about 9e15) every whole number is
 * exact in a double, so counts and their sums stay exact; a million of them sum to 1e21, finite.
 */
export const AMOUNT_LIMIT = 1e15;

/** A score's bound: points on a scale (Net Promoter Score -100 to 100, satisfaction out of 10, index numbers around 100) never approach a billion. */
export const SCORE_LIMIT = 1e9;

/** A ratio's bound: a ratio of two published figures (vacancies per filled post, cost per transaction, staff per 1,000 residents) never approaches a trillion. */
export const RATIO_LIMIT = 1e12;

export const UNIT_RANGES: Readonly<Record<Unit, UnitRange>> = {
  // A share of a whole: its numerator is never above its denominator.
  [Unit.PERCENT]: { min: 0, max: 100, whole: false, noun: 'a percentage' },
  // Things counted are never negative, and are whole (a count with numerator and denominator is a
  // rate, so only a count given on its own must be whole).
  [Unit.COUNT]: { min: 0, max: AMOUNT_LIMIT, whole: true, noun: 'a count' },
  // Money can be negative: a surplus, a refund, a saving against budget.
  [Unit.CURRENCY]: { min: -AMOUNT_LIMIT, max: AMOUNT_LIMIT, whole: false, noun: 'an amount of money' },
  // Negative for a published change ratio; a ratio of non-negative parts is never below 0 anyway.
  [Unit.RATIO]: { min: -RATIO_LIMIT, max: RATIO_LIMIT, whole: false, noun: 'a ratio' },
  // Negative on scales that run below zero (Net Promoter Score from -100).
  [Unit.SCORE]: { min: -SCORE_LIMIT, max: SCORE_LIMIT, whole: false, noun: 'a score' },
};

/** An indicator's own bounds (its `minValue` and `maxValue`), either of which may be absent. */
export interface IndicatorRange {
  code?: string;
  minValue?: number | null;
  maxValue?: number | null;
  /** How far, relatively, a value may differ from its numerator / denominator and still agree (null: rounding only). */
  agreementTolerance?: number | null;
}

/** The range of a unit, or the unit's range if the unit is not one the hub knows (read from old data). */
export const unitRange = (unit: string): UnitRange => UNIT_RANGES[unit as Unit] ?? UNIT_RANGES[Unit.SCORE];

/** A bound as people read it: 1,000,000,000,000,000 rather than 1e+15. */
export const formatBound = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: 20 });

/** Counts forgive binary noise from spreadsheets (12.000000000001), nothing more. */
const isWholeish = (n: number) => Math.abs(n - Math.round(n)) <= Math.max(1e-6, Math.abs(n) * 1e-12);

/**
 * The rule a figure's value breaks, or null: it must be a finite number, within the unit's range
 * and within the indicator's own range when it has one; a count given on its own must be whole.
 * `whole` false skips the whole-number rule (a count's rate from its parts, a target).
 */
export function valueRule(value: number, unit: string, indicator?: IndicatorRange | null, whole = true): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const range = unitRange(unit);
  if (value < range.min || value > range.max) return `must be between ${formatBound(range.min)} and ${formatBound(range.max)} for ${range.noun}`;
  const min = indicator?.minValue ?? null;
  const max = indicator?.maxValue ?? null;
  if ((min !== null && value < min) || (max !== null && value > max)) {
    const which = indicator?.code ? `indicator ${indicator.code}` : 'the indicator';
    const span = min !== null && max !== null ? `between ${formatBound(min)} and ${formatBound(max)}` : min !== null ? `at least ${formatBound(min)}` : `at most ${formatBound(max!)}`;
    return `must be ${span}: the range ${which} sets (its minValue and maxValue)`;
  }
  if (whole && range.whole && !isWholeish(value)) return `must be a whole number for ${range.noun}`;
  return null;
}

/** The rule a numerator or denominator breaks, or null: a finite number, not negative, no larger than any count or amount can be. */
export function partRule(value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > AMOUNT_LIMIT) return `must be at most ${formatBound(AMOUNT_LIMIT)}: a numerator or denominator is a count or an amount`;
  return null;
}

/**
 * The rules an indicator's own range breaks, or none: each bound finite and within what the unit
 * can represent, and the lowest below the highest.
 */
export function rangeRules(unit: string, minValue: number | null | undefined, maxValue: number | null | undefined): { field: 'minValue' | 'maxValue'; value: number; rule: string }[] {
  const range = unitRange(unit);
  const problems: { field: 'minValue' | 'maxValue'; value: number; rule: string }[] = [];
  // Formatted only when a bound breaks it: 3,456 LGBF definitions spent 0.3 s formatting messages nobody saw.
  const within = () => `between ${formatBound(range.min)} and ${formatBound(range.max)}, what ${range.noun} can be`;
  for (const [field, value] of [
    ['minValue', minValue],
    ['maxValue', maxValue],
  ] as const) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ field, value, rule: 'must be a finite number' });
    else if (value < range.min || value > range.max) problems.push({ field, value, rule: `must be ${within()}` });
  }
  if (problems.length === 0 && typeof minValue === 'number' && typeof maxValue === 'number' && !(minValue < maxValue)) {
    problems.push({ field: 'maxValue', value: maxValue, rule: `must be above minValue (${formatBound(minValue)})` });
  }
  return problems;
}
