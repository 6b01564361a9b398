import { type Measurement, type UnreadableFigure, partRule, valueRule } from '@crossgov/schema';
import type { IndicatorRow, TargetRow } from '../db/schema.ts';
import type { SeriesRow } from './series.ts';

/** A figure left out, with the first day of its period so pages of facts can place it. */
export type Unreadable = UnreadableFigure & { periodStart: string };

/** Text for a stored number: JSON would write NaN and Infinity as null, hiding what is wrong. */
const asText = (n: number) => (Number.isFinite(n) ? JSON.stringify(n) : String(n));

/**
 * The rule a stored number breaks, or null. Reading is laxer than writing (no indicator range, no
 * whole counts: a figure written before either rule can still be shown), but never lets through
 * what breaks a computation: anything not finite, or beyond what the unit can be.
 */
function storedRule(
  field: 'value' | 'numerator' | 'denominator' | 'target',
  n: number,
  unit: string,
): string | null {
  if (field === 'value' || field === 'target') return valueRule(n, unit, null, false);
  if (field === 'denominator' && Number.isFinite(n) && n <= 0) return 'must be greater than zero';
  return partRule(n);
}

function unreadable(
  indicator: Pick<IndicatorRow, 'organisationId' | 'code'>,
  at: { period: string; periodStart: string; serviceId: string | null; department: string | null },
  field: string,
  n: number,
  rule: string,
  what: string,
): Unreadable {
  const breakdown =
    at.serviceId !== null
      ? ` (service ${at.serviceId})`
      : at.department !== null
        ? ` (department ${at.department})`
        : '';
  const where = field === 'target' ? `target from ${at.period}` : `${at.period}${breakdown}`;
  return {
    organisationId: indicator.organisationId,
    indicator: indicator.code,
    period: at.period,
    periodStart: at.periodStart,
    serviceId: at.serviceId,
    department: at.department,
    field,
    value: asText(n),
    rule,
    message: `${indicator.organisationId}, indicator ${indicator.code}, ${where}: ${field} ${asText(n)} ${rule}; ${what}`,
  };
}

/**
 * Splits stored rows into those the hub can compute with and those it cannot, naming each left
 * out. `organisationRows` are the rows the organisation-wide figure may be built from: a period
 * with an unreadable part and no readable figure of the organisation's own is left out whole,
 * because a ratio of sums over the parts that remain would be a different figure, passed off as
 * the organisation's.
 */
export function screenRows<T extends SeriesRow>(
  indicator: Pick<IndicatorRow, 'organisationId' | 'code' | 'unit'>,
  rows: readonly T[],
): { rows: T[]; organisationRows: T[]; unreadable: Unreadable[] } {
  const readable: T[] = [];
  const problems: Unreadable[] = [];
  const broken = new Set<string>();
  for (const row of rows) {
    const own = row.serviceId === null && row.department === null;
    const found = problems.length;
    for (const field of ['value', 'numerator', 'denominator'] as const) {
      const n = row[field];
      if (n === null || n === undefined) continue;
      const rule = storedRule(field, n, indicator.unit);
      if (rule)
        problems.push(
          unreadable(
            { ...indicator, organisationId: row.organisationId },
            row,
            field,
            n,
            rule,
            own
              ? 'the figure is left out'
              : `this figure and ${row.period} for the whole organisation are left out`,
          ),
        );
    }
    if (problems.length > found) broken.add(row.period);
    else readable.push(row);
  }
  if (broken.size === 0)
    return { rows: readable, organisationRows: readable, unreadable: problems };
  const ownReadable = new Set(
    readable.filter((r) => r.serviceId === null && r.department === null).map((r) => r.period),
  );
  const organisationRows = readable.filter(
    (r) => !broken.has(r.period) || ownReadable.has(r.period),
  );
  return { rows: readable, organisationRows, unreadable: problems };
}

/** Splits stored targets into those the hub can rate against and those it cannot, naming each left out. */
export function screenTargets(
  indicator: Pick<IndicatorRow, 'organisationId' | 'code' | 'unit'>,
  targets: readonly TargetRow[],
): { targets: TargetRow[]; unreadable: Unreadable[] } {
  const kept: TargetRow[] = [];
  const problems: Unreadable[] = [];
  for (const target of targets) {
    const rule = storedRule('target', target.value, indicator.unit);
    if (rule) {
      const at = {
        period: target.fromPeriod,
        periodStart: target.fromDate,
        serviceId: null,
        department: null,
      };
      problems.push(
        unreadable(
          { ...indicator, organisationId: target.organisationId },
          at,
          'target',
          target.value,
          rule,
          'the target is left out, so the one before it stays in force',
        ),
      );
    } else kept.push(target);
  }
  return { targets: kept, unreadable: problems };
}

/**
 * Leaves out organisation-wide figures the hub computed that break the value rules (a ratio of
 * sums over parts with tiny denominators, a total of counts past what a count can be): each
 * becomes a gap, named.
 */
export function screenSeries(
  indicator: Pick<IndicatorRow, 'organisationId' | 'code' | 'unit'>,
  series: readonly Measurement[],
  how: string,
): { series: Measurement[]; unreadable: Unreadable[] } {
  const problems: Unreadable[] = [];
  const kept = series.map((m) => {
    const rule = m.value === null ? null : valueRule(m.value, indicator.unit, null, false);
    if (!rule) return m;
    problems.push(
      unreadable(
        indicator,
        { ...m, serviceId: null, department: null },
        'value',
        m.value!,
        `(${how}) ${rule}`,
        'the figure is left out',
      ),
    );
    return { ...m, value: null };
  });
  return { series: kept, unreadable: problems };
}
