import { Frequency, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorDefinitionSubmission } from '../../indicator/definition.store.ts';
import type { ImportedMeasurement } from '../../imports/import.parse.ts';
import {
  type DepartmentDefinition,
  departmentByCode,
  departmentId,
  successorsOf,
} from '../departments.ts';
import {
  type ReadOptions,
  type Source,
  type SourceFile,
  type SourceOrganisation,
  type SourcePublisher,
  type SourceRead,
  emptyRead,
} from '../source.ts';
import { type Columns, type QuarterColumns, findColumns } from './columns.ts';
import { type Cell, NUMBER_RULE, pence, readCell } from './figures.ts';
import { UNREAD_QUARTER_COLUMNS } from './quarters.ts';
import { FigureHistory } from './history.ts';
import { type ServiceState, departmentRuns, moved, serviceOf } from './services.ts';
import { type TableRow, readTable } from './table.ts';

// The GOV.UK Transactions Explorer's data ("The Spreadsheet" behind gov.uk/performance/services):
// one row per government transactional service, with its department (Abbr), agency or body, slug,
// and per collection quarter 2012-Q4 ... 2017-Q4 the twelve months' transaction volume, cost per
// transaction (CPT), digital volume and digital CPT. Eleven versions of services.csv from the
// alphagov/spotlight history (2015-06-30 ... 2018-09-07) and the last one (2018-09-19) are read in
// date order, as published versions of the same figures (PROVENANCE.md).
//
// What becomes of a row: a service (id = slug; name; the agency or body, none when the department
// runs it; link) of the department its LATEST version lists it under (Abbr through departments.ts),
// and per quarter, as the twelve months the label stands for (2013-Q3 is 2012-07/2013-06; the first
// three labels are irregular, quarters.ts): tx-transactions (Vol.), gds-cost-per-transaction
// (numerator Vol. x CPT, denominator Vol., value CPT) and tx-digital-take-up (numerator Digital
// vol., denominator Vol.). A figure is emitted in the first version that has it and again in each
// version that changes it, with publishedOn = the version's date: the hub keeps each published value
// and the latest is the figure. A figure no later version has keeps its last value (a note counts them).
//
// Documented problems (PROVENANCE.md) and what is done with each:
// - Numbers as text with thousands separators ("6,400,000"): the format, read as numbers.
// - `-` in the quarterly columns: the publisher's not-applicable marker; notTaken per cell.
// - `#REF!` in Hi-vol, `[not provided]` in Customer type and Business model: columns not read; a
//   note counts them.
// - Digital volume above the volume: that cell's take-up is notTaken, naming both volumes (the GDS
//   team's own "Digital exceeds all" check flags these); the volume is taken.
// - A cost per transaction beside a volume of 0 or no volume: notTaken (no transactions to divide a
//   cost by, or to weigh it with); a digital volume beside no volume or a volume of 0: notTaken.
// - Trailing spaces and line breaks at the ends of service names (and of links and agency names,
//   should any have them): trimmed, a repair per cell of the row the service is read from (its latest). Header cells with line breaks: read with the breaks as spaces (a note). Four
//   unnamed columns: not read (a note). Header typo of transaction-volumes.csv: that file is not read.
// - Completion rate and User satisfaction, filled for one service: not read (a note).
// - Revisions and in-release corrections: each published value with its publishedOn. Services
//   come and go: a note per version counts them.
// - The June 2016 machinery-of-government moves (Previous dept column) and the 2018 renames (DH to
//   DHSC, DCLG to MHCLG): a service's figures of every version are its latest department's; a note
//   per service that moved says where it was, and one counts the moves.
// Department abbreviations written otherwise than their code (Defra, DfT, Home Office, MoJ, MoD,
// DfE) are repairs, one per cell. Anything else is a batch problem naming file, line, field, value
// and rule: an unknown Abbr or Previous dept, a figure that is not a number, a volume that is not a
// whole number, a blank, malformed or repeated slug, a row of the wrong width, a missing column, a
// quarter not over by `today`, a version dated after `today`, a file that is no version.

/** GDS, part of the Cabinet Office, published the Explorer; the GMPP adapter's publisher is the same body. */
export const TX_PUBLISHER: SourcePublisher = {
  id: 'cabinet-office',
  name: 'Cabinet Office (Infrastructure and Projects Authority; Government Digital Service)',
  typeName: 'WhitehallDepartment',
};

/** The indicators each department with figures defines or adopts. */
export const TX_INDICATORS = {
  cost: 'gds-cost-per-transaction',
  takeUp: 'tx-digital-take-up',
  transactions: 'tx-transactions',
} as const;
type IndicatorKey = keyof typeof TX_INDICATORS;

const OWN_INDICATORS: Record<
  Exclude<IndicatorKey, 'cost'>,
  Omit<IndicatorDefinitionSubmission, 'organisation' | 'code' | 'row'>
> = {
  takeUp: {
    name: 'Digital take-up',
    unit: Unit.PERCENT,
    polarity: Polarity.BIGGER_IS_BETTER,
    frequency: Frequency.QUARTERLY,
    definition:
      "Percentage of transactions completed or partially completed through digital channels in the twelve months to the quarter's end: digital volume / volume, as the GOV.UK Transactions Explorer defined it.",
  },
  transactions: {
    name: 'Transactions',
    unit: Unit.COUNT,
    polarity: Polarity.BIGGER_IS_BETTER,
    frequency: Frequency.QUARTERLY,
    definition:
      "Transactions in the twelve months to the quarter's end, all channels, as departments returned them to the GOV.UK Transactions Explorer.",
  },
};

const HISTORY_FILES = [
  'services_2015-06-30_369bbadb.csv',
  'services_2016-04-20_b9c43bb6.csv',
  'services_2016-07-12_4a32a979.csv',
  'services_2016-11-30_1082c417.csv',
  'services_2017-03-01_7a16194e.csv',
  'services_2017-06-06_91178cae.csv',
  'services_2017-07-18_aa1cd838.csv',
  'services_2017-09-22_645a3454.csv',
  'services_2017-10-31_13e69b0e.csv',
  'services_2018-01-26_b4f2e812.csv',
  'services_2018-09-07_cf307bba.csv',
];
const LATEST_FILE = 'raw/services.csv';
/** raw/services.csv is spotlight's last change to the file: commit 9d645d2a of 2018-09-19. */
const LATEST = { date: '2018-09-19', commit: '9d645d2a' };
const DEFAULT_FILES = [...HISTORY_FILES.map((name) => `raw/history/${name}`), LATEST_FILE];

/** Files of the data set that are not read, and why. */
const NOT_READ: Readonly<Record<string, string>> = {
  'transaction-volumes.csv':
    'the same volumes, digital volumes and costs as services.csv for the same services, without slugs to follow a service across versions (and one heading, "January 2014 to December 2015", means January to December 2014); not read',
  'stagecraft-dashboards-2015.json':
    "the Performance Platform's dashboard registry of March 2015, whose slugs are another naming scheme; no figures, not a series; not read",
  'backdrop-transaction-data-sample-2015.json':
    '47 KPI records of one quarter, a sample of the Performance Platform store: not a series; not read',
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MARKER_RULE = "is the publisher's marker for not applicable (-): no figure taken";

/** One version of services.csv: the file, its publication date and its commit. */
interface Version {
  file: SourceFile;
  date: string;
  commit: string;
}

/** What a version held, for the notes. */
interface VersionStats {
  file: string;
  date: string;
  commit: string;
  services: number;
  added: number;
  gone: number;
  first: number;
  revised: number;
}

/** The version being read and where its columns are. */
interface FileContext {
  version: Version;
  index: number;
  isLatest: boolean;
  columns: Columns;
  /** Each quarter's first slot in a service's figure history. */
  periodSlots: number[];
  slugs: Map<string, number>;
  stats: VersionStats;
}

/** Where a row's figures come from and go to. */
interface RowContext {
  version: Version;
  index: number;
  isLatest: boolean;
  origin: number;
  line: number;
  slug: string;
  department: DepartmentDefinition;
  stats: VersionStats;
  /** The service's figures as last emitted. */
  figures: FigureHistory;
}

const SLOT: Record<IndicatorKey, number> = { transactions: 0, cost: 1, takeUp: 2 };

/** Counts of columns not read, over all versions and in the latest. */
interface UnreadCounts {
  notProvided: {
    customerType: number;
    businessModel: number;
    latestCustomerType: number;
    latestBusinessModel: number;
  };
  ref: number;
  latestRef: number;
  kpiCells: number;
  kpiServices: Set<string>;
  unnamed: Map<string, number>;
  lineBreaks: Map<string, number>;
  unreadFigures: Map<string, number>;
}

/** The version a file name stands for, a file that is not read (with why), or null for a name that is neither. */
function versionOf(name: string): { date: string; commit: string } | { notRead: string } | null {
  const base = name.split(/[\\/]/).at(-1) ?? name;
  if (base === 'services.csv') return LATEST;
  const match = /^services_(\d{4}-\d{2}-\d{2})_([0-9a-f]{8})\.csv$/.exec(base);
  if (match) return { date: match[1]!, commit: match[2]! };
  const why = NOT_READ[base];
  return why ? { notRead: why } : null;
}

/** Reads the versions of services.csv in date order into one batch. */
class ExplorerReader {
  readonly read = emptyRead('gov-transactions-explorer');
  private readonly services = new Map<string, ServiceState>();
  /** Per service: its keys' last emitted figures, and the last version that had each. */
  private readonly last = new Map<string, FigureHistory>();
  /** Each twelve months' index, so a slot is a number: index x 3 + the indicator's. */
  private readonly periods = new Map<string, number>();
  private readonly pending: { slug: string; record: ImportedMeasurement }[] = [];
  private readonly stats: VersionStats[] = [];
  private readonly unread: UnreadCounts = {
    notProvided: {
      customerType: 0,
      businessModel: 0,
      latestCustomerType: 0,
      latestBusinessModel: 0,
    },
    ref: 0,
    latestRef: 0,
    kpiCells: 0,
    kpiServices: new Set(),
    unnamed: new Map(),
    lineBreaks: new Map(),
    unreadFigures: new Map(),
  };
  /** Per department code: its quarters with a volume in the latest version, and its services there. */
  private readonly coverage = new Map<
    string,
    { quarters: Set<string>; services: number; written: string }
  >();
  private latestQuarters: string[] = [];
  private previousSlugs: Set<string> | null = null;
  private lastIndex = -1;

  constructor(private readonly today: string) {}

  private problem(file: string, line: number, field: string, value: unknown, rule: string): void {
    this.read.batch.problems.push({ row: this.read.origins.add(file, line), field, value, rule });
  }

  /** Sorts the files into versions by date; names those not read and those that are no version. */
  versions(files: readonly SourceFile[]): Version[] {
    const versions: Version[] = [];
    for (const file of files) {
      const version = versionOf(file.name);
      if (version === null)
        this.problem(
          file.name,
          1,
          'file',
          file.name,
          'is not a version of services.csv (services.csv, or services_YYYY-MM-DD_<commit>.csv as history/ names them) nor a file of this data set',
        );
      else if ('notRead' in version) this.read.notes.push(`${file.name}: ${version.notRead}.`);
      else versions.push({ file, ...version });
    }
    versions.sort((a, b) => a.date.localeCompare(b.date));
    for (let i = 1; i < versions.length; i++) {
      if (versions[i]!.date === versions[i - 1]!.date) {
        this.problem(
          versions[i]!.file.name,
          1,
          'file',
          versions[i]!.file.name,
          `is dated ${versions[i]!.date}, as ${versions[i - 1]!.file.name} is: two versions of one day cannot be told apart`,
        );
      }
    }
    for (const version of versions) {
      if (version.date > this.today)
        this.problem(
          version.file.name,
          1,
          'file',
          version.file.name,
          `is dated ${version.date}, after today (${this.today}): a version cannot be published before its date`,
        );
    }
    if (!files.some((file) => (file.name.split(/[\\/]/).at(-1) ?? '') === 'services.csv')) {
      this.problem(
        LATEST_FILE,
        1,
        'file',
        LATEST_FILE,
        'is missing: the latest version of services.csv (2018-09-19) is the figure every earlier version revises; give it with the history files',
      );
    }
    const given = new Set(versions.map((v) => v.date));
    const missing = [...HISTORY_FILES.map((name) => versionOf(name) as { date: string }), LATEST]
      .filter((v) => !given.has(v.date))
      .map((v) => v.date);
    if (missing.length > 0 && versions.length > 0)
      this.read.notes.push(
        `Versions not given (their revisions are not in this read): ${missing.join(', ')}.`,
      );
    return versions;
  }

  /** Reads one version: its header, then each row. */
  version(version: Version, index: number, isLatest: boolean): void {
    const name = version.file.name;
    const table = readTable(version.file.bytes);
    if (!table.ok) {
      this.problem(name, table.line, 'file', name, table.rule);
      return;
    }
    const { columns, problems } = findColumns(table.header, this.today);
    for (const p of problems) this.problem(name, 1, p.field, p.value, p.rule);
    if (
      [
        columns.abbr,
        columns.department,
        columns.agency,
        columns.name,
        columns.slug,
        columns.url,
      ].some((at) => at < 0)
    )
      return;
    this.unread.unnamed.set(name, columns.unnamed);
    this.unread.lineBreaks.set(name, table.headerLineBreaks);
    for (const [figure, count] of Object.entries(columns.unread))
      this.unread.unreadFigures.set(
        figure,
        Math.max(this.unread.unreadFigures.get(figure) ?? 0, count),
      );
    if (isLatest) this.latestQuarters = columns.quarters.map((q) => q.quarter);
    const stats: VersionStats = {
      file: name,
      date: version.date,
      commit: version.commit,
      services: 0,
      added: 0,
      gone: 0,
      first: 0,
      revised: 0,
    };
    const slugs = new Map<string, number>();
    const periodSlots = columns.quarters.map((q) => this.slotsOf(q.period));
    for (const row of table.rows) {
      if (row.cells.length !== table.header.length) {
        this.problem(
          name,
          row.line,
          'row',
          row.cells.length,
          `has ${row.cells.length} cells where the header has ${table.header.length}: a cell was added or lost, so no column can be trusted`,
        );
        continue;
      }
      const slug = this.row({ version, index, isLatest, columns, periodSlots, slugs, stats }, row);
      if (slug) stats.services++;
    }
    this.read.batch.rows += table.rows.length;
    const now = new Set(slugs.keys());
    if (this.previousSlugs) {
      stats.added = [...now].filter((slug) => !this.previousSlugs!.has(slug)).length;
      stats.gone = [...this.previousSlugs].filter((slug) => !now.has(slug)).length;
    }
    this.previousSlugs = now;
    this.lastIndex = index;
    this.stats.push(stats);
  }

  /** Reads one row: its department, slug and service, then each quarter's figures. Returns the slug, or null when the row is refused. */
  private row(file: FileContext, row: TableRow): string | null {
    const { version, index, isLatest, columns, periodSlots, slugs, stats } = file;
    const name = version.file.name;
    const { cells, line } = row;
    const written = cells[columns.abbr]!;
    const department = departmentByCode(written);
    if (!department) {
      this.problem(
        name,
        line,
        'Abbr',
        written,
        'is not a department abbreviation the hub knows (departments.ts): the service cannot be given to an organisation',
      );
      return null;
    }
    if (written !== department.code) {
      this.read.repairs.push({
        file: name,
        line,
        field: 'Abbr',
        value: written,
        repaired: departmentId(department),
        rule: `department written ${written} is ${department.code} (${department.name}): organisation ${departmentId(department)}`,
      });
    }
    const slug = this.slug(name, line, cells[columns.slug]!, slugs);
    const previous = this.previous(name, line, columns, cells);
    this.countUnread(columns, cells, isLatest, slug);
    if (slug === null || previous === undefined) return null;
    const origin = this.read.origins.add(name, line);
    const history = this.services.get(slug)?.history ?? [];
    history.push({ code: department.code, written, date: version.date });
    this.services.set(slug, {
      slug,
      department,
      written,
      row: origin,
      file: name,
      line,
      name: cells[columns.name]!,
      agency: cells[columns.agency]!,
      departmentName: cells[columns.department]!,
      url: cells[columns.url]!,
      previous,
      history,
    });
    if (isLatest) this.cover(department, written);
    let figures = this.last.get(slug);
    if (!figures) this.last.set(slug, (figures = new FigureHistory()));
    const context: RowContext = {
      version,
      index,
      isLatest,
      origin,
      line,
      slug,
      department,
      stats,
      figures,
    };
    for (let at = 0; at < columns.quarters.length; at++)
      this.quarter(context, columns.quarters[at]!, periodSlots[at]!, cells);
    return slug;
  }

  /** The row's slug (trimmed and lower-cased, a repair when that changed it), or null with a problem. */
  private slug(
    file: string,
    line: number,
    written: string,
    slugs: Map<string, number>,
  ): string | null {
    const slug = written.trim().toLowerCase();
    if (!SLUG.test(slug)) {
      this.problem(
        file,
        line,
        'Slug',
        written,
        'must be a slug: lower-case letters and digits in words joined by hyphens (the service id); none can be made of it',
      );
      return null;
    }
    const earlier = slugs.get(slug);
    if (earlier !== undefined) {
      this.problem(
        file,
        line,
        'Slug',
        written,
        `repeats line ${earlier}'s slug: a service is listed once per version, so which row is its figure cannot be told`,
      );
      return null;
    }
    slugs.set(slug, line);
    if (slug !== written)
      this.read.repairs.push({
        file,
        line,
        field: 'Slug',
        value: written,
        repaired: slug,
        rule: 'a service id is lower-case with no spaces at its ends: trimmed and lower-cased',
      });
    return slug;
  }

  /** The row's Previous dept: the department it names, null when the column is absent or empty, undefined after a problem. */
  private previous(
    file: string,
    line: number,
    columns: Columns,
    cells: string[],
  ): ServiceState['previous'] | undefined {
    if (columns.previous === null) return null;
    const written = cells[columns.previous]!.trim();
    if (written === '') return null;
    const department = departmentByCode(written);
    if (!department) {
      this.problem(
        file,
        line,
        columns.previousName!,
        written,
        "is not a department abbreviation the hub knows (departments.ts): the service's history cannot be told",
      );
      return undefined;
    }
    return { written, department };
  }

  private countUnread(
    columns: Columns,
    cells: string[],
    isLatest: boolean,
    slug: string | null,
  ): void {
    const counts = this.unread;
    const notProvided = (at: number | null) =>
      at !== null && cells[at]!.trim() === '[not provided]';
    if (notProvided(columns.customerType)) {
      counts.notProvided.customerType++;
      if (isLatest) counts.notProvided.latestCustomerType++;
    }
    if (notProvided(columns.businessModel)) {
      counts.notProvided.businessModel++;
      if (isLatest) counts.notProvided.latestBusinessModel++;
    }
    if (columns.hiVol !== null && cells[columns.hiVol]!.trim() === '#REF!') {
      counts.ref++;
      if (isLatest) counts.latestRef++;
    }
    for (const at of columns.kpis) {
      if (cells[at]!.trim() === '') continue;
      counts.kpiCells++;
      if (slug) counts.kpiServices.add(slug);
    }
  }

  private cover(department: DepartmentDefinition, written: string): void {
    const entry = this.coverage.get(department.code) ?? {
      quarters: new Set<string>(),
      services: 0,
      written,
    };
    entry.services++;
    this.coverage.set(department.code, entry);
  }

  /** One quarter of a row: its three figures, what is not taken of them, and the measurements they make. */
  private quarter(context: RowContext, q: QuarterColumns, slots: number, cells: string[]): void {
    const { version, line } = context;
    const file = version.file.name;
    const volume = this.cell(file, line, q.names.volume, cells[q.at.volume], true);
    const cost = this.cell(file, line, q.names.cost, cells[q.at.cost], false);
    const digital = this.cell(file, line, q.names.digital, cells[q.at.digital], true);
    if (volume === null && cost === null && digital === null) return;
    const counted = volume?.kind === 'number' ? volume : null;
    const V = counted?.value ?? null;
    if (V !== null) {
      this.offer(context, q, slots, 'transactions', V, 0);
      if (context.isLatest) this.coverage.get(context.department.code)!.quarters.add(q.quarter);
    }
    const without = volume?.kind === 'marker' ? "the publisher's '-' as the volume" : 'no volume';
    if (cost?.kind === 'number') {
      if (V !== null && V > 0) this.offer(context, q, slots, 'cost', cost.value, V);
      else if (V === 0)
        this.notTaken(
          file,
          line,
          q.names.cost,
          cost.text,
          'is a cost per transaction beside a volume of 0: there are no transactions to divide a cost by; not taken',
        );
      else if (volume?.kind !== 'bad')
        this.notTaken(
          file,
          line,
          q.names.cost,
          cost.text,
          `is a cost per transaction beside ${without}: a cost per transaction without its transactions cannot be weighed or checked; not taken`,
        );
    }
    if (digital?.kind === 'number') {
      if (V !== null && V > 0 && digital.value <= V)
        this.offer(context, q, slots, 'takeUp', digital.value, V);
      else if (V !== null && V > 0) {
        this.notTaken(
          file,
          line,
          q.names.digital,
          digital.text,
          `digital volume ${digital.text} is greater than the volume ${counted!.text} (the GDS team's own "Digital exceeds all" check flags it): a take-up above 100% is not taken; the volume is`,
        );
      } else if (V === 0)
        this.notTaken(
          file,
          line,
          q.names.digital,
          digital.text,
          'is a digital volume beside a volume of 0: the take-up of no transactions is undefined; not taken (the volume 0 is)',
        );
      else if (volume?.kind !== 'bad')
        this.notTaken(
          file,
          line,
          q.names.digital,
          digital.text,
          `is a digital volume beside ${without}: there is no take-up without the volume; not taken`,
        );
    }
  }

  private notTaken(file: string, line: number, field: string, value: string, rule: string): void {
    this.read.notTaken.push({ file, line, field, value, rule });
  }

  /** The first slot of a twelve months: its index x 3 (a slot per indicator). */
  private slotsOf(period: string): number {
    let index = this.periods.get(period);
    if (index === undefined) this.periods.set(period, (index = this.periods.size));
    return index * 3;
  }

  /** A figure cell read, its `-` reported as not taken and anything that is not a figure as a problem; null when empty or refused. */
  private cell(
    file: string,
    line: number,
    field: string,
    raw: string | undefined,
    whole: boolean,
  ): Cell | null {
    const cell = readCell(raw);
    switch (cell.kind) {
      case 'empty':
        return null;
      case 'marker':
        this.read.notTaken.push({ file, line, field, value: cell.text, rule: MARKER_RULE });
        return cell;
      case 'bad':
        this.problem(file, line, field, cell.text, NUMBER_RULE);
        return cell;
      case 'number':
        if (whole && !Number.isInteger(cell.value)) {
          this.problem(
            file,
            line,
            field,
            cell.text,
            'must be a whole number: it counts transactions',
          );
          return { kind: 'bad', text: cell.text };
        }
        return cell;
    }
  }

  /**
   * Emits a figure when its key (service, indicator, twelve months) is new or the version changed it.
   * `a` is the value (transactions), the cost per transaction or the digital volume; `b` the volume.
   */
  private offer(
    context: RowContext,
    q: QuarterColumns,
    slots: number,
    key: IndicatorKey,
    a: number,
    b: number,
  ): void {
    const offered = context.figures.offer(slots + SLOT[key], a, b, context.index);
    if (offered === 'same') return;
    if (offered === 'first') context.stats.first++;
    else context.stats.revised++;
    const record: ImportedMeasurement = {
      organisation: null,
      indicatorCode: TX_INDICATORS[key],
      serviceId: context.slug,
      period: q.period,
      row: context.origin,
      publishedOn: context.version.date,
    };
    if (key === 'transactions') record.value = a;
    else if (key === 'cost')
      Object.assign(record, { value: a, numerator: pence(a * b), denominator: b });
    else Object.assign(record, { numerator: a, denominator: b });
    this.pending.push({ slug: context.slug, record });
  }

  /** Services, organisations, indicators and measurements from what the versions said; then the notes. */
  finish(): SourceRead {
    const { read } = this;
    const organisations = new Map<
      string,
      { department: DepartmentDefinition; written: string; services: number }
    >();
    for (const state of this.services.values()) {
      const { service, repairs } = serviceOf(state);
      (read.batch.services ??= []).push(service);
      read.repairs.push(...repairs);
      const id = departmentId(state.department);
      const entry = organisations.get(id) ?? {
        department: state.department,
        written: state.written,
        services: 0,
      };
      entry.services++;
      organisations.set(id, entry);
    }
    const defined = new Set<string>();
    for (const { slug, record } of this.pending) {
      const organisation = departmentId(this.services.get(slug)!.department);
      record.organisation = organisation;
      read.batch.measurements.push(record);
      const key = `${organisation} ${record.indicatorCode}`;
      if (defined.has(key)) continue;
      defined.add(key);
      const own = Object.entries(TX_INDICATORS).find(
        ([, code]) => code === record.indicatorCode,
      )![0] as IndicatorKey;
      read.batch.indicators.push(
        own === 'cost'
          ? { organisation, code: record.indicatorCode, row: record.row }
          : { organisation, code: record.indicatorCode, ...OWN_INDICATORS[own], row: record.row },
      );
    }
    read.organisations = [...organisations.entries()].map(
      ([id, { department, written, services }]): SourceOrganisation => {
        const successors = successorsOf(department).map(({ code, from }) => ({
          id: code.toLowerCase(),
          from,
        }));
        return {
          id,
          name: department.name,
          kind: 'DEPARTMENT',
          code: written,
          ...(successors.length > 0 && { successors }),
          note: `${services} transactional services in the GOV.UK Transactions Explorer whose latest version lists them under ${written}`,
        };
      },
    );
    this.notes();
    return read;
  }

  private notes(): void {
    const notes = this.read.notes;
    const n = (value: number) => value.toLocaleString('en-GB');
    notes.push(
      `Versions read in date order: ${this.stats
        .map(
          (s, i) =>
            `${s.date} (${s.commit}, ${s.file}): ${n(s.services)} services${i === 0 ? '' : `, ${s.added} new and ${s.gone} gone since the version before`}; ${n(s.first)} figures first published, ${n(s.revised)} revised`,
        )
        .join('; ')}.`,
    );
    notes.push(
      `${n(this.read.batch.measurements.length)} figures emitted for ${n([...this.last.values()].reduce((sum, figures) => sum + figures.count(0).keys, 0))} (service, indicator, twelve months) keys: each in the first version that has it and again in each version that changes it, with publishedOn the version's date; the hub keeps each value, the latest is the figure.`,
    );
    this.vanishedNote();
    this.movesNotes();
    this.coverageNote();
    this.unreadNotes();
  }

  /** Keys a later version no longer has: kept at their last value; counted, with the services still listed named. */
  private vanishedNote(): void {
    if (this.lastIndex < 0) return;
    let ofGoneServices = 0;
    const blanked = new Map<string, number>();
    for (const [slug, figures] of this.last) {
      const { notSince } = figures.count(this.lastIndex);
      if (notSince === 0) continue;
      if (!this.previousSlugs?.has(slug)) ofGoneServices += notSince;
      else blanked.set(slug, notSince);
    }
    const listed = [...blanked.values()].reduce((a, b) => a + b, 0);
    if (ofGoneServices + listed === 0) return;
    const emptied = [...blanked.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slug, count]) => `${slug} (${count})`);
    const n = (value: number) => value.toLocaleString('en-GB');
    this.read.notes.push(
      `${n(ofGoneServices + listed)} figures published in an earlier version are in no cell of the latest (${this.stats.at(-1)!.file}) and keep their last published value: ${n(ofGoneServices)} of services the latest no longer lists, ${n(listed)} emptied in ${blanked.size} services it still lists${emptied.length > 0 ? ` (${emptied.join(', ')})` : ''}.`,
    );
  }

  /** A note per service that moved department, and the moves counted. */
  private movesNotes(): void {
    const latest = this.previousSlugs ?? new Set<string>();
    const pairs = new Map<string, number>();
    let count = 0;
    for (const state of this.services.values()) {
      if (!moved(state)) continue;
      count++;
      if (
        state.previous &&
        state.previous.department.code !== state.department.code &&
        latest.has(state.slug)
      ) {
        const pair = `${state.previous.written} -> ${state.written}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
      const previous = state.previous
        ? `; Previous dept (MOG, Jun 2016): ${state.previous.written}`
        : '';
      this.read.notes.push(
        `Service ${state.slug} moved department: ${departmentRuns(state.history)}${previous}. Its figures of every version are ${departmentId(state.department)}'s, the department of its latest version.`,
      );
    }
    if (count === 0) return;
    const counted = [...pairs.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([pair, k]) => `${pair} ${k}`);
    this.read.notes.push(
      `${count} services moved department between or within versions (a note each). The latest version's Previous dept (MOG, Jun 2016) column records ${counted.reduce((sum, entry) => sum + Number(entry.split(' ').at(-1)), 0)} moves: ${counted.join(', ')}.`,
    );
  }

  /** Departments of the latest version with quarters in which none of their services has a volume. */
  private coverageNote(): void {
    const gaps: string[] = [];
    for (const [, { quarters, services, written }] of [...this.coverage.entries()].sort(
      ([a], [b]) => a.localeCompare(b),
    )) {
      const without = this.latestQuarters.filter((q) => !quarters.has(q));
      if (without.length > 0) gaps.push(`${written} (${services} services): ${without.join(', ')}`);
    }
    if (gaps.length > 0) {
      this.read.notes.push(
        `Departments of the latest version with no volume at all in some quarters (a cross-government sum of those quarters does not cover them; any aggregate must say which services it covers): ${gaps.join('; ')}.`,
      );
    }
  }

  private unreadNotes(): void {
    const counts = this.unread;
    const n = (value: number) => value.toLocaleString('en-GB');
    const figures = [...counts.unreadFigures.keys()].map(
      (figure) => `${figure} (${UNREAD_QUARTER_COLUMNS[figure]})`,
    );
    if (figures.length > 0)
      this.read.notes.push(`Quarterly columns not read: ${figures.join('; ')}.`);
    if (counts.kpiCells > 0 || this.stats.length > 0) {
      this.read.notes.push(
        `Completion rate and User satisfaction (2012-Q4 to 2014-Q4) are not read: ${n(counts.kpiCells)} cells over all versions are filled, for ${counts.kpiServices.size} service${counts.kpiServices.size === 1 ? '' : 's'} (${[...counts.kpiServices].join(', ')}): nothing to compare.`,
      );
    }
    const np = counts.notProvided;
    this.read.notes.push(
      `Customer type and Business model are not read: "[not provided]" is written in ${n(np.latestCustomerType)} and ${n(np.latestBusinessModel)} of their cells in the latest version (${n(np.customerType)} and ${n(np.businessModel)} over all versions).`,
    );
    this.read.notes.push(
      `Hi-vol is not read: "#REF!" (a broken spreadsheet reference) is in ${n(counts.latestRef)} of its cells in the latest version (${n(counts.ref)} over all versions).`,
    );
    const unnamed = [...counts.unnamed.entries()]
      .filter(([, k]) => k > 0)
      .map(([file, k]) => `${file} ${k}`);
    if (unnamed.length > 0)
      this.read.notes.push(
        `Unnamed columns (empty header cells) are not read: ${unnamed.join(', ')}.`,
      );
    const breaks = [...counts.lineBreaks.entries()]
      .filter(([, k]) => k > 0)
      .map(([file, k]) => `${file} ${k}`);
    if (breaks.length > 0)
      this.read.notes.push(
        `Header cells with line breaks (e.g. "Previous dept \\n (MOG, Jun 2016)") are read with each break as a space: ${breaks.join(', ')}.`,
      );
    this.read.notes.push(
      "Not read either: the GDS team's working columns (Total transactions and Digital transactions per single quarter, Totals check, Digital exceeds all), Category, descriptions, notes, keywords, FOI and type columns.",
    );
  }
}

/**
 * The GOV.UK Transactions Explorer (GDS, 2012-Q4 to 2017-Q4): twelve published versions of
 * services.csv read as one batch of services and their transactions, cost per transaction and
 * digital take-up per twelve months, each figure with the date of the version that published it.
 */
export const transactionsExplorerSource: Source = {
  id: 'gov-transactions-explorer',
  title:
    'GOV.UK Transactions Explorer: transactions, cost per transaction and digital take-up of government services, 2012-2017, in twelve published versions',
  publisher: TX_PUBLISHER,
  files: () => [...DEFAULT_FILES],
  read(files: readonly SourceFile[], options: ReadOptions): SourceRead {
    const reader = new ExplorerReader(options.today);
    const versions = reader.versions(files);
    versions.forEach((version, index) =>
      reader.version(version, index, index === versions.length - 1),
    );
    return reader.finish();
  },
};
