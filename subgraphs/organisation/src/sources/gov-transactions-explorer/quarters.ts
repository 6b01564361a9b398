// The Transactions Explorer's quarterly labels and the twelve months each stands for. A label is
// the quarter the figures were collected in; the figures are totals of the four calendar quarters
// before it (2013-Q3 is July 2012 to June 2013 ... 2017-Q4 is October 2016 to September 2017), as
// transaction-volumes.csv's headings show for the same cells. The first three labels are
// irregular: 2012-Q4 is April 2011 to March 2012, 2013-Q1 January to December 2012, 2013-Q2 April
// 2012 to March 2013 (PROVENANCE.md, "Periods").

const IRREGULAR: Readonly<Record<string, string>> = {
  '2012-Q4': '2011-04/2012-03',
  '2013-Q1': '2012-01/2012-12',
  '2013-Q2': '2012-04/2013-03',
};

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;

/**
 * The twelve months (YYYY-MM/YYYY-MM) a collection quarter's figures cover, or null for a label
 * this data set does not use (before 2012-Q4, or not a quarter).
 */
export function twelveMonthsOf(label: string): string | null {
  const irregular = IRREGULAR[label];
  if (irregular) return irregular;
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  if (year < 2013 || (year === 2013 && quarter < 3)) return null;
  // The last month is the one before the collection quarter starts; the first is eleven before it.
  const lastMonth = (quarter - 1) * 3 || 12;
  const lastYear = quarter === 1 ? year - 1 : year;
  const firstMonth = (lastMonth % 12) + 1;
  const firstYear = lastMonth === 12 ? lastYear : lastYear - 1;
  return `${month(firstYear, firstMonth)}/${month(lastYear, lastMonth)}`;
}

/** The figures of a quarter the adapter reads, by the header's words after the quarter label. */
export const FIGURE_COLUMNS = { volume: 'Vol.', cost: 'CPT (£)', digital: 'Digital vol.' } as const;
export type Figure = keyof typeof FIGURE_COLUMNS;

/** Quarterly columns the adapter does not read, with why (a note says so). */
export const UNREAD_QUARTER_COLUMNS: Readonly<Record<string, string>> = {
  'Digital CPT (£)': 'digital cost per transaction: no indicator of the hub takes it',
  'Completion rate': 'filled for one service only (PROVENANCE: nothing to compare)',
  'User satisfaction': 'filled for one service only (PROVENANCE: nothing to compare)',
};

/** A quarterly header cell split into its label and figure: `2017-Q2 Vol.` is 2017-Q2 and `Vol.`. */
export function quarterColumn(header: string): { quarter: string; figure: string } | null {
  const match = /^(\d{4}-Q[1-4]) (.+)$/.exec(header);
  return match ? { quarter: match[1]!, figure: match[2]! } : null;
}
