import {
  Frequency,
  type IndicatorRange,
  PERIOD_FORMATS,
  type Period,
  PeriodType,
  Unit,
  parsePeriod,
  partRule,
  valueRule,
} from '@crossgov/schema';

/** A measurement as submitted, before it is checked. */
export interface MeasurementInput {
  indicatorId: string;
  serviceId?: string | null;
  period: string;
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

/** One broken rule: the field, the value it had, and the rule it broke. */
export interface Problem {
  field: string;
  value: unknown;
  rule: string;
}

export type Checked =
  { ok: true; period: Period; value: number | null } | { ok: false; problems: Problem[] };

/**
 * Checks one measurement against the rules every path (seed, import, mutation) shares:
 * the period parses; numbers are finite; a denominator is positive; a percentage's numerator is not
 * above its denominator; numerator and denominator come together and are no larger than a count or
 * an amount can be; a value is given or derivable, and the value stored (given, or derived from its
 * parts) is finite and within the range of the unit and of the indicator (`range`, its minValue and
 * maxValue; docs/domain.md, "Measurements").
 */
export function checkMeasurement(
  input: MeasurementInput,
  unit: Unit,
  range?: IndicatorRange | null,
): Checked {
  const problems: Problem[] = [];
  let period: Period | undefined;
  try {
    period = parsePeriod(input.period);
  } catch {
    problems.push({
      field: 'period',
      value: input.period,
      rule: `must be a period: ${PERIOD_FORMATS}`,
    });
  }
  for (const field of ['value', 'numerator', 'denominator'] as const) {
    const v = input[field];
    if (v !== null && v !== undefined && !Number.isFinite(v))
      problems.push({ field, value: v, rule: 'must be a finite number' });
  }
  const { numerator, denominator } = input;
  const hasNumerator = numerator !== null && numerator !== undefined;
  const hasDenominator = denominator !== null && denominator !== undefined;
  if (hasNumerator !== hasDenominator) {
    problems.push(
      hasNumerator
        ? {
            field: 'denominator',
            value: denominator ?? null,
            rule: 'must be given with a numerator',
          }
        : {
            field: 'numerator',
            value: numerator ?? null,
            rule: 'must be given with a denominator',
          },
    );
  }
  if (hasDenominator && denominator <= 0)
    problems.push({ field: 'denominator', value: denominator, rule: 'must be greater than zero' });
  if (hasNumerator && numerator < 0)
    problems.push({ field: 'numerator', value: numerator, rule: 'must not be negative' });
  for (const [field, part] of [
    ['numerator', numerator],
    ['denominator', denominator],
  ] as const) {
    // Sums of parts (ratios of sums) must stay finite: a part is a count or an amount, and bounded like one.
    const rule =
      part !== null && part !== undefined && Number.isFinite(part) ? partRule(part) : null;
    if (rule) problems.push({ field, value: part, rule });
  }
  const aboveWhole =
    unit === Unit.PERCENT && hasNumerator && hasDenominator && numerator > denominator;
  if (aboveWhole) {
    problems.push({
      field: 'numerator',
      value: numerator,
      rule: `must not be above its denominator (${denominator}) for a percentage`,
    });
  }
  const given = input.value;
  const hasParts = hasNumerator && hasDenominator;
  if (given !== null && given !== undefined && Number.isFinite(given)) {
    // A count given on its own is counted, so whole; with its parts it is a rate.
    const rule = valueRule(given, unit, range, !hasParts);
    if (rule) problems.push({ field: 'value', value: given, rule });
  }
  const derived =
    hasParts && denominator > 0
      ? unit === Unit.PERCENT
        ? (numerator / denominator) * 100
        : numerator / denominator
      : null;
  // A value derived from its parts is what gets stored when none is given: it obeys the same
  // rules, finite above all (1e308 / 1e-308 is Infinity). Parts already refused say why on their own.
  const partsUsable =
    hasParts &&
    Number.isFinite(numerator) &&
    Number.isFinite(denominator) &&
    numerator >= 0 &&
    !aboveWhole;
  if (derived !== null && (given === null || given === undefined) && partsUsable) {
    const rule = valueRule(derived, unit, range, false);
    if (rule)
      problems.push({
        field: 'value',
        value: derived,
        rule: `(derived: numerator ${shown(numerator)} / denominator ${shown(denominator)}${unit === Unit.PERCENT ? ' x 100' : ''}) ${rule}`,
      });
  }
  const tolerance = range?.agreementTolerance ?? 0;
  if (
    derived !== null &&
    given !== null &&
    given !== undefined &&
    Number.isFinite(given) &&
    !agrees(given, numerator!, denominator!, unit === Unit.PERCENT ? 100 : 1, tolerance)
  ) {
    const allowed =
      tolerance > 0
        ? `, nor is it within the ${formatFigure(tolerance * 100)}% its indicator allows`
        : '';
    problems.push({
      field: 'value',
      value: given,
      rule: `contradicts its numerator and denominator: ${numerator} / ${denominator} is ${formatFigure(derived)}${unit === Unit.PERCENT ? '%' : ''}, which no rounding of the three figures as written turns into ${given}${allowed}`,
    });
  }
  const value = given ?? derived;
  if (value === null)
    problems.push({
      field: 'value',
      value: input.value ?? null,
      rule: 'must be given, or numerator and denominator must be',
    });
  if (problems.length > 0 || !period) return { ok: false, problems };
  return { ok: true, period, value };
}

/**
 * The interval a figure as written stands for. A decimal stands for everything that rounds to it
 * (10.4 is 10.35 to 10.45). A count is exact (3 is 3), unless it ends in zeros, which published
 * tables use for rounding (113400 is 113350 to 113450). A `rate` (the value of a ratio) written as
 * a whole number is rounded to the unit (99 is 98.5 to 99.5), as percentages are shown. Every
 * doubtful reading counts, so a figure is refused only when no reading of it agrees.
 */
function interval(value: number, kind: 'count' | 'rate'): [number, number] {
  const [mantissa, exponent] = String(Math.abs(value)).toLowerCase().split('e') as [
    string,
    string | undefined,
  ];
  const [whole, fraction = ''] = mantissa.split('.') as [string, string | undefined];
  const trailingZeros = whole === '0' ? 0 : whole.length - whole.replace(/0+$/, '').length;
  let place: number;
  if (fraction.length > 0) place = -fraction.length;
  else if (kind === 'rate') place = 0;
  else if (trailingZeros === 0 && !exponent) return [value, value];
  else place = trailingZeros;
  place += Number(exponent ?? 0);
  const half = 0.5 * 10 ** place;
  return [value - half, value + half];
}

/**
 * Whether a published value agrees with the ratio of its parts (x `scale`: 100 for percentages), to
 * within `tolerance` of the value (a fraction: 0.02 is 2%) beyond rounding.
 * Published figures are rounded (10.4 for 260 / 2500; a count to the hundred), so the value, the
 * numerator and the denominator each stand for an interval, and they agree when the value's
 * interval meets the ratio's. A relative 1e-9 absorbs binary noise.
 */
export function agrees(
  value: number,
  numerator: number,
  denominator: number,
  scale = 1,
  tolerance = 0,
): boolean {
  const [roundedLow, roundedHigh] = interval(value, 'rate');
  // An indicator may allow its publisher's values to differ from the ratio of the parts by a share of the value.
  const allowance = tolerance * Math.abs(value);
  const [valueLow, valueHigh] = [roundedLow - allowance, roundedHigh + allowance];
  const [numeratorLow, numeratorHigh] = interval(numerator, 'count');
  const [denominatorLow, denominatorHigh] = interval(denominator, 'count');
  const low = (Math.max(0, numeratorLow) / denominatorHigh) * scale;
  const high =
    denominatorLow > 0 ? (numeratorHigh / denominatorLow) * scale : Number.POSITIVE_INFINITY;
  const slack = 1e-9 * Math.max(1, Math.abs(value));
  return valueHigh >= low - slack && valueLow <= high + slack;
}

/** A figure in a sentence: up to six significant digits, as people read it. */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** How a value appears in a message: never raw control characters, never a wall of text. */
function shown(value: unknown): string {
  // JSON.stringify writes NaN and Infinity as null, which would hide the very value that broke the rule.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= 80) return text;
  return typeof value === 'string' ? `${text.slice(0, 76)}..."` : `${text.slice(0, 77)}...`;
}

/**
 * "numerator 2299 must not be above its denominator (1483) for a percentage". A problem with no
 * value (a missing field, a whole file) reads without one: "file is an Excel workbook, ...".
 */
export function describeProblem(problem: Problem): string {
  if (problem.value === null || problem.value === undefined)
    return `${problem.field} ${problem.rule}`;
  return `${problem.field} ${shown(problem.value)} ${problem.rule}`;
}

/** The period types an indicator of each frequency is reported in. */
const CADENCE: Record<Frequency, { types: readonly PeriodType[]; example: string }> = {
  [Frequency.MONTHLY]: { types: [PeriodType.MONTH], example: 'a month such as 2026-03' },
  // A rolling year is published every quarter; a multi-year aggregate every year.
  [Frequency.QUARTERLY]: {
    types: [PeriodType.QUARTER, PeriodType.FINANCIAL_QUARTER, PeriodType.TWELVE_MONTHS],
    example:
      "a quarter such as 2026-Q1 or 2025/26-Q4, or the twelve months to a quarter's end such as 2025-04/2026-03",
  },
  [Frequency.ANNUAL]: {
    types: [PeriodType.YEAR, PeriodType.FINANCIAL_YEAR, PeriodType.FINANCIAL_YEARS],
    example:
      'a year such as 2025 or 2025/26, or financial years taken together such as 2022/23-2024/25',
  },
};

/** What a period of each type is, in a sentence. */
const PERIOD_KIND: Record<PeriodType, string> = {
  [PeriodType.MONTH]: 'a month',
  [PeriodType.QUARTER]: 'a quarter',
  [PeriodType.FINANCIAL_QUARTER]: 'a financial quarter',
  [PeriodType.YEAR]: 'a year',
  [PeriodType.FINANCIAL_YEAR]: 'a financial year',
  [PeriodType.TWELVE_MONTHS]: 'twelve months',
  [PeriodType.FINANCIAL_YEARS]: 'several financial years',
};

function dayAfter(isoDate: string): string {
  const day = new Date(`${isoDate}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * The rule a period breaks for an indicator, or null: it must be of the indicator's cadence (a
 * quarter is not a month of a monthly series), and it must have ended by `today`, because a figure
 * for a period cannot be known before the period is over.
 */
export function periodRule(period: Period, frequency: Frequency, today: string): string | null {
  const cadence = CADENCE[frequency];
  if (cadence && !cadence.types.includes(period.type)) {
    return `is ${PERIOD_KIND[period.type]}, but the indicator is ${frequency.toLowerCase()}: give ${cadence.example}`;
  }
  if (period.end >= today)
    return `is in the future: a figure for ${period.label} can be reported once the period is over, from ${dayAfter(period.end)}; today is ${today}`;
  return null;
}
