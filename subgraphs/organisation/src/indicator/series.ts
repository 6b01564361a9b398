import { Unit, type Measurement } from '@crossgov/schema';
import type { MeasurementRow } from '../db/schema.ts';

/**
 * The organisation-wide value for one period from the rows reported for it.
 *
 * Rules, in order:
 * 1. an organisation-wide row (no service, no department) is the organisation's own published
 *    figure and wins;
 * 2. when every row has numerator and denominator, the value is the ratio of the sums
 *    (x100 for percentages), never the mean of the rates;
 * 3. counts are summed;
 * 4. a single service's row stands for itself;
 * 5. anything else (scores or rates without their parts over several services) cannot be combined
 *    honestly, so the value is null.
 */
export function aggregatePeriod(rows: readonly SeriesRow[], unit: Unit): Measurement | null {
  const first = rows[0];
  if (!first) return null;
  const own = rows.find((row) => row.serviceId === null && row.department === null);
  if (own) return toMeasurement(own);
  if (rows.length === 1) return toMeasurement(first);
  const synthetic = rows.some((row) => row.synthetic);
  // An aggregate with any draft part is itself a draft: it is not what was published.
  const draft = rows.some((row) => row.draft === true);
  const base = { ...toMeasurement(first), serviceId: null, department: null, synthetic, draft };
  if (rows.every((row) => row.numerator !== null && row.denominator !== null)) {
    const numerator = rows.reduce((sum, row) => sum + (row.numerator ?? 0), 0);
    const denominator = rows.reduce((sum, row) => sum + (row.denominator ?? 0), 0);
    const ratio = denominator === 0 ? null : numerator / denominator;
    return {
      ...base,
      numerator,
      denominator,
      value: ratio === null ? null : unit === Unit.PERCENT ? ratio * 100 : ratio,
    };
  }
  if (unit === Unit.COUNT && rows.every((row) => row.value !== null)) {
    return {
      ...base,
      numerator: null,
      denominator: null,
      value: rows.reduce((sum, row) => sum + (row.value ?? 0), 0),
    };
  }
  return { ...base, numerator: null, denominator: null, value: null };
}

/** The organisation-wide series of an indicator, oldest first, one entry per reported period. */
export function organisationSeries(rows: readonly SeriesRow[], unit: Unit): Measurement[] {
  const byPeriod = new Map<string, SeriesRow[]>();
  for (const row of rows) {
    const list = byPeriod.get(row.period);
    if (list) list.push(row);
    else byPeriod.set(row.period, [row]);
  }
  return [...byPeriod.values()]
    .map((periodRows) => aggregatePeriod(periodRows, unit))
    .filter((m): m is Measurement => m !== null)
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
}

/** A published row, or a draft laid over it for a caller allowed to read drafts. */
export type SeriesRow = MeasurementRow & { draft?: boolean };

export function toMeasurement(row: SeriesRow): Measurement {
  return {
    period: row.period,
    periodType: row.periodType as Measurement['periodType'],
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    value: row.value,
    numerator: row.numerator,
    denominator: row.denominator,
    serviceId: row.serviceId,
    department: row.department,
    synthetic: row.synthetic,
    draft: row.draft ?? false,
  };
}
