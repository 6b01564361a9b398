import { Frequency, type Period, ReturnStatus, nextPeriod, parsePeriod } from '@crossgov/schema';

// The enum is declared once in @crossgov/schema (it is part of the GraphQL schema); re-exported
// here so the rules and their callers name the same type.
export { ReturnStatus };

/**
 * Days after a period ends that its return is due. Documented defaults, not a published standard:
 * a month's figures a month later, a quarter's within about six weeks, a year's within a quarter.
 */
export const DEFAULT_GRACE_DAYS: Record<Frequency, number> = {
  [Frequency.MONTHLY]: 30,
  [Frequency.QUARTERLY]: 45,
  [Frequency.ANNUAL]: 90,
};

/** How far back completeness looks by default, in days. */
const DEFAULT_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function addDays(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** The date a period's return is due: the period's last day plus the grace. */
export function dueDate(period: Period, graceDays: number): string {
  return addDays(period.end, graceDays);
}

/**
 * The periods a data set owes from `firstPeriod` on, oldest first: every period whose return is due
 * on or before `today` (the next, not yet due, is left out). The cadence is the type of
 * `firstPeriod`, so a financial-quarter data set continues in financial quarters. With `until`,
 * stops after the last period that ends by the end of `until` (inclusive, whatever its type).
 */
export function expectedPeriods(firstPeriod: string, today: string, graceDays: number, until?: string | null): Period[] {
  const last = until ? parsePeriod(until).end : null;
  const periods: Period[] = [];
  // Due dates only grow, so the loop ends at the first period not yet due (or past `until`).
  for (let p = parsePeriod(firstPeriod); dueDate(p, graceDays) <= today && (last === null || p.end <= last); p = nextPeriod(p)) {
    periods.push(p);
  }
  return periods;
}

/** A return as received: its period label and the ISO date it arrived. */
export interface ReturnRecord {
  period: string;
  receivedOn: string;
}

export interface ReturnLine {
  period: string;
  dueOn: string;
  status: ReturnStatus;
  receivedOn: string | null;
  /** Days after the due date it arrived (LATE), or has been overdue as of today (MISSING); null otherwise. */
  daysLate: number | null;
}

/**
 * One line per expected period, oldest first, matching records by period label. A record for a
 * period not expected is ignored. A record dated after `today` had not arrived as of `today`, so a
 * past date can be judged as it stood then. When a period was returned twice, the first receipt
 * counts: sending it again does not make it late.
 */
export function returnLines(expected: readonly Period[], records: readonly ReturnRecord[], today: string, graceDays: number): ReturnLine[] {
  const firstReceipt = new Map<string, string>();
  for (const { period, receivedOn } of records) {
    if (receivedOn > today) continue;
    const seen = firstReceipt.get(period);
    if (seen === undefined || receivedOn < seen) firstReceipt.set(period, receivedOn);
  }
  return [...expected]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((period) => {
      const dueOn = dueDate(period, graceDays);
      const receivedOn = firstReceipt.get(period.label) ?? null;
      if (receivedOn !== null) {
        const daysLate = dayNumber(receivedOn) - dayNumber(dueOn);
        return daysLate > 0
          ? { period: period.label, dueOn, status: ReturnStatus.LATE, receivedOn, daysLate }
          : { period: period.label, dueOn, status: ReturnStatus.RECEIVED, receivedOn, daysLate: null };
      }
      // The due date itself still counts as on time: a return is missing only the day after.
      if (today > dueOn) return { period: period.label, dueOn, status: ReturnStatus.MISSING, receivedOn, daysLate: dayNumber(today) - dayNumber(dueOn) };
      return { period: period.label, dueOn, status: ReturnStatus.NOT_DUE, receivedOn, daysLate: null };
    });
}

export interface Completeness {
  expected: number;
  received: number;
  late: number;
  missing: number;
  /** Received (on time or late) / expected; null when nothing was expected. */
  ratio: number | null;
  rule: string;
}

/**
 * Returns received over returns expected, for the lines due in the `windowDays` up to and including
 * `today` (due after today - windowDays). Lines not yet due are not expected, so they do not count.
 * @param windowDays @default 365
 */
export function completeness(lines: readonly ReturnLine[], today: string, windowDays: number = DEFAULT_WINDOW_DAYS): Completeness {
  const from = addDays(today, -windowDays + 1);
  const due = lines.filter((l) => l.status !== ReturnStatus.NOT_DUE && l.dueOn >= from && l.dueOn <= today);
  const count = (status: ReturnStatus) => due.filter((l) => l.status === status).length;
  const late = count(ReturnStatus.LATE);
  const missing = count(ReturnStatus.MISSING);
  const received = count(ReturnStatus.RECEIVED) + late;
  const expected = due.length;
  const ratio = expected > 0 ? received / expected : null;
  const span = `due from ${from} to ${today}`;
  const rule =
    ratio === null
      ? `no returns ${span}`
      : `${received} of ${expected} returns ${span} received (${late} late), ${missing} missing: ${Math.round(ratio * 1000) / 10}%`;
  return { expected, received, late, missing, ratio, rule };
}
