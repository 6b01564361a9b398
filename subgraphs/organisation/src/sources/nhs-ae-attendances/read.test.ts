import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Frequency, type Unit, parsePeriod } from '@crossgov/schema';
import { checkMeasurement, periodRule } from '../../indicator/measurement.rules.ts';
import { type SourceFile, hasPublicData, publicDataDir } from '../source.ts';
import { aeAttendancesSource } from './read.ts';

// The adapter against NHS England's A&E attendances as NHSRdatasets publishes them. Every total is
// computed here from the raw CSV by a reader of the test's own (split on newlines and commas: the
// file has no quoted cells), never by the adapter's code.

const FOLDER = join(publicDataDir(), 'nhs-ae-attendances');
const CSV = 'derived/ae_attendances.csv';
const TODAY = '2026-01-01';
const available = hasPublicData();
const text = available ? readFileSync(join(FOLDER, CSV), 'utf8') : '';

/** One data row of the raw file, with its line as an editor shows it (the header is line 1). */
interface RawRow {
  line: number;
  month: string;
  code: string;
  type: string;
  attendances: number;
  breaches: number;
  admissions: number;
}

const raw: RawRow[] = text
  .split('\n')
  .map((content, index) => ({ content, line: index + 1 }))
  .slice(1)
  .filter(({ content }) => content !== '')
  .map(({ content, line }) => {
    const [period, code, type, attendances, breaches, admissions] = content.split(',');
    return {
      line,
      month: period!.slice(0, 7),
      code: code!,
      type: type!,
      attendances: Number(attendances),
      breaches: Number(breaches),
      admissions: Number(admissions),
    };
  });

const sum = (rows: readonly RawRow[], field: 'attendances' | 'breaches' | 'admissions') =>
  rows.reduce((total, row) => total + row[field], 0);
const financialYear = (month: string) =>
  Number(month.slice(0, 4)) - (Number(month.slice(5, 7)) < 4 ? 1 : 0);
const months = [...new Set(raw.map((r) => r.month))].sort();

const realFiles: SourceFile[] = available ? [{ name: CSV, bytes: Buffer.from(text, 'utf8') }] : [];
const read = available ? aeAttendancesSource.read(realFiles, { today: TODAY }) : null!;

const measurementsOf = (code: string) =>
  read.batch.measurements.filter((m) => m.indicatorCode === code);

/** A small file: the real header and the rows given. */
const fixture = (...rows: string[]): SourceFile[] => [
  {
    name: CSV,
    bytes: Buffer.from(
      ['period,org_code,type,attendances,breaches,admissions', ...rows].join('\n') + '\n',
    ),
  },
];
const GOOD = '2018-04-01,RF4,1,21289,2879,5060';

/** The one problem a fixture's read gives, located by file and line. */
function onlyProblem(files: SourceFile[], today = TODAY) {
  const result = aeAttendancesSource.read(files, { today });
  expect(result.batch.problems).toHaveLength(1);
  return result.origins.locate(result.batch.problems[0]!);
}

describe.skipIf(!available)('NHS England A&E attendances (nhs-ae-attendances)', () => {
  it('reads 12,765 rows of 274 providers over 36 months, April 2016 to March 2019', () => {
    expect(raw).toHaveLength(12_765);
    expect(read.batch.rows).toBe(raw.length);
    expect(read.batch.problems).toEqual([]);
    expect(read.organisations).toHaveLength(274);
    expect(new Set(raw.map((r) => r.code)).size).toBe(274);
    expect(months).toHaveLength(36);
    expect([months[0], months.at(-1)]).toEqual(['2016-04', '2019-03']);
    expect(new Set(read.batch.measurements.map((m) => m.period))).toEqual(new Set(months));
    // Three figures a row, but for the one admissions figure not taken.
    // Three figures a row (less RTX's admissions), and type 1's 4-hour figure again as the type 1 indicator.
    expect(read.batch.measurements).toHaveLength(
      3 * raw.length - 1 + raw.filter((r) => r.type === '1').length,
    );
    expect(read.notes[0]).toContain(
      '12,765 rows read: 274 providers (ODS codes) over 36 months, 2016-04 to 2019-03',
    );
  });

  it("gives England's 4-hour performance in every month, all types and type 1 alone, as the ratio of the sums of its numerators and denominators", () => {
    const fourHours = measurementsOf('ae-4-hours');
    for (const month of months) {
      for (const [rows, figures] of [
        [raw.filter((r) => r.month === month), fourHours.filter((m) => m.period === month)],
        [
          raw.filter((r) => r.month === month && r.type === '1'),
          fourHours.filter((m) => m.period === month && m.serviceId === 'type-1'),
        ],
      ] as const) {
        const published = 1 - sum(rows, 'breaches') / sum(rows, 'attendances');
        const numerator = figures.reduce((total, m) => total + m.numerator!, 0);
        const denominator = figures.reduce((total, m) => total + m.denominator!, 0);
        expect(figures).toHaveLength(rows.length);
        expect(Math.abs(numerator / denominator - published)).toBeLessThan(1e-12);
      }
    }
    // Leaves the value for the hub to derive from the parts.
    expect(fourHours.every((m) => m.value === undefined)).toBe(true);
  });

  it('counts 24.8 million attendances in 2018/19, 4.2% more than in 2017/18, 8.57 million of them at type 3 and 4 units', () => {
    const attendances = measurementsOf('ae-attendances');
    const byYear = (year: number, service?: string) =>
      attendances
        .filter((m) => financialYear(m.period) === year && (!service || m.serviceId === service))
        .reduce((total, m) => total + m.value!, 0);
    for (const year of [2016, 2017, 2018]) {
      expect(byYear(year)).toBe(
        sum(
          raw.filter((r) => financialYear(r.month) === year),
          'attendances',
        ),
      );
      expect(byYear(year, 'type-other')).toBe(
        sum(
          raw.filter((r) => financialYear(r.month) === year && r.type === 'other'),
          'attendances',
        ),
      );
    }
    expect((byYear(2018) / 1e6).toFixed(1)).toBe('24.8');
    expect(((byYear(2018) / byYear(2017) - 1) * 100).toFixed(1)).toBe('4.2');
    expect((byYear(2018, 'type-other') / 1e6).toFixed(2)).toBe('8.57');
  });

  it('takes every emergency admissions figure of the raw file but the one above its attendances', () => {
    const admissions = measurementsOf('ae-emergency-admissions');
    expect(admissions.reduce((total, m) => total + m.value!, 0)).toBe(sum(raw, 'admissions') - 92);
    expect(measurementsOf('ae-attendances').reduce((total, m) => total + m.value!, 0)).toBe(
      sum(raw, 'attendances'),
    );
  });

  it('has 140 providers with a type 1 department, 130 of them in all 36 months', () => {
    const typeOne = new Map<string, Set<string>>();
    for (const r of raw.filter((row) => row.type === '1'))
      typeOne.set(r.code, (typeOne.get(r.code) ?? new Set()).add(r.month));
    expect(typeOne.size).toBe(140);
    expect([...typeOne.values()].filter((m) => m.size === 36)).toHaveLength(130);
    expect(read.notes).toContain(
      '140 providers have a type 1 department, 130 of them in all 36 months.',
    );
  });

  it('defines for every provider its three indicators, type 1 4-hour performance for the 140 with a type 1 department, the 95% targets from 2016-04 and a service for each department type it has', () => {
    const ids = read.organisations.map((o) => o.id);
    for (const code of ['ae-4-hours', 'ae-attendances', 'ae-emergency-admissions']) {
      expect(
        read.batch.indicators.filter((i) => i.code === code).map((i) => i.organisation),
      ).toEqual(ids);
    }
    const withType1 = new Set(raw.filter((r) => r.type === '1').map((r) => r.code));
    expect(
      read.batch.indicators
        .filter((i) => i.code === 'ae-4-hours-type-1')
        .map((i) => read.organisations.find((o) => o.id === i.organisation)!.code)
        .sort(),
    ).toEqual([...withType1].sort());
    expect(read.batch.indicators.find((i) => i.code === 'ae-4-hours')).toMatchObject({
      name: 'A&E 4-hour performance',
      unit: 'PERCENT',
      polarity: 'BIGGER_IS_BETTER',
      frequency: 'MONTHLY',
      tolerance: 0.05,
    });
    // Demand has no better direction: closest to a target it never has.
    expect(
      read.batch.indicators
        .filter((i) => !i.code.startsWith('ae-4-hours'))
        .every((i) => i.unit === 'COUNT' && i.polarity === 'CLOSEST_TO_TARGET'),
    ).toBe(true);
    expect(read.batch.targets).toHaveLength(274 + withType1.size);
    expect(
      read.batch.targets.every(
        (t) =>
          t.indicatorCode.startsWith('ae-4-hours') && t.fromPeriod === '2016-04' && t.value === 95,
      ),
    ).toBe(true);
    // The type 1 figures are the type 1 department's 4-hour figures, row for row.
    const type1 = read.batch.measurements.filter((m) => m.indicatorCode === 'ae-4-hours-type-1');
    expect(type1).toHaveLength(raw.filter((r) => r.type === '1').length);
    expect(type1.every((m) => m.serviceId === 'type-1')).toBe(true);
    const types = new Set(raw.map((r) => `${r.code}|type-${r.type}`));
    expect(
      new Set(
        read.batch.services!.map(
          (s) => `${read.organisations.find((o) => o.id === s.organisation)!.code}|${s.id}`,
        ),
      ),
    ).toEqual(types);
    expect(read.batch.services).toHaveLength(types.size);
  });

  describe('the problems PROVENANCE lists', () => {
    it('reports providers that come and go, by month: 190 in all 36 months, 38 start late, 48 end early (RJF Burton to June 2018), 8 with gaps', () => {
      const byCode = new Map<string, Set<string>>();
      for (const r of raw) byCode.set(r.code, (byCode.get(r.code) ?? new Set()).add(r.month));
      const found = { whole: 0, late: 0, early: 0, gaps: 0 };
      for (const [code, present] of byCode) {
        const mine = [...present].sort();
        const first = months.indexOf(mine[0]!);
        const last = months.indexOf(mine.at(-1)!);
        const missing = months.slice(first, last + 1).filter((m) => !present.has(m));
        const note = read.organisations.find((o) => o.code === code)!.note!;
        if (mine.length === 36) found.whole += 1;
        if (first > 0) found.late += 1;
        if (last < 35) found.early += 1;
        if (missing.length > 0) found.gaps += 1;
        expect(note.includes(`first reported ${mine[0]}, not in the ${first} month`), code).toBe(
          first > 0,
        );
        expect(
          note.includes(`last reported ${mine.at(-1)}, not in the ${35 - last} month`),
          code,
        ).toBe(last < 35);
        expect(note.includes(`no figures for ${missing.join(', ')}`), code).toBe(
          missing.length > 0,
        );
        expect(note.includes('names no predecessor or successor code'), code).toBe(
          mine.length < 36,
        );
      }
      expect(found).toEqual({ whole: 190, late: 38, early: 48, gaps: 8 });
      expect(read.notes).toContain(
        '190 of 274 providers report in all 36 months; the others come and go (a provider may be in more than one group).',
      );
      expect(read.notes.find((n) => n.startsWith('38 start late:'))).toContain(
        'AXT02 from 2017-02',
      );
      expect(read.notes.find((n) => n.startsWith('48 end early:'))).toContain('RJF to 2018-06');
      expect(read.notes.find((n) => n.startsWith('8 have gaps:'))).toContain(
        'RYY (2017-11, 2017-12)',
      );
      expect(
        read.notes.some((n) => n.startsWith('No predecessor or successor codes in this data set')),
      ).toBe(true);
      expect(read.organisations.find((o) => o.code === 'RJF')!.note).toContain(
        'last reported 2018-06, not in the 9 months after',
      );
    });

    it('names each provider by its ODS code, saying the data set has no names, regions or ICS', () => {
      expect(
        read.organisations.every(
          (o) =>
            o.name === `NHS provider ${o.code}` &&
            o.kind === 'NHS_TRUST' &&
            o.note!.startsWith('the data set carries ODS codes only: no names, regions or ICS'),
        ),
      ).toBe(true);
      expect(read.organisations.find((o) => o.code === 'RF4')).toMatchObject({
        id: 'rf4',
        name: 'NHS provider RF4',
        code: 'RF4',
      });
      expect(
        read.notes.some((n) =>
          n.startsWith(
            'No organisation names, regions or STP/ICS in this data set, only ODS codes',
          ),
        ),
      ).toBe(true);
    });

    it('does not take the admissions of RTX type 2 in October 2018 (92, above 74 attendances), and takes its attendances and 4-hour figures', () => {
      const above = raw.filter((r) => r.admissions > r.attendances);
      expect(above.map((r) => [r.code, r.type, r.month, r.attendances, r.admissions])).toEqual([
        ['RTX', '2', '2018-10', 74, 92],
      ]);
      expect(read.notTaken).toEqual([
        {
          file: CSV,
          line: above[0]!.line,
          field: 'admissions',
          value: 92,
          rule: expect.stringContaining(
            "above the row's attendances (74) for RTX type-2 in 2018-10",
          ),
        },
      ]);
      const rtx = read.batch.measurements.filter(
        (m) => m.organisation === 'rtx' && m.serviceId === 'type-2' && m.period === '2018-10',
      );
      expect(
        rtx.map((m) => [m.indicatorCode, m.value ?? `${m.numerator}/${m.denominator}`]),
      ).toEqual([
        ['ae-4-hours', '74/74'],
        ['ae-attendances', 74],
      ]);
    });

    it('has no breaches above attendances, no zero attendances and no repeated (period, org_code, type), and refuses each when it appears', () => {
      expect(raw.filter((r) => r.breaches > r.attendances || r.attendances <= 0)).toEqual([]);
      expect(new Set(raw.map((r) => `${r.month}|${r.code}|${r.type}`)).size).toBe(raw.length);
      expect(onlyProblem(fixture('2018-04-01,RF4,1,100,101,5'))).toMatchObject({
        file: CSV,
        line: 2,
        field: 'breaches',
        value: 101,
        rule: expect.stringContaining('must not be above attendances (100)'),
      });
      expect(onlyProblem(fixture('2018-04-01,RF4,1,0,0,0'))).toMatchObject({
        file: CSV,
        line: 2,
        field: 'attendances',
        value: 0,
        rule: expect.stringContaining('must be above zero'),
      });
      expect(onlyProblem(fixture('2018-04-01,RF4,1,-5,0,0'))).toMatchObject({
        file: CSV,
        line: 2,
        field: 'attendances',
        value: '-5',
        rule: 'must not be negative: it is a count',
      });
      expect(onlyProblem(fixture(GOOD, '2018-05-01,RF4,1,1,0,0', GOOD))).toMatchObject({
        file: CSV,
        line: 4,
        field: 'row',
        value: '2018-04-01, RF4, 1',
        rule: `repeats (period, org_code, type) of ${CSV} line 2: each is unique (PROVENANCE)`,
      });
    });

    it('reads counts stored as doubles as the whole numbers they are, and refuses one with a fraction', () => {
      const counts = read.batch.measurements
        .filter((m) => !m.indicatorCode.startsWith('ae-4-hours'))
        .map((m) => m.value!);
      expect(counts.every(Number.isInteger)).toBe(true);
      expect(
        aeAttendancesSource
          .read(fixture('2018-04-01,RF4,1,21289.0,2879,5060'), { today: TODAY })
          .batch.measurements.find((m) => m.indicatorCode === 'ae-attendances')!.value,
      ).toBe(21289);
      expect(onlyProblem(fixture('2018-04-01,RF4,1,21289.5,2879,5060'))).toMatchObject({
        file: CSV,
        line: 2,
        field: 'attendances',
        value: '21289.5',
        rule: 'must be a whole number: the counts are stored as doubles in R, all of them integral',
      });
    });

    it('keeps the three counts the package kept, and says the 4-hour figure is computed from them', () => {
      expect(new Set(read.batch.measurements.map((m) => m.indicatorCode))).toEqual(
        new Set(['ae-4-hours', 'ae-4-hours-type-1', 'ae-attendances', 'ae-emergency-admissions']),
      );
      expect(
        read.notes.some(
          (n) =>
            n.startsWith('Only three counts are kept by the NHSRdatasets tidying') &&
            n.includes("not NHS England's headline percentage"),
        ),
      ).toBe(true);
    });

    it('refuses the binary .rda, asking for the CSV, and says it is not read', () => {
      const rda = {
        name: 'raw/ae_attendances.rda',
        bytes: readFileSync(join(FOLDER, 'raw/ae_attendances.rda')),
      };
      const result = aeAttendancesSource.read([rda, ...realFiles], { today: TODAY });
      expect(result.batch.problems.map((p) => result.origins.locate(p))).toEqual([
        expect.objectContaining({
          file: 'raw/ae_attendances.rda',
          line: 1,
          field: 'file',
          value: 'raw/ae_attendances.rda',
          rule: `is R's binary serialisation, which is not read: give ${CSV}, the same table as CSV`,
        }),
      ]);
      expect(aeAttendancesSource.files(FOLDER)).toEqual([CSV]);
      expect(read.notes).toContain(
        `raw/ae_attendances.rda is not read: it is R's binary serialisation of the same table, which ${CSV} holds as CSV.`,
      );
      expect(onlyProblem([])).toMatchObject({
        file: CSV,
        field: 'file',
        value: CSV,
        rule: expect.stringContaining('is missing'),
      });
    });
  });

  it('gives 8J094, whose code starts with a digit, the id ods-8j094 and reports each of its 26 cells as a repair', () => {
    const lines = raw.filter((r) => r.code === '8J094').map((r) => r.line);
    expect(lines).toHaveLength(26);
    expect(read.repairs.map((r) => r.line)).toEqual(lines);
    expect(
      read.repairs.every(
        (r) =>
          r.file === CSV &&
          r.field === 'org_code' &&
          r.value === '8J094' &&
          r.repaired === 'ods-8j094',
      ),
    ).toBe(true);
    expect(read.organisations.find((o) => o.code === '8J094')!.id).toBe('ods-8j094');
  });

  it('refuses an unknown department type, a month after today, a period not on the first of a month and a count that is not a number', () => {
    expect(onlyProblem(fixture('2018-04-01,RF4,3,10,0,0'))).toMatchObject({
      line: 2,
      field: 'type',
      value: '3',
      rule: 'must be a department type: 1, 2, other',
    });
    expect(onlyProblem(fixture('2026-01-01,RF4,1,10,0,0'))).toMatchObject({
      line: 2,
      field: 'period',
      value: '2026-01-01',
      rule: expect.stringContaining('is in the future'),
    });
    expect(onlyProblem(fixture('2018-04-15,RF4,1,10,0,0'))).toMatchObject({
      line: 2,
      field: 'period',
      value: '2018-04-15',
      rule: expect.stringContaining('must be the first day of a month'),
    });
    expect(onlyProblem(fixture('2018-04-01,RF4,1,10,n/a,0'))).toMatchObject({
      line: 2,
      field: 'breaches',
      value: 'n/a',
      rule: expect.stringContaining('must be a number'),
    });
  });

  it('refuses the real file with one row of breaches above attendances inserted, naming file, line, field, value and rule', () => {
    const lines = text.split('\n');
    lines.splice(6000, 0, '2018-10-01,RXX,1,100,120,30');
    const result = aeAttendancesSource.read([{ name: CSV, bytes: Buffer.from(lines.join('\n')) }], {
      today: TODAY,
    });
    expect(result.batch.problems.map((p) => result.origins.locate(p))).toEqual([
      expect.objectContaining({
        file: CSV,
        line: 6001,
        field: 'breaches',
        value: 120,
        rule: 'must not be above attendances (100): a breach is an attendance of more than 4 hours (PROVENANCE: no row has more)',
      }),
    ]);
  });

  it('emits only records the hub accepts: measurements, periods, indicator codes, organisation ids and rows', () => {
    const units = new Map(
      read.batch.indicators.map((i) => [`${i.organisation}|${i.code}`, i.unit as Unit]),
    );
    const failures = read.batch.measurements.flatMap((m) => {
      const unit = units.get(`${m.organisation}|${m.indicatorCode}`);
      if (!unit) return [`no indicator ${m.indicatorCode} for ${m.organisation}`];
      const checked = checkMeasurement(
        {
          indicatorId: m.indicatorCode,
          serviceId: m.serviceId,
          period: m.period,
          value: m.value,
          numerator: m.numerator,
          denominator: m.denominator,
        },
        unit,
      );
      if (!checked.ok)
        return checked.problems.map((p) => `${m.organisation} ${m.period}: ${p.field} ${p.rule}`);
      const rule = periodRule(checked.period, Frequency.MONTHLY, TODAY);
      return rule ? [rule] : [];
    });
    expect(failures).toEqual([]);
    expect(read.batch.targets.every((t) => parsePeriod(t.fromPeriod).label === '2016-04')).toBe(
      true,
    );
    expect(
      read.batch.indicators.every((i) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(i.code)),
    ).toBe(true);
    expect(read.organisations.every((o) => /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(o.id))).toBe(true);
    const ids = new Set(read.organisations.map((o) => o.id));
    const records = [
      ...read.batch.measurements,
      ...read.batch.indicators,
      ...read.batch.targets,
      ...read.batch.services!,
    ];
    expect(
      records.every((r) => ids.has(r.organisation!) && read.origins.of(r.row!) !== undefined),
    ).toBe(true);
    // Each measurement's row is the line it was read from.
    const byLine = new Map(raw.map((r) => [r.line, r]));
    expect(
      read.batch.measurements.every(
        (m) => byLine.get(read.origins.of(m.row!)!.line)!.month === m.period,
      ),
    ).toBe(true);
  });
});
