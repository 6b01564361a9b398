import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Assessor, DatePrecision, DcaRating, DcaScale, parsePreciseDate } from '@crossgov/schema';
import { checkAssessment } from '../../programme/confidence.rules.ts';
import { validateProgrammes } from '../../programme/programme.store.ts';
import { departmentByCode, departmentId } from '../departments.ts';
import { type SourceFile, type SourceRead, hasPublicData, publicDataDir } from '../source.ts';
import { gmppSource } from './read.ts';

// The GMPP annual files read by the adapter, checked against what this test reads from the raw
// bytes on its own: a few lines of hand-written CSV splitting (quotes, and CRLF, CR or LF each one
// line, as an editor counts them), nothing of the adapter's, and the figures PROVENANCE.md quotes.

const available = hasPublicData();
const DIR = join(publicDataDir(), 'gmpp-ipa-annual');
const TODAY = '2025-06-30';
const YEARS = [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023] as const;
type Year = (typeof YEARS)[number];
const AS_AT: Record<Year, string> = {
  2014: '2013-09-30',
  2015: '2014-09-30',
  2016: '2015-09-30',
  2017: '2016-09-30',
  2018: '2017-09-30',
  2019: '2018-09-30',
  2020: '2019-09-30',
  2021: '2021-03-31',
  2022: '2022-03-31',
  2023: '2023-03-31',
};
/** Portfolio sizes as PROVENANCE.md quotes them (the annual reports' own; 2020's from its table). */
const PUBLISHED_PROJECTS: Record<Year, number> = {
  2014: 199,
  2015: 188,
  2016: 143,
  2017: 143,
  2018: 133,
  2019: 133,
  2020: 125,
  2021: 184,
  2022: 235,
  2023: 244,
};
const fileOf = (year: Year) => `raw/uk_${year}.csv`;

// ---------------------------------------------------------------------------------------------
// The test's own reader.

interface RawRecord {
  line: number;
  cells: string[];
}

/** Splits a file into records by hand: quoted cells may hold delimiters, quotes ("") and line breaks. */
function rawRecords(text: string): { delimiter: string; records: RawRecord[] } {
  const first = text.slice(0, text.search(/[\r\n]/));
  const delimiter = first.split(';').length > first.split(',').length ? ';' : ',';
  const records: RawRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        cell += c;
        if (c === '\r' || (c === '\n' && text[i - 1] !== '\r')) line++;
      }
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
  return { delimiter, records };
}

interface RawFile {
  year: Year;
  delimiter: string;
  records: RawRecord[];
  /** Project columns: those with a name. */
  projects: number[];
  row(pattern: RegExp): RawRecord;
  /** The cells of a field row for every project column. */
  cells(pattern: RegExp): string[];
}

/** A raw file as the test reads it; latin1 keeps every byte one character (the figures and codes are ASCII and £). */
function rawFile(year: Year, bytes: Buffer): RawFile {
  const { delimiter, records } = rawRecords(bytes.toString('latin1'));
  const row = (pattern: RegExp) => {
    const found = records.find((r) => pattern.test((r.cells[0] ?? '').replace(/\s+/g, ' ').trim()));
    if (!found) throw new Error(`no row ${pattern} in ${year}`);
    return found;
  };
  const names = row(/^Project name$/i);
  const projects = names.cells
    .map((c, i) => (i > 0 && c.trim() !== '' ? i : -1))
    .filter((i) => i > 0);
  return {
    year,
    delimiter,
    records,
    projects,
    row,
    cells: (pattern) => projects.map((i) => row(pattern).cells[i] ?? ''),
  };
}

const ROWS = {
  id: /^GMPP ID Number$/i,
  name: /^Project name$/i,
  department: /^Department$/i,
  ipa: /^(MPA|IPA) (RAG rating|Delivery Confidence Assessment)/i,
  sro: /^SRO Delivery Confidence Assessment/i,
  start: /^Project - Start Date/i,
  end: /^Project - End Date/i,
  wlc: /^(Total budgeted whole life costs|Whole Life Cost TOTAL Baseline|TOTAL Baseline Whole Life Costs)/i,
  benefits: /^TOTAL Baseline Benefits/i,
};

const RATING_WORDS: Record<string, string> = {
  green: 'GREEN',
  'amber/green': 'AMBER_GREEN',
  amber: 'AMBER',
  'amber/red': 'AMBER_RED',
  red: 'RED',
  reset: 'RESET',
};
/** A rating cell as the test reads it: a rating word, EXEMPT (FOI text), blank or other. */
function ratingOf(cell: string): string {
  const t = cell
    .trim()
    .toLowerCase()
    .replace(/\s*[/-]\s*/g, '/');
  if (t === '') return 'blank';
  return (
    RATING_WORDS[t] ?? (/exempt/.test(t) && /freedom of information/.test(t) ? 'EXEMPT' : 'other')
  );
}

const isDate = (cell: string) =>
  /^(\d{1,2}\/\d{1,3}\/(\d{2}|\d{4})|\d{4}-\d{2}-\d{2})$/.test(cell.trim());
const moneyOf = (cell: string): number | null => {
  const m = /^(-?)£?(-?)([\d,]+(?:\.\d+)?)m?$/.exec(cell.trim());
  return m ? (m[1] || m[2] ? -1 : 1) * Number(m[3]!.replaceAll(',', '')) : null;
};
const tally = (values: readonly string[]) =>
  values.reduce<Record<string, number>>((t, v) => ({ ...t, [v]: (t[v] ?? 0) + 1 }), {});

interface Inserted {
  bytes: Buffer;
  /** The spreadsheet column (1-based) of the project added. */
  column: number;
  /** The line a field row starts on in the changed file (the copied cells may hold line breaks). */
  line(pattern: RegExp): number;
}

/** A file with one project column added: a copy of the first project's cells, with some changed by field. */
function withColumn(raw: RawFile, changes: [RegExp, string][]): Inserted {
  const width = Math.max(...raw.records.map((r) => r.cells.length));
  const template = raw.projects[0]!;
  const quote = (cell: string) =>
    /["\r\n;,]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  const lines = raw.records.map((r) => {
    const header = (r.cells[0] ?? '').replace(/\s+/g, ' ').trim();
    const change = changes.find(([pattern]) => pattern.test(header));
    const cells = [
      ...r.cells,
      ...Array<string>(width - r.cells.length).fill(''),
      r.cells.length > 1 ? (change ? change[1] : (r.cells[template] ?? '')) : '',
    ];
    return cells.map(quote).join(raw.delimiter);
  });
  const bytes = Buffer.from(lines.join('\r\n'), 'latin1');
  const changed = rawFile(raw.year, bytes);
  return { bytes, column: width + 1, line: (pattern) => changed.row(pattern).line };
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(!available)('GMPP annual report data (gmpp-ipa-annual)', () => {
  let files: SourceFile[];
  let raw: Record<Year, RawFile>;
  let read: SourceRead;

  /** Fixtures: each a real file with one thing the files never hold added; all read together in one read. */
  let fixtures: {
    read: SourceRead;
    duplicate: Inserted;
    purple: Inserted;
    date: Inserted;
    money: Inserted;
    unknown: Buffer;
  };

  /** Reads the data set with some files replaced. */
  const readWith = (replaced: Partial<Record<Year, Buffer>>, today = TODAY) =>
    gmppSource.read(
      files.map((f) => {
        const year = YEARS.find((y) => fileOf(y) === f.name)!;
        return { name: f.name, bytes: replaced[year] ?? f.bytes };
      }),
      { today },
    );
  const problemsIn = (r: SourceRead, year: Year) =>
    located(r).filter((p) => p.file === fileOf(year));
  const located = (r: SourceRead) =>
    r.batch.problems.map((p) => ({
      ...r.origins.of(p.row),
      field: p.field,
      value: p.value,
      rule: p.rule,
    }));
  const returnsOf = (year: Year) =>
    read.batch.programmeReturns!.filter((r) => r.returnDate === AS_AT[year]);
  const assessmentsOf = (year: Year) =>
    read.batch.confidenceAssessments.filter((a) => a.assessedOn === AS_AT[year]);
  const notTakenOf = (year: Year, field: RegExp) =>
    read.notTaken.filter((n) => n.file === fileOf(year) && field.test(n.field));
  const repairsOf = (year: Year, field: RegExp) =>
    read.repairs.filter((n) => n.file === fileOf(year) && field.test(n.field));

  beforeAll(() => {
    files = gmppSource.files(DIR).map((name) => ({ name, bytes: readFileSync(join(DIR, name)) }));
    raw = Object.fromEntries(
      YEARS.map((year) => [year, rawFile(year, files.find((f) => f.name === fileOf(year))!.bytes)]),
    ) as Record<Year, RawFile>;
    read = gmppSource.read(files, { today: TODAY });
    const inserted = [/^Project name$/i, 'Inserted test project'] as [RegExp, string];
    const duplicate = withColumn(raw[2015], []);
    const purple = withColumn(raw[2019], [inserted, [ROWS.ipa, 'Purple']]);
    const date = withColumn(raw[2018], [inserted, [ROWS.end, 'Q3 next year']]);
    const money = withColumn(raw[2023], [
      [ROWS.id, 'CO_9999_2223-Q1'],
      inserted,
      [ROWS.wlc, 'about £3bn'],
    ]);
    const unknown = Buffer.from(
      files
        .find((f) => f.name === fileOf(2016))!
        .bytes.toString('latin1')
        .replace(/^Description \/ Aims,/m, 'Aims and objectives,'),
      'latin1',
    );
    fixtures = {
      read: readWith({
        2015: duplicate.bytes,
        2016: unknown,
        2018: date.bytes,
        2019: purple.bytes,
        2023: money.bytes,
      }),
      duplicate,
      purple,
      date,
      money,
      unknown,
    };
  });

  describe('counts and figures against the raw files and the published totals', () => {
    it('reads 199, 188, 143, 143, 133, 133, 125, 184, 235 and 244 projects, as the raw files list and the reports publish', () => {
      for (const year of YEARS) {
        expect(raw[year].projects.length, `${year} raw`).toBe(PUBLISHED_PROJECTS[year]);
        expect(returnsOf(year).length, `${year} returns`).toBe(PUBLISHED_PROJECTS[year]);
      }
      expect(read.batch.rows).toBe(1727);
      expect(read.batch.problems).toEqual([]);
    });

    it('dates everything from a file as at its publication: 30 September 2013-2019, 31 March 2021-2023', () => {
      const asAt = new Set(Object.values(AS_AT));
      expect(new Set(read.batch.programmeReturns!.map((r) => r.returnDate))).toEqual(asAt);
      expect(read.batch.confidenceAssessments.every((a) => asAt.has(a.assessedOn))).toBe(true);
      expect(read.batch.milestoneReturns.every((m) => asAt.has(m.returnDate))).toBe(true);
      expect(
        read.batch.confidenceAssessments.find((a) => a.assessedOn === '2016-09-30')!.sourceNote,
      ).toBe('IPA annual report 2017 (data as at 2016-09-30)');
    });

    it('tallies every rating word of every file, in both rating columns, as the assessments and cells not taken', () => {
      for (const year of YEARS) {
        const ipa = raw[year].cells(ROWS.ipa);
        const sro = year >= 2022 ? raw[year].cells(ROWS.sro) : ipa.map(() => '');
        // An SRO cell repeating the IPA cell's text when it is no rating (an exemption) is the same text twice.
        const isRating = (cell: string) =>
          ['GREEN', 'AMBER_GREEN', 'AMBER', 'AMBER_RED', 'RED'].includes(ratingOf(cell));
        const repeated = sro.map(
          (cell, i) => cell.trim() !== '' && !isRating(cell) && cell.trim() === ipa[i]!.trim(),
        );
        const repeats = repeated.filter(Boolean);
        const words = tally([
          ...ipa.map(ratingOf),
          ...sro.filter((_, i) => !repeated[i]).map(ratingOf),
        ]);
        const adapter = tally(assessmentsOf(year).map((a) => a.rating));
        for (const rating of Object.values(DcaRating))
          expect(adapter[rating] ?? 0, `${year} ${rating}`).toBe(words[rating] ?? 0);
        const notTaken = notTakenOf(year, /Delivery Confidence Assessment|RAG rating/);
        expect(
          notTaken.filter((n) => !n.rule.startsWith('repeats')).length,
          `${year} not taken`,
        ).toBe(words.other ?? 0);
        expect(notTaken.filter((n) => n.rule.startsWith('repeats')).length, `${year} repeats`).toBe(
          repeats.length,
        );
      }
    });

    it('counts 4 red in 2019, 27 red and 24 green in 2022, 23 red and 26 green in 2023, as the reports publish', () => {
      const count = (year: Year, rating: DcaRating) =>
        assessmentsOf(year).filter((a) => a.rating === rating).length;
      expect(count(2019, DcaRating.RED)).toBe(4);
      expect([count(2022, DcaRating.RED), count(2022, DcaRating.GREEN)]).toEqual([27, 24]);
      expect([count(2023, DcaRating.RED), count(2023, DcaRating.GREEN)]).toEqual([23, 26]);
    });

    it('reads 167 IPA and 68 SRO ratings in 2022 and 123 IPA and 121 SRO in 2023 (IPA column cells, SRO ratings)', () => {
      for (const [year, ipaCells, sroRatings] of [
        [2022, 167, 68],
        [2023, 123, 121],
      ] as const) {
        expect(raw[year].cells(ROWS.ipa).filter((c) => c.trim() !== '').length).toBe(ipaCells);
        expect(
          raw[year].cells(ROWS.sro).filter((c) => ['GREEN', 'AMBER', 'RED'].includes(ratingOf(c)))
            .length,
        ).toBe(sroRatings);
        const ipa = assessmentsOf(year).filter((a) => a.assessor === Assessor.IPA).length;
        expect(ipa + notTakenOf(year, /^IPA Delivery/).length, `${year} IPA`).toBe(ipaCells);
        expect(
          assessmentsOf(year).filter((a) => a.assessor === Assessor.SRO).length,
          `${year} SRO`,
        ).toBe(sroRatings);
      }
    });

    it('follows the 338 distinct GMPP IDs of 2020-2023 as 338 programmes, each id the ID in lower case', () => {
      const ids = new Set(
        ([2020, 2021, 2022, 2023] as const).flatMap((y) =>
          raw[y].cells(ROWS.id).map((id) => id.trim().toLowerCase()),
        ),
      );
      expect(ids.size).toBe(338);
      const byId = read.batch.programmes!.filter((p) => p.matchedBy!.startsWith('GMPP ID '));
      expect(byId.length).toBe(338);
      expect(new Set(byId.map((p) => p.id))).toEqual(
        new Set([...ids].map((id) => `gmpp-${id.replace(/[^a-z0-9]+/g, '-')}`)),
      );
      expect(
        read.batch.programmes!.find((p) => p.id === 'gmpp-dft-0022-1415-q4')?.matchedBy,
      ).toMatch(/^GMPP ID DFT_0022_1415-Q4/);
    });

    it("holds the 46 of 244 2023 projects whose GMPP ID carries another department's prefix by the department of the row", () => {
      const ids = raw[2023].cells(ROWS.id);
      const departments = raw[2023].cells(ROWS.department);
      const other = ids
        .map((id, i) => ({ id: id.trim(), department: departments[i]!.trim() }))
        .filter((p) => p.id.split('_')[0] !== p.department);
      expect(other.length).toBe(46);
      for (const p of other) {
        const programmeId = `gmpp-${p.id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
        expect(read.batch.programmes!.find((x) => x.id === programmeId)?.organisation, p.id).toBe(
          departmentId(departmentByCode(p.department)!),
        );
        expect(
          returnsOf(2023).find((r) => r.programmeId === programmeId)?.publishedDepartment,
        ).toBe(p.department);
      }
      expect(read.notes).toContain(
        "2023: 46 of 244 GMPP IDs carry another department's prefix (the department of entry); each project is held by the department of its row.",
      );
    });

    it("sums the 2023 whole-life costs to about GBP 472bn over 193 projects, and every year's to the raw column's sum", () => {
      for (const year of YEARS) {
        const figures = raw[year]
          .cells(ROWS.wlc)
          .map(moneyOf)
          .filter((v): v is number => v !== null && v >= 0);
        const taken = returnsOf(year).filter((r) => r.wholeLifeCost !== null);
        expect(taken.length, `${year} count`).toBe(figures.length);
        expect(
          taken.reduce((s, r) => s + r.wholeLifeCost!, 0),
          `${year} sum`,
        ).toBeCloseTo(
          figures.reduce((s, v) => s + v, 0),
          6,
        );
      }
      const sum2023 = returnsOf(2023).reduce((s, r) => s + (r.wholeLifeCost ?? 0), 0);
      expect(returnsOf(2023).filter((r) => r.wholeLifeCost !== null).length).toBe(193);
      expect(Math.round(sum2023 / 1000)).toBe(472);
    });

    it('finds the unparseable end dates of each year, 8 in 2014 to 30 in 2023, and takes every other end date', () => {
      const expected: Record<Year, number> = {
        2014: 8,
        2015: 8,
        2016: 2,
        2017: 3,
        2018: 5,
        2019: 6,
        2020: 5,
        2021: 6,
        2022: 17,
        2023: 30,
      };
      for (const year of YEARS) {
        const unparseable = raw[year].cells(ROWS.end).filter((c) => !isDate(c)).length;
        expect(unparseable, `${year} raw`).toBe(expected[year]);
        expect(notTakenOf(year, /^Project - End Date/).length, `${year} not taken`).toBe(
          unparseable,
        );
        const ends = read.batch.milestoneReturns.filter(
          (m) => m.returnDate === AS_AT[year] && m.milestoneId.endsWith('-end'),
        );
        expect(ends.length, `${year} taken`).toBe(PUBLISHED_PROJECTS[year] - unparseable);
      }
    });

    it("reads 2023's benefits: 122 of 244 cells filled, each a figure or not taken", () => {
      const cells = raw[2023].cells(ROWS.benefits).filter((c) => c.trim() !== '');
      expect(cells.length).toBe(122);
      const figures = cells.map(moneyOf).filter((v): v is number => v !== null && v >= 0);
      const taken = returnsOf(2023).filter((r) => r.benefits !== null);
      expect(taken.length).toBe(figures.length);
      expect(taken.reduce((s, r) => s + r.benefits!, 0)).toBeCloseTo(
        figures.reduce((s, v) => s + v, 0),
        6,
      );
      expect(taken.length + notTakenOf(2023, /^TOTAL Baseline Benefits/).length).toBe(122);
    });

    it('names every record by the file and the line its field row starts on (LF, CRLF and bare CR files alike)', () => {
      const lineOf = (row: number | undefined) => read.origins.of(row!);
      for (const year of YEARS) {
        const names = raw[year].row(ROWS.name).line;
        const ends = raw[year].row(ROWS.end).line;
        for (const r of returnsOf(year))
          expect(lineOf(r.row)).toEqual({ file: fileOf(year), line: names });
        for (const m of read.batch.milestoneReturns.filter(
          (x) => x.returnDate === AS_AT[year] && x.milestoneId.endsWith('-end'),
        ))
          expect(lineOf(m.row)).toEqual({ file: fileOf(year), line: ends });
      }
      expect(raw[2018].row(ROWS.end).line).toBe(276);
    });
  });

  describe('department identity', () => {
    it('reads DoH and DOH (2014) as DH, MoJ as MOJ, DfE as DFE and DfT as DFT (2020), one repair per cell, keeping the spelling published', () => {
      const spelt = (year: Year) => tally(raw[year].cells(ROWS.department).map((d) => d.trim()));
      expect([spelt(2014).DoH, spelt(2014).DOH, spelt(2014).MoJ, spelt(2014).MOJ]).toEqual([
        34, 1, 18, 1,
      ]);
      expect([spelt(2020).DFE, spelt(2020).DfE, spelt(2020).DFT, spelt(2020).DfT]).toEqual([
        4, 1, 16, 1,
      ]);
      const repaired = (year: Year, value: string) =>
        repairsOf(year, /^Department/).filter((r) => r.value === value);
      expect(repaired(2014, 'DoH').length).toBe(34);
      expect(repaired(2014, 'DOH').length).toBe(1);
      expect(
        repaired(2014, 'MoJ').every((r) => r.repaired === 'MOJ' && /spelling "MoJ"/.test(r.rule)),
      ).toBe(true);
      expect(repaired(2014, 'MOJ').length).toBe(0);
      expect([
        repaired(2020, 'DfE').length,
        repaired(2020, 'DfT').length,
        repaired(2020, 'DFT').length,
      ]).toEqual([1, 1, 0]);
      expect(
        returnsOf(2014).filter(
          (r) => r.publishedDepartment === 'DoH' || r.publishedDepartment === 'DOH',
        ).length,
      ).toBe(35);
      // Every repair of a department names a code the hub knows.
      expect(
        read.repairs
          .filter((r) => r.field.startsWith('Department'))
          .every((r) => departmentByCode(String(r.repaired))?.code === r.repaired),
      ).toBe(true);
    });

    it('reads the 2015 split of Health into DoH Capital (10) and DoH Non Capital (31) as DH', () => {
      const split = repairsOf(2015, /^Department/).filter((r) => /Capital/.test(String(r.value)));
      expect(tally(split.map((r) => String(r.value)))).toEqual({
        'DoH Capital': 10,
        'DoH Non Capital': 31,
      });
      expect(split.every((r) => r.repaired === 'DH')).toBe(true);
      expect(returnsOf(2015).filter((r) => /Capital/.test(r.publishedDepartment)).length).toBe(41);
    });

    it('finds no project name twice in any file: PROVENANCE\'s "BT LSP" pair is BT LSP (London) and BT LSP (South)', () => {
      for (const year of YEARS) {
        const names = raw[year].cells(ROWS.name).map((n) =>
          n
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, ' ')
            .trim(),
        );
        expect(new Set(names).size, `${year}`).toBe(names.length);
      }
      expect(raw[2015].cells(ROWS.name).filter((n) => n.startsWith('BT LSP'))).toEqual([
        'BT LSP (London)',
        'BT LSP (South)',
      ]);
      expect(read.notTaken.filter((n) => n.rule.startsWith('repeats the project name'))).toEqual(
        [],
      );
    });

    it('keeps one programme when a file (without GMPP IDs) lists a name twice, and reports the second column as not taken', () => {
      const { read: again, duplicate } = fixtures;
      expect(problemsIn(again, 2015)).toEqual([]);
      const first = raw[2015].cells(ROWS.name)[0]!;
      expect(again.notTaken.filter((n) => n.rule.startsWith('repeats the project name'))).toEqual([
        {
          file: fileOf(2015),
          line: duplicate.line(ROWS.name),
          field: `Project name (column ${duplicate.column}: ${first})`,
          value: first,
          rule: expect.stringContaining('one programme, from column 2; this column is not taken'),
        },
      ]);
      expect(again.batch.programmeReturns!.filter((r) => r.returnDate === AS_AT[2015]).length).toBe(
        188,
      );
    });

    it('holds the joint DEFRA & DFT project of 2021 by DEFRA, the first named', () => {
      const joint = returnsOf(2021).filter((r) => r.publishedDepartment === 'DEFRA & DFT');
      expect(joint.length).toBe(1);
      const repair = repairsOf(2021, /^Department/).find((r) => r.value === 'DEFRA & DFT');
      expect(repair).toMatchObject({
        repaired: 'DEFRA',
        rule: expect.stringContaining('held by the first named, DEFRA'),
      });
      expect(joint[0]!.organisation).toBe(
        read.batch.programmes!.find((p) => p.id === joint[0]!.programmeId)!.organisation,
      );
    });

    it("gives a renamed department's programme to its latest department and keeps the names it was published under (DECC -> BEIS -> DESNZ)", () => {
      const gdf = read.batch.programmes!.find((p) => p.id === 'gmpp-decc-0005-1112-q1')!;
      expect(gdf.organisation).toBe('desnz');
      const published = read.batch
        .programmeReturns!.filter((r) => r.programmeId === gdf.id)
        .map((r) => `${r.returnDate.slice(0, 4)} ${r.publishedDepartment}`);
      expect(published).toEqual([
        '2013 DECC',
        '2014 DECC',
        '2015 DECC',
        '2016 BEIS',
        '2017 BEIS',
        '2018 BEIS',
        '2019 BEIS',
        '2021 BEIS',
        '2022 BEIS',
        '2023 DESNZ',
      ]);
      const decc = read.organisations.find((o) => o.id === 'decc')!;
      expect(decc.successors).toEqual([{ id: 'beis', from: '2016-07-14' }]);
      expect(read.organisations.find((o) => o.id === 'beis')!.successors!.map((s) => s.id)).toEqual(
        ['desnz', 'dsit', 'dbt'],
      );
      expect(
        read.notes.some((n) =>
          n.startsWith(
            'DECC: projects in 3 of 10 publications: ends early (last as at 2015-09); became BEIS from 2016-07-14',
          ),
        ),
      ).toBe(true);
    });

    it('reads GMPP IDs written with lower-case prefixes in 2020 (DfT_0022_1415-Q4) in capitals, one repair each', () => {
      const lower = raw[2020].cells(ROWS.id).filter((id) => /^[A-Z]*[a-z]/.test(id));
      expect(lower).toEqual([
        'DfT_0023_1516-Q3',
        'DfT_0022_1415-Q4',
        'MoD_0109_1617-Q2',
        'MoJ_0043_1920-Q2',
        'MoJ_0045_1920-Q2',
      ]);
      expect(repairsOf(2020, /^GMPP ID Number/).map((r) => [r.value, r.repaired])).toEqual(
        lower.map((id) => [id, id.replace(/^[A-Za-z]+/, (p) => p.toUpperCase())]),
      );
    });

    it('notes the departments that start late, end early or have gaps, and one published before it existed (DHSC in 2018)', () => {
      expect(read.notes).toContain(
        'HMT: projects in 5 of 10 publications: gaps (none as at 2015-09, 2016-09, 2017-09, 2018-09, 2019-09).',
      );
      expect(read.notes).toContain(
        'DHSC: published with data as at 2017-09-30, outside its existence (2018-01-09 to ...): kept as published.',
      );
    });
  });

  describe('ratings', () => {
    it('rates on the five-point scale to 2021 and the three-point scale from 2022, and names the assessor', () => {
      for (const a of read.batch.confidenceAssessments) {
        const year = Number(a.sourceNote!.match(/report (\d{4})/)![1]);
        expect(a.scale, a.sourceNote!).toBe(
          year <= 2021 ? DcaScale.FIVE_POINT : DcaScale.THREE_POINT,
        );
        if (year < 2022) expect(a.assessor).toBe(Assessor.IPA);
      }
      expect(assessmentsOf(2021).filter((a) => a.rating === DcaRating.AMBER_RED).length).toBe(44);
    });

    it('reads FOI exemption text in a rating cell as EXEMPT, one repair per cell', () => {
      for (const year of YEARS) {
        const exempt = raw[year].cells(ROWS.ipa).filter((c) => ratingOf(c) === 'EXEMPT').length;
        expect(
          repairsOf(year, /Delivery Confidence Assessment|RAG rating/).filter(
            (r) => r.repaired === DcaRating.EXEMPT,
          ).length,
          `${year}`,
        ).toBe(exempt);
        expect(
          assessmentsOf(year).filter((a) => a.rating === DcaRating.EXEMPT).length,
          `${year}`,
        ).toBe(exempt);
      }
    });

    it('reads "Reset" as RESET (2014 and 2017)', () => {
      expect(assessmentsOf(2014).filter((a) => a.rating === DcaRating.RESET).length).toBe(1);
      expect(assessmentsOf(2017).filter((a) => a.rating === DcaRating.RESET).length).toBe(1);
    });

    it('does not take "No DCA" (8 in 2014; PROVENANCE says 9), "not in a position to provide", "Early planning" or the 2021 legal-sensitivity sentence', () => {
      expect(raw[2014].cells(ROWS.ipa).filter((c) => c.trim() === 'No DCA').length).toBe(8);
      const rules = (year: Year) =>
        tally(
          notTakenOf(year, /Delivery Confidence Assessment|RAG rating/).map((n) =>
            n.rule.replace(/,.*/, ''),
          ),
        );
      expect(rules(2014)).toEqual({
        'is the publisher\'s "No DCA" marker (no assessment was made)': 8,
      });
      expect(rules(2021)).toEqual({
        'is the publisher\'s "not in a position to provide this information" marker': 2,
        'is the 2021 sentence that legal sensitivity prevented a complete assessment': 1,
      });
      expect(
        rules(2022)[
          'is the publisher\'s "Early planning GMPP project" marker (not yet past its strategic outline case)'
        ],
      ).toBe(2);
    });

    it('refuses a rating the files never use: a project column rated "Purple" inserted in uk_2019.csv', () => {
      const { purple } = fixtures;
      expect(problemsIn(fixtures.read, 2019)).toEqual([
        {
          file: fileOf(2019),
          line: purple.line(ROWS.ipa),
          field: `IPA Delivery Confidence Assessment (column ${purple.column}: Inserted test project)`,
          value: 'Purple',
          rule: expect.stringContaining('is not a delivery confidence rating'),
        },
      ]);
    });
  });

  describe('dates', () => {
    it("reads the 2018 file's two-digit years (17/03/97 is 1997, 31/12/40 is 2040), one repair per cell", () => {
      const twoDigit = [...raw[2018].cells(ROWS.start), ...raw[2018].cells(ROWS.end)].filter((c) =>
        /^\d{1,2}\/\d{1,2}\/\d{2}$/.test(c.trim()),
      );
      const repairs = repairsOf(2018, /^Project - (Start|End) Date/);
      expect(repairs.length).toBe(twoDigit.length);
      expect(repairs.find((r) => r.value === '17/03/97')?.repaired).toBe('1997-03-17');
      expect(repairs.find((r) => r.value === '31/12/40')?.repaired).toBe('2040-12-31');
      expect(repairsOf(2019, /Date/).length).toBe(0);
    });

    it('reads the 2017 A303 start date "1/012/2014" as 1 December 2014, reported', () => {
      const repair = repairsOf(2017, /^Project - Start Date/).find(
        (r) => r.value === '1/012/2014',
      )!;
      expect(repair).toMatchObject({
        repaired: '2014-12-01',
        field: expect.stringContaining('A303'),
      });
      const a303 = returnsOf(2017).find((r) => r.publishedName.startsWith('A303'))!;
      expect(
        read.batch.milestoneReturns.find(
          (m) => m.milestoneId === `${a303.programmeId}-start` && m.returnDate === AS_AT[2017],
        )?.forecast,
      ).toBe('2014-12-01');
    });

    it('names the marker of each end date not taken: #N/A and Reset (2014), No end date (2015), TBD (2018), exemptions', () => {
      const markers = (year: Year) =>
        notTakenOf(year, /^Project - End Date/).map((n) => String(n.value).trim());
      expect(markers(2014)).toEqual(expect.arrayContaining(['#N/A', 'Reset', '']));
      expect(markers(2015).filter((m) => m === 'No end date').length).toBe(5);
      expect(notTakenOf(2018, /^Project - End Date/).find((n) => n.value === 'TBD')?.rule).toBe(
        'is the publisher\'s "TBD" marker (to be decided), not a date: not taken',
      );
      expect(
        notTakenOf(2023, /^Project - End Date/).filter((n) =>
          n.rule.startsWith('is an exemption under the Freedom of Information Act'),
        ).length,
      ).toBe(25);
    });

    it('refuses a date of no documented form: a project column whose end date is "Q3 next year" inserted in uk_2018.csv', () => {
      const { date } = fixtures;
      expect(problemsIn(fixtures.read, 2018)).toEqual([
        {
          file: fileOf(2018),
          line: date.line(ROWS.end),
          field: `Project - End Date (column ${date.column}: Inserted test project)`,
          value: 'Q3 next year',
          rule: expect.stringContaining('is not a date in a form the files use'),
        },
      ]);
    });
    it('gives a start date on or before its publication as the day the project started, and an end date as a forecast only', () => {
      const starts = read.batch.milestoneReturns.filter((r) => r.milestoneId.endsWith('-start'));
      const ends = read.batch.milestoneReturns.filter((r) => r.milestoneId.endsWith('-end'));
      expect(starts.length).toBeGreaterThan(1000);
      for (const r of starts)
        expect(r.actual ?? null).toBe(r.forecast <= r.returnDate ? r.forecast : null);
      expect(starts.filter((r) => r.actual).length).toBeGreaterThan(starts.length * 0.9);
      expect(ends.every((r) => r.actual === undefined)).toBe(true);
    });
  });

  describe('money', () => {
    it('reads £12.34m (2015), bare numbers (2023) and thousands commas, and does not take a negative whole-life cost or benefit', () => {
      expect(raw[2015].cells(ROWS.wlc).filter((c) => /m$/.test(c.trim())).length).toBeGreaterThan(
        170,
      );
      expect(raw[2023].cells(ROWS.wlc).filter((c) => /^\d+(\.\d+)?$/.test(c.trim())).length).toBe(
        193,
      );
      const negative = read.notTaken.filter((n) => n.rule.startsWith('is negative'));
      expect(negative.map((n) => [n.file, n.value])).toEqual([
        [fileOf(2017), '-£7,169.20'],
        [fileOf(2023), '-30.69'],
      ]);
      expect(negative[0]!.field).toContain('Rail Franchising Programme');
    });

    it('does not take exemption text, "Data not provided by department", "Reset" or early-planning text in money cells: one entry per cell', () => {
      for (const year of YEARS) {
        const cells = raw[year].cells(ROWS.wlc);
        const notFigures = cells.filter((c) => moneyOf(c) === null || moneyOf(c)! < 0).length;
        expect(notTakenOf(year, ROWS.wlc).length, `${year}`).toBe(notFigures);
        expect(returnsOf(year).filter((r) => r.wholeLifeCost === null).length, `${year}`).toBe(
          notFigures,
        );
      }
      expect(
        notTakenOf(2015, ROWS.wlc).filter((n) => n.value === 'Data not provided by department')
          .length,
      ).toBe(5);
    });

    it('says that the financial-year baseline, forecast and variance columns are not read', () => {
      expect(
        read.notes.some((n) =>
          n.startsWith(
            'Not read: the financial-year budget/baseline, forecast and variance columns',
          ),
        ),
      ).toBe(true);
    });

    it('refuses money of no documented form: a project column whose whole-life cost is "about £3bn" inserted in uk_2023.csv', () => {
      const { money } = fixtures;
      expect(problemsIn(fixtures.read, 2023)).toEqual([
        {
          file: fileOf(2023),
          line: money.line(ROWS.wlc),
          field: expect.stringMatching(
            new RegExp(
              `^TOTAL Baseline Whole Life Costs .* \\(column ${money.column}: CO_9999_2223-Q1\\)$`,
            ),
          ),
          value: 'about £3bn',
          rule: expect.stringContaining('is not a sum of GBP million'),
        },
      ]);
      // The fixtures read holds these four refusals and nothing else.
      expect(located(fixtures.read).map((p) => p.file)).toEqual([
        fileOf(2016),
        fileOf(2018),
        fileOf(2019),
        fileOf(2023),
      ]);
    });
  });

  describe('encoding and layout', () => {
    it('decodes cp1252 (0x92 is a right quote) and reports the one undefined byte, 0x9d after "Quantum" in uk_2020.csv', () => {
      const undefinedBytes = files
        .map((f) => {
          let n = 0;
          for (const b of f.bytes)
            if (b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d) n++;
          return [f.name, n] as const;
        })
        .filter(([, n]) => n > 0);
      expect(undefinedBytes).toEqual([[fileOf(2020), 1]]);
      const repair = read.repairs.filter((r) => r.rule.includes('cp1252'));
      expect(repair.length).toBe(1);
      expect(repair[0]).toMatchObject({
        file: fileOf(2020),
        value: expect.stringContaining('Quantum\u009d'),
        repaired: expect.not.stringContaining('\u009d'),
      });
      const texts = [
        ...read.batch.programmes!.flatMap((p) => [p.name, p.description ?? '']),
        ...read.batch.programmeReturns!.map((r) => r.publishedName),
      ];
      expect(texts.some((t) => /[\u0080-\u009f]/.test(t))).toBe(false);
      expect(texts.some((t) => t.includes('\u2019'))).toBe(true);
    });

    it('reads ;-delimited files (2021-2023) and ,-delimited ones (2014-2020) with header cells broken over lines', () => {
      expect(YEARS.map((y) => raw[y].delimiter).join('')).toBe(',,,,,,,;;;');
      expect(raw[2018].row(ROWS.ipa).cells[0]).toContain('\r(A Delivery Confidence Assessment');
      expect(assessmentsOf(2018).length + notTakenOf(2018, /Delivery Confidence/).length).toBe(133);
    });

    it('does not take the footnote rows after the data (2017-2020) and notes empty rows and columns', () => {
      const footnotes = read.notTaken.filter((n) => n.field === 'footnote');
      expect(footnotes.map((n) => n.file)).toEqual([
        fileOf(2017),
        fileOf(2018),
        fileOf(2019),
        fileOf(2020),
      ]);
      for (const n of footnotes) {
        const year = Number(n.file.slice(7, 11)) as Year;
        const row = raw[year].records.find((r) => r.line === n.line)!;
        expect(row.cells.slice(1).every((c) => c.trim() === '')).toBe(true);
        expect(String(n.value)).toMatch(
          /^The IPA Annual Report publishes the whole life cycle costs/,
        );
      }
      expect(read.notes).toContain(
        'raw/uk_2017.csv: 1 empty column(s), 14 empty row(s), 1 footnote row(s), not taken.',
      );
      expect(read.notes).toContain(
        'raw/uk_2020.csv: 2 empty column(s), 1 footnote row(s), not taken.',
      );
    });

    it('refuses a field it does not know rather than guess what it means: "Description / Aims" renamed in uk_2016.csv', () => {
      const line = rawFile(2016, fixtures.unknown).row(/^Aims and objectives$/).line;
      expect(problemsIn(fixtures.read, 2016)).toEqual([
        {
          file: fileOf(2016),
          line,
          field: 'Aims and objectives',
          value: 'Aims and objectives',
          rule: expect.stringContaining('is not a field of the GMPP annual files'),
        },
      ]);
    });
  });

  describe('coverage and matching', () => {
    it('notes the coverage gaps: no AR2013, nothing after 2023, no September 2020 snapshot', () => {
      const gaps = read.notes.find((n) => n.startsWith('Coverage gaps'))!;
      expect(gaps).toContain('no AR2013 file');
      expect(gaps).toContain('nothing after the 2023 publication');
      expect(gaps).toContain('no September 2020 snapshot');
    });

    it('says how many programmes were matched by GMPP ID, by name, and not at all, and every programme says how', () => {
      const programmes = read.batch.programmes!;
      const byId = programmes.filter((p) => p.matchedBy!.startsWith('GMPP ID ')).length;
      const nameOnly = programmes.filter((p) =>
        p.matchedBy!.startsWith('name only: not published after '),
      ).length;
      expect(byId + nameOnly).toBe(programmes.length);
      const byName = read.batch.programmeReturns!.filter((r) =>
        r.note?.startsWith('name matched to GMPP ID'),
      ).length;
      expect(read.notes[0]).toMatch(
        new RegExp(
          `^Programmes: ${programmes.length}\\. Matched by GMPP ID: ${byId} programmes .* Matched by name: ${byName} returns .* Unmatched: ${nameOnly} programmes`,
        ),
      );
      // Every return of the 2014-2019 files (as at 2013-2018) is in an ID programme (matched by name) or a name-only programme.
      const pre2020 = read.batch.programmeReturns!.filter((r) => r.returnDate < '2019-01-01');
      const idProgrammes = new Set(
        programmes.filter((p) => p.matchedBy!.startsWith('GMPP')).map((p) => p.id),
      );
      expect(pre2020.filter((r) => idProgrammes.has(r.programmeId)).length).toBe(byName);
    });

    it('keys a programme followed by name only by its name and first department, at most 80 characters', () => {
      const ids = read.batch
        .programmes!.filter((p) => p.matchedBy!.startsWith('name only'))
        .map((p) => p.id);
      expect(ids.every((id) => id.length <= 80 && /^gmpp-[a-z0-9-]+-[a-z]+$/.test(id))).toBe(true);
      expect(ids).toContain('gmpp-fe-capital-investment-programme-bis');
    });
  });

  describe('refusals', () => {
    it('refuses uk_2019.csv with one project column inserted whose department is XYZ: one problem naming file, line, field, value and rule', () => {
      const { bytes, column, line } = withColumn(raw[2019], [
        [/^Project name$/i, 'Inserted test project'],
        [/^Department$/i, 'XYZ'],
      ]);
      const refused = readWith({ 2019: bytes });
      expect(located(refused)).toEqual([
        {
          file: fileOf(2019),
          line: line(ROWS.department),
          field: `Department (column ${column}: Inserted test project)`,
          value: 'XYZ',
          rule: 'is not a department code the hub knows (departments.ts): a new department or spelling is added there first',
        },
      ]);
      expect(
        refused.batch.programmeReturns!.some((r) => r.publishedName === 'Inserted test project'),
      ).toBe(false);
    });

    it('refuses a missing publication and one dated after today, naming each file', () => {
      const some = gmppSource.read(
        files.filter((f) => f.name !== fileOf(2016)),
        { today: '2022-12-31' },
      );
      expect(located(some).map((p) => [p.file, p.field, p.value])).toEqual([
        [fileOf(2023), 'data as at', '2023-03-31'],
        [fileOf(2016), 'file', fileOf(2016)],
      ]);
    });
  });

  describe("the hub's rules", () => {
    it('passes every programme through validateProgrammes, every assessment through checkAssessment and every date through parsePreciseDate', () => {
      const organisations = new Set(read.organisations.map((o) => o.id));
      const byOrganisation = new Map<string, typeof read.batch.programmes>();
      for (const p of read.batch.programmes!)
        byOrganisation.set(p.organisation!, [...(byOrganisation.get(p.organisation!) ?? []), p]);
      for (const [organisation, programmes] of byOrganisation) {
        expect(organisations.has(organisation)).toBe(true);
        expect(validateProgrammes({ id: organisation }, programmes!).problems).toEqual([]);
      }
      expect(read.batch.confidenceAssessments.flatMap((a) => checkAssessment(a))).toEqual([]);
      const dates = [
        ...read.batch.milestones!.flatMap((m) => (m.baseline ? [m.baseline] : [])),
        ...read.batch.milestoneReturns.flatMap((m) => [m.returnDate, m.forecast]),
        ...read.batch.programmeReturns!.map((r) => r.returnDate),
      ];
      expect(dates.filter((d) => parsePreciseDate(d).precision !== DatePrecision.DAY)).toEqual([]);
    });

    it("keeps every reference within its organisation, every key once, every amount a non-negative sum and every id in the hub's form", () => {
      const { programmes, milestones, programmeReturns } = read.batch;
      const programme = new Map(programmes!.map((p) => [p.id, p.organisation]));
      const milestone = new Map(milestones!.map((m) => [m.id, m.organisation]));
      expect(programme.size).toBe(programmes!.length);
      expect(milestone.size).toBe(milestones!.length);
      expect(milestones!.length).toBe(2 * programmes!.length);
      expect(milestones!.every((m) => programme.get(m.programmeId) === m.organisation)).toBe(true);
      expect(
        read.batch.milestoneReturns.every(
          (m) => milestone.get(m.milestoneId) === m.organisation && m.returnDate <= TODAY,
        ),
      ).toBe(true);
      expect(
        read.batch.confidenceAssessments.every(
          (a) => programme.get(a.programmeId) === a.organisation,
        ),
      ).toBe(true);
      expect(
        programmeReturns!.every(
          (r) =>
            programme.get(r.programmeId) === r.organisation &&
            r.returnDate <= TODAY &&
            r.publishedName !== '' &&
            r.publishedDepartment !== '',
        ),
      ).toBe(true);
      expect(new Set(programmeReturns!.map((r) => `${r.programmeId}@${r.returnDate}`)).size).toBe(
        programmeReturns!.length,
      );
      expect(
        new Set(read.batch.milestoneReturns.map((m) => `${m.milestoneId}@${m.returnDate}`)).size,
      ).toBe(read.batch.milestoneReturns.length);
      expect(
        new Set(
          read.batch.confidenceAssessments.map(
            (a) => `${a.programmeId}/${a.assessor}/${a.assessedOn}`,
          ),
        ).size,
      ).toBe(read.batch.confidenceAssessments.length);
      const amounts = programmeReturns!
        .flatMap((r) => [r.wholeLifeCost, r.benefits])
        .filter((v): v is number => v !== null && v !== undefined);
      expect(amounts.every((v) => Number.isFinite(v) && v >= 0 && v <= 1e7)).toBe(true);
      expect(
        [...programme.keys(), ...milestone.keys()].every((id) =>
          /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/.test(id),
        ),
      ).toBe(true);
      const registry = new Set(read.organisations.map((o) => o.id));
      expect(
        read.organisations.every(
          (o) =>
            /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(o.id) &&
            o.kind === 'DEPARTMENT' &&
            (o.successors ?? []).every((s) => registry.has(s.id)),
        ),
      ).toBe(true);
      expect(
        [...new Set(programmes!.map((p) => p.organisation!))].every((id) => registry.has(id)),
      ).toBe(true);
    });
  });
});
