import { Assessor, DcaRating, DcaScale } from '@crossgov/schema';
import type { ConfidenceAssessmentSubmission } from '../../programme/confidence.store.ts';
import { checkAssessment } from '../../programme/confidence.rules.ts';
import {
  DEPARTMENTS,
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
import { type Marker, type Reading, readDate, readMoney, readRating } from './cells.ts';
import { type Appearance, type Followed, follow, normaliseName } from './follow.ts';
import { type FieldKey, type FieldRow, type Sheet, readSheet } from './sheet.ts';

// The Government Major Projects Portfolio as the Major Projects Authority (2014-2015) and the
// Infrastructure and Projects Authority (2016-2023) published it with each annual report: ten
// files, one per publication, each transposed (the first column names the fields, each further
// column is one project), cp1252, comma- or (2021-2023, a European-locale Excel save) semicolon-
// delimited, with line ends of every kind. See PROVENANCE.md of the data set.
//
// What becomes of it: every department is an organisation; every project followed across the
// publications is a programme (by GMPP ID from 2020, by name before: follow.ts), held by the
// department of its latest publication, with one return per publication (the name and department
// it was published under, whole-life cost, benefits), two milestones (start and end, latest
// approved) with a forecast per publication, and a delivery confidence assessment per publication.
// Everything from a file is as at its publication's data date (table below).
//
// Documented problems (PROVENANCE.md) and what is done with each:
// - Department spellings (DoH/DOH, MoJ/MOJ, MoD, DfT, DfE, DfID, NS&I), Health split into "DoH
//   Capital" and "DoH Non Capital" (2015), the joint "DEFRA & DFT" (2021, held by DEFRA, the first
//   named): read as the hub's code, each cell reported as a repair; publishedDepartment keeps the
//   spelling. An unknown code is a batch problem.
// - Machinery-of-government renames: a programme is its latest department's; its earlier returns
//   keep the department they were published under. GMPP IDs keep the department of entry (46 of
//   244 in 2023): a programme is held by its row's department, never by the ID's prefix. 2020
//   writes five IDs with lower-case prefixes (DfT_0022_1415-Q4): read in capitals, reported.
// - Ratings: five-point to 2021, three-point from 2022; in 2022-2023 the IPA's or the SRO's (the
//   assessor is named). FOI exemption text is EXEMPT (reported as a repair), "Reset" is RESET;
//   "No DCA", "not in a position to provide", "Early planning" and the 2021 legal-sensitivity
//   sentence are not taken. When the SRO column repeats the IPA column's exemption text, it is
//   read once (the SRO copy is not taken). Any other text is a batch problem.
// - Dates: dd/mm/yyyy, dd/mm/yy (2018; repaired to four digits, reported), yyyy-mm-dd; the 2017
//   "1/012/2014" is 1 December 2014 (reported); "#N/A", "Reset", "No end date", "Not Applicable",
//   "TBD", "Data Not Provided", exemption and early-planning text, and blanks are not taken. Any
//   other text is a batch problem.
// - Money: £1,234.56, £12.34m, bare numbers, -£9.99; exemption text, "Data not provided by
//   department", "Reset" and early-planning text are not taken (null). A negative whole-life cost
//   (2017 Rail Franchising, -£7,169.20: net income) or benefit (2023, -30.69) is not taken either:
//   the hub holds either as an amount, never below zero. Only whole-life cost and benefits are
//   read; the financial-year baseline, forecast and variance and the narratives are not.
// - cp1252: the byte 0x9d of uk_2020.csv (after "Quantum") is no cp1252 character: removed,
//   reported. Footnote rows are not taken; empty rows and columns are counted in the notes.
// - A project name twice in one file (2014-2019, no ID): one programme, the second column not taken.
// Coverage gaps (no AR2013, nothing after 2023, no September 2020 snapshot) are notes.

/** The Cabinet Office as the publisher of the GMPP and the Transactions Explorer. */
export const CABINET_OFFICE: SourcePublisher = {
  id: 'cabinet-office',
  name: 'Cabinet Office (Infrastructure and Projects Authority; Government Digital Service)',
  typeName: 'WhitehallDepartment',
};

interface Publication {
  year: number;
  file: string;
  /** The day its data are as at: every return of the file is dated so. */
  asAt: string;
  report: string;
  scale: DcaScale;
}

const publication = (year: number, asAt: string): Publication => ({
  year,
  file: `raw/uk_${year}.csv`,
  asAt,
  report: `${year <= 2015 ? 'MPA' : 'IPA'} annual report ${year}`,
  scale: year <= 2021 ? DcaScale.FIVE_POINT : DcaScale.THREE_POINT,
});

/** The ten publications: reporting moved from 30 September to 31 March after the 2020 report. */
export const PUBLICATIONS: readonly Publication[] = [
  publication(2014, '2013-09-30'),
  publication(2015, '2014-09-30'),
  publication(2016, '2015-09-30'),
  publication(2017, '2016-09-30'),
  publication(2018, '2017-09-30'),
  publication(2019, '2018-09-30'),
  publication(2020, '2019-09-30'),
  publication(2021, '2021-03-31'),
  publication(2022, '2022-03-31'),
  publication(2023, '2023-03-31'),
];

interface Dated {
  date: string;
  line: number;
}

interface Rated {
  assessor: Assessor;
  rating: DcaRating;
  line: number;
}

/** One project column of one publication, read. */
interface Project extends Appearance {
  publication: Publication;
  file: string;
  /** The department as written (DoH Capital). */
  written: string;
  nameLine: number;
  category: string | null;
  description: string | null;
  ratings: Rated[];
  start: Dated | null;
  end: Dated | null;
  wholeLifeCost: number | null;
  benefits: number | null;
}

/** Where findings go: the read's problems, not-taken cells and repairs, each at a file and line. */
class Findings {
  private readonly rows = new Map<string, number>();

  constructor(readonly read: SourceRead) {}

  row(file: string, line: number): number {
    const key = `${file}\n${line}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.read.origins.add(file, line);
      this.rows.set(key, row);
    }
    return row;
  }

  problem(file: string, line: number, field: string, value: unknown, rule: string): void {
    this.read.batch.problems.push({ row: this.row(file, line), field, value, rule });
  }

  notTaken(file: string, line: number, field: string, value: unknown, rule: string): void {
    this.read.notTaken.push({ file, line, field, value, rule });
  }

  repair(
    file: string,
    line: number,
    field: string,
    value: unknown,
    repaired: unknown,
    rule: string,
  ): void {
    this.read.repairs.push({ file, line, field, value, repaired, rule });
  }
}

/** A cell of a project column: where it is and how to name it. */
interface Cell {
  file: string;
  line: number;
  field: string;
  text: string;
}

const GMPP_ID = /^([A-Za-z]+)_(\d{4})_(\d{4})-(Q[1-4])$/;
const WHAT: Record<'date' | 'money' | 'rating', string> = {
  date: 'date',
  money: 'sum of money',
  rating: 'rating',
};

/** A marker's rule for a cell not taken: "is an FOI exemption ..., not a date: not taken". */
const markerRule = (marker: Marker, what: keyof typeof WHAT) =>
  `is ${marker.name}, not a ${WHAT[what]}: not taken`;

function cellOf(
  p: { file: string; column: number; label: string },
  row: FieldRow | undefined,
): Cell | null {
  if (!row) return null;
  return {
    file: p.file,
    line: row.line,
    field: `${row.label} (column ${p.column + 1}: ${p.label})`,
    text: row.cells[p.column] ?? '',
  };
}

/** A reading's value, reporting its repair, marker or rule; null when there is no value. */
function taken<T>(
  f: Findings,
  cell: Cell,
  reading: Reading<T>,
  what: keyof typeof WHAT,
  blank: string | null,
): T | null {
  switch (reading.kind) {
    case 'value':
      if (reading.repair)
        f.repair(
          cell.file,
          cell.line,
          cell.field,
          cell.text,
          reading.repair.to,
          reading.repair.rule,
        );
      return reading.value;
    case 'blank':
      if (blank) f.notTaken(cell.file, cell.line, cell.field, cell.text, blank);
      return null;
    case 'marker':
      f.notTaken(cell.file, cell.line, cell.field, cell.text, markerRule(reading.marker, what));
      return null;
    case 'unreadable':
      f.problem(cell.file, cell.line, cell.field, cell.text, reading.rule);
      return null;
  }
}

/** A department as written, as the hub's department; spellings, the 2015 Health split and joint projects reported as repairs. */
function readDepartment(f: Findings, cell: Cell): DepartmentDefinition | null {
  const written = cell.text.trim();
  let base = written;
  let why: string | null = null;
  const split = /^(.*?)\s+(non\s+)?capital$/i.exec(written);
  const joint = written.split(/\s*&\s*/);
  if (split) {
    base = split[1]!;
    why = `the 2015 file splits Health into "DoH Capital" and "DoH Non Capital": "${written}" read as the department ${departmentByCode(base)?.code ?? base}`;
  } else if (joint.length > 1 && joint.every((part) => departmentByCode(part))) {
    base = joint[0]!;
    why = `a joint project of ${joint.join(' and ')} is held by the first named, ${departmentByCode(base)!.code}`;
  }
  const department = departmentByCode(base);
  if (!department) {
    f.problem(
      cell.file,
      cell.line,
      cell.field,
      cell.text,
      'is not a department code the hub knows (departments.ts): a new department or spelling is added there first',
    );
    return null;
  }
  if (written !== department.code)
    f.repair(
      cell.file,
      cell.line,
      cell.field,
      cell.text,
      department.code,
      why ?? `the spelling "${written}" read as the department code ${department.code}`,
    );
  return department;
}

/** The project's ratings: the IPA's (MPA's), or in 2022-2023 the SRO's when the SRO column has it. */
function readRatings(f: Findings, ipa: Cell | null, sro: Cell | null): Rated[] {
  const rated: Rated[] = [];
  const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();
  const ipaReading = ipa ? readRating(ipa.text) : null;
  const sroReading = sro ? readRating(sro.text) : null;
  const confidence = (r: Reading<DcaRating> | null) =>
    r?.kind === 'value' && r.value !== DcaRating.EXEMPT && r.value !== DcaRating.RESET;
  if (ipa && ipaReading) {
    const blank =
      sro && sro.text.trim() !== ''
        ? null
        : sro
          ? 'is blank in both the IPA and the SRO column: no rating published: not taken'
          : 'is blank: no rating published: not taken';
    const rating = taken(f, ipa, ipaReading, 'rating', blank);
    if (rating) rated.push({ assessor: Assessor.IPA, rating, line: ipa.line });
  }
  if (sro && sroReading && sroReading.kind !== 'blank') {
    if (ipa && !confidence(sroReading) && squeeze(sro.text) === squeeze(ipa.text)) {
      f.notTaken(
        sro.file,
        sro.line,
        sro.field,
        sro.text,
        "repeats the IPA column's text, which is read once there: not taken",
      );
    } else if (confidence(sroReading) && confidence(ipaReading)) {
      f.problem(
        sro.file,
        sro.line,
        sro.field,
        sro.text,
        "is a second rating beside the IPA's: a project has the IPA's or the SRO's rating, not both",
      );
    } else {
      const rating = taken(f, sro, sroReading, 'rating', null);
      if (rating) rated.push({ assessor: Assessor.SRO, rating, line: sro.line });
    }
  }
  return rated;
}

/** A date cell, with its line; the documented non-dates and blanks are not taken. */
function readDated(f: Findings, cell: Cell | null): Dated | null {
  if (!cell) return null;
  const date = taken(
    f,
    cell,
    readDate(cell.text),
    'date',
    'is blank: no date published: not taken',
  );
  return date ? { date, line: cell.line } : null;
}

/** A whole-life cost or benefits cell in GBP million; a negative one is not taken (an amount is never below zero). */
function readAmount(
  f: Findings,
  cell: Cell | null,
  what: string,
  blank: string | null,
): number | null {
  if (!cell) return null;
  const value = taken(f, cell, readMoney(cell.text), 'money', blank);
  if (value === null || value >= 0) return value;
  f.notTaken(
    cell.file,
    cell.line,
    cell.field,
    cell.text,
    `is negative (${value}): the hub holds a ${what} as an amount, never below zero: not taken`,
  );
  return null;
}

const text = (cell: Cell | null) => {
  const value = cell?.text.replace(/\r\n?/g, '\n').trim() ?? '';
  return value === '' ? null : value;
};

/** The project columns of one publication, read; a column whose department is unknown is reported and left out. */
function readProjects(f: Findings, pub: Publication, file: string, sheet: Sheet): Project[] {
  const rows = sheet.fields;
  const row = (key: FieldKey) => rows.get(key);
  const projects: Project[] = [];
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  for (const column of sheet.projects) {
    const nameText = (row('name')?.cells[column] ?? '').trim();
    const idText = (row('id')?.cells[column] ?? '').trim();
    const label = idText || (nameText.length > 60 ? `${nameText.slice(0, 57)}...` : nameText);
    const at = { file, column, label };
    const nameCell = cellOf(at, row('name'))!;
    if (nameText === '')
      f.problem(
        file,
        nameCell.line,
        nameCell.field,
        nameCell.text,
        'is blank: every project is named',
      );
    let gmppId: string | null = null;
    const idCell = cellOf(at, row('id'));
    if (idCell) {
      const m = GMPP_ID.exec(idText);
      if (!m) {
        f.problem(
          file,
          idCell.line,
          idCell.field,
          idCell.text,
          'is not a GMPP ID Number of the form DEPT_NNNN_YYYY-Qn (DFT_0022_1415-Q4)',
        );
      } else {
        gmppId = `${m[1]!.toUpperCase()}_${m[2]}_${m[3]}-${m[4]}`;
        if (gmppId !== idText)
          f.repair(
            file,
            idCell.line,
            idCell.field,
            idText,
            gmppId,
            `GMPP ID written with a lower-case department prefix, read in capitals as the other files write it (${gmppId})`,
          );
        const earlier = ids.get(gmppId.toLowerCase());
        if (earlier !== undefined)
          f.problem(
            file,
            idCell.line,
            idCell.field,
            idText,
            `repeats the GMPP ID of column ${earlier + 1}: each project is listed once per publication`,
          );
        ids.set(gmppId.toLowerCase(), column);
      }
    } else if (nameText !== '') {
      const key = normaliseName(nameText);
      const earlier = names.get(key);
      if (earlier !== undefined) {
        f.notTaken(
          file,
          nameCell.line,
          nameCell.field,
          nameCell.text,
          `repeats the project name of column ${earlier + 1} in this file (no GMPP ID to tell them apart): one programme, from column ${earlier + 1}; this column is not taken`,
        );
        continue;
      }
      names.set(key, column);
    }
    const departmentCell = cellOf(at, row('department'))!;
    const department = readDepartment(f, departmentCell);
    const project = {
      year: pub.year,
      gmppId,
      name: nameText,
      publication: pub,
      file,
      written: departmentCell.text.trim(),
      nameLine: nameCell.line,
      category: text(cellOf(at, row('category'))),
      description: text(cellOf(at, row('description'))),
      ratings: readRatings(f, cellOf(at, row('ipaRating')), cellOf(at, row('sroRating'))),
      start: readDated(f, cellOf(at, row('start'))),
      end: readDated(f, cellOf(at, row('end'))),
      wholeLifeCost: readAmount(
        f,
        cellOf(at, row('wholeLifeCost')),
        'whole-life cost',
        'is blank: no whole-life cost published: not taken',
      ),
      benefits: readAmount(f, cellOf(at, row('benefits')), 'benefit', null),
    };
    if (department && nameText !== '' && (!idCell || gmppId))
      projects.push({ ...project, department });
  }
  return projects;
}

const REQUIRED: readonly FieldKey[] = [
  'name',
  'department',
  'ipaRating',
  'start',
  'end',
  'wholeLifeCost',
];

/** One file read: its layout findings reported, its projects returned. */
function readPublication(
  f: Findings,
  pub: Publication,
  file: SourceFile,
): { projects: Project[]; sheet: Sheet } {
  const sheet = readSheet(file.bytes);
  for (const p of sheet.problems) f.problem(file.name, p.line, p.field, p.value, p.rule);
  for (const missing of REQUIRED.filter((key) => !sheet.fields.has(key))) {
    f.problem(
      file.name,
      1,
      missing,
      null,
      `is missing: no row of the file is named as the ${missing} field of the GMPP annual files`,
    );
  }
  for (const note of sheet.footnotes)
    f.notTaken(
      file.name,
      note.line,
      'footnote',
      note.text,
      'is a footnote row after the data (text in the field-name column, no project values): not a field: not taken',
    );
  for (const c of sheet.controls) {
    const project = (sheet.fields.get('id') ?? sheet.fields.get('name'))?.cells[c.column]?.trim();
    f.repair(
      file.name,
      c.line,
      `${c.row?.label ?? 'cell'} (column ${c.column + 1}${project ? `: ${project}` : ''})`,
      c.value,
      c.cleaned,
      'holds a byte cp1252 does not define (0x81, 0x8d, 0x8f, 0x90 or 0x9d; here after "Quantum"), decoded as a control character: removed',
    );
  }
  if (sheet.problems.length > 0 || REQUIRED.some((key) => !sheet.fields.has(key)))
    return { projects: [], sheet };
  return { projects: readProjects(f, pub, file.name, sheet), sheet };
}

/** The files given, by publication; an unknown, repeated or missing file is a problem. */
function publicationsOf(
  f: Findings,
  files: readonly SourceFile[],
  today: string,
): { pub: Publication; file: SourceFile }[] {
  const found = new Map<number, SourceFile>();
  for (const file of files) {
    const year = Number(/(?:^|[\\/])uk_(\d{4})\.csv$/i.exec(file.name)?.[1]);
    const pub = PUBLICATIONS.find((p) => p.year === year);
    if (!pub)
      f.problem(
        file.name,
        1,
        'file',
        file.name,
        `is not one of the publications this adapter reads (${PUBLICATIONS.map((p) => p.file).join(', ')})`,
      );
    else if (found.has(year))
      f.problem(
        file.name,
        1,
        'file',
        file.name,
        `repeats the ${year} publication, given as ${found.get(year)!.name}`,
      );
    else if (pub.asAt > today)
      f.problem(
        file.name,
        1,
        'data as at',
        pub.asAt,
        `is after today (${today}): a publication cannot be as at a day still to come`,
      );
    else found.set(year, file);
  }
  for (const pub of PUBLICATIONS)
    if (!found.has(pub.year) && !files.some((file) => file.name.endsWith(`uk_${pub.year}.csv`)))
      f.problem(
        pub.file,
        1,
        'file',
        pub.file,
        'is missing: every publication of the data set is read together, as projects are followed across them',
      );
  return PUBLICATIONS.filter((p) => found.has(p.year)).map((pub) => ({
    pub,
    file: found.get(pub.year)!,
  }));
}

const yearsOf = (years: readonly number[]) => [...new Set(years)].sort((a, b) => a - b).join(', ');

/** How a programme was followed, as the programme's matchedBy says it. */
function matchedBy(p: Followed<Project>): string {
  const last = p.appearances.at(-1)!.year;
  const across = p.byName.filter((m) => m.across);
  const crossed =
    across.length > 0
      ? `; in ${yearsOf(across.map((m) => m.year))} by name alone, across departments (${[...new Set(across.map((m) => `${m.from} -> ${m.to}`))].join(', ')})`
      : '';
  if (p.gmppId === null) return `name only: not published after ${last}${crossed}`;
  const byName =
    p.byName.length > 0
      ? `; name as published in ${yearsOf(p.byName.map((m) => m.year))} matched to GMPP ID ${p.gmppId}`
      : '';
  return `GMPP ID ${p.gmppId}${byName}${crossed}`;
}

/** The note of one return: how it was joined to its programme, when by name. */
function returnNote(p: Followed<Project>, a: Project): string | null {
  const m = p.byName.find((n) => n.year === a.year);
  if (!m) return null;
  const across = m.across ? `, across departments (${m.from} -> ${m.to})` : '';
  return p.gmppId
    ? `name matched to GMPP ID ${p.gmppId} as published in ${m.matchedYear}${across}`
    : `name matched to the ${m.matchedYear} publication${across}`;
}

const MILESTONES = [
  { key: 'start', title: 'Start (latest approved)', position: 0 },
  { key: 'end', title: 'End (latest approved)', position: 1 },
] as const;

/** The records of one programme: its definition, milestones, their forecasts, returns and assessments. */
function emit(f: Findings, p: Followed<Project>): void {
  const batch = f.read.batch;
  const latest = p.appearances.at(-1)!;
  const organisation = departmentId(latest.department);
  const at = (a: Project, line: number) => f.row(a.file, line);
  batch.programmes!.push({
    organisation,
    id: p.id,
    name: latest.name,
    description: latest.description,
    category: latest.category,
    matchedBy: matchedBy(p),
    row: at(latest, latest.nameLine),
  });
  for (const milestone of MILESTONES) {
    const id = `${p.id}-${milestone.key}`;
    const dated = p.appearances.filter((a) => a[milestone.key] !== null);
    const first = dated[0];
    batch.milestones!.push({
      organisation,
      id,
      programmeId: p.id,
      title: milestone.title,
      position: milestone.position,
      baseline: first?.[milestone.key]!.date ?? null,
      row: first ? at(first, first[milestone.key]!.line) : at(latest, latest.nameLine),
    });
    for (const a of dated) {
      const date = a[milestone.key]!;
      // A project in the portfolio whose start date is on or before the publication's date has
      // started: the publication gives it as done, not as a forecast the project is late for. An end
      // date passed while the project is still published is a project running late, and stays a forecast.
      const started = milestone.key === 'start' && date.date <= a.publication.asAt;
      batch.milestoneReturns.push({
        organisation,
        milestoneId: id,
        returnDate: a.publication.asAt,
        forecast: date.date,
        ...(started && { actual: date.date }),
        note: `as published in the ${a.year} annual report${started ? ' (started by then)' : ''}`,
        row: at(a, date.line),
      });
    }
  }
  for (const a of p.appearances) {
    batch.programmeReturns!.push({
      organisation,
      programmeId: p.id,
      returnDate: a.publication.asAt,
      publishedName: a.name,
      publishedDepartment: a.written,
      category: a.category,
      wholeLifeCost: a.wholeLifeCost,
      benefits: a.benefits,
      note: returnNote(p, a),
      row: at(a, a.nameLine),
    });
    for (const r of a.ratings) {
      const assessment: ConfidenceAssessmentSubmission = {
        organisation,
        programmeId: p.id,
        assessor: r.assessor,
        assessedOn: a.publication.asAt,
        scale: a.publication.scale,
        rating: r.rating,
        sourceNote: `${a.publication.report} (data as at ${a.publication.asAt})`,
        row: at(a, r.line),
      };
      const broken = checkAssessment(assessment);
      for (const b of broken) f.problem(a.file, r.line, `${b.field} (${p.id})`, b.value, b.rule);
      if (broken.length === 0) batch.confidenceAssessments.push(assessment);
    }
  }
}

/** The registry entries: every department the files name, and every department those became. */
function organisationsOf(projects: readonly Project[]): SourceOrganisation[] {
  const spellings = new Map<string, Set<string>>();
  for (const p of projects) {
    const set = spellings.get(p.department.code) ?? new Set<string>();
    set.add(p.written);
    spellings.set(p.department.code, set);
  }
  const codes = new Set(spellings.keys());
  for (const code of [...codes]) {
    const stack = [code];
    while (stack.length > 0) {
      for (const next of DEPARTMENTS.find((d) => d.code === stack.pop())?.successors ?? []) {
        if (!codes.has(next)) stack.push(next);
        codes.add(next);
      }
    }
  }
  return DEPARTMENTS.filter((d) => codes.has(d.code)).map((d) => {
    const successors = successorsOf(d).map((s) => ({ id: s.code.toLowerCase(), from: s.from }));
    const written = [...(spellings.get(d.code) ?? [])].sort();
    const note = !spellings.has(d.code)
      ? 'named by the GMPP files only as the successor of a department that published projects'
      : written.some((w) => w !== d.code)
        ? `published as ${written.join(', ')}`
        : undefined;
    return {
      id: departmentId(d),
      name: d.name,
      kind: 'DEPARTMENT' as const,
      code: d.code,
      ...(successors.length > 0 && { successors }),
      ...(note && { note }),
    };
  });
}

/** Findings about the whole set: how programmes were followed, coverage, departments, what is not read. */
function notesOf(
  read: SourceRead,
  programmes: readonly Followed<Project>[],
  projects: readonly Project[],
  sheets: readonly { pub: Publication; sheet: Sheet }[],
): string[] {
  const byId = programmes.filter((p) => p.gmppId !== null);
  const nameMatched = byId.flatMap((p) => p.byName);
  const nameOnly = programmes.filter((p) => p.gmppId === null);
  const across = programmes.flatMap((p) => p.byName.filter((m) => m.across));
  const perYear = PUBLICATIONS.map(
    (pub) => `${pub.year} ${projects.filter((p) => p.year === pub.year).length}`,
  ).join(', ');
  const notes = [
    `Programmes: ${programmes.length}. Matched by GMPP ID: ${byId.length} programmes (the distinct IDs of the 2020-2023 files). Matched by name: ${nameMatched.length} returns of 2014-2019 joined to ${byId.filter((p) => p.byName.length > 0).length} of those by normalised name. Unmatched: ${nameOnly.length} programmes followed by name only (${nameOnly.reduce((n, p) => n + p.appearances.length, 0)} returns), not published after 2019. Name matches across departments (no shared lineage): ${across.length}.`,
    `Projects read per publication: ${perYear}.`,
    "Not read: the financial-year budget/baseline, forecast and variance columns (a year's spend, with stale year labels in 2018-2023) and every narrative column; only the whole-life cost and (2023) the total baseline benefits are read as money.",
    'Coverage gaps: no AR2013 file (data as at 30 September 2012, 191 projects); nothing after the 2023 publication (AR2024 as at 31 March 2024 and the NISTA reports of 2025 and 2026 are not in this copy); no September 2020 snapshot exists (reporting moved from September to March), so the 2020 -> 2021 step spans 18 months.',
    'Ratings: five-point (GREEN, AMBER_GREEN, AMBER, AMBER_RED, RED) in the 2014-2021 files, three-point from 2022; steps across the change are not like for like.',
  ];
  for (const p of programmes) {
    for (const m of p.byName.filter((n) => n.across)) {
      const a = p.appearances.find((x) => x.year === m.year)!;
      notes.push(
        `Matched by name alone across departments: "${a.name}" (${m.from}, ${m.year}) joined to programme ${p.id} as published by ${m.to} in ${m.matchedYear}; same name, departments of no shared lineage: check it is the same project.`,
      );
    }
  }
  for (const { pub } of sheets.filter((s) => s.pub.year >= 2022)) {
    const own = read.batch.confidenceAssessments.filter((a) => a.assessedOn === pub.asAt);
    notes.push(
      `${pub.year}: ${own.filter((a) => a.assessor === Assessor.IPA).length} IPA and ${own.filter((a) => a.assessor === Assessor.SRO).length} SRO assessments (the same column heading describes both).`,
    );
  }
  for (const { pub } of sheets.filter((s) => s.pub.year >= 2020)) {
    const listed = projects.filter((p) => p.year === pub.year && p.gmppId);
    const other = listed.filter(
      (p) => departmentByCode(p.gmppId!.split('_')[0]!)?.code !== p.department.code,
    );
    notes.push(
      `${pub.year}: ${other.length} of ${listed.length} GMPP IDs carry another department's prefix (the department of entry); each project is held by the department of its row.`,
    );
  }
  for (const { pub, sheet } of sheets) {
    const parts = [
      sheet.emptyColumns > 0 && `${sheet.emptyColumns} empty column(s)`,
      sheet.emptyRows > 0 && `${sheet.emptyRows} empty row(s)`,
      sheet.footnotes.length > 0 && `${sheet.footnotes.length} footnote row(s), not taken`,
    ].filter(Boolean);
    if (parts.length > 0) notes.push(`${pub.file}: ${parts.join(', ')}.`);
  }
  notes.push(...departmentNotes(projects));
  return notes;
}

const month = (date: string) => date.slice(0, 7);

/** Departments that start late, end early, have gaps, or are published at a date outside their existence. */
function departmentNotes(projects: readonly Project[]): string[] {
  const notes: string[] = [];
  const all = PUBLICATIONS.map((p) => p.asAt);
  const seen = new Map<string, Set<string>>();
  for (const p of projects) {
    const set = seen.get(p.department.code) ?? new Set<string>();
    set.add(p.publication.asAt);
    seen.set(p.department.code, set);
  }
  for (const [code, dates] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const d = departmentByCode(code)!;
    const present = all.filter((date) => dates.has(date));
    const first = present[0]!;
    const last = present.at(-1)!;
    const gaps = all.filter((date) => date > first && date < last && !dates.has(date));
    if (present.length < all.length) {
      const parts = [
        first !== all[0] && `starts late (first as at ${month(first)})`,
        last !== all.at(-1) && `ends early (last as at ${month(last)})`,
        gaps.length > 0 && `gaps (none as at ${gaps.map(month).join(', ')})`,
      ].filter(Boolean);
      const became =
        d.successors && d.to
          ? `; became ${d.successors.join(', ')} from ${successorsOf(d)[0]!.from}`
          : '';
      notes.push(
        `${code}: projects in ${present.length} of ${all.length} publications: ${parts.join(', ')}${became}.`,
      );
    }
    const outside = present.filter((date) => (d.from && date < d.from) || (d.to && date > d.to));
    if (outside.length > 0)
      notes.push(
        `${code}: published with data as at ${outside.join(', ')}, outside its existence (${d.from ?? '...'} to ${d.to ?? '...'}): kept as published.`,
      );
  }
  return notes;
}

/** Reads the ten GMPP annual files into one import batch of the departments' programmes. */
export function readGmpp(files: readonly SourceFile[], options: ReadOptions): SourceRead {
  const read = emptyRead('gmpp-ipa-annual');
  read.batch.programmes = [];
  read.batch.milestones = [];
  read.batch.programmeReturns = [];
  const f = new Findings(read);
  const sheets: { pub: Publication; sheet: Sheet }[] = [];
  const projects: Project[] = [];
  for (const { pub, file } of publicationsOf(f, files, options.today)) {
    const done = readPublication(f, pub, file);
    sheets.push({ pub, sheet: done.sheet });
    projects.push(...done.projects);
  }
  read.batch.rows = projects.length;
  const programmes = follow(projects);
  for (const p of programmes) emit(f, p);
  read.organisations = organisationsOf(projects);
  read.notes = notesOf(read, programmes, projects, sheets);
  return read;
}

/** The GMPP annual report data, 2014-2023 publications. */
export const gmppSource: Source = {
  id: 'gmpp-ipa-annual',
  title:
    'Government Major Projects Portfolio: annual report data, 2014-2023 publications (MPA/IPA)',
  publisher: CABINET_OFFICE,
  files: () => PUBLICATIONS.map((p) => p.file),
  read: readGmpp,
};
