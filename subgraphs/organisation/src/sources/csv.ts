import { CsvError, type InfoRecord, parse } from 'csv-parse/sync';

/** A record of a CSV file: its cells and the 1-based line it starts on, as an editor shows it. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

export type CsvRecords =
  { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

/**
 * A published CSV file's records, each with the line it starts on: one after the line the previous
 * record ended on (csv-parse's own count, which knows CRLF and quoted cells that span lines). A UTF-8
 * byte-order mark is dropped; a fault of the CSV format (an unbalanced quote) stops reading at its line.
 */
export function readCsvRecords(
  text: string | Buffer,
  options: { skipEmptyLines?: boolean } = {},
): CsvRecords {
  let parsed: { record: string[]; info: InfoRecord }[];
  try {
    parsed = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: options.skipEmptyLines ?? false,
    }) as unknown as { record: string[]; info: InfoRecord }[];
  } catch (error) {
    if (error instanceof CsvError)
      return {
        ok: false,
        line: (error as CsvError & { lines?: number }).lines ?? 1,
        message: error.message,
      };
    throw error;
  }
  const records: CsvRecord[] = [];
  let previousEnd = 0;
  for (const { record, info } of parsed) {
    records.push({ cells: record, line: previousEnd + 1 });
    previousEnd = info.lines;
  }
  return { ok: true, records };
}
