import { type CsvRecord, readCsvRecords } from '../csv.ts';

// One version of the Transactions Explorer's services.csv as a table: its header (cells with line
// breaks and runs of spaces read as one space) and its rows, each with the line it starts on as an
// editor shows it (a quoted cell with a line break makes a row span two lines).

/** A row of the file: its cells and the 1-based line it starts on. */
export type TableRow = CsvRecord;

/** A file read as a table, or why it could not be. */
export type Table =
  | { ok: true; header: string[]; rows: TableRow[]; headerLineBreaks: number }
  | { ok: false; line: number; rule: string };

/** A header cell as a person reads it: line breaks and runs of spaces as one space, no spaces at the ends. */
export const headerName = (cell: string) => cell.replace(/\s+/g, ' ').trim();

/**
 * Reads a CSV file's bytes (UTF-8, a byte-order mark dropped) as a header and rows with their start
 * lines. An unbalanced quote or any other fault of the CSV format stops reading at its line.
 */
export function readTable(bytes: Buffer): Table {
  const read = readCsvRecords(bytes);
  if (!read.ok)
    return { ok: false, line: read.line, rule: `is not readable as CSV: ${read.message}` };
  const [first, ...rows] = read.records;
  if (!first)
    return {
      ok: false,
      line: 1,
      rule: 'is empty: a header row and one row per service are expected',
    };
  return {
    ok: true,
    header: first.cells.map(headerName),
    rows,
    headerLineBreaks: first.cells.filter((cell) => /[\r\n]/.test(cell)).length,
  };
}
