import type { IndicatorDefinitionSubmission } from '../indicator/definition.store.ts';
import type { MeasurementSubmission } from '../indicator/submission.store.ts';
import type { TargetSubmission } from '../indicator/target.store.ts';
import type { ConfidenceAssessmentSubmission } from '../programme/confidence.store.ts';
import type { MilestoneReturnSubmission } from '../programme/milestone.store.ts';
import type {
  MilestoneSubmission,
  ProgrammeReturnSubmission,
  ProgrammeSubmission,
} from '../programme/programme.store.ts';
import type { ServiceSubmission } from '../organisation/service.store.ts';
import { DEFAULT_MAX_PROBLEMS, type SubmissionProblem } from '../problems.ts';
import { SNIFF_BYTES, sniff } from './import.sniff.ts';

/** A measurement row of a file, with what the file says about its indicator, checked against the indicator's definition. */
export interface ImportedMeasurement extends MeasurementSubmission {
  row: number;
  declaredUnit?: string;
  declaredPolarity?: string;
  /**
   * The day the figure was published (YYYY-MM-DD), for a data set of several dated publications: the
   * same figure may come once per publication, and each value it had is kept in its history as
   * published that day; the latest publication's value is the figure.
   */
  publishedOn?: string;
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
  /** Services, programmes, milestones and programme returns: defined by a published data set's adapter (src/sources), not read from a CSV or JSON import. */
  services?: ServiceSubmission[];
  programmes?: ProgrammeSubmission[];
  milestones?: MilestoneSubmission[];
  programmeReturns?: ProgrammeReturnSubmission[];
  /** Rows or fields that could not be read (a number that is not one, an unknown column). */
  problems: SubmissionProblem[];
  /**
   * The row reading stopped at when the problems reached the cap before the end of the file: the
   * file is refused with the problems found so far, and the rows after it were never read.
   */
  stoppedAtRow?: number;
}

export type ImportFormat = ImportBatch['format'];

/** Called as rows are read; `rows` so far. */
export type OnRead = (rows: number) => void;

export interface ParseOptions {
  /** Reading stops once this many problems are found. @default {@link DEFAULT_MAX_PROBLEMS} */
  maxProblems?: number;
}

/** A NUL character reaches no column: PostgreSQL text cannot hold one (the GraphQL servers refuse it as the same rule). */
export const NUL_RULE = 'must not contain a NUL character (U+0000): no text field can hold one';

export const emptyBatch = (format: ImportFormat): ImportBatch => ({
  format,
  rows: 0,
  indicators: [],
  measurements: [],
  targets: [],
  milestoneReturns: [],
  confidenceAssessments: [],
  problems: [],
});

// ---------------------------------------------------------------------------------------------
// JSON: an array of measurements, or an object with any of the five sections.

const SECTIONS = [
  'indicators',
  'measurements',
  'targets',
  'milestoneReturns',
  'confidenceAssessments',
] as const;
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
    minValue: { kind: 'number' },
    maxValue: { kind: 'number' },
    agreementTolerance: { kind: 'number' },
    leadOfficer: { kind: 'string' },
    dataOwner: { kind: 'string' },
    whyItMatters: { kind: 'string' },
    background: { kind: 'string' },
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
  targets: {
    organisation: { kind: 'string' },
    indicatorCode: { kind: 'code', required: true },
    fromPeriod: { kind: 'string', required: true },
    value: { kind: 'number', required: true },
  },
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
export function parseJsonImport(source: string | Buffer, options: ParseOptions = {}): ImportBatch {
  const batch = emptyBatch('json');
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
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
    batch.problems.push({
      row: 1,
      field: 'file',
      value: null,
      rule: `is not valid JSON: ${(error as Error).message}`,
    });
    return batch;
  }
  const sections: Partial<Record<Section, unknown>> = Array.isArray(document)
    ? { measurements: document }
    : {};
  if (!Array.isArray(document)) {
    if (document === null || typeof document !== 'object') {
      batch.problems.push({
        row: 1,
        field: 'file',
        value: typeof document,
        rule: `must be an array of measurements or an object with ${SECTIONS.join(', ')}`,
      });
      return batch;
    }
    for (const [key, value] of Object.entries(document)) {
      if ((SECTIONS as readonly string[]).includes(key)) sections[key as Section] = value;
      else
        batch.problems.push({
          row: 1,
          field: 'section',
          value: key,
          rule: `is not a known section; known sections are ${SECTIONS.join(', ')}`,
        });
    }
  }
  for (const section of SECTIONS) {
    const records = sections[section];
    if (records === undefined) continue;
    if (!Array.isArray(records)) {
      batch.problems.push({
        row: 1,
        field: section,
        value: typeof records,
        rule: 'must be an array of records',
      });
      continue;
    }
    for (const [index, record] of (records as unknown[]).entries()) {
      readJsonRecord(section, record, index + 1, batch);
      if (batch.problems.length >= maxProblems) {
        batch.stoppedAtRow = index + 1;
        return batch;
      }
    }
  }
  return batch;
}

function readJsonRecord(section: Section, record: unknown, row: number, batch: ImportBatch): void {
  batch.rows += 1;
  const fieldName = (field: string) => (section === 'measurements' ? field : `${section}.${field}`);
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    batch.problems.push({
      row,
      field: fieldName('record'),
      value: record === null ? null : typeof record,
      rule: 'must be an object',
    });
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
      problem(
        field,
        value,
        `is not a field of ${section}; its fields are ${Object.keys(fields).join(', ')}`,
      );
      continue;
    }
    if (value === null) values[field] = null;
    else if (typeof value === 'string' && value.includes('\0')) problem(field, value, NUL_RULE);
    else if (spec.kind === 'number' && typeof value === 'number') values[field] = value;
    else if (spec.kind === 'string' && typeof value === 'string') values[field] = value;
    // Codes such as Norfolk's 608 are text, but a file may write them as numbers.
    else if (
      spec.kind === 'code' &&
      (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))
    )
      values[field] = String(value);
    else
      problem(field, value, spec.kind === 'number' ? 'must be a number or null' : 'must be text');
  }
  for (const [field, spec] of Object.entries(fields)) {
    if (
      spec.required &&
      (values[field] === undefined || values[field] === null) &&
      !batch.problems.some((p) => p.row === row && p.field === fieldName(field))
    ) {
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
      for (const [field, value] of Object.entries(values))
        if (field !== 'organisation' && field !== 'code' && value !== null)
          (definition as unknown as Record<string, unknown>)[field] = value;
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
      if (target !== null)
        batch.targets.push({
          row,
          ...owner,
          indicatorCode: text('indicatorCode')!,
          fromPeriod: text('period')!,
          value: target,
        });
      return;
    }
    case 'targets':
      batch.targets.push({
        row,
        ...owner,
        indicatorCode: text('indicatorCode')!,
        fromPeriod: text('fromPeriod')!,
        value: number('value')!,
      });
      return;
    case 'milestoneReturns':
      batch.milestoneReturns.push({
        row,
        ...owner,
        milestoneId: text('milestoneId')!,
        returnDate: text('returnDate')!,
        forecast: text('forecast')!,
        actual: text('actual'),
        note: text('note'),
      });
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
