import { PeriodType } from './types/enums.ts';

/** A reporting period: a calendar month or quarter, an April-March financial quarter or year, or a calendar year. */
export interface Period {
  label: string;
  type: PeriodType;
  /** ISO date of the first day. */
  start: string;
  /** ISO date of the last day. */
  end: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const FINANCIAL_QUARTER = /^(\d{4})\/(\d{2})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
const FINANCIAL_YEAR = /^(\d{4})\/(\d{2})$/;
const TWELVE_MONTHS = /^(\d{4})-(0[1-9]|1[0-2])\/(\d{4})-(0[1-9]|1[0-2])$/;
const FINANCIAL_YEARS = /^(\d{4})\/(\d{2})-(\d{4})\/(\d{2})$/;

export const PERIOD_FORMATS =
  'YYYY-MM (month), YYYY-Qn (calendar quarter), YYYY/YY-Qn (April-March financial quarter), YYYY (year), YYYY/YY (financial year), YYYY-MM/YYYY-MM (twelve months, first and last month) or YYYY/YY-YYYY/YY (financial years, first and last)';

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Months [start, end] inclusive, 1-based, possibly crossing into the next year. */
function span(
  label: string,
  type: PeriodType,
  year: number,
  month: number,
  months: number,
): Period {
  const endMonthIndex = month - 1 + months - 1;
  const endYear = year + Math.floor(endMonthIndex / 12);
  const endMonth = (endMonthIndex % 12) + 1;
  return {
    label,
    type,
    start: iso(year, month, 1),
    end: iso(endYear, endMonth, lastDay(endYear, endMonth)),
  };
}

function checkFinancialYear(label: string, first: number, second: number): void {
  if ((first + 1) % 100 !== second) {
    throw new RangeError(
      `period "${label}" is not a financial year: ${first}/${String(second).padStart(2, '0')} must be consecutive years`,
    );
  }
}

/** Parses a period label; throws a RangeError naming the value and the accepted formats. */
export function parsePeriod(label: string): Period {
  let m: RegExpExecArray | null;
  if ((m = MONTH.exec(label))) return span(label, PeriodType.MONTH, Number(m[1]), Number(m[2]), 1);
  if ((m = QUARTER.exec(label)))
    return span(label, PeriodType.QUARTER, Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 3);
  if ((m = FINANCIAL_QUARTER.exec(label))) {
    checkFinancialYear(label, Number(m[1]), Number(m[2]));
    // Financial Q1 is April-June of the first year; Q4 is January-March of the second.
    const startMonthIndex = 3 + (Number(m[3]) - 1) * 3;
    const year = Number(m[1]) + Math.floor(startMonthIndex / 12);
    return span(label, PeriodType.FINANCIAL_QUARTER, year, (startMonthIndex % 12) + 1, 3);
  }
  if ((m = YEAR.exec(label))) return span(label, PeriodType.YEAR, Number(m[1]), 1, 12);
  if ((m = FINANCIAL_YEAR.exec(label))) {
    checkFinancialYear(label, Number(m[1]), Number(m[2]));
    return span(label, PeriodType.FINANCIAL_YEAR, Number(m[1]), 4, 12);
  }
  if ((m = TWELVE_MONTHS.exec(label))) {
    const months = (Number(m[3]) - Number(m[1])) * 12 + Number(m[4]) - Number(m[2]) + 1;
    if (months !== 12)
      throw new RangeError(
        `period "${label}" is not twelve months: ${m[1]}-${m[2]} to ${m[3]}-${m[4]} is ${months} months`,
      );
    return span(label, PeriodType.TWELVE_MONTHS, Number(m[1]), Number(m[2]), 12);
  }
  if ((m = FINANCIAL_YEARS.exec(label))) {
    checkFinancialYear(label, Number(m[1]), Number(m[2]));
    checkFinancialYear(label, Number(m[3]), Number(m[4]));
    const years = Number(m[3]) - Number(m[1]) + 1;
    if (years < 2)
      throw new RangeError(
        `period "${label}" is not several financial years: its last year must come after its first (one year is written YYYY/YY)`,
      );
    return span(label, PeriodType.FINANCIAL_YEARS, Number(m[1]), 4, 12 * years);
  }
  throw new RangeError(`period "${label}" is not in a known format: use ${PERIOD_FORMATS}`);
}

/** Months between one period of a type and the next: rolling twelve months are published every quarter, multi-year aggregates every year. */
const STEP: Record<PeriodType, number> = {
  [PeriodType.MONTH]: 1,
  [PeriodType.QUARTER]: 3,
  [PeriodType.FINANCIAL_QUARTER]: 3,
  [PeriodType.YEAR]: 12,
  [PeriodType.FINANCIAL_YEAR]: 12,
  [PeriodType.TWELVE_MONTHS]: 3,
  [PeriodType.FINANCIAL_YEARS]: 12,
};

/** The period of the same type (and length) that follows `period` (used to spot gaps in a series). */
export function nextPeriod(period: Period): Period {
  return shiftPeriod(period, STEP[period.type]);
}

/** Whole months a period spans. */
export function monthsOf(period: Pick<Period, 'start' | 'end'>): number {
  const [y1, m1] = period.start.split('-').map(Number) as [number, number];
  const [y2, m2] = period.end.split('-').map(Number) as [number, number];
  return (y2 - y1) * 12 + m2 - m1 + 1;
}

/** The period of the same type and length starting `months` later (earlier when negative). */
export function shiftPeriod(period: Period, months: number): Period {
  const start = new Date(`${period.start}T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() + months);
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + 1;
  if (period.type === PeriodType.FINANCIAL_YEARS) {
    const years = monthsOf(period) / 12;
    const fy = (first: number) => `${first}/${String((first + 1) % 100).padStart(2, '0')}`;
    return parsePeriod(`${fy(year)}-${fy(year + years - 1)}`);
  }
  return periodStarting(period.type, year, month);
}

/** The period of a type that starts in the given month. */
export function periodStarting(type: PeriodType, year: number, month: number): Period {
  const mm = String(month).padStart(2, '0');
  switch (type) {
    case PeriodType.MONTH:
      return parsePeriod(`${year}-${mm}`);
    case PeriodType.QUARTER:
      return parsePeriod(`${year}-Q${Math.floor((month - 1) / 3) + 1}`);
    case PeriodType.YEAR:
      return parsePeriod(`${year}`);
    case PeriodType.FINANCIAL_QUARTER: {
      const fyStart = month >= 4 ? year : year - 1;
      const q = Math.floor(((month + 8) % 12) / 3) + 1;
      return parsePeriod(`${fyStart}/${String((fyStart + 1) % 100).padStart(2, '0')}-Q${q}`);
    }
    case PeriodType.FINANCIAL_YEAR: {
      const fyStart = month >= 4 ? year : year - 1;
      return parsePeriod(`${fyStart}/${String((fyStart + 1) % 100).padStart(2, '0')}`);
    }
    case PeriodType.TWELVE_MONTHS: {
      const endIndex = month - 1 + 11;
      const end = `${year + Math.floor(endIndex / 12)}-${String((endIndex % 12) + 1).padStart(2, '0')}`;
      return parsePeriod(`${year}-${mm}/${end}`);
    }
    case PeriodType.FINANCIAL_YEARS:
      throw new RangeError(
        'several financial years have no one period starting in a month: their length varies (use shiftPeriod)',
      );
  }
}
