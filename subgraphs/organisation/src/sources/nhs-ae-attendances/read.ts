import { parse } from 'csv-parse/sync';
import { Frequency, Polarity, REGISTRY_ID, Unit, parsePeriod } from '@crossgov/schema';
import type { IndicatorDefinitionSubmission } from '../../indicator/definition.store.ts';
import { periodRule } from '../../indicator/measurement.rules.ts';
import type { SubmissionProblem } from '../../problems.ts';
import {
  type ReadOptions,
  type Source,
  type SourceFile,
  type SourceOrganisation,
  type SourceRead,
  emptyRead,
} from '../source.ts';
import { type Presence, describePresence, monthsBetween } from './presence.ts';

// NHS England A&E attendances and 4-hour breaches per provider, April 2016 - March 2019, as the R
// package NHSRdatasets tidied them (`ae_attendances`): one row per month, provider (ODS code) and
// department type, with attendances, 4-hour breaches and emergency admissions. The .rda is R's
// binary serialisation and is not read; derived/ae_attendances.csv is the same table as CSV.
//
// What becomes of a row: per provider (an organisation named by its ODS code) and department type
// (a service: type 1, type 2, types 3 and 4 as `other`), the 4-hour performance as numerator
// (attendances - breaches) and denominator (attendances), whose value the hub derives and whose
// all-types figure is the hub's ratio of sums; attendances and emergency admissions as counts.
//
// Documented problems (PROVENANCE.md) and what is done with each:
// - Providers come and go (mergers, re-coding), and no predecessor or successor is recorded: each
//   code is its own organisation; one that starts late, ends early or has gaps says so in its note
//   and in the read's notes, by month. Nothing is joined or dropped.
// - No names, regions or ICS: each provider is "NHS provider <code>", and its note says why.
// - RTX type 2, October 2018 has more admissions (92) than attendances (74): a row's admissions
//   above its attendances are not taken (notTaken, naming both); its other figures are.
// - Counts stored as doubles in R: all integral; a count with a fraction is refused.
// - Only three counts kept by the package: a note says the 4-hour figure is as computed from them.
// - Binary format: the .rda is refused with a problem that asks for the CSV.
// Anything PROVENANCE says never occurs is refused as a batch problem naming file, line, field,
// value and rule: breaches above attendances, zero or negative attendances, a repeated (period,
// org_code, type), an unknown type, a month after `today`, a count that is not a whole number.
// One code, 8J094, starts with a digit, which no registry id may: it becomes `ods-8j094`, and each
// of its cells is reported as a repair.

const CSV_FILE = 'derived/ae_attendances.csv';
const RDA_FILE = 'raw/ae_attendances.rda';
const COLUMNS = ['period', 'org_code', 'type', 'attendances', 'breaches', 'admissions'] as const;
type Column = (typeof COLUMNS)[number];

/** The department types the file writes, as services of a provider. */
const DEPARTMENT_TYPES: Readonly<Record<string, { service: string; name: string }>> = {
  '1': { service: 'type-1', name: 'Type 1 A&E: major consultant-led 24-hour department' },
  '2': { service: 'type-2', name: 'Type 2 A&E: single-specialty department' },
  other: {
    service: 'type-other',
    name: 'Types 3 and 4: minor injury units, urgent care and walk-in centres',
  },
};

/** The 4-hour standard: 95% of attendances admitted, transferred or discharged within 4 hours. */
const FOUR_HOUR_TARGET = 95;
const TARGET_FROM = '2016-04';

/** The indicators every provider with figures defines. */
export const AE_INDICATORS = {
  fourHours: 'ae-4-hours',
  fourHoursType1: 'ae-4-hours-type-1',
  attendances: 'ae-attendances',
  admissions: 'ae-emergency-admissions',
} as const;

// Attendances and admissions are demand, not performance: neither more nor fewer is better. The
// hub has no neutral polarity; closest to target with no target set is neutral in every use (no
// RAG, no direction of travel, SPC signals "neither", not ranked in a league).
const DEMAND =
  'Demand, not performance: no direction is better, so it has no target, and the hub gives it no RAG, direction of travel or league rank.';
const DEFINITIONS: readonly Omit<IndicatorDefinitionSubmission, 'organisation' | 'row'>[] = [
  {
    code: AE_INDICATORS.fourHours,
    name: 'A&E 4-hour performance',
    definition:
      'Attendances admitted, transferred or discharged within 4 hours of arrival, as a percentage of attendances (NHS England; 1 - breaches / attendances)',
    unit: Unit.PERCENT,
    polarity: Polarity.BIGGER_IS_BETTER,
    frequency: Frequency.MONTHLY,
    tolerance: 0.05,
  },
  {
    // Type 3 and 4 units (minor injuries, walk-in centres) meet the standard almost always: a league
    // of all types ranks GP-led units above every emergency department. NHS England reports type 1
    // performance apart for that reason; so does the hub, for providers that have a type 1 department.
    code: AE_INDICATORS.fourHoursType1,
    name: 'A&E 4-hour performance, type 1 departments',
    definition:
      'As ae-4-hours, for major consultant-led 24-hour A&E departments (type 1) only: the like-for-like comparison of emergency departments',
    unit: Unit.PERCENT,
    polarity: Polarity.BIGGER_IS_BETTER,
    frequency: Frequency.MONTHLY,
    tolerance: 0.05,
  },
  {
    code: AE_INDICATORS.attendances,
    name: 'A&E attendances',
    definition: `Attendances at A&E departments in the month (NHS England). ${DEMAND}`,
    unit: Unit.COUNT,
    polarity: Polarity.CLOSEST_TO_TARGET,
    frequency: Frequency.MONTHLY,
  },
  {
    code: AE_INDICATORS.admissions,
    name: 'Emergency admissions via A&E',
    definition: `Emergency admissions to hospital from A&E departments in the month (NHS England). ${DEMAND}`,
    unit: Unit.COUNT,
    polarity: Polarity.CLOSEST_TO_TARGET,
    frequency: Frequency.MONTHLY,
  },
];

const ODS_CODE = /^[A-Z0-9]{3,8}$/;
const FIRST_OF_MONTH = /^(\d{4})-(\d{2})-01$/;
const WHOLE = /^\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const NO_NAMES = 'the data set carries ODS codes only: no names, regions or ICS';
const NO_SUCCESSORS =
  'the data set names no predecessor or successor code, so its series is not joined to any other';

/** One provider as the file shows it: the rows that name it, its months and its department types. */
interface Provider {
  id: string;
  code: string;
  /** The origins row of its first line, for the records the file does not give line by line (indicators, target). */
  row: number;
  months: Set<string>;
  /** Its department types (services), each with the origins row of the first line that reports it and its months. */
  types: Map<string, { row: number; months: Set<string> }>;
}

/** What reading a CSV gathers, beyond the read itself. */
interface Gathered {
  providers: Map<string, Provider>;
  /** The line of each (period, org_code, type) read, to name a repeat's first line. */
  keys: Map<string, { file: string; line: number }>;
  typeRows: Map<string, number>;
  rows: number;
}

/** NHS England's A&E attendances, 4-hour breaches and emergency admissions per provider, monthly, April 2016 - March 2019. */
export const aeAttendancesSource: Source = {
  id: 'nhs-ae-attendances',
  title:
    'NHS England A&E attendances and emergency admissions by provider, April 2016 - March 2019',
  publisher: { id: 'nhs-england', name: 'NHS England', typeName: 'NhsTrust' },
  files: () => [CSV_FILE],
  read: readAeAttendances,
};

/** Reads the data set's CSV (the .rda is refused, asking for it) into one batch of every provider's figures. */
export function readAeAttendances(files: readonly SourceFile[], options: ReadOptions): SourceRead {
  const read = emptyRead('nhs-ae-attendances');
  const gathered: Gathered = {
    providers: new Map(),
    keys: new Map(),
    typeRows: new Map(),
    rows: 0,
  };
  let csvFiles = 0;
  for (const file of files) {
    const name = file.name.toLowerCase();
    if (name.endsWith('.csv')) {
      csvFiles += 1;
      readCsv(file, options, read, gathered);
    } else {
      const rule = name.endsWith('.rda')
        ? `is R's binary serialisation, which is not read: give ${CSV_FILE}, the same table as CSV`
        : `is not a file of this data set: give ${CSV_FILE}`;
      read.batch.problems.push({
        row: read.origins.add(file.name, 1),
        field: 'file',
        value: file.name,
        rule,
      });
    }
  }
  if (csvFiles === 0) {
    read.batch.problems.push({
      row: read.origins.add(CSV_FILE, 1),
      field: 'file',
      value: CSV_FILE,
      rule: 'is missing: the A&E attendances are read from this CSV',
    });
  }
  read.batch.rows = gathered.rows;
  defineProviders(read, gathered);
  read.notes.push(...datasetNotes(read, gathered));
  return read;
}

/** The record's first physical line: csv-parse counts to its last, and a quoted cell may span lines. */
function firstLine(record: readonly string[], lastLine: number): number {
  let breaks = 0;
  for (const cell of record)
    for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) breaks += 1;
  return lastLine - breaks;
}

function readCsv(
  file: SourceFile,
  options: ReadOptions,
  read: SourceRead,
  gathered: Gathered,
): void {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(file.bytes, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    read.batch.problems.push({
      row: read.origins.add(file.name, line),
      field: 'file',
      value: file.name,
      rule: `is not readable CSV: ${(error as Error).message}`,
    });
    return;
  }
  const [header, ...rows] = records;
  const columns = header ? columnsOf(header.record) : null;
  const missing = COLUMNS.filter((c) => !columns?.has(c));
  if (!columns || missing.length > 0) {
    const row = read.origins.add(
      file.name,
      header ? firstLine(header.record, header.info.lines) : 1,
    );
    for (const column of missing)
      read.batch.problems.push({
        row,
        field: column,
        value: null,
        rule: `is a column the data set has and this file lacks (columns: ${COLUMNS.join(', ')})`,
      });
    return;
  }
  for (const { record, info } of rows) {
    gathered.rows += 1;
    readRow(file.name, firstLine(record, info.lines), record, columns, options, read, gathered);
  }
}

/** Each column's position in the header (a column the data set lacks is ignored). */
function columnsOf(header: readonly string[]): Map<Column, number> {
  const columns = new Map<Column, number>();
  header.forEach((name, index) => {
    const column = COLUMNS.find((c) => c === name.trim());
    if (column && !columns.has(column)) columns.set(column, index);
  });
  return columns;
}

/** A count as the file writes it, or the rule it breaks. */
function count(text: string): number | string {
  if (WHOLE.test(text)) return Number(text);
  if (!DECIMAL.test(text))
    return 'must be a number: a count of attendances, breaches or admissions';
  const value = Number(text);
  if (value < 0) return 'must not be negative: it is a count';
  // A double written with its point (21289.0) is the same whole number.
  return Number.isInteger(value)
    ? value
    : 'must be a whole number: the counts are stored as doubles in R, all of them integral';
}

/** One row: checked, then its three figures, unless any rule is broken (the batch is refused then, with every problem found). */
function readRow(
  file: string,
  line: number,
  record: readonly string[],
  columns: Map<Column, number>,
  options: ReadOptions,
  read: SourceRead,
  gathered: Gathered,
): void {
  const cell = (column: Column) => record[columns.get(column)!] ?? '';
  const row = read.origins.add(file, line);
  const problems: SubmissionProblem[] = [];
  const problem = (field: Column | 'row', value: unknown, rule: string) =>
    problems.push({ row, field, value, rule });
  if (record.length < COLUMNS.length)
    problem(
      'row',
      record.join(','),
      `has ${record.length} fields: every row has ${COLUMNS.length} (${COLUMNS.join(', ')})`,
    );
  const period = monthOf(cell('period'), options.today);
  if (period.rule) problem('period', cell('period'), period.rule);
  const code = cell('org_code');
  if (!ODS_CODE.test(code))
    problem('org_code', code, 'must be an ODS code: 3 to 8 capital letters and digits');
  const type = DEPARTMENT_TYPES[cell('type')];
  if (!type)
    problem(
      'type',
      cell('type'),
      `must be a department type: ${Object.keys(DEPARTMENT_TYPES).join(', ')}`,
    );
  const [attendances, breaches, admissions] = (
    ['attendances', 'breaches', 'admissions'] as const
  ).map((column) => {
    const value = count(cell(column));
    if (typeof value === 'string') problem(column, cell(column), value);
    return typeof value === 'number' ? value : null;
  }) as [number | null, number | null, number | null];
  if (attendances === 0)
    problem(
      'attendances',
      0,
      'must be above zero: a department in a month is in the data set because it had attendances (PROVENANCE: no zero-attendance rows)',
    );
  if (attendances !== null && breaches !== null && breaches > attendances) {
    problem(
      'breaches',
      breaches,
      `must not be above attendances (${attendances}): a breach is an attendance of more than 4 hours (PROVENANCE: no row has more)`,
    );
  }
  const key = `${cell('period')}|${code}|${cell('type')}`;
  const earlier = gathered.keys.get(key);
  if (earlier)
    problem(
      'row',
      `${cell('period')}, ${code}, ${cell('type')}`,
      `repeats (period, org_code, type) of ${earlier.file} line ${earlier.line}: each is unique (PROVENANCE)`,
    );
  else gathered.keys.set(key, { file, line });
  if (
    problems.length > 0 ||
    !period.label ||
    !type ||
    attendances === null ||
    breaches === null ||
    admissions === null
  ) {
    read.batch.problems.push(...problems);
    return;
  }
  const provider = providerOf(code, row, read, gathered, file, line);
  if (!provider) return;
  provider.months.add(period.label);
  const department = provider.types.get(type.service) ?? { row, months: new Set<string>() };
  provider.types.set(type.service, department);
  department.months.add(period.label);
  gathered.typeRows.set(cell('type'), (gathered.typeRows.get(cell('type')) ?? 0) + 1);
  const organisation = provider.id;
  const { measurements } = read.batch;
  measurements.push({
    organisation,
    indicatorCode: AE_INDICATORS.fourHours,
    serviceId: type.service,
    period: period.label,
    numerator: attendances - breaches,
    denominator: attendances,
    row,
  });
  if (type.service === DEPARTMENT_TYPES['1']!.service) {
    measurements.push({
      organisation,
      indicatorCode: AE_INDICATORS.fourHoursType1,
      serviceId: type.service,
      period: period.label,
      numerator: attendances - breaches,
      denominator: attendances,
      row,
    });
  }
  measurements.push({
    organisation,
    indicatorCode: AE_INDICATORS.attendances,
    serviceId: type.service,
    period: period.label,
    value: attendances,
    row,
  });
  if (admissions > attendances) {
    read.notTaken.push({
      file,
      line,
      field: 'admissions',
      value: admissions,
      rule: `is above the row's attendances (${attendances}) for ${code} ${type.service} in ${period.label}: admissions via a department cannot outnumber its attendances, so the admissions figure is not taken (its attendances and 4-hour figures are)`,
    });
  } else {
    measurements.push({
      organisation,
      indicatorCode: AE_INDICATORS.admissions,
      serviceId: type.service,
      period: period.label,
      value: admissions,
      row,
    });
  }
}

/** The month a period cell names (YYYY-MM), or the rule it breaks. */
function monthOf(text: string, today: string): { label?: string; rule?: string } {
  const match = FIRST_OF_MONTH.exec(text);
  const rule = 'must be the first day of a month, YYYY-MM-01 (the month the figures are for)';
  if (!match) return { rule };
  const label = `${match[1]}-${match[2]}`;
  let period;
  try {
    period = parsePeriod(label);
  } catch {
    return { rule };
  }
  const future = periodRule(period, Frequency.MONTHLY, today);
  return future ? { rule: future } : { label };
}

/** The provider of a code, made on its first row; its id is the code in lower case, prefixed `ods-` when it starts with a digit. */
function providerOf(
  code: string,
  row: number,
  read: SourceRead,
  gathered: Gathered,
  file: string,
  line: number,
): Provider | null {
  const lower = code.toLowerCase();
  const id = /^[0-9]/.test(lower) ? `ods-${lower}` : lower;
  if (id !== lower) {
    read.repairs.push({
      file,
      line,
      field: 'org_code',
      value: code,
      repaired: id,
      rule: `registry ids start with a letter and ${code} starts with a digit: the organisation's id is ${id} (its code stays ${code})`,
    });
  }
  if (!REGISTRY_ID.test(id)) {
    read.batch.problems.push({
      row,
      field: 'org_code',
      value: code,
      rule: `gives no registry id (${id}): ids are lower-case letters and digits, words joined by hyphens`,
    });
    return null;
  }
  let provider = gathered.providers.get(code);
  if (!provider)
    gathered.providers.set(
      code,
      (provider = { id, code, row, months: new Set(), types: new Map() }),
    );
  return provider;
}

/** Each provider's organisation, indicators, services and 4-hour target, with a note of the months it is missing from. */
function defineProviders(read: SourceRead, gathered: Gathered): void {
  const months = datasetMonths(gathered);
  for (const provider of gathered.providers.values()) {
    const presence = describePresence(provider.months, months);
    const note = [
      NO_NAMES,
      ...presence.phrases,
      ...(presence.phrases.length > 0 ? [NO_SUCCESSORS] : []),
    ].join('; ');
    const organisation: SourceOrganisation = {
      id: provider.id,
      name: `NHS provider ${provider.code}`,
      kind: 'NHS_TRUST',
      code: provider.code,
      note,
    };
    read.organisations.push(organisation);
    const mine = { organisation: provider.id, row: provider.row };
    const type1 = provider.types.has(DEPARTMENT_TYPES['1']!.service);
    for (const definition of DEFINITIONS)
      if (type1 || definition.code !== AE_INDICATORS.fourHoursType1)
        read.batch.indicators.push({ ...definition, ...mine });
    read.batch.targets.push({
      ...mine,
      indicatorCode: AE_INDICATORS.fourHours,
      fromPeriod: TARGET_FROM,
      value: FOUR_HOUR_TARGET,
    });
    if (type1)
      read.batch.targets.push({
        ...mine,
        indicatorCode: AE_INDICATORS.fourHoursType1,
        fromPeriod: TARGET_FROM,
        value: FOUR_HOUR_TARGET,
      });
    const services = (read.batch.services ??= []);
    for (const type of Object.values(DEPARTMENT_TYPES)) {
      const department = provider.types.get(type.service);
      if (department)
        services.push({
          organisation: provider.id,
          id: type.service,
          name: type.name,
          row: department.row,
        });
    }
  }
}

/** Every month from the data set's first to its last, whether or not any row has it. */
function datasetMonths(gathered: Gathered): string[] {
  let first: string | undefined;
  let last: string | undefined;
  for (const provider of gathered.providers.values()) {
    for (const month of provider.months) {
      if (first === undefined || month < first) first = month;
      if (last === undefined || month > last) last = month;
    }
  }
  return first && last ? monthsBetween(first, last) : [];
}

/** Findings about the whole set: coverage, providers that come and go, and what the data set does not carry. */
function datasetNotes(read: SourceRead, gathered: Gathered): string[] {
  const months = datasetMonths(gathered);
  const providers = [...gathered.providers.values()].sort((a, b) => a.code.localeCompare(b.code));
  if (providers.length === 0) return [];
  const groups: Record<keyof Omit<Presence, 'phrases'>, string[]> = {
    late: [],
    early: [],
    gaps: [],
  };
  let whole = 0;
  for (const provider of providers) {
    const presence = describePresence(provider.months, months);
    if (presence.phrases.length === 0) whole += 1;
    if (presence.late) groups.late.push(`${provider.code} from ${presence.late}`);
    if (presence.early) groups.early.push(`${provider.code} to ${presence.early}`);
    if (presence.gaps) groups.gaps.push(`${provider.code} (${presence.gaps.join(', ')})`);
  }
  const typeOne = providers.filter((p) => p.types.has('type-1'));
  const typeRows = Object.keys(DEPARTMENT_TYPES).map(
    (t) => `${t} ${(gathered.typeRows.get(t) ?? 0).toLocaleString('en-GB')} rows`,
  );
  const list = (items: string[]) => (items.length > 0 ? `: ${items.join(', ')}` : '');
  return [
    `${gathered.rows.toLocaleString('en-GB')} rows read: ${providers.length} providers (ODS codes) over ${months.length} months, ${months[0]} to ${months.at(-1)}; department types ${typeRows.join(', ')}.`,
    `${whole} of ${providers.length} providers report in all ${months.length} months; the others come and go (a provider may be in more than one group).`,
    `${groups.late.length} start late${list(groups.late)}.`,
    `${groups.early.length} end early${list(groups.early)}.`,
    `${groups.gaps.length} have gaps${list(groups.gaps)}.`,
    `No predecessor or successor codes in this data set: providers that merge (RJF Burton ends 2018-06) or are re-coded stay separate organisations, each with what it reported; none is joined to another or dropped.`,
    `${typeOne.length} providers have a type 1 department, ${typeOne.filter((p) => p.types.get('type-1')!.months.size === months.length).length} of them in all ${months.length} months.`,
    'No organisation names, regions or STP/ICS in this data set, only ODS codes: each provider is named "NHS provider <code>", and all are of kind NHS_TRUST, including the independent-sector, community and GP-led providers (the registry has no other kind for a provider).',
    "Only three counts are kept by the NHSRdatasets tidying (attendances, 4-hour breaches, emergency admissions; NHS England's monthly files carry more): 4-hour performance here is as computed from this extract, 1 - breaches / attendances, not NHS England's headline percentage.",
    `${read.notTaken.filter((n) => n.field === 'admissions').length} admissions figure(s) above the row's attendances not taken (PROVENANCE: RTX type 2, 2018-10).`,
    `Counts are stored as doubles in the R file; every count read is a whole number (one with a fraction would be refused).`,
    `${RDA_FILE} is not read: it is R's binary serialisation of the same table, which ${CSV_FILE} holds as CSV.`,
    ...(read.repairs.length > 0
      ? [
          `${new Set(read.repairs.map((r) => r.value)).size} ODS code(s) start with a digit, which no registry id may: ${[...new Set(read.repairs.map((r) => `${String(r.value)} is ${String(r.repaired)}`))].join(', ')} (${read.repairs.length} cells reported as repairs).`,
        ]
      : []),
  ];
}
