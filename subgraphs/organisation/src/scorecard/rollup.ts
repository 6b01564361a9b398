import { type Measurement, type Period, PeriodType, Unit, periodStarting } from '@crossgov/schema';

/** How many months each period type spans. */
const MONTHS: Record<PeriodType, number> = {
  [PeriodType.MONTH]: 1,
  [PeriodType.QUARTER]: 3,
  [PeriodType.FINANCIAL_QUARTER]: 3,
  [PeriodType.YEAR]: 12,
  [PeriodType.FINANCIAL_YEAR]: 12,
  // Spans that overlap their neighbours (rolling years) or vary in length: nothing rolls into or out of them.
  [PeriodType.TWELVE_MONTHS]: 12,
  [PeriodType.FINANCIAL_YEARS]: 0,
};

/** Whether periods of `from` fit exactly inside periods of `to` (months into any; calendar quarters into years; financial quarters into financial years). */
export function canRollUp(from: PeriodType, to: PeriodType): boolean {
  if (from === to) return true;
  if (
    to === PeriodType.TWELVE_MONTHS ||
    to === PeriodType.FINANCIAL_YEARS ||
    from === PeriodType.TWELVE_MONTHS ||
    from === PeriodType.FINANCIAL_YEARS
  )
    return false;
  if (from === PeriodType.MONTH) return true;
  if (from === PeriodType.QUARTER) return to === PeriodType.YEAR;
  if (from === PeriodType.FINANCIAL_QUARTER) return to === PeriodType.FINANCIAL_YEAR;
  return false;
}

export interface RolledUp {
  series: Measurement[];
  /** Periods left out as gaps, and why. */
  notes: string[];
}

/**
 * Rolls an organisation series up into longer periods, by the rule for aggregates (docs/domain.md, "Measurements"): the ratio
 * of the sums of numerators and denominators. A longer period is reported only when every one of its
 * shorter periods was, and only for figures with numerator and denominator; anything else stays a
 * gap (null value), never an average of rates or a total of what happened to arrive.
 */
export function rollUp(series: readonly Measurement[], to: PeriodType, unit: Unit): RolledUp {
  const from = series.at(-1)?.periodType;
  if (!from || from === to) return { series: [...series], notes: [] };
  if (!canRollUp(from, to))
    throw new RangeError(
      `periodType ${to} cannot be built from ${from} figures: a longer period must contain whole shorter ones`,
    );
  const groups = new Map<string, { period: Period; parts: Measurement[] }>();
  for (const m of series) {
    if (m.periodType !== from) continue;
    const [year, month] = m.periodStart.split('-').map(Number) as [number, number];
    const period = periodStarting(to, year, month);
    const group = groups.get(period.label) ?? { period, parts: [] };
    group.parts.push(m);
    groups.set(period.label, group);
  }
  const expected = MONTHS[to] / MONTHS[from];
  const notes: string[] = [];
  const rolled: Measurement[] = [];
  for (const { period, parts } of groups.values()) {
    const base = {
      period: period.label,
      periodType: period.type,
      periodStart: period.start,
      periodEnd: period.end,
      serviceId: null,
      department: null,
      synthetic: parts.some((p) => p.synthetic),
      draft: parts.some((p) => p.draft),
    };
    const complete = parts.length === expected && parts.every((p) => p.value !== null);
    const withParts = parts.every((p) => p.numerator !== null && p.denominator !== null);
    if (!complete) {
      notes.push(
        `${period.label}: ${parts.length} of ${expected} ${from.toLowerCase()} figures reported, so it is a gap`,
      );
      rolled.push({ ...base, value: null, numerator: null, denominator: null });
    } else if (!withParts) {
      notes.push(
        `${period.label}: figures without numerator and denominator cannot be combined, so it is a gap`,
      );
      rolled.push({ ...base, value: null, numerator: null, denominator: null });
    } else {
      const numerator = parts.reduce((s, p) => s + p.numerator!, 0);
      const denominator = parts.reduce((s, p) => s + p.denominator!, 0);
      const ratio = denominator > 0 ? numerator / denominator : null;
      rolled.push({
        ...base,
        numerator,
        denominator,
        value: ratio === null ? null : unit === Unit.PERCENT ? ratio * 100 : ratio,
      });
    }
  }
  return { series: rolled.sort((a, b) => a.periodStart.localeCompare(b.periodStart)), notes };
}
