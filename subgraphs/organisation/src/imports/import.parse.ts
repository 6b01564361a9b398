import { once } from 'node:events';
import { CsvError, parse } from 'csv-parse';
import type { IndicatorDefinitionSubmission } from '../indicator/definition.store.ts';
import type { MeasurementSubmission } from '../indicator/submission.store.ts';
import type { TargetSubmission } from '../indicator/target.store.ts';
import type { ConfidenceAssessmentSubmission } from '../programme/confidence.store.ts';
import type { MilestoneReturnSubmission } from '../programme/milestone.store.ts';
import type { SubmissionProblem } from '../problems.ts';
import { SNIFF_BYTES, sniff } from './import.sniff.ts';

/** A measurement row of a file, with what the file says about its indicator, checked against the indicator's definition. */
export interface ImportedMeasurement extends MeasurementSubmission {
  row: number;
  declaredUnit?: string;
  declaredPolarity?: string;
}

/** Everything one file asks to write, each record naming the row it came from, and what could not be read at all. */
export interface ImportBatch {
  format: 'csv' | 'json';
  /** Data rows read (a CSV's lines after the header; a JSON file's records in all sections). */
  rows: number;
  /** Indicators the file defines or adopts; written before its figures, which may use them. */
  indicators: IndicatorDefinitionSubmission[];
  measurements: ImportedMeasurement[];
  targets: TargetSubmission[];
  milestoneReturns: MilestoneReturnSubmission[];
  confidenceAssessments: ConfidenceAssessmentSubmission[];
  /** Rows or fields that could not be read (a number that is not one, an unknown column). */
  problems: SubmissionProblem[];
}

export type ImportFormat = ImportBatch['format'];

/** Called as rows are read; `rows` so far. */
export type OnRead = (rows: number) => void;

const emptyBatch = (format: ImportFormat): ImportBatch => ({ format, rows: 0, indicators: [], measurements: [], targets: [], milestoneReturns: [], confidenceAssessments: [], problems: [] });

// ---------------------------------------------------------------------------------------------
// CSV: one measurement per line, optionally with the target that applies from its period.

type CsvField = 'organisation' | 'indicatorCode' | 'indicatorName' | 'unit' | 'polarity' | 'serviceId' | 'department' | 'period' | 'value' | 'numerator' | 'denominator' | 'target';

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

export const CSV_COLUMN_NAMES = 'organisation (in a publisher\'s file), indicator_code (or indicator_ref, code), period, value, numerator, denominator, target, service_id, department, and the descriptive indicator, unit, polarity';

const normalise = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_RULE = 'must be a number: digits with an optional decimal point, no thousands separators, units or percent signs';

/**
 * Reads a CSV import. Lines are numbered as a spreadsheet shows them (the header is line 1), and
 * each problem names its line, field, value and rule. Structural faults (unbalanced quotes) stop
 * reading at the line they are on; everything else is collected so the whole file is judged at once.
 */
export async function parseCsvImport(source: string | Buffer | AsyncIterable<Buffer | string>, onRead?: OnRead): Promise<ImportBatch> {
  const batch = emptyBatch('csv');
  const { head, rest } = await peek(typeof source === 'string' || Buffer.isBuffer(source) ? [source] : source);
  const notText = sniff(head, 'csv');
  if (notText) {
    batch.problems.push(notText);
    return batch;
  }
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true });
  // Fed by hand rather than piped: a source that fails part-way (an upload cut off) must end the
  // parse with that error, not leave it waiting or throw where nobody listens.
  void (async () => {
    try {
      for await (const chunk of rest) if (!parser.write(chunk)) await once(parser, 'drain');
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let columns: (CsvField | null)[] | null = null;
  let definitions: (DefinitionField | null)[] | null = null;
  try {
    for await (const { record, info } of parser as unknown as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!columns && !definitions) {
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
      if (definitions) readDefinitionRow(record, line, definitions, batch);
      else readCsvRow(record, line, columns!, batch);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? batch.rows + 1;
    batch.problems.push({ row: line, field: 'file', value: null, rule: `is not valid CSV: ${error.message}` });
    return batch;
  }
  if (!columns && !definitions) batch.problems.push({ row: 1, field: 'file', value: null, rule: 'must have a header line naming its columns' });
  onRead?.(batch.rows);
  return batch;
}

/**
 * The first bytes of a stream (at least {@link SNIFF_BYTES}, unless it is shorter), and the whole
 * stream again, those bytes included, for the parser.
 */
async function peek(source: Iterable<Buffer | string> | AsyncIterable<Buffer | string>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Buffer | string>)[Symbol.iterator]()) as AsyncIterator<Buffer | string> | Iterator<Buffer | string>;
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
    if (!columns[i]) problems.push({ row: 1, field: 'column', value: name, rule: `is not a known column; known columns are ${CSV_COLUMN_NAMES}` });
    else if (columns.indexOf(columns[i]) !== i) problems.push({ row: 1, field: 'column', value: name, rule: `names the same field (${columns[i]}) as an earlier column` });
  });
  for (const required of ['indicatorCode', 'period'] as const) {
    if (!columns.includes(required)) problems.push({ row: 1, field: 'column', value: null, rule: `a column for ${required} is required (${required === 'indicatorCode' ? 'indicator_code, indicator_ref or code' : 'period'})` });
  }
  return problems.length === before ? columns : null;
}

function readCsvRow(record: string[], row: number, columns: (CsvField | null)[], batch: ImportBatch): void {
  if (record.length !== columns.length) {
    batch.problems.push({ row, field: 'line', value: record.length, rule: `must have ${columns.length} fields, as the header has` });
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
  const optional = (field: CsvField) => (text[field] === undefined || text[field] === '' ? null : text[field]!);
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
  if (target !== null) batch.targets.push({ row, ...(organisation !== null && { organisation }), indicatorCode: measurement.indicatorCode, fromPeriod: measurement.period, value: target });
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
  leadofficer: 'leadOfficer',
  dataowner: 'dataOwner',
  whyitmatters: 'whyItMatters',
  whatsuccesslookslike: 'whatSuccessLooksLike',
  actions: 'actions',
};

export const DEFINITION_COLUMN_NAMES =
  'code (or indicator_code), name, unit, polarity, frequency, definition, tolerance, lead_officer, data_owner, why_it_matters, what_success_looks_like, actions, and organisation in a publisher\'s file';

/** Columns only a definitions file has. */
const DEFINING = new Set(['frequency', 'definition', 'tolerance', 'leadofficer', 'dataowner', 'whyitmatters', 'whatsuccesslookslike', 'actions', 'name']);

function isDefinitionsHeader(header: string[]): boolean {
  const names = header.map(normalise);
  return !names.includes('period') && names.some((name) => DEFINING.has(name));
}

function readDefinitionsHeader(header: string[], problems: SubmissionProblem[]): (DefinitionField | null)[] | null {
  const columns = header.map((name) => DEFINITION_COLUMNS[normalise(name)] ?? null);
  const before = problems.length;
  header.forEach((name, i) => {
    if (!columns[i]) problems.push({ row: 1, field: 'column', value: name, rule: `is not a column of an indicator definitions file (one without a period column); its columns are ${DEFINITION_COLUMN_NAMES}` });
    else if (columns.indexOf(columns[i]) !== i) problems.push({ row: 1, field: 'column', value: name, rule: `names the same field (${columns[i]}) as an earlier column` });
  });
  if (!columns.includes('code')) problems.push({ row: 1, field: 'column', value: null, rule: 'a column for the indicator code is required (code or indicator_code)' });
  return problems.length === before ? columns : null;
}

function readDefinitionRow(record: string[], row: number, columns: (DefinitionField | null)[], batch: ImportBatch): void {
  if (record.length !== columns.length) {
    batch.problems.push({ row, field: 'line', value: record.length, rule: `must have ${columns.length} fields, as the header has` });
    return;
  }
  const definition: IndicatorDefinitionSubmission = { row, code: record[columns.indexOf('code')] ?? '' };
  let readable = true;
  columns.forEach((field, i) => {
    const raw = record[i]!;
    if (!field || raw === '' || field === 'code') return;
    if (field === 'tolerance') {
      if (!NUMBER.test(raw)) {
        batch.problems.push({ row, context: `indicator ${definition.code}`, field, value: raw, rule: NUMBER_RULE });
        readable = false;
      } else definition.tolerance = Number(raw);
      return;
    }
    (definition as unknown as Record<string, string>)[field] = raw;
  });
  if (readable) batch.indicators.push(definition);
}

// ---------------------------------------------------------------------------------------------
// JSON: an array of measurements, or an object with any of the five sections.

const SECTIONS = ['indicators', 'measurements', 'targets', 'milestoneReturns', 'confidenceAssessments'] as const;
export type Section = (typeof SECTIONS)[number];

type FieldKind = 'string' | 'number' | 'code';
/** Each section's fields: which are required, and their kind. A measurement may carry the target that applies from its period. */
const SECTION_FIELDS: Record<Section, Record<string, { kind: FieldKind; required?: boolean }>> = {
  indicators: {
    organisation: { kind: 'string' },
    code: { kind: 'code', required: true },
    name: { kind: 'string' },
    unit: { kind: 'string' },
    polarity: { kind: 'string' },
    frequency: { kind: 'string' },
    definition: { kind: 'string' },
    tolerance: { kind: 'number' },
    leadOfficer: { kind: 'string' },
    dataOwner: { kind: 'string' },
    whyItMatters: { kind: 'string' },
    whatSuccessLooksLike: { kind: 'string' },
    actions: { kind: 'string' },
  },
  measurements: {
    organisation: { kind: 'string' },
    indicatorCode: { kind: 'code', required: true },
    period: { kind: 'string', required: true },
    serviceId: { kind: 'string' },
    department: { kind: 'string' },
    value: { kind: 'number' },
    numerator: { kind: 'number' },
    denominator: { kind: 'number' },
    target: { kind: 'number' },
    unit: { kind: 'string' },
    polarity: { kind: 'string' },
  },
  targets: { organisation: { kind: 'string' }, indicatorCode: { kind: 'code', required: true }, fromPeriod: { kind: 'string', required: true }, value: { kind: 'number', required: true } },
  milestoneReturns: {
    organisation: { kind: 'string' },
    milestoneId: { kind: 'string', required: true },
    returnDate: { kind: 'string', required: true },
    forecast: { kind: 'string', required: true },
    actual: { kind: 'string' },
    note: { kind: 'string' },
  },
  confidenceAssessments: {
    organisation: { kind: 'string' },
    programmeId: { kind: 'string', required: true },
    assessor: { kind: 'string', required: true },
    assessedOn: { kind: 'string', required: true },
    scale: { kind: 'string', required: true },
    rating: { kind: 'string', required: true },
    sourceNote: { kind: 'string' },
  },
};

/**
 * Reads a JSON import: `[ {measurement}, ... ]`, or `{ "indicators": [...], "measurements": [...],
 * "targets": [...], "milestoneReturns": [...], "confidenceAssessments": [...] }` with any of the sections. A record's
 * row is its 1-based position in its section; fields of sections other than measurements are
 * named with their section (`targets.value`).
 */
export function parseJsonImport(source: string | Buffer): ImportBatch {
  const batch = emptyBatch('json');
  const bytes = Buffer.isBuffer(source) ? source : Buffer.from(source, 'utf8');
  const notText = sniff(bytes.subarray(0, SNIFF_BYTES), 'json');
  if (notText) {
    batch.problems.push(notText);
    return batch;
  }
  const text = bytes.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    batch.problems.push({ row: 1, field: 'file', value: null, rule: `is not valid JSON: ${(error as Error).message}` });
    return batch;
  }
  const sections: Partial<Record<Section, unknown>> = Array.isArray(document) ? { measurements: document } : {};
  if (!Array.isArray(document)) {
    if (document === null || typeof document !== 'object') {
      batch.problems.push({ row: 1, field: 'file', value: typeof document, rule: `must be an array of measurements or an object with ${SECTIONS.join(', ')}` });
      return batch;
    }
    for (const [key, value] of Object.entries(document)) {
      if ((SECTIONS as readonly string[]).includes(key)) sections[key as Section] = value;
      else batch.problems.push({ row: 1, field: 'section', value: key, rule: `is not a known section; known sections are ${SECTIONS.join(', ')}` });
    }
  }
  for (const section of SECTIONS) {
    const records = sections[section];
    if (records === undefined) continue;
    if (!Array.isArray(records)) {
      batch.problems.push({ row: 1, field: section, value: typeof records, rule: 'must be an array of records' });
      continue;
    }
    records.forEach((record: unknown, index) => readJsonRecord(section, record, index + 1, batch));
  }
  return batch;
}

function readJsonRecord(section: Section, record: unknown, row: number, batch: ImportBatch): void {
  batch.rows += 1;
  const fieldName = (field: string) => (section === 'measurements' ? field : `${section}.${field}`);
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    batch.problems.push({ row, field: fieldName('record'), value: record === null ? null : typeof record, rule: 'must be an object' });
    return;
  }
  const fields = SECTION_FIELDS[section];
  const values: Record<string, string | number | null> = {};
  let readable = true;
  const problem = (field: string, value: unknown, rule: string) => {
    batch.problems.push({ row, field: fieldName(field), value, rule });
    readable = false;
  };
  for (const [field, value] of Object.entries(record)) {
    const spec = fields[field];
    if (!spec) {
      problem(field, value, `is not a field of ${section}; its fields are ${Object.keys(fields).join(', ')}`);
      continue;
    }
    if (value === null) values[field] = null;
    else if (spec.kind === 'number' && typeof value === 'number') values[field] = value;
    else if (spec.kind === 'string' && typeof value === 'string') values[field] = value;
    // Codes such as Norfolk's 608 are text, but a file may write them as numbers.
    else if (spec.kind === 'code' && (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) values[field] = String(value);
    else problem(field, value, spec.kind === 'number' ? 'must be a number or null' : 'must be text');
  }
  for (const [field, spec] of Object.entries(fields)) {
    if (spec.required && (values[field] === undefined || values[field] === null) && !batch.problems.some((p) => p.row === row && p.field === fieldName(field))) {
      problem(field, values[field] ?? null, 'is required');
    }
  }
  if (!readable) return;
  const text = (field: string) => (values[field] as string | null | undefined) ?? null;
  const number = (field: string) => (values[field] as number | null | undefined) ?? null;
  const organisation = text('organisation');
  const owner = organisation !== null ? { organisation } : {};
  switch (section) {
    case 'indicators': {
      const definition: IndicatorDefinitionSubmission = { row, ...owner, code: text('code')! };
      for (const [field, value] of Object.entries(values)) if (field !== 'organisation' && field !== 'code' && value !== null) (definition as unknown as Record<string, unknown>)[field] = value;
      batch.indicators.push(definition);
      return;
    }
    case 'measurements': {
      batch.measurements.push({
        row,
        ...owner,
        indicatorCode: text('indicatorCode')!,
        period: text('period')!,
        serviceId: text('serviceId'),
        department: text('department'),
        value: number('value'),
        numerator: number('numerator'),
        denominator: number('denominator'),
        ...(text('unit') !== null && { declaredUnit: text('unit')! }),
        ...(text('polarity') !== null && { declaredPolarity: text('polarity')! }),
      });
      const target = number('target');
      if (target !== null) batch.targets.push({ row, ...owner, indicatorCode: text('indicatorCode')!, fromPeriod: text('period')!, value: target });
      return;
    }
    case 'targets':
      batch.targets.push({ row, ...owner, indicatorCode: text('indicatorCode')!, fromPeriod: text('fromPeriod')!, value: number('value')! });
      return;
    case 'milestoneReturns':
      batch.milestoneReturns.push({ row, ...owner, milestoneId: text('milestoneId')!, returnDate: text('returnDate')!, forecast: text('forecast')!, actual: text('actual'), note: text('note') });
      return;
    case 'confidenceAssessments':
      batch.confidenceAssessments.push({
        row,
        ...owner,
        programmeId: text('programmeId')!,
        assessor: text('assessor')!,
        assessedOn: text('assessedOn')!,
        scale: text('scale')!,
        rating: text('rating')!,
        sourceNote: text('sourceNote'),
      } as ConfidenceAssessmentSubmission);
      return;
  }
}
