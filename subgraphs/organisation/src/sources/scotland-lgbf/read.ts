import { Frequency, Polarity, Unit, parsePeriod, valueRule } from '@crossgov/schema';
import type { IndicatorDefinitionSubmission } from '../../indicator/definition.store.ts';
import {
  type Problem,
  checkMeasurement,
  describeProblem,
  formatFigure,
  periodRule,
} from '../../indicator/measurement.rules.ts';
import type { ImportedMeasurement } from '../../imports/import.parse.ts';
import {
  type ReadOptions,
  type Source,
  type SourceFile,
  type SourceOrganisation,
  type SourceRead,
  emptyRead,
} from '../source.ts';
import {
  type CatalogueProblem,
  type LgbfIndicator,
  type PercentForm,
  definitionOf,
  readIndicator,
  unitOf,
} from './catalogue.ts';
import { type CsvRecord, cellOf, isNumberText, readCsv, scaled, shiftDecimal } from './csv.ts';
import { SCHEMES, type Scheme, peerGroupLabel, publishedGroup, schemeOf } from './family-groups.ts';

export { peerGroupFor } from './family-groups.ts';

// The Local Government Benchmarking Framework (Scotland), as the Improvement Service publishes it
// through the Spatial Hub and as SC-TPP/LGBF (Stirling Council) copied it: 108 indicators for the
// 32 Scottish councils, 2010-11 to 2023-24, each figure with its numerator and denominator on about
// half the rows (PROVENANCE.md in the data set's folder). Files read:
//   raw/LGBF_ScotDataReal_ISSpatialHub.csv  the figures in real terms (35,466 rows)
//   raw/MissingData_Real.csv                1,888 figures of seven indicators the copy's author
//                                           took from the Spatial Hub annual data set
//   raw/Indicator Information.csv           the catalogue: titles, polarity, measure type, multipliers
//   raw/Family Groups.csv                   each council's family group in the two schemes
// Not read: the cash-terms file (real terms are the LGBF's headline; it lacks 6 indicators and has
// 780 blank values) and the copy author's error notes (Fail References, Error Outputs README), which
// the tests use to check this adapter.
//
// Rules, one per documented problem:
// - Councils are named by the Improvement Service's short forms (Edinburgh City, Argyll & Bute): the
//   registry id is the name in lower-case words, & as "and" (edinburgh-city, argyll-and-bute); the
//   council list is Family Groups.csv's, and a council the figures name that is not in it is refused.
// - Codes: C&L01 breaks the hub's code rule and becomes CandL01 (one repair per code).
// - Periods: 2022-23 is the financial year 2022/23; a multi-year aggregate 2014-17 is 2014/15 to
//   2016/17, written 2014/15-2016/17 (one repair per distinct label). No indicator mixes the two, but
//   one that did would keep its aggregates apart, under its code + "-multi-year".
// - Numerators in GBP 000 (or per 1,000 people, per week): numerator and denominator are read times
//   the indicator's Numerator_Multipier and Denominator_Multiplier, so that value = numerator /
//   denominator (x 100 for a percentage); a constant left over (a power of ten) multiplies the
//   numerator too. One repair per indicator says so.
// - Percentages published as fractions of one (0.4305) are read x 100; see catalogue.ts `unitOf`.
// - The Improvement Service computes its values (real terms) from parts more precise than the ones
//   it writes: 4,967 values are within 2% of numerator / denominator without being a rounding of
//   them. Every LGBF indicator is defined with an agreementTolerance of 2% (the threshold the copy's
//   author and PROVENANCE use), so those are taken whole, value and parts, through the hub's own rule.
// - A value its numerator and denominator contradict beyond that (the hub's checkMeasurement /
//   agrees() with the 2%): the published value is taken, numerator and denominator are not (one
//   notTaken per row, naming the three): 121 of PROVENANCE's contradictions (25 more are explained
//   by the rounding of a value written to few places plus the 2%, and are taken whole). CORP03c's "numerator" and "denominator"
//   are the male and female hourly pay its gap is computed from: it is no ratio, and its values are
//   taken alone (said once).
// - A denominator without its numerator (4 rows): the value is taken alone, the denominator reported.
// - FamilyGroup mixes names and numbers: it is read as the council's group in one of the two schemes
//   (Family Groups.csv), which gives each indicator its scheme (definition text, peer groups).
// - The pandas index column and the empty last row are ignored (a note says so).
// - MissingData_Real.csv's rows: taken; a row that repeats a figure of the main file with the same
//   numbers is that figure (not taken twice: in this copy all 1,888 do), one with other numbers is
//   a duplicate key (refused).
// Refused (batch.problems): an unknown council or indicator code, a non-number where a number must
// be (the file marks no figure as not published: an empty cell is absent), an unreadable period,
// one after options.today, a duplicate key, a value the hub's rules refuse even on its own.

const FILES = {
  figures: 'raw/LGBF_ScotDataReal_ISSpatialHub.csv',
  missing: 'raw/MissingData_Real.csv',
  catalogue: 'raw/Indicator Information.csv',
  groups: 'raw/Family Groups.csv',
} as const;
type FileKey = keyof typeof FILES;

const REQUIRED_COLUMNS: Record<FileKey, readonly string[]> = {
  figures: [
    'Code',
    'LocalAuthority',
    'Year',
    'LA_IndicatorReal',
    'LA_Numerator_real',
    'LA_Den_Real',
    'FamilyGroup',
  ],
  missing: ['DataType', 'Code', 'LocalAuthority', 'Period', 'Value', 'Numerator', 'Denominator'],
  catalogue: [
    'Title',
    'Code',
    'MeasureType',
    'ReportingPeriod',
    'Ranking_Type',
    'FamilyGrouping',
    'Source',
    'Numerator_Multipier',
    'Denominator_Multiplier',
    'Ranking_GoldilocksMidpoint',
  ],
  groups: ['Family_Group', 'Local_Authority', 'Type'],
};

/** How far a value may be from numerator / denominator before PROVENANCE (and the copy's author) call it a contradiction rather than rounding. */
const PROVENANCE_TOLERANCE = 0.02;

/** A council, as Family Groups.csv lists it. */
interface Council {
  name: string;
  id: string;
  groups: Partial<Record<Scheme, number>>;
}

/** The names of a figures file's columns. */
interface Columns {
  code: string;
  council: string;
  period: string;
  value: string;
  numerator: string;
  denominator: string;
}

const FIGURE_COLUMNS: Columns = {
  code: 'Code',
  council: 'LocalAuthority',
  period: 'Year',
  value: 'LA_IndicatorReal',
  numerator: 'LA_Numerator_real',
  denominator: 'LA_Den_Real',
};
const MISSING_COLUMNS: Columns = {
  code: 'Code',
  council: 'LocalAuthority',
  period: 'Period',
  value: 'Value',
  numerator: 'Numerator',
  denominator: 'Denominator',
};

/** One figure as read: its cells as written, its period read. */
interface Figure {
  file: string;
  line: number;
  columns: Columns;
  council: Council;
  label: string;
  period: string;
  start: string;
  multiYear: boolean;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  familyGroup: string | null;
}

/** The councils' registry id: the Improvement Service's name in lower-case words, & as "and" (Argyll & Bute is argyll-and-bute). */
export const councilId = (name: string): string =>
  name
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

const OFFICIAL_NAMES: Record<string, string> = {
  'Edinburgh City': 'The City of Edinburgh Council',
  'Eilean Siar': 'Comhairle nan Eilean Siar (the Western Isles)',
};

/**
 * An LGBF period label read: `2022-23` is the financial year 2022/23, `2014-17` the financial years
 * 2014/15 to 2016/17 (the first year's April to the last year's March). Null when it is neither (or
 * spans more than ten years: 2023-22 is no aggregate of 99).
 */
export function periodOfLabel(label: string): { period: string; multiYear: boolean } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  if (!match) return null;
  const first = Number(match[1]);
  let last = first - (first % 100) + Number(match[2]);
  if (last <= first) last += 100;
  const years = last - first;
  if (years > 10) return null;
  const fy = (year: number) => `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
  return years === 1
    ? { period: fy(first), multiYear: false }
    : { period: `${fy(first)}-${fy(last - 1)}`, multiYear: true };
}

const sameFile = (given: string, path: string) => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return (
    given === path || given === base || given.endsWith(`/${base}`) || given.endsWith(`\\${base}`)
  );
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const near = (value: number, to: number, tolerance = PROVENANCE_TOLERANCE) =>
  Math.abs(value - to) <= tolerance * Math.abs(to);

const listed = (items: readonly string[], limit = 12) =>
  items.length <= limit
    ? items.join(', ')
    : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;

/** Everything read so far, shared by the steps of `readLgbf`. */
class Reader {
  readonly read = emptyRead('scotland-lgbf');
  readonly councils = new Map<string, Council>();
  readonly indicators = new Map<string, LgbfIndicator>();
  readonly figures = new Map<string, Figure[]>();
  readonly byKey = new Map<string, Figure>();
  readonly labels = new Map<
    string,
    { file: string; line: number; period: string; cells: number }
  >();
  readonly notes: string[] = [];
  emptyValues = 0;
  confirmed = 0;
  fromMissing = 0;

  private readonly periods = new Map<
    string,
    { period: string; start: string; multiYear: boolean; rule: string | null } | null
  >();

  constructor(readonly today: string) {}

  /** A period label read (once per distinct label): the hub's period, its first day, and the rule it breaks (a period not over by today), or null when unreadable. */
  periodOf(
    label: string,
  ): { period: string; start: string; multiYear: boolean; rule: string | null } | null {
    let read = this.periods.get(label);
    if (read === undefined) {
      const found = periodOfLabel(label);
      const period = found && parsePeriod(found.period);
      read =
        found && period
          ? {
              ...found,
              start: period.start,
              rule: periodRule(period, Frequency.ANNUAL, this.today),
            }
          : null;
      this.periods.set(label, read);
    }
    return read;
  }

  problem(file: string, line: number, field: string, value: unknown, rule: string): void {
    this.read.batch.problems.push({ row: this.read.origins.add(file, line), field, value, rule });
  }
}

/** A CSV file read: its name as given, its records, and a record's cell by column name. */
interface CsvFile {
  name: string;
  records: CsvRecord[];
  cell: (record: CsvRecord, column: string) => string;
}

/** The given file of each of the data set's files; a problem for each one missing. */
function findFiles(
  reader: Reader,
  files: readonly SourceFile[],
): Record<FileKey, SourceFile> | null {
  const found: Partial<Record<FileKey, SourceFile>> = {};
  for (const key of Object.keys(FILES) as FileKey[]) {
    const file = files.find((f) => sameFile(f.name, FILES[key]));
    if (file) found[key] = file;
    else
      reader.problem(
        FILES[key],
        1,
        'file',
        FILES[key],
        `is missing: the LGBF import reads ${Object.values(FILES).join(', ')}`,
      );
  }
  return Object.keys(found).length === Object.keys(FILES).length
    ? (found as Record<FileKey, SourceFile>)
    : null;
}

/** A file read as CSV with its required columns; null (with a problem) when it is unreadable or lacks one. */
function csvOf(reader: Reader, file: SourceFile, key: FileKey): CsvFile | null {
  const csv = readCsv(file.bytes);
  if (!csv.ok) {
    reader.problem(
      file.name,
      csv.line,
      'file',
      file.name,
      `is not readable as CSV: ${csv.message}`,
    );
    return null;
  }
  const missing = REQUIRED_COLUMNS[key].filter((column) => !csv.columns.includes(column));
  for (const column of missing)
    reader.problem(
      file.name,
      1,
      'header',
      column,
      `is a column ${FILES[key]} must have (it has ${csv.columns.join(', ')})`,
    );
  return missing.length > 0
    ? null
    : { name: file.name, records: csv.records, cell: cellOf(csv.columns) };
}

/** Family Groups.csv: every council once in each scheme. */
function readFamilyGroups(reader: Reader, file: CsvFile): void {
  const seen = new Map<string, number>();
  for (const record of file.records) {
    const { line } = record;
    const [type, familyGroup, authority] = (
      ['Type', 'Family_Group', 'Local_Authority'] as const
    ).map((column) => file.cell(record, column)) as [string, string, string];
    const name = authority.trim();
    if (name === '' && familyGroup.trim() === '' && type.trim() === '') continue;
    const scheme = (Object.keys(SCHEMES) as Scheme[]).find((s) =>
      SCHEMES[s].type.test(type.trim()),
    );
    const group = /^Family Group (\d+)$/.exec(familyGroup.trim());
    if (!scheme)
      reader.problem(
        file.name,
        line,
        'Type',
        type,
        `must name one of the two family-group schemes (${Object.values(SCHEMES)
          .map((s) => s.type.source.slice(1))
          .join('; ')})`,
      );
    if (!group)
      reader.problem(
        file.name,
        line,
        'Family_Group',
        familyGroup,
        'must be "Family Group" and a number',
      );
    if (name === '')
      reader.problem(file.name, line, 'Local_Authority', authority, 'must name a council');
    if (!scheme || !group || name === '') continue;
    const key = `${scheme}\u0000${name}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      reader.problem(
        file.name,
        line,
        'Local_Authority',
        name,
        `repeats line ${earlier}: a council is in one family group of each scheme`,
      );
      continue;
    }
    seen.set(key, line);
    const council = reader.councils.get(name) ?? { name, id: councilId(name), groups: {} };
    council.groups[scheme] = Number(group[1]);
    reader.councils.set(name, council);
  }
  const partial = [...reader.councils.values()].filter((c) => !c.groups.people || !c.groups.place);
  if (partial.length > 0)
    reader.notes.push(
      `Family Groups.csv gives ${partial.length} councils a group in one scheme only: ${partial.map((c) => c.name).join(', ')}.`,
    );
}

/** Indicator Information.csv: one indicator per record, each code once. */
function readCatalogue(reader: Reader, file: CsvFile): void {
  const problems: CatalogueProblem[] = [];
  const seen = new Map<string, number>();
  for (const record of file.records) {
    if (record.cells.every((cell) => cell.trim() === '')) continue;
    const indicator = readIndicator(record, file.cell, problems);
    if (!indicator) continue;
    const earlier = seen.get(indicator.code);
    if (earlier !== undefined) {
      problems.push({
        line: record.line,
        field: 'Code',
        value: indicator.published,
        rule: `repeats line ${earlier} (as the hub writes it, ${indicator.code}): each indicator is described once`,
      });
      continue;
    }
    seen.set(indicator.code, record.line);
    reader.indicators.set(indicator.published, indicator);
    if (indicator.code !== indicator.published) {
      reader.read.repairs.push({
        file: file.name,
        line: record.line,
        field: 'Code',
        value: indicator.published,
        repaired: indicator.code,
        rule: 'an indicator code may hold only letters, digits, full stops, hyphens and underscores: & is written "and" (one repair per code; its figures use the same code)',
      });
    }
  }
  for (const p of problems) reader.problem(file.name, p.line, p.field, p.value, p.rule);
}

/** A number cell: null when empty, the text when a number, undefined (with a problem) when neither. */
function numberCell(
  reader: Reader,
  file: string,
  line: number,
  field: string,
  text: string | undefined,
): string | null | undefined {
  const cell = (text ?? '').trim();
  if (cell === '') return null;
  if (isNumberText(cell)) return cell;
  reader.problem(
    file,
    line,
    field,
    text,
    'must be a number (digits with an optional decimal point and sign): the LGBF files mark no figure as not published, an empty cell is one not given',
  );
  return undefined;
}

/** One record of a figures file checked and read, or null (with its problems). */
function readFigure(
  reader: Reader,
  csv: CsvFile,
  columns: Columns,
  record: CsvRecord,
  familyGroup: string | null,
): { indicator: LgbfIndicator; figure: Figure; key: string } | null {
  const { line } = record;
  const file = csv.name;
  const before = reader.read.batch.problems.length;
  const [codeCell, councilCell, labelCell] = [
    csv.cell(record, columns.code),
    csv.cell(record, columns.council),
    csv.cell(record, columns.period),
  ];
  const code = codeCell.trim();
  const name = councilCell.trim();
  const label = labelCell.trim();
  const indicator = reader.indicators.get(code);
  if (!indicator)
    reader.problem(
      file,
      line,
      columns.code,
      codeCell,
      'is not an indicator of Indicator Information.csv',
    );
  const council = reader.councils.get(name);
  if (!council)
    reader.problem(
      file,
      line,
      columns.council,
      councilCell,
      `is not one of the ${reader.councils.size} councils of Family Groups.csv`,
    );
  const read = reader.periodOf(label);
  if (!read) {
    reader.problem(
      file,
      line,
      columns.period,
      labelCell,
      'must be a financial year such as 2022-23 or financial years taken together such as 2014-17 (2014/15 to 2016/17)',
    );
  } else if (read.rule) {
    reader.problem(file, line, columns.period, label, `(${read.period}) ${read.rule}`);
  }
  const value = numberCell(reader, file, line, columns.value, csv.cell(record, columns.value));
  const numerator = numberCell(
    reader,
    file,
    line,
    columns.numerator,
    csv.cell(record, columns.numerator),
  );
  const denominator = numberCell(
    reader,
    file,
    line,
    columns.denominator,
    csv.cell(record, columns.denominator),
  );
  if (reader.read.batch.problems.length > before) return null;
  const figure: Figure = {
    file,
    line,
    columns,
    council: council!,
    label,
    period: read!.period,
    start: read!.start,
    multiYear: read!.multiYear,
    value: value!,
    numerator: numerator!,
    denominator: denominator!,
    familyGroup,
  };
  return { indicator: indicator!, figure, key: `${code}\u0000${name}\u0000${label}` };
}

function keep(reader: Reader, indicator: LgbfIndicator, figure: Figure, key: string): void {
  reader.byKey.set(key, figure);
  const list = reader.figures.get(indicator.published);
  if (list) list.push(figure);
  else reader.figures.set(indicator.published, [figure]);
  const label = reader.labels.get(figure.label);
  if (label) label.cells += 1;
  else
    reader.labels.set(figure.label, {
      file: figure.file,
      line: figure.line,
      period: figure.period,
      cells: 1,
    });
}

/** Whether a record has nothing but the pandas index (its first cell). */
function isEmpty(record: CsvRecord): boolean {
  for (let i = 1; i < record.cells.length; i += 1) if (record.cells[i]!.trim() !== '') return false;
  return true;
}

/** LGBF_ScotDataReal_ISSpatialHub.csv: one figure per record; the empty last row is skipped, and the pandas index column never read. */
function readFigures(reader: Reader, file: CsvFile): void {
  const empty: number[] = [];
  for (const record of file.records) {
    const { line } = record;
    if (isEmpty(record)) {
      empty.push(line);
      continue;
    }
    reader.read.batch.rows += 1;
    const read = readFigure(
      reader,
      file,
      FIGURE_COLUMNS,
      record,
      file.cell(record, 'FamilyGroup').trim() || null,
    );
    if (!read) continue;
    const earlier = reader.byKey.get(read.key);
    if (earlier) {
      reader.problem(
        file.name,
        line,
        'Year',
        read.figure.label,
        `repeats line ${earlier.line}: one figure per indicator (${read.indicator.published}), council (${read.figure.council.name}) and year`,
      );
      continue;
    }
    if (read.figure.value === null) reader.emptyValues += 1;
    if (
      read.figure.value === null &&
      read.figure.numerator === null &&
      read.figure.denominator === null
    )
      continue;
    keep(reader, read.indicator, read.figure, read.key);
  }
  reader.notes.push(
    `${file.name}: the first column (no header) is pandas' row index and is not read; ${empty.length === 0 ? 'no empty rows' : `${empty.length} empty row${empty.length === 1 ? '' : 's'} ignored (line ${listed(empty.map(String))}: the index and nothing else)`}.`,
  );
}

const sameNumber = (a: string | null, b: string | null) =>
  a === null || b === null ? a === b : Number(a) === Number(b);

/** MissingData_Real.csv: figures the copy's author took from the Spatial Hub annual data set, taken like the main file's; a repeat of a main-file figure with the same numbers is that figure. */
function readMissingData(reader: Reader, file: CsvFile): void {
  for (const record of file.records) {
    const { line } = record;
    if (REQUIRED_COLUMNS.missing.every((column) => file.cell(record, column).trim() === ''))
      continue;
    reader.read.batch.rows += 1;
    const dataType = file.cell(record, 'DataType');
    if (dataType.trim() !== 'Real') {
      reader.problem(
        file.name,
        line,
        'DataType',
        dataType,
        'must be Real: the import reads real-terms figures, and cash-terms ones would mix with them',
      );
      continue;
    }
    const read = readFigure(reader, file, MISSING_COLUMNS, record, null);
    if (!read) continue;
    const earlier = reader.byKey.get(read.key);
    if (earlier) {
      const differing = (['value', 'numerator', 'denominator'] as const).filter(
        (part) => !sameNumber(earlier[part], read.figure[part]),
      );
      if (differing.length === 0 && earlier.file !== file.name) {
        reader.confirmed += 1;
        continue;
      }
      const part = differing[0] ?? 'value';
      reader.problem(
        file.name,
        line,
        MISSING_COLUMNS[part],
        file.cell(record, MISSING_COLUMNS[part]),
        `repeats the figure of ${read.indicator.published}, ${read.figure.council.name}, ${read.figure.label} at ${earlier.file} line ${earlier.line}${differing.length > 0 ? ` with another ${part} (${earlier[part] ?? 'none'})` : ''}: one figure per indicator, council and year`,
      );
      continue;
    }
    if (
      read.figure.value === null &&
      read.figure.numerator === null &&
      read.figure.denominator === null
    )
      continue;
    reader.fromMissing += 1;
    keep(reader, read.indicator, read.figure, read.key);
  }
  reader.notes.push(
    `${file.name}: ${reader.confirmed + reader.fromMissing} figures the copy's author took from the Spatial Hub annual data set for seven indicators PROVENANCE calls absent from the main file: ${reader.confirmed} repeat a figure of the main file with the same value, numerator and denominator (the main file already has them: taken once), ${reader.fromMissing} are taken from it alone.`,
  );
}

/** How a percentage indicator's values are written: all within 0-1, fractions; all above 1 (and at most 100), percentage points; else a proportion that leaves 0-1. */
function percentForm(figures: readonly Figure[]): PercentForm {
  const values = figures.flatMap((f) => (f.value === null ? [] : [Number(f.value)]));
  if (values.every((v) => v >= 0 && v <= 1)) return 'fraction';
  if (values.every((v) => v > 1 && v <= 100)) return 'points';
  return 'proportion';
}

/** The scheme every figure's FamilyGroup agrees with (the council's group in it, as the file writes groups), or null when none does. */
function schemeOfFigures(figures: readonly Figure[]): Scheme | 'both' | null {
  let people = true;
  let place = true;
  for (const { council, familyGroup } of figures) {
    if (familyGroup === null) continue;
    people &&=
      council.groups.people !== undefined &&
      publishedGroup('people', council.groups.people) === familyGroup;
    place &&=
      council.groups.place !== undefined &&
      publishedGroup('place', council.groups.place) === familyGroup;
  }
  return people && place ? 'both' : people ? 'people' : place ? 'place' : null;
}

/** The constant k with value = k x numerator / denominator (x 100 for a percentage) beyond the multipliers: 1, another power of ten, or null when the figures are no ratio of their parts. */
function constantOf(quotients: readonly number[]): number | null {
  if (quotients.length === 0) return 1;
  const middle = median(quotients as number[]);
  if (near(middle, 1)) return 1;
  const power = Math.round(Math.log10(middle));
  if (power === 0 || !near(middle, 10 ** power)) return null;
  const agreeing = quotients.filter((q) => near(q, 10 ** power)).length;
  return agreeing >= 0.9 * quotients.length ? 10 ** power : null;
}

interface Series<T> {
  code: string;
  name: string;
  multiYear: boolean;
  items: T[];
}

/** The indicator's series: single years under its code, multi-year aggregates under code + "-multi-year" when it has both (under its code when it has only aggregates). */
function seriesOf<T extends { figure: Figure }>(
  indicator: LgbfIndicator,
  items: readonly T[],
): Series<T>[] {
  const single = items.filter((i) => !i.figure.multiYear);
  const multi = items.filter((i) => i.figure.multiYear);
  if (single.length > 0 && multi.length > 0) {
    return [
      { code: indicator.code, name: indicator.title, multiYear: false, items: single },
      {
        code: `${indicator.code}-multi-year`,
        name: `${indicator.title} (multi-year)`,
        multiYear: true,
        items: multi,
      },
    ];
  }
  return [
    { code: indicator.code, name: indicator.title, multiYear: multi.length > 0, items: [...items] },
  ];
}

const partsOf = (problems: readonly Problem[]) => problems.map(describeProblem).join('; ');

/** What the adapter learnt about an indicator, for the notes. */
interface IndicatorFindings {
  contradicted: number;
  beyondTolerance: number;
  notRatio: boolean;
  /** The constant beyond the multipliers (1 for none), null when the figures are no ratio of their parts. */
  k: number | null;
}

/** What a numerator multiplier does, in words: 1000 reads thousands (GBP 000, thousand tonnes), 19.23 is 1000 / 52 (thousands of pounds a year to pounds a week). */
function multiplierMeaning(multiplier: number): string {
  if (multiplier === 1000)
    return ' (the numerators are published in thousands: GBP 000, thousand tonnes)';
  if (Math.abs(multiplier - 1000 / 52) < 1e-6)
    return ' (1000 / 52: thousands of pounds a year to pounds a week)';
  return '';
}

/** Definitions, targets, figures and repairs of one indicator. */
function emitIndicator(
  reader: Reader,
  catalogueFile: string,
  indicator: LgbfIndicator,
  councils: readonly Council[],
): IndicatorFindings {
  const { read } = reader;
  const figures = reader.figures.get(indicator.published) ?? [];
  const form: PercentForm | null =
    indicator.measureType === 'Percentage' ? percentForm(figures) : null;
  const unit = unitOf(indicator, form ?? 'fraction');
  const valueShift = form === 'fraction' ? 2 : 0;
  const scale = unit === Unit.PERCENT ? 100 : 1;
  const findings: IndicatorFindings = {
    contradicted: 0,
    beyondTolerance: 0,
    notRatio: false,
    k: 1,
  };

  // The family-group scheme the published figures use, which may differ from the catalogue's.
  const found = schemeOfFigures(figures);
  const scheme = found === 'both' || found === null ? indicator.scheme : found;
  if (found === null && figures.some((f) => f.familyGroup !== null)) {
    reader.notes.push(
      `${indicator.published}: FamilyGroup is not every council's group of one scheme; its scheme is Indicator Information's (${indicator.scheme ?? 'none'}).`,
    );
  }
  if (scheme && indicator.scheme && scheme !== indicator.scheme) {
    read.repairs.push({
      file: catalogueFile,
      line: indicator.line,
      field: 'FamilyGrouping',
      value: indicator.familyGrouping,
      repaired: SCHEMES[scheme].name,
      rule: `the Spatial Hub figures compare ${indicator.published} within the ${scheme === 'people' ? 'deprivation' : 'rurality'} family groups (their FamilyGroup column is each council's group in that scheme on every row): the published data decides`,
    });
  }
  if (scheme && schemeOf(indicator.code) !== scheme) {
    reader.notes.push(
      `${indicator.published}: peerGroupFor (family-groups.ts) has it in ${schemeOf(indicator.code) ?? 'no'} scheme, the figures in ${scheme}: update its table.`,
    );
  }

  // Numerators and denominators in the units of the value.
  const nm = indicator.numeratorMultiplier;
  const dm = indicator.denominatorMultiplier;
  const rows = figures.map((figure) => ({
    figure,
    value: figure.value === null ? null : shiftDecimal(figure.value, valueShift),
    numerator: figure.numerator === null ? null : scaled(figure.numerator, nm.value),
    denominator: figure.denominator === null ? null : scaled(figure.denominator, dm.value),
  }));
  const withParts = rows.filter((r) => r.numerator !== null && r.denominator !== null);
  const quotients = withParts
    .filter((r) => r.value !== null && r.numerator! > 0 && r.denominator! > 0)
    .map((r) => r.value! / ((r.numerator! / r.denominator!) * scale));
  const k = constantOf(quotients);
  findings.notRatio = k === null;
  findings.k = k;
  const kPower = k === null ? 0 : Math.round(Math.log10(k));
  const first = rows[0]?.figure;
  if (first && form === 'fraction') {
    read.repairs.push({
      file: first.file,
      line: first.line,
      field: first.columns.value,
      value: first.value,
      repaired: rows[0]!.value,
      rule: `${indicator.published} is a percentage published as fractions of one (all ${rows.length} values 0-1): every value is read x 100, as the hub keeps percentages 0-100 (one repair for the indicator)`,
    });
  }
  const sample = withParts[0];
  if (sample && k !== null) {
    const f = sample.figure;
    if (nm.value !== 1 || kPower !== 0) {
      read.repairs.push({
        file: f.file,
        line: f.line,
        field: f.columns.numerator,
        value: f.numerator,
        repaired: kPower === 0 ? sample.numerator : shiftDecimal(String(sample.numerator), kPower),
        rule: `${indicator.published}'s numerators are read times ${[nm.value !== 1 ? `Numerator_Multipier ${nm.text}${multiplierMeaning(nm.value)}` : '', kPower !== 0 ? `${k} (the value is ${k} x numerator / denominator${scale === 100 ? ' x 100' : ''} in every figure; a constant factor leaves a ratio of sums unchanged)` : ''].filter(Boolean).join(' and ')}, so that value = numerator / denominator${scale === 100 ? ' x 100' : ''} (one repair for the indicator's ${withParts.length} numerators)`,
      });
    }
    if (dm.value !== 1) {
      read.repairs.push({
        file: f.file,
        line: f.line,
        field: f.columns.denominator,
        value: f.denominator,
        repaired: sample.denominator,
        rule: `${indicator.published}'s denominators are read times Denominator_Multiplier ${dm.text}${dm.value < 1 ? ` (the value is per ${formatFigure(1 / dm.value)})` : ''}, so that value = numerator / denominator${scale === 100 ? ' x 100' : ''} (one repair for the indicator's ${withParts.length} denominators)`,
      });
    }
  }
  if (k === null && sample) {
    read.notTaken.push({
      file: sample.figure.file,
      line: sample.figure.line,
      field: `${sample.figure.columns.numerator}, ${sample.figure.columns.denominator}`,
      value: { indicator: indicator.published, rows: withParts.length },
      rule: `${indicator.published}'s values are no constant multiple of numerator / denominator (median value / ratio ${formatFigure(median(quotients))}): its "numerator" and "denominator" are inputs of another calculation (${indicator.published === 'CORP03c' ? 'the gap between male and female hourly pay' : 'not a ratio'}), so its ${withParts.length} values are taken alone and no numerator or denominator of it is (said once for the indicator)`,
    });
  }

  // Definitions and targets for every council, figures for those that have them.
  const definitionRow = read.origins.add(catalogueFile, indicator.line);
  for (const series of seriesOf(indicator, rows)) {
    const definition = definitionOf(
      indicator,
      form === 'fraction' ? null : form,
      scheme,
      series.multiYear && series.code !== indicator.code,
    );
    for (const council of councils) {
      const submission: IndicatorDefinitionSubmission = {
        organisation: council.id,
        code: series.code,
        name: series.name,
        unit,
        polarity: indicator.polarity,
        frequency: Frequency.ANNUAL,
        definition,
        agreementTolerance: PROVENANCE_TOLERANCE,
        row: definitionRow,
      };
      read.batch.indicators.push(submission);
    }
    if (
      indicator.polarity === Polarity.CLOSEST_TO_TARGET &&
      indicator.midpoint !== null &&
      series.items.length > 0
    ) {
      const target = shiftDecimal(indicator.midpoint, valueShift);
      const fromPeriod = series.items
        .map((i) => i.figure)
        .reduce((a, b) => (b.start < a.start ? b : a)).period;
      if (valueShift !== 0) {
        read.repairs.push({
          file: catalogueFile,
          line: indicator.line,
          field: 'Ranking_GoldilocksMidpoint',
          value: indicator.midpoint,
          repaired: target,
          rule: `${indicator.published}'s mid-point is a fraction of one like its values, read x 100 as they are; it is the target from ${fromPeriod}`,
        });
      }
      for (const council of councils)
        read.batch.targets.push({
          organisation: council.id,
          indicatorCode: series.code,
          fromPeriod,
          value: target,
          row: definitionRow,
        });
    }
    for (const row of series.items)
      emitFigure(reader, indicator, series.code, unit, row, k, kPower, findings);
  }
  return findings;
}

/** One figure: with its numerator and denominator when the hub's rules accept the three together, else its value alone (reported). */
function emitFigure(
  reader: Reader,
  indicator: LgbfIndicator,
  indicatorCode: string,
  unit: Unit,
  row: {
    figure: Figure;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
  },
  k: number | null,
  kPower: number,
  findings: IndicatorFindings,
): void {
  const { read } = reader;
  const { figure, value } = row;
  const measurement: ImportedMeasurement = {
    row: read.origins.add(figure.file, figure.line),
    organisation: figure.council.id,
    indicatorCode,
    period: figure.period,
    value,
  };
  const hasParts = row.numerator !== null && row.denominator !== null;
  if (hasParts && k !== null) {
    const base = { indicatorId: indicatorCode, period: figure.period, value };
    const numerator = kPower === 0 ? row.numerator! : shiftDecimal(String(row.numerator), kPower);
    const whole = checkMeasurement({ ...base, numerator, denominator: row.denominator }, unit, {
      agreementTolerance: PROVENANCE_TOLERANCE,
    });
    if (whole.ok) {
      read.batch.measurements.push({ ...measurement, numerator, denominator: row.denominator });
      return;
    }
    // Without its parts the figure is its value, which must obey the value's rule on its own.
    const alone =
      value === null
        ? 'must be given when its numerator and denominator are not taken'
        : valueRule(value, unit, null, true);
    if (alone === null && value !== null) {
      const ratio = (numerator / row.denominator!) * (unit === Unit.PERCENT ? 100 : 1);
      const off =
        ratio === 0 ? Number.POSITIVE_INFINITY : Math.abs(value - ratio) / Math.abs(ratio);
      findings.contradicted += 1;
      if (off > PROVENANCE_TOLERANCE) findings.beyondTolerance += 1;
      read.notTaken.push({
        file: figure.file,
        line: figure.line,
        field: `${figure.columns.numerator}, ${figure.columns.denominator}`,
        value: { value, numerator, denominator: row.denominator },
        rule: `${partsOf(whole.problems)} (${figure.columns.value} ${figure.value}, ${figure.columns.numerator} ${figure.numerator}, ${figure.columns.denominator} ${figure.denominator}; ${off === Number.POSITIVE_INFINITY ? 'no ratio' : `${formatFigure(off * 100)}% off`}${off > PROVENANCE_TOLERANCE ? ', more than the 2% PROVENANCE calls a contradiction' : ', within 2%: the publisher computed the value from unrounded parts'}): the published value is taken, its numerator and denominator are not`,
      });
      read.batch.measurements.push(measurement);
      return;
    }
    for (const p of whole.problems)
      reader.problem(
        figure.file,
        figure.line,
        figure.columns[p.field as 'value' | 'numerator' | 'denominator'] ?? p.field,
        p.value,
        p.rule,
      );
    if (!whole.problems.some((p) => p.field === 'value'))
      reader.problem(
        figure.file,
        figure.line,
        figure.columns.value,
        value,
        `${alone} (${indicator.published} is read as ${unit})`,
      );
    return;
  }
  if (!hasParts && (row.numerator !== null || row.denominator !== null)) {
    const part = row.numerator !== null ? 'numerator' : 'denominator';
    read.notTaken.push({
      file: figure.file,
      line: figure.line,
      field: figure.columns[part],
      value: figure[part],
      rule: `is a ${part} without its ${part === 'numerator' ? 'denominator' : 'numerator'} (that cell is empty): the hub takes the two together, so the value is taken alone`,
    });
  }
  // A value on its own: checkMeasurement's rules for it are the period's (read once per label) and
  // the value's, which valueRule is; called directly, it spares 18,000 period parses.
  const rule =
    value === null
      ? 'must be given, or numerator and denominator must be'
      : valueRule(value, unit, null, true);
  if (rule) {
    reader.problem(
      figure.file,
      figure.line,
      figure.columns.value,
      value,
      `${rule} (${indicator.published} is read as ${unit})`,
    );
    return;
  }
  read.batch.measurements.push(measurement);
}

/** Period labels read differently from how they are written: one repair per distinct label. */
function reportLabels(reader: Reader): void {
  for (const [label, { file, line, period, cells }] of reader.labels) {
    reader.read.repairs.push({
      file,
      line,
      field: file.endsWith('MissingData_Real.csv') ? 'Period' : 'Year',
      value: label,
      repaired: period,
      rule: `${period.includes('-') ? `the multi-year aggregate ${label} is the financial years ${period.replace('-', ' to ')}` : `the financial year ${label} is written ${period}`} (one repair for the label's ${cells} cells)`,
    });
  }
}

/** Councils that lack an indicator altogether, or whose series starts late, ends early or has gaps, against the indicator's own span. */
function coverageNotes(reader: Reader, councils: readonly Council[]): void {
  const lacking = new Map<string, string[]>();
  const irregular: string[] = [];
  for (const [published, figures] of reader.figures) {
    for (const series of seriesOf(
      reader.indicators.get(published)!,
      figures.map((figure) => ({ figure })),
    )) {
      const periods = [...new Set(series.items.map((i) => i.figure.period))].sort();
      const byCouncil = new Map<Council, Set<string>>();
      for (const { figure: f } of series.items)
        (byCouncil.get(f.council) ?? byCouncil.set(f.council, new Set()).get(f.council)!).add(
          f.period,
        );
      const absent = councils.filter((c) => !byCouncil.has(c)).map((c) => c.name);
      if (absent.length > 0)
        lacking.set(absent.join(', '), [...(lacking.get(absent.join(', ')) ?? []), series.code]);
      for (const [council, own] of byCouncil) {
        const missing = periods.filter((p) => !own.has(p));
        if (missing.length > 0)
          irregular.push(`${series.code} ${council.name} (${listed(missing, 4)})`);
      }
    }
  }
  for (const [names, codes] of lacking)
    reader.notes.push(
      `No figure at all for ${listed(codes, 40)} from ${names.split(', ').length} council${names.includes(',') ? 's' : ''}: ${names}.`,
    );
  if (irregular.length > 0)
    reader.notes.push(
      `${irregular.length} council series lack periods their indicator has for other councils (starting late, ending early or with gaps): ${listed(irregular, 15)}.`,
    );
}

/**
 * Reads the LGBF files into one import batch for the 32 councils (see the comment at the top of
 * this file for the rules). Pure: no clock but `options.today`, no database, no network.
 */
export function readLgbf(files: readonly SourceFile[], options: ReadOptions): SourceRead {
  const reader = new Reader(options.today);
  const { read } = reader;
  const given = findFiles(reader, files);
  if (!given) return read;
  const groups = csvOf(reader, given.groups, 'groups');
  const catalogue = csvOf(reader, given.catalogue, 'catalogue');
  const figures = csvOf(reader, given.figures, 'figures');
  const missing = csvOf(reader, given.missing, 'missing');
  if (!groups || !catalogue || !figures || !missing) return read;
  readFamilyGroups(reader, groups);
  readCatalogue(reader, catalogue);
  readFigures(reader, figures);
  readMissingData(reader, missing);
  const councils = [...reader.councils.values()];
  const contradicted: string[] = [];
  const beyond: string[] = [];
  const notRatio: string[] = [];
  const constants: string[] = [];
  const units = new Map<string, string[]>();
  for (const indicator of reader.indicators.values()) {
    const findings = emitIndicator(reader, catalogue.name, indicator, councils);
    if (findings.contradicted > 0)
      contradicted.push(`${indicator.published} ${findings.contradicted}`);
    if (findings.beyondTolerance > 0)
      beyond.push(`${indicator.published} ${findings.beyondTolerance}`);
    if (findings.notRatio) notRatio.push(indicator.published);
    if (findings.k !== null && findings.k !== 1)
      constants.push(`${indicator.published} x ${findings.k}`);
    const unit = read.batch.indicators.find((d) => d.code === indicator.code)?.unit ?? '?';
    units.set(unit, [...(units.get(unit) ?? []), indicator.published]);
  }
  reportLabels(reader);
  coverageNotes(reader, councils);
  read.organisations = councils.map((council): SourceOrganisation => {
    const peerGroups = (['people', 'place'] as const).flatMap((scheme) =>
      council.groups[scheme] ? [peerGroupLabel(scheme, council.groups[scheme])] : [],
    );
    const official = OFFICIAL_NAMES[council.name];
    return {
      id: council.id,
      name: council.name,
      kind: 'LOCAL_AUTHORITY',
      code: council.name,
      peerGroups,
      ...(official && { note: `Official name: ${official}.` }),
    };
  });
  const singleOnly = [...reader.figures].filter(([, f]) => f.every((x) => !x.multiYear)).length;
  const multiOnly = [...reader.figures]
    .filter(([, f]) => f.every((x) => x.multiYear))
    .map(([code]) => code);
  const mixed = [...reader.figures]
    .filter(([, f]) => f.some((x) => x.multiYear) && f.some((x) => !x.multiYear))
    .map(([code]) => code);
  const withParts = read.batch.measurements.filter((m) => m.numerator !== undefined).length;
  read.notes = [
    `Files not read: raw/LGBF_ScotDataCash_ISSpatialHub.csv (cash terms: real terms are the LGBF's headline figures, and the cash file lacks 6 indicators and has 780 blank values); raw/Numerator Denominator Fail References.csv and raw/Error Outputs README.md (the copy's author's notes on contradicting figures: the tests check this adapter against them).`,
    ...reader.notes,
    `${read.batch.measurements.length} figures of ${reader.figures.size} indicators for ${councils.length} councils; ${reader.emptyValues} empty value cells (not given: absent, not reported as not taken); ${withParts} figures with numerator and denominator.`,
    `Periods: ${singleOnly} indicators report single financial years only, ${multiOnly.length} multi-year aggregates only (${multiOnly.join(', ')}), ${mixed.length === 0 ? 'none both' : `${mixed.length} both, whose aggregates are kept apart under code-multi-year (${mixed.join(', ')})`}. Aggregates of several lengths follow each other in one series (C&L05a: 2010-14 is four years, 2012-15 three).`,
    `Units: ${[...units].map(([unit, codes]) => `${unit} ${codes.length}`).join(', ')}. Percentages published as fractions of one are read x 100; ${
      units
        .get(Unit.RATIO)
        ?.filter((c) => reader.indicators.get(c)!.measureType === 'Percentage')
        .join(', ') || 'none'
    } leave 0-1 (budgets spent beyond 100%, a negative pay gap) and are RATIOs as written (1 = 100%); CHN14a and CHN14b are percentage points already.`,
    `Value against numerator / denominator: ${contradicted.length === 0 ? 'every figure agrees' : `the hub's rule refuses the parts of ${contradicted.reduce((n, c) => n + Number(c.split(' ')[1]), 0)} figures (${contradicted.join(', ')}), of which ${beyond.reduce((n, c) => n + Number(c.split(' ')[1]), 0)} are more than 2% off (${beyond.join(', ')}): values taken, parts not`}. Not ratios at all: ${notRatio.join(', ') || 'none'} (values only). Constants beyond the multipliers (numerators multiplied): ${constants.join(', ') || 'none'}.`,
    `Goldilocks mid-points given for indicators that are not Goldilocks are not read: ${[
      ...reader.indicators.values(),
    ]
      .filter((i) => i.polarity !== Polarity.CLOSEST_TO_TARGET && i.midpoint !== null)
      .map((i) => `${i.published} (${i.midpoint})`)
      .join(', ')}.`,
  ];
  return read;
}

/** The LGBF data set as the hub reads it. */
export const lgbfSource: Source = {
  id: 'scotland-lgbf',
  title: 'Local Government Benchmarking Framework (Scotland)',
  publisher: {
    id: 'improvement-service',
    name: 'Improvement Service',
    typeName: 'ScottishCouncil',
  },
  files: () => [FILES.figures, FILES.missing, FILES.catalogue, FILES.groups],
  read: readLgbf,
};
