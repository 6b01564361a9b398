import { PERIOD_FORMATS, type Period, Unit, parsePeriod } from '@crossgov/schema';

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

export type Checked = { ok: true; period: Period; value: number | null } | { ok: false; problems: Problem[] };

/**
 * Checks one measurement against the rules every path (seed, import, mutation) shares:
 * the period parses; numbers are finite; a denominator is positive; a percentage's numerator is not
 * above its denominator; numerator and denominator come together; a value is given or derivable.
 */
export function checkMeasurement(input: MeasurementInput, unit: Unit): Checked {
  const problems: Problem[] = [];
  let period: Period | undefined;
  try {
    period = parsePeriod(input.period);
  } catch {
    problems.push({ field: 'period', value: input.period, rule: `must be a period: ${PERIOD_FORMATS}` });
  }
  for (const field of ['value', 'numerator', 'denominator'] as const) {
    const v = input[field];
    if (v !== null && v !== undefined && !Number.isFinite(v)) problems.push({ field, value: v, rule: 'must be a finite number' });
  }
  const { numerator, denominator } = input;
  const hasNumerator = numerator !== null && numerator !== undefined;
  const hasDenominator = denominator !== null && denominator !== undefined;
  if (hasNumerator !== hasDenominator) {
    problems.push(
      hasNumerator
        ? { field: 'denominator', value: denominator ?? null, rule: 'must be given with a numerator' }
        : { field: 'numerator', value: numerator ?? null, rule: 'must be given with a denominator' },
    );
  }
  if (hasDenominator && denominator <= 0) problems.push({ field: 'denominator', value: denominator, rule: 'must be greater than zero' });
  if (hasNumerator && numerator < 0) problems.push({ field: 'numerator', value: numerator, rule: 'must not be negative' });
  if (unit === Unit.PERCENT && hasNumerator && hasDenominator && numerator > denominator) {
    problems.push({ field: 'numerator', value: numerator, rule: `must not be above its denominator (${denominator}) for a percentage` });
  }
  if (unit === Unit.PERCENT && input.value !== null && input.value !== undefined && (input.value < 0 || input.value > 100)) {
    problems.push({ field: 'value', value: input.value, rule: 'must be between 0 and 100 for a percentage' });
  }
  const derived =
    hasNumerator && hasDenominator && denominator > 0 ? (unit === Unit.PERCENT ? (numerator / denominator) * 100 : numerator / denominator) : null;
  const value = input.value ?? derived;
  if (value === null) problems.push({ field: 'value', value: input.value ?? null, rule: 'must be given, or numerator and denominator must be' });
  if (problems.length > 0 || !period) return { ok: false, problems };
  return { ok: true, period, value };
}

/** "numerator 2299 must not be above its denominator (1483) for a percentage" */
export function describeProblem(problem: Problem): string {
  // JSON.stringify writes NaN and Infinity as null, which would hide the very value that broke the rule.
  const value = typeof problem.value === 'number' && !Number.isFinite(problem.value) ? String(problem.value) : JSON.stringify(problem.value);
  return `${problem.field} ${value} ${problem.rule}`;
}
