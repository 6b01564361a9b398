import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Frequency, Polarity, STANDARD_INDICATORS, Unit, parsePeriod } from '@crossgov/schema';
import type { ImportedMeasurement } from '../../imports/import.parse.ts';
import { checkMeasurement, periodRule } from '../../indicator/measurement.rules.ts';
import { departmentByCode, departmentId } from '../departments.ts';
import { type SourceFile, hasPublicData, publicDataDir } from '../source.ts';
import { twelveMonthsOf } from './quarters.ts';
import { TX_INDICATORS, TX_PUBLISHER, transactionsExplorerSource } from './read.ts';

// The adapter against the twelve kept versions of the GOV.UK Transactions Explorer's services.csv.
// Every count and total here is computed from the raw files by the test's own reader (csv-parse
// into objects keyed by header, numbers with their commas removed), never by the adapter's code.

const FOLDER = join(publicDataDir(), 'gov-transactions-explorer');
const TODAY = '2026-01-01';
const LATEST = 'raw/services.csv';
const available = hasPublicData();

const HISTORY = [
  ['2015-06-30', '369bbadb'],
  ['2016-04-20', 'b9c43bb6'],
  ['2016-07-12', '4a32a979'],
  ['2016-11-30', '1082c417'],
  ['2017-03-01', '7a16194e'],
  ['2017-06-06', '91178cae'],
  ['2017-07-18', 'aa1cd838'],
  ['2017-09-22', '645a3454'],
  ['2017-10-31', '13e69b0e'],
  ['2018-01-26', 'b4f2e812'],
  ['2018-09-07', 'cf307bba'],
] as const;
const VERSIONS = [
  ...HISTORY.map(([date, commit]) => ({
    name: `raw/history/services_${date}_${commit}.csv`,
    date,
  })),
  { name: LATEST, date: '2018-09-19' },
];

// ---------------------------------------------------------------------------------------------
// The test's own reader of the raw files.

/** A raw row: cells by header name (line breaks and runs of spaces in a header read as one space). */
type RawRow = Record<string, string>;
interface RawVersion {
  name: string;
  date: string;
  text: string;
  header: string[];
  rows: RawRow[];
}

function rawVersion(name: string, date: string): RawVersion {
  const text = readFileSync(join(FOLDER, name), 'utf8');
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  const names = header!.map((cell) => cell.replace(/\s+/g, ' ').trim());
  return {
    name,
    date,
    text,
    header: header!,
    rows: rows.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i]!]))),
  };
}

/** A figure as written, or null for an empty cell or the publisher's `-`. */
const figure = (cell: string | undefined): number | null => {
  const text = (cell ?? '').trim();
  return text === '' || text === '-' ? null : Number(text.replaceAll(',', ''));
};
const quartersOf = (version: RawVersion) =>
  version.header.filter((h) => / Vol\.$/.test(h)).map((h) => h.slice(0, 7));

const raw = available ? VERSIONS.map((v) => rawVersion(v.name, v.date)) : [];
const latestRaw = raw.at(-1)!;

// The twelve months of each quarter label, from transaction-volumes.csv: its 21 periods are the 21
// quarters of services.csv of the same commit, in order (the volumes agree cell by cell, below).
const volumesText = available
  ? readFileSync(join(FOLDER, 'raw/transaction-volumes.csv'), 'utf8')
  : '';
const [volumesHeader = [], ...volumesRows] = available
  ? (parse(volumesText, { bom: true }) as string[][])
  : [];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const headings = volumesHeader
  .filter((h) => h.endsWith(': volume'))
  .map((h) => h.slice(0, -': volume'.length));
function monthsOfHeading(heading: string): string {
  const [, m1, y1, m2, y2] = /^(\w+) (\d{4}) to (\w+) (\d{4})$/.exec(heading)!;
  const first = { year: Number(y1), month: MONTHS.indexOf(m1!) + 1 };
  let last = { year: Number(y2), month: MONTHS.indexOf(m2!) + 1 };
  // The documented typo: "January 2014 to December 2015" is twelve months, January to December 2014.
  if ((last.year - first.year) * 12 + last.month - first.month !== 11) {
    expect(heading).toBe('January 2014 to December 2015');
    last = { year: first.year, month: 12 };
  }
  const ym = (p: { year: number; month: number }) =>
    `${p.year}-${String(p.month).padStart(2, '0')}`;
  return `${ym(first)}/${ym(last)}`;
}
const PERIOD_OF = new Map(
  available ? quartersOf(latestRaw).map((q, i) => [q, monthsOfHeading(headings[i]!)]) : [],
);

// ---------------------------------------------------------------------------------------------
// The adapter's read of the twelve versions, once.

const realFiles: SourceFile[] = available
  ? VERSIONS.map((v) => ({ name: v.name, bytes: readFileSync(join(FOLDER, v.name)) }))
  : [];
const read = available ? transactionsExplorerSource.read(realFiles, { today: TODAY }) : null!;

const keyOf = (m: Pick<ImportedMeasurement, 'serviceId' | 'indicatorCode' | 'period'>) =>
  `${m.serviceId}|${m.indicatorCode}|${m.period}`;
/** The hub's figure of each key: the value of the last version that published it. */
const latestOf = new Map<string, ImportedMeasurement>();
if (available) for (const m of read.batch.measurements) latestOf.set(keyOf(m), m);
const latestFigure = (slug: string, code: string, quarter: string) =>
  latestOf.get(keyOf({ serviceId: slug, indicatorCode: code, period: PERIOD_OF.get(quarter)! }));

const byCode = (code: string) => read.batch.measurements.filter((m) => m.indicatorCode === code);
const notTakenIn = (file: string) => read.notTaken.filter((n) => n.file === file);
const ratio = (m: ImportedMeasurement) => m.numerator! / m.denominator!;

/** One version's file with its bytes changed. */
const latestWith = (text: string): SourceFile[] => [
  { name: LATEST, bytes: Buffer.from(text, 'utf8') },
];
/** A CSV row of cells, each quoted. */
const csvRow = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
/** The latest file's header cells, as written. */
const latestHeader = available
  ? (parse(latestRaw.text, { bom: true, to: 1 }) as string[][])[0]!
  : [];
/** A row of the latest file, by slug, as its cells in header order. */
const cellsOf = (slug: string, change: Record<string, string> = {}) => {
  const names = latestHeader.map((cell) => cell.replace(/\s+/g, ' ').trim());
  const row = latestRaw.rows.find((r) => r.Slug === slug)!;
  return names.map((n) => (n in change ? change[n]! : row[n]!));
};
/**
 * The latest file with one row added at its end: a copy of a real row (Vehicle tax renewals) with some
 * cells changed. `whole` keeps all 734 real rows; otherwise only the header and the copied row's model.
 */
function withRowAdded(
  change: Record<string, string>,
  whole = false,
): { files: SourceFile[]; line: number } {
  const before = whole
    ? latestRaw.text
    : [csvRow(latestHeader), csvRow(cellsOf('dft-tax-a-vehicle'))].join('\r\n');
  const line = before.split('\n').length + 1;
  return {
    files: latestWith(`${before}\r\n${csvRow(cellsOf('dft-tax-a-vehicle', change))}`),
    line,
  };
}
/** The header and two real rows: a small version for the refusals that need no more. */
const smallLatest = () =>
  [
    csvRow(latestHeader),
    csvRow(cellsOf('dft-tax-a-vehicle')),
    csvRow(cellsOf('home-office-visas-immigration-applications')),
  ].join('\r\n');

function onlyProblem(files: SourceFile[], today = TODAY) {
  const result = transactionsExplorerSource.read(files, { today });
  expect(result.batch.problems).toHaveLength(1);
  return result.origins.locate(result.batch.problems[0]!);
}

describe.skipIf(!available)(
  'the GOV.UK Transactions Explorer adapter (gov-transactions-explorer)',
  () => {
    describe('versions, services and departments', () => {
      it('reads the twelve versions of services.csv in date order and no other file by default', () => {
        expect(transactionsExplorerSource.files(FOLDER)).toEqual(VERSIONS.map((v) => v.name));
        expect(transactionsExplorerSource.publisher).toEqual(TX_PUBLISHER);
        expect(read.batch.problems).toEqual([]);
        expect(read.batch.rows).toBe(raw.reduce((sum, v) => sum + v.rows.length, 0));
        expect(read.batch.rows).toBe(9101);
        const versionsNote = read.notes.find((n) => n.startsWith('Versions read in date order'))!;
        expect([...versionsNote.matchAll(/(\d{4}-\d{2}-\d{2}) \(/g)].map((m) => m[1])).toEqual(
          VERSIONS.map((v) => v.date),
        );
      });

      it('counts 734 services in the latest version, 776 and 778 in the first two, and as many in each as the raw file has rows', () => {
        const versionsNote = read.notes.find((n) => n.startsWith('Versions read in date order'))!;
        const counted = new Map(
          [
            ...versionsNote.matchAll(
              /(\d{4}-\d{2}-\d{2}) \([0-9a-f]{8}, [^)]*\): ([\d,]+) services/g,
            ),
          ].map((m) => [m[1]!, Number(m[2]!.replaceAll(',', ''))]),
        );
        for (const version of raw)
          expect(counted.get(version.date), version.name).toBe(
            new Set(version.rows.map((r) => r.Slug)).size,
          );
        expect(counted.get('2018-09-19')).toBe(734);
        expect(counted.get('2015-06-30')).toBe(776);
        expect(counted.get('2016-04-20')).toBe(778);
        const everySlug = new Set(raw.flatMap((v) => v.rows.map((r) => r.Slug!)));
        expect(read.batch.services!.map((s) => s.id).sort()).toEqual([...everySlug].sort());
        expect(
          read.batch.services!.filter((s) => read.origins.of(s.row!)!.file === LATEST),
        ).toHaveLength(734);
      });

      it('gives each service to the department of its latest version, named by its Abbr through departments.ts', () => {
        const latestRowOf = new Map<string, RawRow>();
        for (const version of raw) for (const row of version.rows) latestRowOf.set(row.Slug!, row);
        const differing = read.batch.services!.filter((service) => {
          const row = latestRowOf.get(service.id)!;
          return (
            service.organisation !== departmentId(departmentByCode(row.Abbr!)!) ||
            service.name !== row['Name of service']!.trim() ||
            (service.link ?? '') !== row.URL!.trim()
          );
        });
        expect(differing).toEqual([]);
        const latest = read.batch.services!.filter((s) => read.origins.of(s.row!)!.file === LATEST);
        expect(latest.filter((s) => s.organisation === 'dhsc')).toHaveLength(90);
        expect(latest.filter((s) => s.organisation === 'beis')).toHaveLength(186);
        expect(new Set(latest.map((s) => s.organisation)).size).toBe(18);
        // A measurement is its service's department's, whichever department its version listed it under.
        const organisationOf = new Map(read.batch.services!.map((s) => [s.id, s.organisation]));
        expect(
          read.batch.measurements.filter(
            (m) => m.organisation !== organisationOf.get(m.serviceId!),
          ),
        ).toEqual([]);
      });

      it('names the agency or body that runs a service, and none when the department runs it itself', () => {
        const service = (id: string) => read.batch.services!.find((s) => s.id === id)!;
        expect(service('dft-tax-a-vehicle').department).toBe('Driver and Vehicle Licensing Agency');
        expect(service('home-office-visas-immigration-applications').department).toBeNull();
        // The department itself: the Agency/body is the Department column (DCMS without its comma too), or
        // the Department of Health under DHSC, its new name.
        const letters = (text: string) => text.toUpperCase().replace(/[^A-Z]/g, '');
        const itself = (r: RawRow) =>
          letters(r['Agency/body']!) === letters(r.Department!) ||
          (r.Abbr === 'DHSC' && r['Agency/body'] === 'Department of Health');
        expect(
          latestRaw.rows.filter(
            (r) => r.Abbr === 'DHSC' && r['Agency/body'] === 'Department of Health',
          ),
        ).toHaveLength(9);
        for (const r of latestRaw.rows)
          expect(service(r.Slug!).department, r.Slug).toBe(
            itself(r) ? null : r['Agency/body']!.trim(),
          );
        expect(latestRaw.rows.filter(itself)).toHaveLength(179);
      });

      it('lists every department with records as an organisation of a valid registry id, with its successors', () => {
        const ids = new Set([
          ...read.batch.services!.map((s) => s.organisation),
          ...read.batch.measurements.map((m) => m.organisation),
        ]);
        expect(new Set(read.organisations.map((o) => o.id))).toEqual(ids);
        for (const o of read.organisations) {
          expect(o.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
          expect(o.kind).toBe('DEPARTMENT');
        }
        expect(read.organisations.find((o) => o.id === 'dh')?.successors).toEqual([
          { id: 'dhsc', from: '2018-01-09' },
        ]);
        expect(read.organisations.find((o) => o.id === 'ho')?.code).toBe('Home Office');
      });

      it('reports each department abbreviation written otherwise than its code as a repair, one per cell', () => {
        let expected = 0;
        for (const version of raw)
          for (const row of version.rows)
            if (row.Abbr !== departmentByCode(row.Abbr!)!.code) expected++;
        const repairs = read.repairs.filter((r) => r.field === 'Abbr');
        expect(repairs).toHaveLength(expected);
        expect(new Set(repairs.map((r) => r.value))).toEqual(
          new Set(['Defra', 'DfT', 'Home Office', 'MoJ', 'MoD', 'DfE']),
        );
        expect(repairs.find((r) => r.value === 'Home Office')).toMatchObject({ repaired: 'ho' });
      });

      it('keeps the June 2016 machinery-of-government moves as history: BIS -> BEIS 134, DH -> DHSC 90, DECC -> BEIS 52, BIS -> DfE 16, BIS -> DIT 8, DCLG -> MHCLG 3', () => {
        const pairs = new Map<string, number>();
        for (const row of latestRaw.rows) {
          const previous = row['Previous dept (MOG, Jun 2016)']!.trim();
          if (previous !== '' && previous !== row.Abbr)
            pairs.set(
              `${previous} -> ${row.Abbr}`,
              (pairs.get(`${previous} -> ${row.Abbr}`) ?? 0) + 1,
            );
        }
        expect(Object.fromEntries(pairs)).toEqual({
          'BIS -> BEIS': 134,
          'DH -> DHSC': 90,
          'DECC -> BEIS': 52,
          'BIS -> DfE': 16,
          'BIS -> DIT': 8,
          'DCLG -> MHCLG': 3,
        });
        const counted = read.notes.find((n) =>
          n.includes('Previous dept (MOG, Jun 2016) column records'),
        )!;
        expect(counted).toContain(
          '303 moves: BIS -> BEIS 134, DH -> DHSC 90, DECC -> BEIS 52, BIS -> DfE 16, BIS -> DIT 8, DCLG -> MHCLG 3',
        );
        expect(read.notes).toContain(
          "Service bis-acas-elearning-registrations moved department: BIS 2015-06-30 to 2016-07-12, BEIS 2016-11-30 to 2018-09-19; Previous dept (MOG, Jun 2016): BIS. Its figures of every version are beis's, the department of its latest version.",
        );
        const movedNotes = read.notes.filter(
          (n) => n.startsWith('Service ') && n.includes(' moved department: '),
        );
        expect(movedNotes.length).toBeGreaterThanOrEqual(303);
      });
    });

    describe('periods and figures against the raw files', () => {
      it('reads each quarter label as the twelve months transaction-volumes.csv gives the same cells: 2012-Q4 is 2011-04/2012-03 ... 2017-Q4 is 2016-10/2017-09', () => {
        expect(PERIOD_OF.size).toBe(21);
        for (const [quarter, period] of PERIOD_OF)
          expect(twelveMonthsOf(quarter), quarter).toBe(period);
        expect(PERIOD_OF.get('2012-Q4')).toBe('2011-04/2012-03');
        expect(PERIOD_OF.get('2013-Q1')).toBe('2012-01/2012-12');
        expect(PERIOD_OF.get('2013-Q2')).toBe('2012-04/2013-03');
        expect(PERIOD_OF.get('2013-Q3')).toBe('2012-07/2013-06');
        expect(PERIOD_OF.get('2017-Q4')).toBe('2016-10/2017-09');
        // The proof that the headings are the quarters' periods: every volume of services.csv is the
        // volume transaction-volumes.csv gives the same service (by name and body) in that period.
        const column = (heading: string) => volumesHeader.indexOf(`${heading}: volume`);
        const volumesOf = new Map(volumesRows.map((r) => [`${r[4]!.trim()}|${r[2]!.trim()}`, r]));
        let compared = 0;
        const disagreeing: string[] = [];
        for (const row of latestRaw.rows) {
          const other = volumesOf.get(
            `${row['Name of service']!.trim()}|${row['Agency/body']!.trim()}`,
          )!;
          quartersOf(latestRaw).forEach((quarter, i) => {
            if (figure(other[column(headings[i]!)]) !== figure(row[`${quarter} Vol.`]))
              disagreeing.push(`${row.Slug} ${quarter}`);
            compared++;
          });
        }
        expect(disagreeing).toEqual([]);
        expect(compared).toBe(734 * 21);
        // And the adapter's figure of a service in a period is that period's volume in transaction-volumes.csv.
        const renewals = volumesOf.get('Vehicle tax renewals|Driver and Vehicle Licensing Agency')!;
        for (const heading of headings) {
          const volume = figure(renewals[column(heading)]);
          const adapter = latestOf.get(
            keyOf({
              serviceId: 'dft-tax-a-vehicle',
              indicatorCode: TX_INDICATORS.transactions,
              period: monthsOfHeading(heading),
            }),
          );
          expect(adapter?.value ?? null, heading).toBe(volume);
        }
        expect(figure(renewals[column('October 2016 to September 2017')])).toBe(
          figure(latestRaw.rows.find((r) => r.Slug === 'dft-tax-a-vehicle')!['2017-Q4 Vol.']),
        );
      });

      it('takes every figure the latest version gives, so the hub shows the latest file cell for cell', () => {
        const taken = { volumes: 0, costs: 0, takeUps: 0 };
        const differing: string[] = [];
        for (const row of latestRaw.rows) {
          for (const quarter of quartersOf(latestRaw)) {
            const volume = figure(row[`${quarter} Vol.`]);
            const cost = figure(row[`${quarter} CPT (£)`]);
            const digital = figure(row[`${quarter} Digital vol.`]);
            const at = `${row.Slug} ${quarter}`;
            if (volume !== null) {
              taken.volumes++;
              if (latestFigure(row.Slug!, TX_INDICATORS.transactions, quarter)?.value !== volume)
                differing.push(`${at} volume`);
            }
            if (volume && cost !== null) {
              taken.costs++;
              const m = latestFigure(row.Slug!, TX_INDICATORS.cost, quarter);
              if (m?.value !== cost || m.denominator !== volume) differing.push(`${at} cost`);
            }
            if (volume && digital !== null && digital <= volume) {
              taken.takeUps++;
              const m = latestFigure(row.Slug!, TX_INDICATORS.takeUp, quarter);
              if (m?.numerator !== digital || m.denominator !== volume)
                differing.push(`${at} take-up`);
            }
          }
        }
        expect(differing).toEqual([]);
        expect(taken.volumes).toBeGreaterThan(7000);
        expect(taken.costs).toBeGreaterThan(1000);
        expect(taken.takeUps).toBeGreaterThan(5000);
      });

      it("totals the Department for Transport's 2017-Q2 volume as the latest file does", () => {
        const dft = latestRaw.rows.filter((r) => r.Abbr === 'DfT');
        const expected = dft.reduce((sum, r) => sum + (figure(r['2017-Q2 Vol.']) ?? 0), 0);
        const slugs = new Set(dft.map((r) => r.Slug!));
        const adapter = [...slugs].reduce(
          (sum, slug) =>
            sum + (latestFigure(slug, TX_INDICATORS.transactions, '2017-Q2')?.value ?? 0),
          0,
        );
        expect(adapter).toBe(expected);
        expect(expected).toBeGreaterThan(100_000_000);
        for (const slug of slugs)
          if (latestFigure(slug, TX_INDICATORS.transactions, '2017-Q2'))
            expect(latestFigure(slug, TX_INDICATORS.transactions, '2017-Q2')!.organisation).toBe(
              'dft',
            );
      });

      it('gives the government-wide digital take-up of 2017-Q2 as 0.91 by ratio of sums and 0.47 by mean of ratios, from raw and from the adapter alike', () => {
        const pairOf = (r: RawRow) => ({
          slug: r.Slug!,
          volume: figure(r['2017-Q2 Vol.']),
          digital: figure(r['2017-Q2 Digital vol.']),
        });
        const rawPairs = latestRaw.rows
          .map(pairOf)
          .filter(
            (p): p is { slug: string; volume: number; digital: number } =>
              p.volume !== null && p.volume > 0 && p.digital !== null,
          );
        const rawSums =
          rawPairs.reduce((sum, p) => sum + p.digital, 0) /
          rawPairs.reduce((sum, p) => sum + p.volume, 0);
        const rawMean =
          rawPairs.reduce((sum, p) => sum + p.digital / p.volume, 0) / rawPairs.length;
        // The latest version's figures: the hub's value of each cell the latest file fills.
        const adapter = rawPairs.map((p) => latestFigure(p.slug, TX_INDICATORS.takeUp, '2017-Q2')!);
        // One more service keeps a 2017-Q2 take-up that a later version emptied (0 of 6,581,569 passport
        // applications, published 2018-01-26): the hub's figure of the quarter counts it too.
        const kept = latestRaw.rows.filter(
          (r) =>
            latestFigure(r.Slug!, TX_INDICATORS.takeUp, '2017-Q2') &&
            !rawPairs.some((p) => p.slug === r.Slug),
        );
        expect(
          kept.map((r) => [
            r.Slug,
            r['2017-Q2 Digital vol.'],
            latestFigure(r.Slug!, TX_INDICATORS.takeUp, '2017-Q2')!.publishedOn,
          ]),
        ).toEqual([['home-office-passport-applications', '', '2018-01-26']]);
        const adapterSums =
          adapter.reduce((sum, m) => sum + m.numerator!, 0) /
          adapter.reduce((sum, m) => sum + m.denominator!, 0);
        const adapterMean = adapter.reduce((sum, m) => sum + ratio(m), 0) / adapter.length;
        expect(adapterSums).toBeCloseTo(rawSums, 12);
        expect(adapterMean).toBeCloseTo(rawMean, 12);
        expect(rawSums).toBeCloseTo(0.91, 2);
        expect(rawMean).toBeCloseTo(0.47, 2);
      });

      it('gives the first three quarters a government-wide take-up of 0.76, 0.08 and 0.67 (HMRC missing from 2013-Q1), from raw and from the adapter alike', () => {
        const takeUp = (quarter: string) => {
          const rawPairs = latestRaw.rows
            .map((r) => ({
              volume: figure(r[`${quarter} Vol.`]),
              digital: figure(r[`${quarter} Digital vol.`]),
            }))
            .filter(
              (p): p is { volume: number; digital: number } =>
                p.volume !== null && p.volume > 0 && p.digital !== null,
            );
          const adapter = latestRaw.rows
            .map((r) => latestFigure(r.Slug!, TX_INDICATORS.takeUp, quarter))
            .filter((m): m is ImportedMeasurement => m !== undefined);
          return {
            raw:
              rawPairs.reduce((sum, p) => sum + p.digital, 0) /
              rawPairs.reduce((sum, p) => sum + p.volume, 0),
            adapter:
              adapter.reduce((sum, m) => sum + m.numerator!, 0) /
              adapter.reduce((sum, m) => sum + m.denominator!, 0),
          };
        };
        const found = ['2012-Q4', '2013-Q1', '2013-Q2'].map(takeUp);
        found.forEach(({ raw: r, adapter }) => expect(adapter).toBeCloseTo(r, 12));
        expect(found.map((f) => Number(f.raw.toFixed(2)))).toEqual([0.76, 0.08, 0.67]);
      });

      it('emits a volume in the first version that has it and again in each version that changes it, with that version as publishedOn', () => {
        // The test's own history of every (service, quarter) volume: emitted when new or different from the last value seen.
        const expected = new Map<string, number>();
        const last = new Map<string, number>();
        for (const version of raw) {
          let emitted = 0;
          for (const row of version.rows) {
            for (const quarter of quartersOf(version)) {
              const volume = figure(row[`${quarter} Vol.`]);
              if (volume === null) continue;
              const key = `${row.Slug}|${quarter}`;
              if (last.get(key) !== volume) emitted++;
              last.set(key, volume);
            }
          }
          expected.set(version.date, emitted);
        }
        const emitted = new Map<string, number>();
        for (const m of byCode(TX_INDICATORS.transactions))
          emitted.set(m.publishedOn!, (emitted.get(m.publishedOn!) ?? 0) + 1);
        expect(Object.fromEntries(emitted)).toEqual(Object.fromEntries(expected));
        expect(byCode(TX_INDICATORS.transactions)).toHaveLength(
          [...expected.values()].reduce((a, b) => a + b, 0),
        );
      });

      it('keeps both values of the Prepayment Certificates correction: CPT 921.79 published 2017-09-22, 2.45 on 2017-10-31', () => {
        const published = read.batch.measurements
          .filter(
            (m) =>
              m.serviceId === 'dh-prepayment-certificates-issued' &&
              m.indicatorCode === TX_INDICATORS.cost &&
              m.period === PERIOD_OF.get('2016-Q4'),
          )
          .map((m) => [m.publishedOn, m.value]);
        expect(published).toEqual([
          ['2017-09-22', 921.79],
          ['2017-10-31', 2.45],
        ]);
        const before = raw
          .find((v) => v.date === '2017-09-22')!
          .rows.find((r) => r.Slug === 'dh-prepayment-certificates-issued')!;
        const after = raw
          .find((v) => v.date === '2017-10-31')!
          .rows.find((r) => r.Slug === 'dh-prepayment-certificates-issued')!;
        expect([before['2016-Q4 CPT (£)'], after['2016-Q4 CPT (£)']]).toEqual(['921.79', '2.45']);
      });

      it('keeps the visa figures the Home Office correction of 2017-07-18 emptied at their 2017-06-06 values, and counts them in a note', () => {
        const visas = read.batch.measurements.filter(
          (m) =>
            m.serviceId === 'home-office-visas-immigration-applications' &&
            m.indicatorCode === TX_INDICATORS.transactions &&
            m.period === PERIOD_OF.get('2016-Q1'),
        );
        expect(visas.map((m) => [m.publishedOn, m.value])).toEqual([['2017-06-06', 3458103]]);
        const corrected = raw
          .find((v) => v.date === '2017-07-18')!
          .rows.find((r) => r.Slug === 'home-office-visas-immigration-applications')!;
        expect(corrected['2016-Q1 Vol.']).toBe('');
        // Emptied in a service the latest version still lists: 2016-Q1 to Q3, volume and take-up.
        const note = read.notes.find((n) => n.includes('in no cell of the latest'))!;
        expect(note).toContain('home-office-visas-immigration-applications (6)');
        expect(
          read.batch.measurements.filter(
            (m) => m.publishedOn === '2017-07-18' && m.serviceId!.startsWith('home-office-'),
          ),
        ).toEqual([]);
      });
    });

    describe("PROVENANCE's data-quality problems", () => {
      it('reads numbers with thousands separators as numbers, with no repair: "3,458,103" is 3458103', () => {
        const row = raw
          .find((v) => v.date === '2017-06-06')!
          .rows.find((r) => r.Slug === 'home-office-visas-immigration-applications')!;
        expect(row['2016-Q1 Vol.']).toBe('3,458,103');
        expect(
          read.repairs.filter(
            (r) => typeof r.value === 'string' && /^\d{1,3}(,\d{3})+$/.test(r.value),
          ),
        ).toEqual([]);
      });

      it("does not take the publisher's '-' (61 cells of the latest version's quarterly columns), naming file, line, field and value", () => {
        const quarterly = (h: string) => /^\d{4}-Q\d (Vol\.|CPT \(£\)|Digital vol\.)$/.test(h);
        const dashes = latestRaw.rows.flatMap((r) =>
          Object.entries(r)
            .filter(([h, v]) => quarterly(h) && v.trim() === '-')
            .map(([h]) => `${r.Slug} ${h}`),
        );
        expect(dashes).toHaveLength(61);
        const markers = notTakenIn(LATEST).filter((n) => n.value === '-');
        expect(markers).toHaveLength(61);
        expect(markers[0]!.rule).toBe(
          "is the publisher's marker for not applicable (-): no figure taken",
        );
        const slugAt = new Map(
          read.batch.services!.map((s) => [
            `${read.origins.of(s.row!)!.file}:${read.origins.of(s.row!)!.line}`,
            s.id,
          ]),
        );
        expect(
          markers.map((m) => `${slugAt.get(`${m.file}:${m.line}`)} ${m.field}`).sort(),
        ).toEqual(dashes.sort());
      });

      it('does not take a digital volume above its volume, naming both (the "Digital exceeds all" cells of 2016-Q1, 2016-Q3, 2016-Q4, 2017-Q1)', () => {
        const above = latestRaw.rows.flatMap((r) =>
          quartersOf(latestRaw)
            .filter(
              (q) => (figure(r[`${q} Digital vol.`]) ?? 0) > (figure(r[`${q} Vol.`]) ?? Infinity),
            )
            .map((q) => ({
              slug: r.Slug!,
              quarter: q,
              volume: r[`${q} Vol.`]!,
              digital: r[`${q} Digital vol.`]!,
            })),
        );
        expect(new Set(above.map((a) => a.quarter))).toEqual(
          new Set(['2016-Q1', '2016-Q3', '2016-Q4', '2017-Q1']),
        );
        const notTaken = notTakenIn(LATEST).filter((n) => n.rule.includes('Digital exceeds all'));
        expect(notTaken).toHaveLength(above.length);
        const gp = above.find(
          (a) =>
            a.slug === 'dh-written-gp-referrals-to-first-outpatient-appointment' &&
            a.quarter === '2016-Q3',
        )!;
        expect(
          notTaken.find((n) => n.field === '2016-Q3 Digital vol.' && n.value === gp.digital)!.rule,
        ).toBe(
          `digital volume ${gp.digital} is greater than the volume ${gp.volume} (the GDS team's own "Digital exceeds all" check flags it): a take-up above 100% is not taken; the volume is`,
        );
        for (const a of above) {
          expect(
            latestFigure(a.slug, TX_INDICATORS.takeUp, a.quarter)?.publishedOn === '2018-09-19',
          ).toBe(false);
          expect(latestFigure(a.slug, TX_INDICATORS.transactions, a.quarter)?.value).toBe(
            figure(a.volume),
          );
        }
      });

      it('does not take a cost per transaction beside a volume of 0 or no volume: there are no transactions to divide by', () => {
        let zero = 0;
        let none = 0;
        for (const r of latestRaw.rows) {
          for (const q of quartersOf(latestRaw)) {
            if (figure(r[`${q} CPT (£)`]) === null) continue;
            const volume = figure(r[`${q} Vol.`]);
            if (volume === 0) zero++;
            else if (volume === null) none++;
          }
        }
        const costs = notTakenIn(LATEST).filter((n) => n.field.endsWith('CPT (£)'));
        expect(costs.filter((n) => n.rule.includes('a volume of 0'))).toHaveLength(zero);
        expect(
          costs.filter(
            (n) =>
              n.rule.includes('beside no volume') || n.rule.includes("beside the publisher's '-'"),
          ),
        ).toHaveLength(none);
        expect(zero).toBe(2);
        expect(none).toBe(40);
      });

      it('does not take a digital volume beside a volume of 0 or no volume: no take-up of no transactions', () => {
        let expected = 0;
        for (const r of latestRaw.rows)
          for (const q of quartersOf(latestRaw))
            if (figure(r[`${q} Digital vol.`]) !== null && !figure(r[`${q} Vol.`])) expected++;
        expect(
          notTakenIn(LATEST).filter(
            (n) =>
              n.field.endsWith('Digital vol.') &&
              n.value !== '-' &&
              !n.rule.includes('Digital exceeds all'),
          ),
        ).toHaveLength(expected);
      });

      it('notes, without reading them, the "#REF!" of Hi-vol and the "[not provided]" of Customer type (60) and Business model (140)', () => {
        expect(latestRaw.rows.filter((r) => r['Hi-vol'] === '#REF!')).toHaveLength(1);
        expect(
          latestRaw.rows.filter((r) => r['Customer type']!.trim() === '[not provided]'),
        ).toHaveLength(60);
        expect(
          latestRaw.rows.filter((r) => r['Business model']!.trim() === '[not provided]'),
        ).toHaveLength(140);
        expect(read.notes).toContain(
          'Hi-vol is not read: "#REF!" (a broken spreadsheet reference) is in 1 of its cells in the latest version (5 over all versions).',
        );
        expect(
          read.notes.find((n) => n.startsWith('Customer type and Business model are not read')),
        ).toContain('in 60 and 140 of their cells in the latest version');
        expect(
          [...read.notTaken, ...read.repairs].filter((x) =>
            ['Hi-vol', 'Customer type', 'Business model'].includes(x.field),
          ),
        ).toEqual([]);
      });

      it('notes that Completion rate and User satisfaction are filled for one service only, and does not read them', () => {
        const filled = new Set(
          raw.flatMap((v) =>
            v.rows
              .filter((r) =>
                Object.entries(r).some(
                  ([h, c]) => /(Completion rate|User satisfaction)$/.test(h) && c.trim() !== '',
                ),
              )
              .map((r) => r.Slug!),
          ),
        );
        expect([...filled]).toEqual(['bis-conduct-of-directors-assessments']);
        expect(
          read.notes.find((n) => n.startsWith('Completion rate and User satisfaction')),
        ).toContain('for 1 service (bis-conduct-of-directors-assessments)');
      });

      it('trims the trailing spaces of service names, a repair per name', () => {
        const latestRowOf = new Map<string, RawRow>();
        for (const version of raw) for (const row of version.rows) latestRowOf.set(row.Slug!, row);
        const spaced = [...latestRowOf.values()].filter(
          (r) => r['Name of service'] !== r['Name of service']!.trim(),
        );
        expect(spaced.length).toBeGreaterThanOrEqual(24);
        const repairs = read.repairs.filter((r) => r.field === 'Name of service');
        expect(repairs).toHaveLength(spaced.length);
        expect(repairs[0]!.repaired).toBe((repairs[0]!.value as string).trim());
        for (const s of read.batch.services!) expect(s.name).toBe(s.name.trim());
      });

      it('reads header cells with line breaks (46 in the latest version) with each break as a space, and notes the four unnamed columns', () => {
        expect(latestRaw.header.filter((h) => h.includes('\n'))).toHaveLength(46);
        expect(latestRaw.header.filter((h) => h === '')).toHaveLength(4);
        expect(read.notes.find((n) => n.startsWith('Header cells with line breaks'))).toContain(
          `${LATEST} 46`,
        );
        expect(read.notes.find((n) => n.startsWith('Unnamed columns'))).toContain(`${LATEST} 4`);
        // The Previous dept column, whose header has a line break, is read (the moves above come from it).
        expect(latestRaw.header).toContain('Previous dept \n (MOG, Jun 2016)');
      });

      it('does not read transaction-volumes.csv (its header typo, no slugs) nor the JSON files, and says why', () => {
        const names = [
          'raw/transaction-volumes.csv',
          'raw/stagecraft-dashboards-2015.json',
          'raw/backdrop-transaction-data-sample-2015.json',
        ];
        const result = transactionsExplorerSource.read(
          [
            ...latestWith(smallLatest()),
            ...names.map((name) => ({ name, bytes: readFileSync(join(FOLDER, name)) })),
          ],
          { today: TODAY },
        );
        expect(result.batch.problems).toEqual([]);
        for (const name of names)
          expect(
            result.notes.find((n) => n.startsWith(`${name}: `)),
            name,
          ).toMatch(/not read/);
        expect(result.notes.find((n) => n.startsWith('raw/transaction-volumes.csv'))).toContain(
          '"January 2014 to December 2015", means January to December 2014',
        );
      });

      it('counts the services coming and going in each version, as the raw files do', () => {
        const note = read.notes.find((n) => n.startsWith('Versions read in date order'))!;
        for (let i = 1; i < raw.length; i++) {
          const before = new Set(raw[i - 1]!.rows.map((r) => r.Slug));
          const now = new Set(raw[i]!.rows.map((r) => r.Slug));
          const added = [...now].filter((s) => !before.has(s)).length;
          const gone = [...before].filter((s) => !now.has(s)).length;
          expect(note, raw[i]!.name).toMatch(
            new RegExp(
              `${raw[i]!.date} \\([^)]*\\): [\\d,]+ services, ${added} new and ${gone} gone since the version before`,
            ),
          );
        }
      });

      it('says which departments have no volume at all in a quarter: DCMS, HMT and MoD none in 2017-Q2', () => {
        const note = read.notes.find((n) =>
          n.startsWith('Departments of the latest version with no volume'),
        )!;
        for (const abbr of ['DCMS', 'HMT', 'MoD']) {
          expect(
            latestRaw.rows
              .filter((r) => r.Abbr === abbr)
              .every((r) => figure(r['2017-Q2 Vol.']) === null),
          ).toBe(true);
          expect(note).toMatch(new RegExp(`${abbr} \\(\\d+ services\\): [^;]*2017-Q2`));
        }
        expect(note).toContain('DCMS (43 services)');
      });
    });

    describe('refusals', () => {
      it("refuses the latest file with one row added whose 2017-Q2 volume is 'abc', naming file, line, field, value and rule", () => {
        const { files, line } = withRowAdded({ Slug: 'inserted-row', '2017-Q2 Vol.': 'abc' }, true);
        expect(onlyProblem(files)).toMatchObject({
          file: LATEST,
          line,
          field: '2017-Q2 Vol.',
          value: 'abc',
          rule: "must be a number (digits, with or without thousands separators and a decimal point), the publisher's '-' for not applicable, or empty",
        });
      });

      it("refuses a row whose Abbr is 'XYZ', a department the hub does not know", () => {
        const { files, line } = withRowAdded({ Slug: 'inserted-row', Abbr: 'XYZ' });
        expect(onlyProblem(files)).toMatchObject({
          file: LATEST,
          line,
          field: 'Abbr',
          value: 'XYZ',
          rule: expect.stringContaining('is not a department abbreviation the hub knows'),
        });
      });

      it('refuses a repeated slug, a blank one, a volume with a fraction and a Previous dept it does not know', () => {
        expect(onlyProblem(withRowAdded({ Slug: 'dft-tax-a-vehicle' }).files)).toMatchObject({
          field: 'Slug',
          value: 'dft-tax-a-vehicle',
          rule: expect.stringMatching(/^repeats line \d+'s slug/),
        });
        expect(onlyProblem(withRowAdded({ Slug: '' }).files)).toMatchObject({
          field: 'Slug',
          value: '',
        });
        expect(
          onlyProblem(withRowAdded({ Slug: 'inserted-row', '2017-Q2 Vol.': '12.5' }).files),
        ).toMatchObject({
          field: '2017-Q2 Vol.',
          value: '12.5',
          rule: 'must be a whole number: it counts transactions',
        });
        expect(
          onlyProblem(
            withRowAdded({ Slug: 'inserted-row', 'Previous dept (MOG, Jun 2016)': 'ABC' }).files,
          ),
        ).toMatchObject({ field: 'Previous dept (MOG, Jun 2016)', value: 'ABC' });
      });

      it('refuses a quarter not over by today, a file that is no version, and a read without services.csv', () => {
        const early = transactionsExplorerSource.read(latestWith(smallLatest()), {
          today: '2017-09-30',
        });
        expect(early.batch.problems.map((p) => early.origins.locate(p))).toEqual([
          expect.objectContaining({
            file: LATEST,
            line: 1,
            field: 'file',
            rule: 'is dated 2018-09-19, after today (2017-09-30): a version cannot be published before its date',
          }),
          expect.objectContaining({
            file: LATEST,
            line: 1,
            field: '2017-Q4 Vol.',
            value: '2017-Q4',
            rule: expect.stringContaining(
              'stands for 2016-10/2017-09, which are not over by today (2017-09-30)',
            ),
          }),
        ]);
        expect(early.batch.measurements.filter((m) => m.period === '2016-10/2017-09')).toEqual([]);
        const history = { name: VERSIONS[0]!.name, bytes: realFiles[0]!.bytes };
        expect(onlyProblem([history])).toMatchObject({
          file: LATEST,
          field: 'file',
          rule: expect.stringContaining('is missing'),
        });
        expect(
          onlyProblem([
            ...latestWith(smallLatest()),
            { name: 'raw/other.csv', bytes: Buffer.from('a,b\n') },
          ]),
        ).toMatchObject({ file: 'raw/other.csv', field: 'file' });
      });

      it('refuses a header without its Slug column', () => {
        const text = smallLatest().replace(',"Slug",', ',"Service slug",');
        expect(onlyProblem(latestWith(text))).toMatchObject({
          file: LATEST,
          line: 1,
          field: 'Slug',
          value: null,
          rule: expect.stringContaining('is missing from the header'),
        });
      });
    });

    describe("the hub's rules", () => {
      it('passes every measurement through checkMeasurement, its period through parsePeriod and the cadence rule, with zero failures', () => {
        const units: Record<string, Unit> = {
          [TX_INDICATORS.cost]: Unit.CURRENCY,
          [TX_INDICATORS.takeUp]: Unit.PERCENT,
          [TX_INDICATORS.transactions]: Unit.COUNT,
        };
        const failures = read.batch.measurements.flatMap(
          (m): { m: ImportedMeasurement; problem: unknown }[] => {
            const checked = checkMeasurement(
              { ...m, indicatorId: m.indicatorCode },
              units[m.indicatorCode]!,
            );
            if (!checked.ok) return [{ m, problem: checked.problems }];
            const cadence = periodRule(parsePeriod(m.period), Frequency.QUARTERLY, TODAY);
            return cadence ? [{ m, problem: cadence }] : [];
          },
        );
        expect(failures).toEqual([]);
        expect(read.batch.measurements.length).toBe(22456);
      });

      it('gives cost per transaction with its parts, whose ratio of sums is total cost over transactions', () => {
        const costs = byCode(TX_INDICATORS.cost);
        expect(costs.length).toBeGreaterThan(1000);
        expect(
          costs.filter(
            (m) =>
              Math.abs(m.numerator! / m.denominator! - m.value!) > 0.005 ||
              Math.round(m.numerator! * 100) !== Math.round(m.value! * m.denominator! * 100),
          ),
        ).toEqual([]);
      });

      it('adopts gds-cost-per-transaction from the catalogue and defines tx-digital-take-up and tx-transactions, once per department with figures', () => {
        const catalogue = STANDARD_INDICATORS.find((s) => s.code === TX_INDICATORS.cost)!;
        expect(catalogue).toMatchObject({
          unit: 'CURRENCY',
          polarity: 'SMALLER_IS_BETTER',
          frequency: 'QUARTERLY',
        });
        const defined = new Set(read.batch.indicators.map((d) => `${d.organisation} ${d.code}`));
        expect(defined.size).toBe(read.batch.indicators.length);
        expect(defined).toEqual(
          new Set(read.batch.measurements.map((m) => `${m.organisation} ${m.indicatorCode}`)),
        );
        for (const d of read.batch.indicators) {
          expect(d.code).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
          if (d.code === TX_INDICATORS.cost)
            expect(Object.keys(d).sort()).toEqual(['code', 'organisation', 'row']);
          if (d.code === TX_INDICATORS.takeUp)
            expect(d).toMatchObject({
              name: 'Digital take-up',
              unit: Unit.PERCENT,
              polarity: Polarity.BIGGER_IS_BETTER,
              frequency: Frequency.QUARTERLY,
            });
          if (d.code === TX_INDICATORS.transactions)
            expect(d).toMatchObject({
              name: 'Transactions',
              unit: Unit.COUNT,
              polarity: Polarity.BIGGER_IS_BETTER,
              frequency: Frequency.QUARTERLY,
            });
        }
      });

      it('gives every record a row that names its file and line, and every service a usable id', () => {
        const files = new Set(VERSIONS.map((v) => v.name));
        expect(
          read.batch.measurements.filter((m) => !files.has(read.origins.of(m.row!)?.file ?? '')),
        ).toEqual([]);
        expect(
          read.batch.services!.filter((s) => !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s.id)),
        ).toEqual([]);
        expect(
          [...read.notTaken, ...read.repairs].filter(
            (x) => !files.has(x.file) || !(x.line > 1) || x.field === '',
          ),
        ).toEqual([]);
        // The line is the row's, as an editor shows it.
        const service = read.batch.services!.find((s) => s.id === 'dft-tax-a-vehicle')!;
        const origin = read.origins.of(service.row!)!;
        expect(origin.file).toBe(LATEST);
        const lines = latestRaw.text.split('\n');
        expect(lines[origin.line - 1]).toContain(',dft-tax-a-vehicle,');
      });
    });
  },
);
