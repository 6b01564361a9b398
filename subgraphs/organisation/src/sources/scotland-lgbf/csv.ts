import { type CsvRecord, readCsvRecords } from '../csv.ts';

// Reading the LGBF's CSV files: records with the line each starts on, and published numbers read
// exactly as written (a multiplier of 1000 moves the decimal point rather than multiplying a
// binary fraction, so 830.9841 thousand pounds is 830984.1 pounds, not 830984.1000000001).

export type { CsvRecord };

export type CsvRead =
  | { ok: true; columns: string[]; records: CsvRecord[] }
  | { ok: false; line: number; message: string };

/**
 * Parses a CSV file's text or UTF-8 bytes with its first line as the header (sources/csv.ts gives
 * each record the line it starts on). An unnamed column (pandas' index) is named by its position:
 * `column 1`. Every line is a record, an empty one too.
 */
export function readCsv(text: string | Buffer): CsvRead {
  const read = readCsvRecords(text);
  if (!read.ok) return read;
  const [head, ...records] = read.records;
  if (!head) return { ok: false, line: 1, message: 'is empty: the header line is missing' };
  const columns = head.cells.map((name, index) =>
    name.trim() === '' ? `column ${index + 1}` : name.trim(),
  );
  return { ok: true, columns, records };
}

/** A record's cell by column name: '' when the record is short of it. */
export const cellOf = (columns: readonly string[]) => {
  const index = new Map(columns.map((name, i) => [name, i]));
  return (record: CsvRecord, column: string): string => record.cells[index.get(column) ?? -1] ?? '';
};

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Whether a cell is a number as the publisher writes them: digits, an optional decimal point and sign, an optional exponent. */
export const isNumberText = (text: string): boolean => {
  const match = NUMBER.exec(text);
  return match !== null && (match[2] !== '' || (match[3] ?? '') !== '');
};

/** A number written in decimal, times 10^`places`, by moving the decimal point: exact as written. */
export function shiftDecimal(text: string, places: number): number {
  if (places === 0) return isNumberText(text.trim()) ? Number(text) : Number.NaN;
  const match = NUMBER.exec(text.trim());
  if (!match || !isNumberText(text.trim())) return Number.NaN;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let point = whole.length + places + Number(exponent);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  return Number(`${sign}${digits.slice(0, point) || '0'}.${digits.slice(point) || '0'}`);
}

/** The power of ten a multiplier is (1000 is 3, 0.001 is -3), or null when it is not one (19.23076923 = 1000 / 52 weeks). */
export function powerOfTen(multiplier: number): number | null {
  if (!(multiplier > 0)) return null;
  const power = Math.round(Math.log10(multiplier));
  return Math.abs(multiplier / 10 ** power - 1) < 1e-12 ? power : null;
}

/** A published number times a multiplier: by moving the decimal point for a power of ten, else multiplied and rid of binary noise (15 significant digits). */
export function scaled(text: string, multiplier: number): number {
  const power = powerOfTen(multiplier);
  if (power !== null) return shiftDecimal(text, power);
  return Number((Number(text) * multiplier).toPrecision(15));
}
