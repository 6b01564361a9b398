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
  [Unit.CURRENCY]: {
    min: -AMOUNT_LIMIT,
    max: AMOUNT_LIMIT,
    whole: false,
    noun: 'an amount of money',
  },
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
export const unitRange = (unit: string): UnitRange =>
  UNIT_RANGES[unit as Unit] ?? UNIT_RANGES[Unit.SCORE];

/** A bound as people read it: 1,000,000,000,000,000 rather than 1e+15. */
export const formatBound = (n: number): string =>
  n.toLocaleString('en-GB', { maximumFractionDigits: 20 });

/** Counts forgive binary noise from spreadsheets (12.000000000001), nothing more. */
const isWholeish = (n: number) =>
  Math.abs(n - Math.round(n)) <= Math.max(1e-6, Math.abs(n) * 1e-12);

/**
 * The rule a figure's value breaks, or null: it must be a finite number, within the unit's range
 * and within the indicator's own range when it has one; a count given on its own must be whole.
 * `whole` false skips the whole-number rule (a count's rate from its parts, a target).
 */
export function valueRule(
  value: number,
  unit: string,
  indicator?: IndicatorRange | null,
  whole = true,
): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const range = unitRange(unit);
  if (value < range.min || value > range.max)
    return `must be between ${formatBound(range.min)} and ${formatBound(range.max)} for ${range.noun}`;
  const min = indicator?.minValue ?? null;
  const max = indicator?.maxValue ?? null;
  if ((min !== null && value < min) || (max !== null && value > max)) {
    const which = indicator?.code ? `indicator ${indicator.code}` : 'the indicator';
    const span =
      min !== null && max !== null
        ? `between ${formatBound(min)} and ${formatBound(max)}`
        : min !== null
          ? `at least ${formatBound(min)}`
          : `at most ${formatBound(max!)}`;
    return `must be ${span}: the range ${which} sets (its minValue and maxValue)`;
  }
  if (whole && range.whole && !isWholeish(value)) return `must be a whole number for ${range.noun}`;
  return null;
}

/** The rule a numerator or denominator breaks, or null: a finite number, not negative, no larger than any count or amount can be. */
export function partRule(value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > AMOUNT_LIMIT)
    return `must be at most ${formatBound(AMOUNT_LIMIT)}: a numerator or denominator is a count or an amount`;
  return null;
}

/**
 * The rules an indicator's own range breaks, or none: each bound finite and within what the unit
 * can represent, and the lowest below the highest.
 */
export function rangeRules(
  unit: string,
  minValue: number | null | undefined,
  maxValue: number | null | undefined,
): { field: 'minValue' | 'maxValue'; value: number; rule: string }[] {
  const range = unitRange(unit);
  const problems: { field: 'minValue' | 'maxValue'; value: number; rule: string }[] = [];
  // Formatted only when a bound breaks it: 3,456 LGBF definitions spent 0.3 s formatting messages nobody saw.
  const within = () =>
    `between ${formatBound(range.min)} and ${formatBound(range.max)}, what ${range.noun} can be`;
  for (const [field, value] of [
    ['minValue', minValue],
    ['maxValue', maxValue],
  ] as const) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value))
      problems.push({ field, value, rule: 'must be a finite number' });
    else if (value < range.min || value > range.max)
      problems.push({ field, value, rule: `must be ${within()}` });
  }
  if (
    problems.length === 0 &&
    typeof minValue === 'number' &&
    typeof maxValue === 'number' &&
    !(minValue < maxValue)
  ) {
    problems.push({
      field: 'maxValue',
      value: maxValue,
      rule: `must be above minValue (${formatBound(minValue)})`,
    });
  }
  return problems;
}

// How the hub writes a figure for people: the dashboard's tables and charts, and the sentences the
// subgraphs write (RAG rules, exceptions, direction of travel), so a reader sees one figure one way.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', options);
    formatters.set(key, f);
  }
  return f;
}

// Rounding first stops a tiny negative from being shown as "-0.0".
function decimal(value: number, minDigits: number, maxDigits: number): string {
  const rounded = Math.round(value * 10 ** maxDigits) / 10 ** maxDigits || 0;
  return formatter(`d${minDigits}-${maxDigits}`, {
    minimumFractionDigits: minDigits,
    maximumFractionDigits: maxDigits,
  }).format(rounded);
}

function pounds(value: number, digits: number): string {
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits || 0;
  return formatter(`gbp${digits}`, {
    style: 'currency',
    currency: 'GBP',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rounded);
}

/**
 * Beyond this a figure is written in powers of ten (1.7e308), not in full: no figure the hub accepts comes near it
 * (AMOUNT_LIMIT), and a number from old data written out in full would be 309 digits wide.
 */
export const HUGE = 1e15;

/** A number too large to write in full, in three significant figures: 1.7e308, -2.5e20. */
function powersOfTen(value: number): string {
  // From the text, not Number(value.toPrecision(3)): the largest double rounds up past itself to Infinity.
  const [mantissa = '', exponent = ''] = value.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * Formats a figure for people: PERCENT to one decimal with `%`, CURRENCY in pounds (whole pounds from £100),
 * COUNT with thousands separators, anything else to at most 2 decimals; a figure past 1e15 in powers of ten.
 * `unit` is a Unit's name; one the hub does not know is written as a plain number.
 */
export function formatNumber(value: number, unit?: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= HUGE)
    return unit === Unit.PERCENT
      ? `${powersOfTen(value)}%`
      : unit === Unit.CURRENCY
        ? `£${powersOfTen(value)}`
        : powersOfTen(value);
  switch (unit) {
    case Unit.PERCENT:
      return `${decimal(value, 1, 1)}%`;
    case Unit.CURRENCY:
      return Math.abs(value) >= 100 ? pounds(value, 0) : pounds(value, 2);
    default:
      return decimal(value, 0, 2);
  }
}

/** A figure with exactly `digits` decimals (an axis tick whose step needs them): 82.5%, £1,500, 0.25. */
export function formatDigits(value: number, unit: string | undefined, digits: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= HUGE) return formatNumber(value, unit);
  if (unit === Unit.PERCENT) return `${decimal(value, digits, digits)}%`;
  if (unit === Unit.CURRENCY) return pounds(value, digits);
  return decimal(value, digits, digits);
}

/**
 * A relative difference (0.04 = 4%: how far a figure is from its target, a tolerance) as a percentage to at most one
 * decimal: "4%", "22.9%". Not a figure of the indicator, so not written as one (a tolerance of "5.0%" reads as a
 * measurement); a difference that is not zero but rounds to it is "less than 0.1%", so a sentence never calls a
 * figure that missed its target 0% worse.
 */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return 'n/a';
  if (share !== 0 && Math.abs(share) < 0.0005) return 'less than 0.1%';
  return `${decimal(share * 100, 0, 1)}%`;
}

/**
 * Figures set against each other in one sentence (a value and its target, a run of four periods), each as
 * `formatNumber` writes it unless two unequal ones would then read the same ("83.3% is worse than 83.3%"): then all
 * of them with the fewest more decimals, up to 6, that tell them apart (closer than that, as usual).
 */
export function formatDistinct(values: readonly number[], unit?: string): string[] {
  const plain = values.map((value) => formatNumber(value, unit));
  const clash = (texts: readonly string[]) =>
    texts.some((text, i) =>
      values.some((other, j) => j > i && other !== values[i] && texts[j] === text),
    );
  if (!clash(plain)) return plain;
  const shown =
    unit === Unit.PERCENT
      ? 1
      : unit === Unit.CURRENCY && values.every((v) => Math.abs(v) >= 100)
        ? 0
        : 2;
  for (let digits = shown + 1; digits <= 6; digits++) {
    const texts = values.map((value) => formatDigits(value, unit, digits));
    if (!clash(texts)) return texts;
  }
  // Apart by less than a millionth: binary noise, not a difference anyone published.
  return plain;
}
