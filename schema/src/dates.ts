import { ISO_DAY, isCalendarDay } from './calendar-day.ts';
import { DatePrecision } from './types/enums.ts';

/** A date known to a precision; `date` is the first day of the span (ISO). */
export interface PreciseDate {
  date: string;
  precision: DatePrecision;
  label: string;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

export const DATE_FORMATS = 'YYYY-MM-DD (day), YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)';

/** Parses "2024-08-30", "2023-06", "2026-Q1" or "2028"; throws a RangeError naming the value and the rule. */
export function parsePreciseDate(label: string): PreciseDate {
  let m: RegExpExecArray | null;
  if (ISO_DAY.test(label)) {
    if (!isCalendarDay(label)) throw new RangeError(`date "${label}" is not a real calendar day`);
    return { date: label, precision: DatePrecision.DAY, label };
  }
  if ((m = MONTH.exec(label))) {
    const month = Number(m[2]);
    if (month < 1 || month > 12)
      throw new RangeError(`date "${label}" has month ${m[2]}, which must be 01-12`);
    return { date: `${label}-01`, precision: DatePrecision.MONTH, label };
  }
  if ((m = QUARTER.exec(label))) {
    const month = (Number(m[2]) - 1) * 3 + 1;
    return {
      date: `${m[1]}-${String(month).padStart(2, '0')}-01`,
      precision: DatePrecision.QUARTER,
      label,
    };
  }
  if ((m = YEAR.exec(label)))
    return { date: `${label}-01-01`, precision: DatePrecision.YEAR, label };
  throw new RangeError(`date "${label}" is not in a known format: use ${DATE_FORMATS}`);
}

/**
 * A day, as parsePreciseDate reads one ("2024-08-30"); a month, quarter or year is refused with a
 * RangeError, as is anything parsePreciseDate refuses (its message names the value and the rule).
 */
export function parseDay(label: string): string {
  const parsed = parsePreciseDate(label);
  if (parsed.precision !== DatePrecision.DAY)
    throw new RangeError('must be a full date (YYYY-MM-DD)');
  return parsed.date;
}

/** Rebuilds a stored date and precision into the label users write. */
export function preciseDate(date: string | null, precision: string | null): PreciseDate | null {
  if (!date) return null;
  const p = (precision ?? DatePrecision.DAY) as DatePrecision;
  const [year, month] = date.split('-');
  const label =
    p === DatePrecision.YEAR
      ? `${year}`
      : p === DatePrecision.QUARTER
        ? `${year}-Q${Math.floor((Number(month) - 1) / 3) + 1}`
        : p === DatePrecision.MONTH
          ? `${year}-${month}`
          : date;
  return { date, precision: p, label };
}
