import { parsePeriod } from '@crossgov/schema';
import {
  FIGURE_COLUMNS,
  type Figure,
  UNREAD_QUARTER_COLUMNS,
  quarterColumn,
  twelveMonthsOf,
} from './quarters.ts';

// Where the columns the adapter reads are in one version's header. Versions add a quarter's four
// columns each release, and the first has `Short service name` before `Slug`, so every column is
// found by its name, never by its position.

/** A collection quarter's columns: its label, the twelve months it stands for, and where its figures are. */
export interface QuarterColumns {
  quarter: string;
  period: string;
  /** Last day of the twelve months. */
  end: string;
  at: Record<Figure, number>;
  names: Record<Figure, string>;
}

/** Columns the adapter reads, and what the header shows of those it does not. */
export interface Columns {
  abbr: number;
  department: number;
  agency: number;
  name: number;
  slug: number;
  url: number;
  /** `Previous dept (MOG, Jun 2016)`, from the 2016-11-30 version on. */
  previous: number | null;
  previousName: string | null;
  quarters: QuarterColumns[];
  /** Header cells that are empty. */
  unnamed: number;
  /** Columns read for notes only (counts of `[not provided]`, `#REF!`, filled Completion rate cells). */
  customerType: number | null;
  businessModel: number | null;
  hiVol: number | null;
  /** Completion rate and user satisfaction columns. */
  kpis: number[];
  /** Quarterly columns of kinds not read (Digital CPT), by figure. */
  unread: Record<string, number>;
}

/** A problem of the header: the column it names, and the rule. */
export interface HeaderProblem {
  field: string;
  value: string | null;
  rule: string;
}

const REQUIRED = {
  abbr: 'Abbr',
  department: 'Department',
  agency: 'Agency/body',
  name: 'Name of service',
  slug: 'Slug',
  url: 'URL',
} as const;

/** Finds the columns of a header (cells as `headerName` reads them), or says what is missing. */
export function findColumns(
  header: readonly string[],
  today: string,
): { columns: Columns; problems: HeaderProblem[] } {
  const problems: HeaderProblem[] = [];
  const at = (name: string) => header.indexOf(name);
  const required = Object.fromEntries(
    Object.entries(REQUIRED).map(([key, name]) => {
      const index = at(name);
      if (index < 0)
        problems.push({
          field: name,
          value: null,
          rule: 'is missing from the header: every version of services.csv has it',
        });
      return [key, index];
    }),
  ) as Record<keyof typeof REQUIRED, number>;
  const previous = header.findIndex((cell) => cell.startsWith('Previous dept'));
  const optional = (name: string) => (at(name) < 0 ? null : at(name));
  const columns: Columns = {
    ...required,
    previous: previous < 0 ? null : previous,
    previousName: previous < 0 ? null : header[previous]!,
    quarters: [],
    unnamed: header.filter((cell) => cell === '').length,
    customerType: optional('Customer type'),
    businessModel: optional('Business model'),
    hiVol: optional('Hi-vol'),
    kpis: [],
    unread: {},
  };
  const byQuarter = new Map<string, Partial<Record<Figure, number>>>();
  const figureOf = new Map(
    Object.entries(FIGURE_COLUMNS).map(([figure, words]) => [words as string, figure as Figure]),
  );
  header.forEach((cell, index) => {
    const column = quarterColumn(cell);
    if (!column) return;
    const figure = figureOf.get(column.figure);
    if (figure) {
      const found = byQuarter.get(column.quarter) ?? {};
      if (found[figure] !== undefined)
        problems.push({
          field: cell,
          value: cell,
          rule: `appears twice in the header (columns ${found[figure] + 1} and ${index + 1}): which is the figure cannot be told`,
        });
      found[figure] = index;
      byQuarter.set(column.quarter, found);
    } else if (column.figure === 'Completion rate' || column.figure === 'User satisfaction') {
      columns.kpis.push(index);
    } else if (column.figure in UNREAD_QUARTER_COLUMNS) {
      columns.unread[column.figure] = (columns.unread[column.figure] ?? 0) + 1;
    }
  });
  for (const [quarter, found] of byQuarter) {
    const quarterColumns = quarterColumnsOf(quarter, found, today);
    if ('rule' in quarterColumns) problems.push(quarterColumns);
    else columns.quarters.push(quarterColumns);
  }
  columns.quarters.sort((a, b) => a.end.localeCompare(b.end));
  return { columns, problems };
}

function quarterColumnsOf(
  quarter: string,
  found: Partial<Record<Figure, number>>,
  today: string,
): QuarterColumns | HeaderProblem {
  const names = Object.fromEntries(
    Object.entries(FIGURE_COLUMNS).map(([figure, words]) => [figure, `${quarter} ${words}`]),
  ) as Record<Figure, string>;
  const missing = (Object.keys(FIGURE_COLUMNS) as Figure[]).filter(
    (figure) => found[figure] === undefined,
  );
  if (missing.length > 0) {
    return {
      field: names[missing[0]!],
      value: null,
      rule: `is missing from the header, though ${quarter}'s other figures are there: a quarter has Vol., CPT (£) and Digital vol.`,
    };
  }
  const period = twelveMonthsOf(quarter);
  if (!period)
    return {
      field: names.volume,
      value: quarter,
      rule: 'is not a collection quarter of the Transactions Explorer, whose figures start with 2012-Q4',
    };
  const { end } = parsePeriod(period);
  if (end >= today)
    return {
      field: names.volume,
      value: quarter,
      rule: `stands for ${period}, which are not over by today (${today}): a figure for twelve months can be published once they end`,
    };
  return { quarter, period, end, at: found as Record<Figure, number>, names };
}
