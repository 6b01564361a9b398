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

/**
 * How long a return not received by its due date is late (OUTSTANDING) before it is MISSING: one more
 * grace of its cadence. A monthly return due 30 days after its month is missing 30 days after that,
 * about when the next month's falls due; a quarter's after 45 more days, a year's after 90. Before
 * then it is chased as late, not reported as overdue: a return due yesterday is a day late.
 */
export const DEFAULT_TOLERANCE_DAYS: Record<Frequency, number> = { ...DEFAULT_GRACE_DAYS };

/** How far back every count and list of returns looks by default, in days of due dates. */
export const DEFAULT_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** An ISO date `days` later (or earlier). */
export function addDays(iso: string, days: number): string {
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
export function expectedPeriods(
  firstPeriod: string,
  today: string,
  graceDays: number,
  until?: string | null,
): Period[] {
  const last = until ? parsePeriod(until).end : null;
  const periods: Period[] = [];
  // Due dates only grow, so the loop ends at the first period not yet due (or past `until`).
  for (
    let p = parsePeriod(firstPeriod);
    dueDate(p, graceDays) <= today && (last === null || p.end <= last);
    p = nextPeriod(p)
  ) {
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
  /** Days after the due date it arrived (LATE), or has gone without it as of today (OUTSTANDING, MISSING); null otherwise. */
  daysLate: number | null;
}

/**
 * One line per expected period, oldest first, matching records by period label. A record for a
 * period not expected is ignored. A record dated after `today` had not arrived as of `today`, so a
 * past date can be judged as it stood then. When a period was returned twice, the first receipt
 * counts: sending it again does not make it late. A return not received is OUTSTANDING from the day
 * after its due date for `toleranceDays` days (inclusive), MISSING after.
 * @param toleranceDays @default graceDays (one more grace of its cadence)
 */
export function returnLines(
  expected: readonly Period[],
  records: readonly ReturnRecord[],
  today: string,
  graceDays: number,
  toleranceDays: number = graceDays,
): ReturnLine[] {
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
          : {
              period: period.label,
              dueOn,
              status: ReturnStatus.RECEIVED,
              receivedOn,
              daysLate: null,
            };
      }
      // The due date itself still counts as on time: a return is late only from the day after.
      const daysLate = dayNumber(today) - dayNumber(dueOn);
      if (daysLate <= 0)
        return {
          period: period.label,
          dueOn,
          status: ReturnStatus.NOT_DUE,
          receivedOn,
          daysLate: null,
        };
      return {
        period: period.label,
        dueOn,
        status: daysLate <= toleranceDays ? ReturnStatus.OUTSTANDING : ReturnStatus.MISSING,
        receivedOn,
        daysLate,
      };
    });
}

/**
 * The milestone return's periods that are owed: those in which a milestone was still open, that is
 * had no actual date, or an actual date on or after the period's first day. The return of the
 * quarter a programme's last milestone was done in reports it done; none is owed after. An
 * organisation without a milestone owes none. Returns are received per organisation, not per
 * programme, so one open milestone of any programme keeps the return owed; and as nothing records
 * when a milestone was added, an open one counts as open since the first return.
 */
export function periodsWhileOpen(
  periods: readonly Period[],
  milestones: readonly { actualDate: string | null }[],
): Period[] {
  if (milestones.some((m) => m.actualDate === null)) return [...periods];
  const lastDone = milestones.reduce<string | null>(
    (last, m) => (last === null || m.actualDate! > last ? m.actualDate : last),
    null,
  );
  return lastDone === null ? [] : periods.filter((p) => p.start <= lastDone);
}

/** The due dates every count and list looks at: `days` days up to and including `to`. */
export interface ReturnsWindow {
  from: string;
  to: string;
  days: number;
}

export function returnsWindow(
  today: string,
  windowDays: number = DEFAULT_WINDOW_DAYS,
): ReturnsWindow {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError(`windowDays ${windowDays} must be a whole number of days, at least 1`);
  return { from: addDays(today, -windowDays + 1), to: today, days: windowDays };
}

const notReceived = (l: ReturnLine) =>
  l.status === ReturnStatus.OUTSTANDING || l.status === ReturnStatus.MISSING;
const mostOverdueFirst = (a: ReturnLine, b: ReturnLine) =>
  (b.daysLate ?? 0) - (a.daysLate ?? 0) || a.period.localeCompare(b.period);

/**
 * The lines a window counts (due within it, and due already), and those due before it that never
 * came. Every figure and list of returns is taken from this one split, so they count the same returns.
 */
export function splitByWindow<L extends ReturnLine>(
  lines: readonly L[],
  window: ReturnsWindow,
): { counted: L[]; olderNotReceived: L[] } {
  return {
    counted: lines.filter(
      (l) => l.status !== ReturnStatus.NOT_DUE && l.dueOn >= window.from && l.dueOn <= window.to,
    ),
    olderNotReceived: lines.filter((l) => l.dueOn < window.from && notReceived(l)),
  };
}

/** The window's returns not received, most overdue first: late ones (OUTSTANDING), and MISSING ones ("overdue"). */
export function notReceivedIn<L extends ReturnLine>(
  lines: readonly L[],
  window: ReturnsWindow,
): { outstanding: L[]; overdue: L[] } {
  const { counted } = splitByWindow(lines, window);
  return {
    outstanding: counted
      .filter((l) => l.status === ReturnStatus.OUTSTANDING)
      .sort(mostOverdueFirst),
    overdue: counted.filter((l) => l.status === ReturnStatus.MISSING).sort(mostOverdueFirst),
  };
}

export interface Completeness {
  /** Returns due in the window: received + outstanding + missing. */
  expected: number;
  /** Received, on time or late. */
  received: number;
  /** Of those received, how many came after their due date. */
  late: number;
  /** Past their due date, not yet received, within the tolerance. */
  outstanding: number;
  /** Not received by the end of the tolerance. */
  missing: number;
  /** Received / expected; null when nothing was expected. */
  ratio: number | null;
  /** First and last due date counted (ISO). */
  from: string;
  to: string;
  /** Returns due before `from` that never came: counted apart, in none of the figures above. */
  olderMissing: number;
  rule: string;
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/**
 * Returns received over returns expected, for the lines due in the `windowDays` up to and including
 * `today` (due on or after today - windowDays + 1). Lines not yet due are not expected, so they do
 * not count; lines due before the window are left out, and those never received counted apart.
 * @param windowDays @default 365
 */
export function completeness(
  lines: readonly ReturnLine[],
  today: string,
  windowDays: number = DEFAULT_WINDOW_DAYS,
): Completeness {
  const window = returnsWindow(today, windowDays);
  const { counted, olderNotReceived } = splitByWindow(lines, window);
  const count = (status: ReturnStatus) => counted.filter((l) => l.status === status).length;
  const late = count(ReturnStatus.LATE);
  const outstanding = count(ReturnStatus.OUTSTANDING);
  const missing = count(ReturnStatus.MISSING);
  const received = count(ReturnStatus.RECEIVED) + late;
  const expected = counted.length;
  const ratio = expected > 0 ? received / expected : null;
  const span = `due from ${window.from} to ${window.to} (the last ${window.days} days)`;
  const older =
    olderNotReceived.length > 0
      ? `; and ${olderNotReceived.length} older, due before ${window.from}, never received and not counted here`
      : '';
  const rule =
    ratio === null
      ? `no returns ${span}${older}`
      : `${received} of ${expected} returns ${span} received (${late} of them late), ${outstanding} late and not yet received, ${missing} missing: ${percent(ratio)} received${older}`;
  return {
    expected,
    received,
    late,
    outstanding,
    missing,
    ratio,
    from: window.from,
    to: window.to,
    olderMissing: olderNotReceived.length,
    rule,
  };
}
