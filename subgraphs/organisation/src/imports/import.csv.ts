import { once } from 'node:events';
import { CsvError, parse } from 'csv-parse';
import type { IndicatorDefinitionSubmission } from '../indicator/definition.store.ts';
import { DEFAULT_MAX_PROBLEMS, type SubmissionProblem } from '../problems.ts';
import {
  type ImportBatch,
  type ImportedMeasurement,
  NUL_RULE,
  type OnRead,
  type ParseOptions,
  emptyBatch,
} from './import.parse.ts';
import { SNIFF_BYTES, sniff } from './import.sniff.ts';

// ---------------------------------------------------------------------------------------------
// CSV: one measurement per line, optionally with the target that applies from its period.

type CsvField =
  | 'organisation'
  | 'indicatorCode'
  | 'indicatorName'
  | 'unit'
  | 'polarity'
  | 'serviceId'
  | 'department'
  | 'period'
  | 'value'
  | 'numerator'
  | 'denominator'
  | 'target';

/** Column names a file may use, compared without case, spaces, hyphens or underscores. */
const CSV_COLUMNS: Record<string, CsvField> = {
  organisation: 'organisation',
  organisationid: 'organisation',
  organization: 'organisation',
  organizationid: 'organisation',
  indicatorcode: 'indicatorCode',
  indicatorref: 'indicatorCode',
  code: 'indicatorCode',
  indicator: 'indicatorName',
  indicatorname: 'indicatorName',
  unit: 'unit',
  polarity: 'polarity',
  serviceid: 'serviceId',
  service: 'serviceId',
  department: 'department',
  period: 'period',
  value: 'value',
  numerator: 'numerator',
  denominator: 'denominator',
  target: 'target',
};

export const CSV_COLUMN_NAMES =
  "organisation (in a publisher's file), indicator_code (or indicator_ref, code), period, value, numerator, denominator, target, service_id, department, and the descriptive indicator, unit, polarity";

const normalise = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

/** The longest line read, in characters: far beyond any real row, even one defining an indicator at length. */
const MAX_RECORD_SIZE = 1024 * 1024;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_RULE =
  'must be a number: digits with an optional decimal point, no thousands separators, units or percent signs';

/**
 * Reads a CSV import. Lines are numbered as a spreadsheet shows them (the header is line 1), and
 * each problem names its line, field, value and rule. Structural faults (unbalanced quotes) stop
 * reading at the line they are on; everything else is collected so the whole file is judged at once.
 */
export async function parseCsvImport(
  source: string | Buffer | AsyncIterable<Buffer | string>,
  onRead?: OnRead,
  options: ParseOptions = {},
): Promise<ImportBatch> {
  const batch = emptyBatch('csv');
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const { head, rest } = await peek(
    typeof source === 'string' || Buffer.isBuffer(source) ? [source] : source,
  );
  const notText = sniff(head, 'csv');
  if (notText) {
    batch.problems.push(notText);
    return batch;
  }
  // A line without an end (a binary file that passed the sniff, a quote never closed) is refused
  // at this length instead of being buffered to the end of the upload.
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    max_record_size: MAX_RECORD_SIZE,
  });
  // Fed by hand rather than piped: a source that fails part-way (an upload cut off) must end the
  // parse with that error, not leave it waiting or throw where nobody listens; and when reading
  // stops early (the problem cap), the feeding stops too rather than wait for a drain that never comes.
  const stop = new AbortController();
  void (async () => {
    try {
      for await (const chunk of rest) {
        if (stop.signal.aborted) return;
        if (!parser.write(chunk)) await once(parser, 'drain', { signal: stop.signal });
      }
      parser.end();
    } catch (error) {
      if (!stop.signal.aborted) parser.destroy(error as Error);
    }
  })();
  let columns: (CsvField | null)[] | null = null;
  let definitions: (DefinitionField | null)[] | null = null;
  let header: string[] = [];
  try {
    for await (const { record, info } of parser as unknown as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (!columns && !definitions) {
        header = record;
        // A file of indicator definitions has no period column; any other is figures.
        if (isDefinitionsHeader(record)) {
          definitions = readDefinitionsHeader(record, batch.problems);
          if (!definitions) return batch;
        } else {
          columns = readHeader(record, batch.problems);
          if (!columns) return batch;
        }
        continue;
      }
      batch.rows += 1;
      if (batch.rows % 5000 === 0) onRead?.(batch.rows);
      // The sniff sees NUL bytes only in a file's first 4 KiB; one further on stops at its cell.
      const nul = record.findIndex((cell) => cell.includes('\0'));
      if (nul >= 0)
        batch.problems.push({
          row: line,
          field: header[nul] ?? 'line',
          value: record[nul],
          rule: NUL_RULE,
        });
      else if (definitions) readDefinitionRow(record, line, definitions, batch);
      else readCsvRow(record, line, columns!, batch);
      if (batch.problems.length >= maxProblems) {
        batch.stoppedAtRow = line;
        return batch;
      }
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? batch.rows + 1;
    const rule =
      error.code === 'CSV_MAX_RECORD_SIZE'
        ? `has a line longer than ${MAX_RECORD_SIZE} characters, so reading stopped there: no row of an import is that long (is it a CSV file, and is every quote closed?)`
        : `is not valid CSV: ${error.message}`;
    batch.problems.push({ row: line, field: 'file', value: null, rule });
    return batch;
  } finally {
    stop.abort();
  }
  if (!columns && !definitions)
    batch.problems.push({
      row: 1,
      field: 'file',
      value: null,
      rule: 'must have a header line naming its columns',
    });
  onRead?.(batch.rows);
  return batch;
}

/**
 * The first bytes of a stream (at least {@link SNIFF_BYTES}, unless it is shorter), and the whole
 * stream again, those bytes included, for the parser.
 */
async function peek(
  source: Iterable<Buffer | string> | AsyncIterable<Buffer | string>,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = (
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Buffer | string>)[Symbol.iterator]()
  ) as AsyncIterator<Buffer | string> | Iterator<Buffer | string>;
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    seen.push(chunk);
    length += chunk.length;
  }
  async function* rest(): AsyncIterable<Buffer> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    }
  }
  return { head: Buffer.concat(seen), rest: rest() };
}

function readHeader(header: string[], problems: SubmissionProblem[]): (CsvField | null)[] | null {
  const columns = header.map((name) => CSV_COLUMNS[normalise(name)] ?? null);
  const before = problems.length;
  header.forEach((name, i) => {
    if (!columns[i])
      problems.push({
        row: 1,
        field: 'column',
        value: name,
        rule: `is not a known column; known columns are ${CSV_COLUMN_NAMES}`,
      });
    else if (columns.indexOf(columns[i]) !== i)
      problems.push({
        row: 1,
        field: 'column',
        value: name,
        rule: `names the same field (${columns[i]}) as an earlier column`,
      });
  });
  for (const required of ['indicatorCode', 'period'] as const) {
    if (!columns.includes(required))
      problems.push({
        row: 1,
        field: 'column',
        value: null,
        rule: `a column for ${required} is required (${required === 'indicatorCode' ? 'indicator_code, indicator_ref or code' : 'period'})`,
      });
  }
  return problems.length === before ? columns : null;
}

function readCsvRow(
  record: string[],
  row: number,
  columns: (CsvField | null)[],
  batch: ImportBatch,
): void {
  if (record.length !== columns.length) {
    batch.problems.push({
      row,
      field: 'line',
      value: record.length,
      rule: `must have ${columns.length} fields, as the header has`,
    });
    return;
  }
  const text: Partial<Record<CsvField, string>> = {};
  columns.forEach((field, i) => {
    if (field) text[field] = record[i]!;
  });
  const context = `indicator ${text.indicatorCode ?? ''}, period ${text.period ?? ''}`;
  let readable = true;
  const number = (field: 'value' | 'numerator' | 'denominator' | 'target'): number | null => {
    const raw = text[field];
    if (raw === undefined || raw === '') return null;
    if (!NUMBER.test(raw)) {
      batch.problems.push({ row, context, field, value: raw, rule: NUMBER_RULE });
      readable = false;
      return null;
    }
    return Number(raw);
  };
  const optional = (field: CsvField) =>
    text[field] === undefined || text[field] === '' ? null : text[field]!;
  const organisation = optional('organisation');
  const measurement: ImportedMeasurement = {
    row,
    ...(organisation !== null && { organisation }),
    indicatorCode: text.indicatorCode ?? '',
    period: text.period ?? '',
    serviceId: optional('serviceId'),
    department: optional('department'),
    value: number('value'),
    numerator: number('numerator'),
    denominator: number('denominator'),
    ...(optional('unit') !== null && { declaredUnit: text.unit! }),
    ...(optional('polarity') !== null && { declaredPolarity: text.polarity! }),
  };
  const target = number('target');
  if (!readable) return;
  batch.measurements.push(measurement);
  if (target !== null)
    batch.targets.push({
      row,
      ...(organisation !== null && { organisation }),
      indicatorCode: measurement.indicatorCode,
      fromPeriod: measurement.period,
      value: target,
    });
}

// ---------------------------------------------------------------------------------------------
// CSV of indicator definitions: one indicator per line, no period column.

type DefinitionField = Exclude<keyof IndicatorDefinitionSubmission, 'row'>;

const DEFINITION_COLUMNS: Record<string, DefinitionField> = {
  organisation: 'organisation',
  organisationid: 'organisation',
  organization: 'organisation',
  code: 'code',
  indicatorcode: 'code',
  indicatorref: 'code',
  name: 'name',
  indicator: 'name',
  indicatorname: 'name',
  unit: 'unit',
  polarity: 'polarity',
  frequency: 'frequency',
  definition: 'definition',
  tolerance: 'tolerance',
  minvalue: 'minValue',
  maxvalue: 'maxValue',
  leadofficer: 'leadOfficer',
  dataowner: 'dataOwner',
  whyitmatters: 'whyItMatters',
  background: 'background',
  whatsuccesslookslike: 'whatSuccessLooksLike',
  actions: 'actions',
};

export const DEFINITION_COLUMN_NAMES =
  "code (or indicator_code), name, unit, polarity, frequency, definition, tolerance, lead_officer, data_owner, why_it_matters, background, what_success_looks_like, actions, and organisation in a publisher's file";

/** Columns only a definitions file has. */
const DEFINING = new Set([
  'frequency',
  'definition',
  'tolerance',
  'leadofficer',
  'dataowner',
  'whyitmatters',
  'background',
  'whatsuccesslookslike',
  'actions',
  'name',
]);

function isDefinitionsHeader(header: string[]): boolean {
  const names = header.map(normalise);
  return !names.includes('period') && names.some((name) => DEFINING.has(name));
}

function readDefinitionsHeader(
  header: string[],
  problems: SubmissionProblem[],
): (DefinitionField | null)[] | null {
  const columns = header.map((name) => DEFINITION_COLUMNS[normalise(name)] ?? null);
  const before = problems.length;
  header.forEach((name, i) => {
    if (!columns[i])
      problems.push({
        row: 1,
        field: 'column',
        value: name,
        rule: `is not a column of an indicator definitions file (one without a period column); its columns are ${DEFINITION_COLUMN_NAMES}`,
      });
    else if (columns.indexOf(columns[i]) !== i)
      problems.push({
        row: 1,
        field: 'column',
        value: name,
        rule: `names the same field (${columns[i]}) as an earlier column`,
      });
  });
  if (!columns.includes('code'))
    problems.push({
      row: 1,
      field: 'column',
      value: null,
      rule: 'a column for the indicator code is required (code or indicator_code)',
    });
  return problems.length === before ? columns : null;
}

function readDefinitionRow(
  record: string[],
  row: number,
  columns: (DefinitionField | null)[],
  batch: ImportBatch,
): void {
  if (record.length !== columns.length) {
    batch.problems.push({
      row,
      field: 'line',
      value: record.length,
      rule: `must have ${columns.length} fields, as the header has`,
    });
    return;
  }
  const definition: IndicatorDefinitionSubmission = {
    row,
    code: record[columns.indexOf('code')] ?? '',
  };
  let readable = true;
  columns.forEach((field, i) => {
    const raw = record[i]!;
    if (!field || raw === '' || field === 'code') return;
    if (field === 'tolerance') {
      if (!NUMBER.test(raw)) {
        batch.problems.push({
          row,
          context: `indicator ${definition.code}`,
          field,
          value: raw,
          rule: NUMBER_RULE,
        });
        readable = false;
      } else definition.tolerance = Number(raw);
      return;
    }
    (definition as unknown as Record<string, string>)[field] = raw;
  });
  if (readable) batch.indicators.push(definition);
}
