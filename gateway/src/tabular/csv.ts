import { stringify } from 'csv-stringify/sync';
import type { FlatRow } from './flatten.ts';

/**
 * CSV lines (RFC 4180, CRLF) for rows, in the given column order; booleans as true/false, nulls
 * blank. Quoting is csv-stringify's, so a comma, quote or line break inside a value survives.
 */
export function csvLines(columns: readonly string[], rows: readonly FlatRow[], header: boolean): string {
  if (rows.length === 0 && !header) return '';
  return stringify(
    rows.map((row) => columns.map((c) => row[c] ?? null)),
    { header, columns: [...columns], record_delimiter: 'windows', cast: { boolean: (value) => (value ? 'true' : 'false') } },
  );
}
