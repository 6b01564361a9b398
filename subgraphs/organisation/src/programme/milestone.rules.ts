import { DatePrecision, MilestoneStatus, preciseDate } from '@crossgov/schema';

// The enum is declared once in @crossgov/schema (it is part of the GraphQL schema); re-exported
// here so the rules and their callers name the same type.
export { MilestoneStatus };

/** A date at its precision; `date` is the first day of the span it stands for. */
export interface PreciseDateValue {
  date: string;
  precision: DatePrecision;
}

const DAY_MS = 86_400_000;
/** Average Gregorian month, so that 12 months is exactly one average year. */
const DAYS_PER_MONTH = 30.4375;
const MONTHS_IN_SPAN: Record<DatePrecision, number> = { DAY: 0, MONTH: 1, QUARTER: 3, YEAR: 12 };
const COARSENESS: readonly DatePrecision[] = [
  DatePrecision.DAY,
  DatePrecision.MONTH,
  DatePrecision.QUARTER,
  DatePrecision.YEAR,
];
const PRECISION_WORD: Record<DatePrecision, string> = {
  DAY: 'day',
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
};

/** Days since 1970-01-01 (UTC) of an ISO date. */
function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function label(d: PreciseDateValue): string {
  return preciseDate(d.date, d.precision)!.label;
}

/** The span a precise date stands for: [start, end] inclusive ISO dates (2026-Q1 -> 2026-01-01..2026-03-31). */
export function span(d: PreciseDateValue): { start: string; end: string } {
  const months = MONTHS_IN_SPAN[d.precision];
  if (months === 0) return { start: d.date, end: d.date };
  const [y, m] = d.date.split('-').map(Number) as [number, number];
  // Day 0 of the month after the span is the span's last day; Date.UTC rolls months over years.
  return { start: d.date, end: isoOf(Date.UTC(y, m - 1 + months, 0) / DAY_MS) };
}

function daySpan(d: PreciseDateValue): { start: number; end: number } {
  const s = span(d);
  return { start: dayNumber(s.start), end: dayNumber(s.end) };
}

function coarser(a: DatePrecision, b: DatePrecision): DatePrecision {
  return COARSENESS.indexOf(a) >= COARSENESS.indexOf(b) ? a : b;
}

/** A length of time in the unit a reader would use: days under 2 months, months under 2 years, then years. */
function duration(days: number): string {
  const d = Math.abs(days);
  if (Math.round(d) <= 60) {
    const n = Math.round(d);
    return `${n} ${n === 1 ? 'day' : 'days'}`;
  }
  const months = Math.round(d / DAYS_PER_MONTH);
  if (months % 12 === 0) return `${months / 12} ${months === 12 ? 'year' : 'years'}`;
  if (months < 24) return `${months} months`;
  return `${Math.round((d / DAYS_PER_MONTH / 12) * 10) / 10} years`;
}

export interface Slippage {
  /** Central estimate: midpoint of the later span minus midpoint of the baseline span, in days (negative = early). */
  days: number;
  /** The same in months (days / 30.4375), rounded to 1 decimal. */
  months: number;
  /** The smallest and largest possible slippage given both spans. */
  minDays: number;
  maxDays: number;
  /** The coarser of the two precisions: slippage cannot be known more finely than that. */
  precision: DatePrecision;
  /** "about 1 year later (baseline 2028, forecast 2029, both to the year: between 1 day and 2 years)" */
  description: string;
  /** What was compared: the actual date when there is one, else the forecast. */
  comparedWith: 'ACTUAL' | 'FORECAST';
}

/** "3 days early", "about 8 months later", "on time", "about on time": the headline without the dates. */
function headline(s: Pick<Slippage, 'days' | 'precision'>): string {
  const about = s.precision === DatePrecision.DAY ? '' : 'about ';
  if (Math.round(Math.abs(s.days)) === 0) return `${about}on time`;
  return `${about}${duration(s.days)} ${s.days > 0 ? 'later' : 'early'}`;
}

/** The range the two spans allow, in the words of the headline. */
function range(minDays: number, maxDays: number): string {
  if (minDays >= 0) return `between ${duration(minDays)} and ${duration(maxDays)}`;
  if (maxDays <= 0) return `between ${duration(maxDays)} and ${duration(minDays)}`;
  return `anywhere from ${duration(minDays)} early to ${duration(maxDays)} later`;
}

/**
 * Forecast (or actual) against baseline. Published dates are often only a month or a year, so the
 * central estimate compares the middles of the spans and min/max give everything the dates allow:
 * "2028" against "2029" could be anything from 1 day (31 Dec to 1 Jan) to 2 years.
 */
export function slippage(
  baseline: PreciseDateValue | null,
  forecast: PreciseDateValue | null,
  actual: PreciseDateValue | null,
): Slippage | null {
  const compared = actual ?? forecast;
  if (!baseline || !compared) return null;
  const b = daySpan(baseline);
  const c = daySpan(compared);
  const days = (c.start + c.end) / 2 - (b.start + b.end) / 2;
  const minDays = c.start - b.end;
  const maxDays = c.end - b.start;
  const precision = coarser(baseline.precision, compared.precision);
  const comparedWith = actual ? 'ACTUAL' : 'FORECAST';
  const which = comparedWith.toLowerCase();
  let detail = `baseline ${label(baseline)}, ${which} ${label(compared)}`;
  if (precision !== DatePrecision.DAY) {
    const precisions =
      baseline.precision === compared.precision
        ? `both to the ${PRECISION_WORD[precision]}`
        : `baseline to the ${PRECISION_WORD[baseline.precision]}, ${which} to the ${PRECISION_WORD[compared.precision]}`;
    detail += `, ${precisions}: ${range(minDays, maxDays)}`;
  }
  // `|| 0` turns a rounded -0 into 0, which would otherwise print and compare oddly.
  const months = Math.round((days / DAYS_PER_MONTH) * 10) / 10 || 0;
  return {
    days,
    months,
    minDays,
    maxDays,
    precision,
    description: `${headline({ days, precision })} (${detail})`,
    comparedWith,
  };
}

export interface StatusResult {
  status: MilestoneStatus;
  /** Which rule fired, with the dates it compared. */
  rule: string;
}

export interface MilestoneStatusInput {
  baseline: PreciseDateValue | null;
  forecast: PreciseDateValue | null;
  actual: PreciseDateValue | null;
  /** ISO date the status is judged on. */
  today: string;
  /** ISO date of the latest return that gave a forecast; null when none ever did. */
  lastReturnOn?: string | null;
  /** A milestone falling due this many days ahead needs a recent forecast. @default 90 */
  atRiskWindowDays?: number;
  /** A forecast return older than this many days is stale. @default 120 */
  staleReturnDays?: number;
}

const DEFAULT_AT_RISK_WINDOW_DAYS = 90;
const DEFAULT_STALE_RETURN_DAYS = 120;

export const MILESTONE_STATUS_RULES =
  'Derived, never typed in; the first rule that holds: COMPLETE when an actual date is recorded; ' +
  'LATE when, with no actual date, the span of the forecast (or of the baseline when there is no forecast) has ended, ' +
  'or when the forecast span starts after the baseline span ends (certainly later than planned); ' +
  'AT_RISK when the forecast span ends after the baseline span ends (it may be later: imprecise dates overlap), ' +
  `or the milestone may fall due within ${DEFAULT_AT_RISK_WINDOW_DAYS} days and no forecast has been returned in the last ${DEFAULT_STALE_RETURN_DAYS}; ` +
  'ON_TRACK otherwise.';

/** How a done milestone compares with its baseline, in words: late, early or on time, and by how much. */
function doneAgainst(actual: PreciseDateValue, baseline: PreciseDateValue | null): string {
  const s = slippage(baseline, null, actual);
  if (!s || !baseline) return 'there is no baseline to compare it with';
  const against = `the baseline ${label(baseline)}`;
  if (s.minDays > 0) return `late against ${against} (${headline(s)})`;
  if (s.maxDays < 0) return `early against ${against} (${headline(s)})`;
  if (s.precision === DatePrecision.DAY) return `on time against ${against}`;
  // The spans overlap: the dates cannot say whether it was late or early, only the central estimate can lean.
  const central = Math.round(s.days) === 0 ? '' : ` (central estimate ${headline(s)})`;
  return `within the span of ${against}, so on time as far as the dates show${central}`;
}

/** "the forecast date 2026-06-30 passed" or "the forecast 2026-03 ended 2026-03-31". */
function ended(which: string, d: PreciseDateValue): string {
  return d.precision === DatePrecision.DAY
    ? `the ${which} date ${d.date} passed`
    : `the ${which} ${label(d)} ended ${span(d).end}`;
}

/** Derived milestone status: the first of the rules in MILESTONE_STATUS_RULES that holds, and why. */
export function milestoneStatus(input: MilestoneStatusInput): StatusResult {
  const { baseline, forecast, actual, today } = input;
  const window = input.atRiskWindowDays ?? DEFAULT_AT_RISK_WINDOW_DAYS;
  const staleAfter = input.staleReturnDays ?? DEFAULT_STALE_RETURN_DAYS;

  if (actual) {
    return {
      status: MilestoneStatus.COMPLETE,
      rule: `COMPLETE: done ${label(actual)}, ${doneAgainst(actual, baseline)}`,
    };
  }

  const due = forecast ?? baseline;
  if (!due)
    return {
      status: MilestoneStatus.ON_TRACK,
      rule: 'ON_TRACK: no baseline or forecast date to judge it against',
    };
  const which = forecast ? 'forecast' : 'baseline';
  const dueSpan = span(due);
  if (today > dueSpan.end) {
    return {
      status: MilestoneStatus.LATE,
      rule: `LATE (overdue): ${ended(which, due)} and no actual date is recorded by ${today}`,
    };
  }

  if (forecast && baseline) {
    const f = span(forecast);
    const b = span(baseline);
    if (f.start > b.end) {
      return {
        status: MilestoneStatus.LATE,
        rule: `LATE (slipped): the forecast ${label(forecast)} starts ${f.start}, after the baseline ${label(baseline)} ends ${b.end}`,
      };
    }
    if (f.end > b.end) {
      return {
        status: MilestoneStatus.AT_RISK,
        rule: `AT_RISK: the forecast ${label(forecast)} runs to ${f.end}, past the end of the baseline ${label(baseline)} on ${b.end}, so it may be later than planned`,
      };
    }
  }

  // An imprecise date may fall due as early as the start of its span, so the window counts from there.
  const daysAhead = dayNumber(dueSpan.start) - dayNumber(today);
  if (daysAhead <= window) {
    const lastReturn = input.lastReturnOn ?? null;
    const age = lastReturn === null ? null : dayNumber(today) - dayNumber(lastReturn);
    if (age === null || age > staleAfter) {
      const when =
        daysAhead > 0
          ? `${daysAhead} days after ${today}, within the ${window}-day window`
          : `a span already under way on ${today}`;
      const returned =
        age === null
          ? 'no forecast has ever been returned'
          : `the latest forecast return, ${lastReturn}, is ${age} days old (over ${staleAfter})`;
      return {
        status: MilestoneStatus.AT_RISK,
        rule: `AT_RISK: it falls due ${label(due)}, ${when}, and ${returned}`,
      };
    }
  }

  const planned =
    forecast && baseline
      ? `the forecast ${label(forecast)} ends by the end of the baseline ${label(baseline)} on ${span(baseline).end}`
      : `the ${which} ${label(due)} runs to ${dueSpan.end}`;
  return { status: MilestoneStatus.ON_TRACK, rule: `ON_TRACK on ${today}: ${planned}` };
}
