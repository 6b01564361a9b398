import { stringify } from 'csv-stringify/sync';
import type { FlatRow } from './flatten.ts';

/**
 * Text a spreadsheet would run as a formula when the file is opened (`=HYPERLINK(...)`,
 * `+cmd|...`, `@SUM(...)`, or one hidden behind a tab or carriage return): OWASP's CSV injection
 * list. Numbers are written as numbers and are never touched, so -5 stays -5.
 */
const FORMULA = /^[=+\-@\t\r]/;

/** A text cell made inert for spreadsheets: prefixed with an apostrophe, which Excel and Sheets show as text. */
export const neutralised = (text: string): string => (FORMULA.test(text) ? `'${text}` : text);

/**
 * CSV lines (RFC 4180, CRLF) for rows, in the given column order; booleans as true/false, nulls
 * blank, text that a spreadsheet would run as a formula neutralised. Quoting is csv-stringify's,
 * so a comma, quote or line break inside a value survives.
 */
export function csvLines(
  columns: readonly string[],
  rows: readonly FlatRow[],
  header: boolean,
): string {
  if (rows.length === 0 && !header) return '';
  return stringify(
    rows.map((row) => columns.map((c) => row[c] ?? null)),
    {
      header,
      columns: [...columns].map((column) => ({ key: column, header: neutralised(column) })),
      record_delimiter: 'windows',
      cast: { boolean: (value) => (value ? 'true' : 'false'), string: neutralised },
    },
  );
}
