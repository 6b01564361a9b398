import { parse } from 'csv-parse/sync';

// The layout of a GMPP annual file: transposed, the first column holding the field names and each
// further column one project. This module turns a file's bytes into its field rows, each with the
// line it starts on, and finds the project columns; what the cells mean is read.ts's business.

/** A field of the annual files the adapter reads, by meaning (the field names change by year). */
export type FieldKey =
  | 'id'
  | 'name'
  | 'department'
  | 'category'
  | 'description'
  | 'ipaRating'
  | 'sroRating'
  | 'start'
  | 'end'
  | 'wholeLifeCost'
  | 'benefits';

interface FieldSpec {
  /** The field read, or null for a field that is known and deliberately not read. */
  key: FieldKey | null;
  /** Matched against the field name in lower case with its whitespace collapsed. */
  pattern: RegExp;
}

/**
 * Every field name the 2014-2023 files use, by meaning. Order matters: the whole-life cost comes
 * before the financial-year baseline, whose 2017-2019 name ("2016/17 TOTAL Baseline £m") is
 * otherwise like it. A field name that matches none is refused, so a new layout cannot be misread.
 */
const FIELDS: readonly FieldSpec[] = [
  { key: 'id', pattern: /^gmpp id number$/ },
  { key: 'name', pattern: /^project name$/ },
  { key: 'department', pattern: /^department$/ },
  { key: 'category', pattern: /^annual report category$/ },
  { key: 'description', pattern: /^description \/ aims/ },
  {
    key: 'ipaRating',
    pattern:
      /^(mpa|ipa) (rag rating|delivery confidence assessment) ?\(a delivery confidence assessment/,
  },
  {
    key: 'sroRating',
    pattern: /^sro delivery confidence assessment ?\(a delivery confidence assessment/,
  },
  { key: 'start', pattern: /^project - start date ?\(latest approved start date\)$/ },
  { key: 'end', pattern: /^project - end date ?\(latest approved end date\)$/ },
  {
    key: 'wholeLifeCost',
    pattern:
      /^(total budgeted whole life costs \(£million\)|whole life cost total baseline £m|total baseline whole life costs \(£m\))/,
  },
  { key: 'benefits', pattern: /^total baseline benefits \(£m\)$/ },
  // Known and not read: narratives, and the financial-year money (a year's budget, not the project's).
  {
    key: null,
    pattern: /^departmental commentary on actions planned or taken on the (mpa|ipa) rag rating/,
  },
  { key: null, pattern: /^departmental narrative on schedule/ },
  { key: null, pattern: /^departmental narrative on budget ?\/ ?forecast variance/ },
  { key: null, pattern: /^departmental narrative on budgeted (whole life costs|benefits)$/ },
  { key: null, pattern: /^(\d{4}\/\d{2,4} (budget|total baseline)|financial year baseline)/ },
  { key: null, pattern: /^(\d{4}\/\d{2,4} (forecast|total forecast)|financial year forecast)/ },
  {
    key: null,
    pattern:
      /^(\d{4}\/\d{4} variance \(£million\)|\d{4}\/\d{4} variance %age|variance budget \/ forecast %age|financial year variance \(%\))$/,
  },
];

/** One row of the file: a field and its value for every column. */
export interface FieldRow {
  /** The field read from this row; null for a known field not read. */
  key: FieldKey | null;
  /** The field name as a short label: its first line, whitespace collapsed ("Project - End Date"). */
  label: string;
  /** The line the row starts on (1-based, as an editor shows it), where its field name is. */
  line: number;
  cells: string[];
}

/** Something about the layout that is wrong, at a line. */
export interface LayoutProblem {
  line: number;
  field: string;
  value: unknown;
  rule: string;
}

/** A file read into its rows, with the columns that are projects. */
export interface Sheet {
  delimiter: ',' | ';';
  fields: Map<FieldKey, FieldRow>;
  /** The 0-based indexes of the columns that hold a project. */
  projects: number[];
  /** Rows after the data with text in the field-name column and no project values: footnotes. */
  footnotes: { line: number; text: string }[];
  emptyRows: number;
  emptyColumns: number;
  /** Cells holding a character cp1252 does not define (a C1 control), with the cell as cleaned. */
  controls: {
    row: FieldRow | null;
    line: number;
    column: number;
    value: string;
    cleaned: string;
  }[];
  problems: LayoutProblem[];
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * cp1252's characters for the bytes 0x80-0x9f, by byte. Node 20's TextDecoder('windows-1252')
 * decodes as ISO-8859-1 (0x92 becomes the control U+0092, not a right quote), so they are mapped
 * here; with a decoder that already maps them this changes nothing. The five bytes cp1252 leaves
 * undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d) stay controls, and are reported and removed.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1_CONTROL = /[\u0080-\u009f]/;
const C1_CONTROLS = /[\u0080-\u009f]/g;

/** Decodes cp1252 bytes (after any UTF-8 byte-order mark). */
export function decodeCp1252(raw: Buffer): string {
  const text = new TextDecoder('windows-1252').decode(
    raw.subarray(0, 3).equals(UTF8_BOM) ? raw.subarray(3) : raw,
  );
  return text.replace(C1_CONTROLS, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The short label of a field name: its first line, or its first 60 characters. */
export const labelOf = (header: string) => {
  const first = header
    .trim()
    .split(/[\r\n]/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
};

/** The delimiter of a file: its first line has more semicolons than commas in the European-locale saves (2021-2023). */
function delimiterOf(text: string): ',' | ';' {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/**
 * The line each record starts on. csv-parse reports where a record ends in bytes, so the lines are
 * counted here as an editor counts them: CRLF, a bare CR and a bare LF each end one line (the
 * files mix all three, and narrative cells hold CR CR LF).
 */
function startLines(bytes: Buffer, ends: readonly number[]): number[] {
  const starts: number[] = [];
  let line = 1;
  let at = 0;
  for (const end of ends) {
    starts.push(line);
    for (; at < end; at++) {
      const b = bytes[at];
      if (b === 0x0d || (b === 0x0a && bytes[at - 1] !== 0x0d)) line++;
    }
  }
  return starts;
}

/** Decodes cp1252 (after any UTF-8 byte-order mark) and reads the transposed layout. */
export function readSheet(raw: Buffer): Sheet {
  const text = decodeCp1252(raw);
  const delimiter = delimiterOf(text);
  const bytes = Buffer.from(text, 'utf8');
  const sheet: Sheet = {
    delimiter,
    fields: new Map(),
    projects: [],
    footnotes: [],
    emptyRows: 0,
    emptyColumns: 0,
    controls: [],
    problems: [],
  };
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      delimiter,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    sheet.problems.push({
      line: (error as { lines?: number }).lines ?? 1,
      field: 'file',
      value: null,
      rule: `is not readable CSV: ${(error as Error).message}`,
    });
    return sheet;
  }
  const lines = startLines(
    bytes,
    records.map((r) => r.info.bytes),
  );
  const rows: FieldRow[] = [];
  const unknown: FieldRow[] = [];
  records.forEach(({ record }, index) => {
    const line = lines[index]!;
    const header = squeeze(record[0] ?? '').toLowerCase();
    const spec = header === '' ? undefined : FIELDS.find((f) => f.pattern.test(header));
    const row: FieldRow = {
      key: spec?.key ?? null,
      label: labelOf(record[0] ?? ''),
      line,
      cells: record,
    };
    record.forEach((cell, column) => {
      if (!C1_CONTROL.test(cell)) return;
      const cleaned = cell.replace(C1_CONTROLS, '');
      record[column] = cleaned;
      sheet.controls.push({ row, line, column, value: cell, cleaned });
    });
    if (record.every((cell) => cell.trim() === '')) sheet.emptyRows += 1;
    else if (header === '')
      sheet.problems.push({
        line,
        field: 'field name',
        value: '',
        rule: 'is blank on a row with values: every row of the file names its field in the first column',
      });
    else if (!spec) unknown.push(row);
    else if (spec.key && sheet.fields.has(spec.key))
      sheet.problems.push({
        line,
        field: row.label,
        value: record[0],
        rule: `repeats the field of line ${sheet.fields.get(spec.key)!.line}: each field is one row`,
      });
    else {
      if (spec.key) sheet.fields.set(spec.key, row);
      rows.push(row);
    }
  });
  findProjects(
    sheet,
    rows,
    records.map((r) => r.record),
  );
  for (const row of unknown) {
    const values = sheet.projects.some((c) => (row.cells[c] ?? '').trim() !== '');
    if (values)
      sheet.problems.push({
        line: row.line,
        field: row.label,
        value: row.cells[0],
        rule: 'is not a field of the GMPP annual files this adapter knows: a new layout is read only once its fields are mapped',
      });
    else sheet.footnotes.push({ line: row.line, text: squeeze(row.cells[0]!) });
  }
  return sheet;
}

/** The project columns: those with a project name or GMPP ID. A column with values and neither is refused. */
function findProjects(sheet: Sheet, rows: readonly FieldRow[], records: readonly string[][]): void {
  const width = Math.max(0, ...records.map((r) => r.length));
  const name = sheet.fields.get('name');
  const id = sheet.fields.get('id');
  for (let column = 1; column < width; column++) {
    const named = [name, id].some((row) => (row?.cells[column] ?? '').trim() !== '');
    if (named) {
      sheet.projects.push(column);
      continue;
    }
    const filled = rows.find((row) => (row.cells[column] ?? '').trim() !== '');
    if (filled)
      sheet.problems.push({
        line: filled.line,
        field: `${filled.label} (column ${column + 1})`,
        value: filled.cells[column],
        rule: 'is in a column with no project name: every project column names its project',
      });
    else sheet.emptyColumns += 1;
  }
}
