import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Frequency, parsePeriod, valueRule } from '@crossgov/schema';
import { checkMeasurement, periodRule } from '../../indicator/measurement.rules.ts';
import { type SourceFile, type SourceRead, hasPublicData, publicDataDir } from '../source.ts';
import { lgbfSource, peerGroupFor } from './read.ts';

// The LGBF adapter against the published files. The raw files are read here by a reader of the
// test's own (the figures file has no quotes, so a line split on commas is its records; the
// catalogue's multi-line cells go through csv-parse), and what the adapter produced is compared
// with what they say.

const DIR = join(publicDataDir(), 'scotland-lgbf');
const TODAY = '2025-06-01';
const FIGURES = 'raw/LGBF_ScotDataReal_ISSpatialHub.csv';
const MISSING = 'raw/MissingData_Real.csv';
const CATALOGUE = 'raw/Indicator Information.csv';
const GROUPS = 'raw/Family Groups.csv';
const CODE_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_RULE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const available = hasPublicData();
const bytes = (name: string) => readFileSync(join(DIR, name));
const files: SourceFile[] = available
  ? lgbfSource.files(DIR).map((name) => ({ name, bytes: bytes(name) }))
  : [];
const read: SourceRead = available
  ? lgbfSource.read(files, { today: TODAY })
  : (undefined as never);

// ---------------------------------------------------------------------------------------------
// The test's own reading of the raw files.

interface RawRow {
  line: number;
  code: string;
  council: string;
  year: string;
  value: string;
  numerator: string;
  denominator: string;
  scotland: string;
  scotlandNumerator: string;
  scotlandDenominator: string;
  familyGroup: string;
}

const figuresText = available ? bytes(FIGURES).toString('utf8') : '';
const rawLines = figuresText.split('\n');
const raw: RawRow[] = rawLines
  .map((text, index) => ({ text, line: index + 1 }))
  .slice(1)
  .map(({ text, line }) => {
    const c = text.split(',');
    return {
      line,
      code: c[1]!,
      council: c[2]!,
      year: c[3]!,
      value: c[4]!,
      numerator: c[5]!,
      denominator: c[6]!,
      scotland: c[7]!,
      scotlandNumerator: c[8]!,
      scotlandDenominator: c[9]!,
      familyGroup: c[13]!,
    };
  })
  .filter((row) => row.code !== undefined && row.code !== '');
const catalogue = available
  ? (parse(bytes(CATALOGUE), { bom: true, columns: true }) as Record<string, string>[])
  : [];
const infoOf = new Map(catalogue.map((row) => [row.Code!, row]));
const groupRows = available
  ? (parse(bytes(GROUPS), { bom: true, columns: true }) as Record<string, string>[])
  : [];
const failReferences = available
  ? (parse(bytes('raw/Numerator Denominator Fail References.csv'), {
      bom: true,
      columns: true,
    }) as Record<string, string>[])
  : [];

const hubCode = (code: string) => code.replace('&', 'and');
const hubPeriod = (year: string) => {
  const first = Number(year.slice(0, 4));
  const last = 2000 + Number(year.slice(5));
  const fy = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
  return last - first === 1 ? fy(first) : `${fy(first)}-${fy(last - 1)}`;
};
const multiplier = (text: string | undefined) => (text ? Number(text) : 1);
const parts = (row: RawRow) => {
  const info = infoOf.get(row.code)!;
  return {
    numerator: Number(row.numerator) * multiplier(info.Numerator_Multipier),
    denominator: Number(row.denominator) * multiplier(info.Denominator_Multiplier),
  };
};
const hasParts = (row: RawRow) => row.numerator !== '' && row.denominator !== '';
const within = (a: number, b: number, tolerance: number) =>
  Math.abs(a - b) <= tolerance * Math.abs(b);
const mode = (values: string[]) =>
  [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort(
    (a, b) => b[1] - a[1],
  )[0]![0];

/** (indicator, year) groups of the raw file: the 32 council rows. */
const groups = new Map<string, RawRow[]>();
for (const row of raw)
  groups.set(`${row.code} ${row.year}`, [...(groups.get(`${row.code} ${row.year}`) ?? []), row]);
const complete = [...groups].filter(([, rows]) => rows.length === 32 && rows.every(hasParts));

// What the adapter emitted, located.
const unitOf = new Map(available ? read.batch.indicators.map((d) => [d.code, d.unit!]) : []);
const lineOf = (row: number) => read.origins.of(row)!.line;
const fileOf = (row: number) => read.origins.of(row)!.file;
const measurementAt = new Map(
  available
    ? read.batch.measurements
        .filter((m) => fileOf(m.row) === FIGURES)
        .map((m) => [lineOf(m.row), m])
    : [],
);
type Parts = { value: number; numerator: number; denominator: number };
const partsNotTaken = new Map(
  available
    ? read.notTaken
        .filter((n) => typeof n.value === 'object' && n.value !== null && 'numerator' in n.value)
        .map((n) => [n.line, n.value as Parts])
    : [],
);

/** A copy of a raw file with `line` (1-based) replaced or a line inserted before it. */
const edited = (text: string, line: number, insert: string, replace = false) => {
  const lines = text.split('\n');
  lines.splice(line - 1, replace ? 1 : 0, ...(insert === '' && replace ? [] : [insert]));
  return lines.join('\n');
};
const withFiles = (changes: Record<string, string>): SourceFile[] =>
  files.map((f) =>
    changes[f.name] !== undefined ? { name: f.name, bytes: Buffer.from(changes[f.name]!) } : f,
  );
/** The first `count` data lines of the figures file (all of C&L01 and part of C&L02), for fixtures that need no more. */
const excerpt = (count: number) => rawLines.slice(0, count + 1).join('\n') + '\n';
const missingHeader = 'DataType,Code,LocalAuthority,Period,Value,Numerator,Denominator\n';
const located = (r: SourceRead) =>
  r.batch.problems.map((p) => ({
    ...r.origins.of(p.row)!,
    field: p.field,
    value: p.value,
    rule: p.rule,
  }));

describe.skipIf(!available)(
  'scotland-lgbf: the Local Government Benchmarking Framework as the Improvement Service publishes it',
  () => {
    it('lists its four files, not the cash-terms file or the copy author notes, and says why', () => {
      expect(lgbfSource.files(DIR)).toEqual([FIGURES, MISSING, CATALOGUE, GROUPS]);
      expect(lgbfSource.publisher).toEqual({
        id: 'improvement-service',
        name: 'Improvement Service',
        typeName: 'ScottishCouncil',
      });
      expect(read.notes[0]).toMatch(
        /LGBF_ScotDataCash_ISSpatialHub\.csv \(cash terms: real terms are the LGBF's headline figures, and the cash file lacks 6 indicators and has 780 blank values\)/,
      );
    });

    it('reads 35,466 figures of 108 indicators for 32 councils, 2010-11 to 2023-24, with no problem', () => {
      expect(raw).toHaveLength(35_466);
      expect(catalogue).toHaveLength(108);
      expect(read.batch.problems).toEqual([]);
      expect(read.batch.measurements).toHaveLength(raw.length);
      expect(read.batch.rows).toBe(35_466 + 1_888);
      expect(new Set(read.batch.measurements.map((m) => m.organisation)).size).toBe(32);
      expect(new Set(read.batch.measurements.map((m) => m.indicatorCode)).size).toBe(108);
      expect(read.batch.indicators).toHaveLength(32 * 108);
      expect(read.organisations).toHaveLength(32);
      // Each indicator's values sum to the raw file's (x 100 for percentages published as fractions of one).
      for (const info of catalogue) {
        const rows = raw.filter((r) => r.code === info.Code);
        const rawSum = rows.reduce((s, r) => s + Number(r.value), 0);
        const fraction =
          info.MeasureType === 'Percentage' &&
          rows.every((r) => Number(r.value) >= 0 && Number(r.value) <= 1);
        const sum = read.batch.measurements
          .filter((m) => m.indicatorCode === hubCode(info.Code!))
          .reduce((s, m) => s + m.value!, 0);
        expect(within(sum, rawSum * (fraction ? 100 : 1), 1e-9), info.Code).toBe(true);
      }
      // PROVENANCE: indicators grow from 43 (2010-11) to 93; 2022-23 has 71, 2023-24 only 6.
      const perYear = (period: string) =>
        new Set(
          read.batch.measurements.filter((m) => m.period === period).map((m) => m.indicatorCode),
        ).size;
      expect([
        perYear('2010/11'),
        perYear('2018/19'),
        perYear('2019/20'),
        perYear('2020/21'),
        perYear('2021/22'),
        perYear('2022/23'),
        perYear('2023/24'),
      ]).toEqual([43, 93, 89, 93, 93, 71, 6]);
    });

    it('the published Scotland figure is the ratio of summed council numerators to denominators in 469 of 483 complete groups, the mean of the 32 values in only 91', () => {
      expect(complete).toHaveLength(483);
      const ratioOfSums: string[] = [];
      let mean = 0;
      const differing: Record<string, string> = {};
      for (const [key, rows] of complete) {
        const published = Number(mode(rows.map((r) => r.scotland)));
        const sums = rows.map(parts).reduce(
          (s, p) => ({
            numerator: s.numerator + p.numerator,
            denominator: s.denominator + p.denominator,
          }),
          { numerator: 0, denominator: 0 },
        );
        if (within(sums.numerator / sums.denominator, published, 0.01)) ratioOfSums.push(key);
        else {
          const [code] = key.split(' ');
          const scotland = {
            numerator: Number(rows[0]!.scotlandNumerator),
            denominator: Number(rows[0]!.scotlandDenominator),
          };
          const councilsSum = rows.reduce(
            (s, r) => ({
              numerator: s.numerator + Number(r.numerator),
              denominator: s.denominator + Number(r.denominator),
            }),
            {
              numerator: 0,
              denominator: 0,
            },
          );
          differing[key] =
            code === 'CORP03c'
              ? 'not a ratio'
              : within(scotland.numerator, councilsSum.numerator, 1e-6) &&
                  within(scotland.denominator, councilsSum.denominator, 1e-6)
                ? `published value rounded (${published} for ${(sums.numerator / sums.denominator).toFixed(4)})`
                : 'Scotland totals are not the councils sums';
        }
        if (within(rows.reduce((s, r) => s + Number(r.value), 0) / 32, published, 0.01)) mean += 1;
      }
      expect(ratioOfSums).toHaveLength(469);
      expect(mean).toBe(91);
      expect(differing).toEqual({
        'CORP-ASSET01 2011-12': 'Scotland totals are not the councils sums',
        'CORP-ASSET01 2012-13': 'Scotland totals are not the councils sums',
        'CORP-ASSET02 2011-12': 'Scotland totals are not the councils sums',
        'CORP03c 2016-17': 'not a ratio',
        'CORP03c 2017-18': 'not a ratio',
        'CORP03c 2018-19': 'not a ratio',
        'CORP03c 2019-20': 'not a ratio',
        'CORP03c 2020-21': 'not a ratio',
        'CORP03c 2021-22': 'not a ratio',
        'CORP03c 2022-23': 'not a ratio',
        'CORP11 2022-23': 'published value rounded (1.3 for 1.3175)',
        'SW01 2018-19': 'Scotland totals are not the councils sums',
        'SW02 2017-18': 'Scotland totals are not the councils sums',
        'SW05 2018-19': 'Scotland totals are not the councils sums',
      });
      // The Scotland figure is not the same on every council row of four groups (the mode is taken above).
      expect(
        complete
          .filter(([, rows]) => new Set(rows.map((r) => r.scotland)).size > 1)
          .map(([key]) => key),
      ).toEqual(['CORP09 2022-23', 'CORP10 2022-23', 'SW08 2022-23', 'SW08 2023-24']);
    });

    it("the adapter's figures give the published Scotland figure as a ratio of sums in the same 469 groups (447 of them from the parts the hub accepts alone)", () => {
      const expected = new Set(
        complete
          .filter(([, rows]) => {
            const sums = rows
              .map(parts)
              .reduce((s, p) => ({ n: s.n + p.numerator, d: s.d + p.denominator }), { n: 0, d: 0 });
            return within(sums.n / sums.d, Number(mode(rows.map((r) => r.scotland))), 0.01);
          })
          .map(([key]) => key),
      );
      const published = new Map(
        complete.map(([key, rows]) => [
          `${hubCode(key.split(' ')[0]!)} ${hubPeriod(key.split(' ')[1]!)}`,
          { key, scotland: Number(mode(rows.map((r) => r.scotland))) },
        ]),
      );
      const sums = new Map<string, { n: number; d: number; count: number; accepted: number }>();
      for (const m of read.batch.measurements) {
        const line = lineOf(m.row);
        const p =
          m.numerator != null
            ? { numerator: m.numerator, denominator: m.denominator! }
            : partsNotTaken.get(line);
        const key = `${m.indicatorCode} ${m.period}`;
        const s = sums.get(key) ?? { n: 0, d: 0, count: 0, accepted: 0 };
        if (p)
          Object.assign(s, { n: s.n + p.numerator, d: s.d + p.denominator, count: s.count + 1 });
        if (m.numerator != null) s.accepted += 1;
        sums.set(key, s);
      }
      const matching = new Set<string>();
      const fromAccepted = { complete: 0, matching: 0, other: [] as string[] };
      const acceptedWhole = new Set<string>();
      for (const [key, s] of sums) {
        if (s.count !== 32) continue;
        // A percentage's parts give its fraction of one, as the Scotland figure is published.
        const target = published.get(key)!;
        const agrees = within(s.n / s.d, target.scotland, 0.01);
        if (agrees) matching.add(target.key);
        if (s.accepted === 32) {
          acceptedWhole.add(target.key);
          fromAccepted.complete += 1;
          if (agrees) fromAccepted.matching += 1;
          else fromAccepted.other.push(target.key);
        }
      }
      expect(matching).toEqual(expected);
      // From the parts the hub accepts alone (within the 2% every LGBF indicator allows), 454 groups are
      // complete, and give the published Scotland figure in 447: the seven others are seven of the 14
      // the publisher did not compute as a ratio of the councils' sums (the test above).
      expect(fromAccepted).toEqual({
        complete: 454,
        matching: 447,
        other: [
          'CORP-ASSET01 2011-12',
          'CORP-ASSET01 2012-13',
          'CORP-ASSET02 2011-12',
          'SW01 2018-19',
          'SW02 2017-18',
          'SW05 2018-19',
          'CORP11 2022-23',
        ],
      });
      // The other 22 of the 469 lack one council's parts: its value contradicts them by more than 2%
      // (PROVENANCE's contradictions), so the hub keeps its value and no ratio of sums for that year.
      expect([...expected].filter((key) => !acceptedWhole.has(key)).sort()).toEqual([
        'CORP09 2020-21',
        'CORP09 2021-22',
        'CORP09 2023-24',
        'CORP10 2018-19',
        'CORP10 2020-21',
        'CORP10 2022-23',
        'ECON01 2021-22',
        'ECON12a 2010-11',
        'ECON12a 2011-12',
        'ECON12a 2012-13',
        'ECON12a 2013-14',
        'ECON12a 2014-15',
        'ECON12a 2015-16',
        'ECON12a 2016-17',
        'ECON12a 2017-18',
        'ECON12a 2018-19',
        'ECON12a 2019-20',
        'ECON12a 2023-24',
        'ECON12b 2010-11',
        'ECON12b 2014-15',
        'FINSUS05 2015-16',
        'FINSUS05 2016-17',
      ]);
    });

    it('names the 32 councils by the Improvement Service names, with ids of lower-case words and & as "and"', () => {
      const councils = new Set(raw.map((r) => r.council));
      expect(councils.size).toBe(32);
      expect(read.organisations.map((o) => o.code).sort()).toEqual([...councils].sort());
      const byCode = new Map(read.organisations.map((o) => [o.code, o]));
      expect(
        [
          'Edinburgh City',
          'Argyll & Bute',
          'Eilean Siar',
          'Perth & Kinross',
          'Dumfries & Galloway',
        ].map((name) => byCode.get(name)!.id),
      ).toEqual([
        'edinburgh-city',
        'argyll-and-bute',
        'eilean-siar',
        'perth-and-kinross',
        'dumfries-and-galloway',
      ]);
      for (const o of read.organisations) {
        expect(o).toMatchObject({ name: o.code, kind: 'LOCAL_AUTHORITY' });
        expect(o.id).toMatch(ID_RULE);
      }
    });

    it('puts every council in exactly one family group of each scheme, eight to a group', () => {
      for (const type of new Set(groupRows.map((g) => g.Type!))) {
        const rows = groupRows.filter((g) => g.Type === type);
        expect(rows.map((g) => g.Local_Authority).sort()).toEqual(
          [...new Set(raw.map((r) => r.council))].sort(),
        );
        expect([
          ...rows
            .reduce(
              (m, g) => m.set(g.Family_Group!, (m.get(g.Family_Group!) ?? 0) + 1),
              new Map<string, number>(),
            )
            .values(),
        ]).toEqual([8, 8, 8, 8]);
      }
      for (const o of read.organisations) {
        expect(o.peerGroups).toHaveLength(2);
        expect(
          o.peerGroups!.filter((g) => g.startsWith('LGBF family group: People services, ')),
        ).toHaveLength(1);
        expect(
          o.peerGroups!.filter((g) =>
            g.startsWith('LGBF family group: Place and corporate services, '),
          ),
        ).toHaveLength(1);
      }
      const eileanSiar = read.organisations.find((o) => o.code === 'Eilean Siar')!;
      expect(eileanSiar.peerGroups).toEqual([
        'LGBF family group: People services, 4 (most deprived)',
        'LGBF family group: Place and corporate services, 1 (rural)',
      ]);
      expect(read.organisations.find((o) => o.code === 'Stirling')!.peerGroups).toEqual([
        'LGBF family group: People services, 2',
        'LGBF family group: Place and corporate services, 2',
      ]);
    });

    it("peerGroupFor gives a council's family group in the scheme its indicator is compared in, as every row's FamilyGroup writes it", () => {
      const byName = new Map(read.organisations.map((o) => [o.code, o]));
      const eileanSiar = byName.get('Eilean Siar')!;
      expect(peerGroupFor(eileanSiar, 'CHN04')).toBe(
        'LGBF family group: People services, 4 (most deprived)',
      );
      expect(peerGroupFor(eileanSiar, 'ENV06')).toBe(
        'LGBF family group: Place and corporate services, 1 (rural)',
      );
      expect(peerGroupFor(eileanSiar, 'CandL01')).toBe(peerGroupFor(eileanSiar, 'C&L01'));
      expect(peerGroupFor(eileanSiar, 'CHN01')).toBe(
        'LGBF family group: Place and corporate services, 1 (rural)',
      );
      expect(peerGroupFor(eileanSiar, 'NOT-LGBF')).toBeNull();
      expect(peerGroupFor({ peerGroups: [] }, 'CHN04')).toBeNull();
      // The group peerGroupFor names (its number, or its name in brackets) is what the figures file writes, on all 35,466 rows.
      const wrong = raw.filter((row) => {
        const group = peerGroupFor(byName.get(row.council)!, row.code);
        const [, number, name] = /, (\d)(?: \((.+)\))?$/.exec(group ?? '') ?? [];
        return !(row.familyGroup === number || row.familyGroup.toLowerCase() === name);
      });
      expect(wrong).toEqual([]);
    });

    it('PROVENANCE: FamilyGroup mixes names and numbers; the figures decide the scheme, which differs from Indicator Information for 17 indicators', () => {
      expect(new Set(raw.map((r) => r.familyGroup))).toEqual(
        new Set(['Urban', 'Rural', 'Most Deprived', 'Least Deprived', '2', '3']),
      );
      const codeAtLine = new Map([...catalogueLines()].map(([code, line]) => [line, code]));
      const repaired = read.repairs.filter((r) => r.field === 'FamilyGrouping');
      expect(repaired.map((r) => codeAtLine.get(r.line)).sort()).toEqual(
        [
          'CHN01',
          'CHN02',
          'CORP04',
          'CORP07',
          'CORP09',
          'CORP10',
          'CORP11',
          'CORP12',
          'ECON01',
          'ECON07',
          'ECON09',
          'ECON12a',
          'ECON12b',
          'ENV03a',
          'ENV03c',
          'ENV07b',
          'SW02',
        ].sort(),
      );
      expect(read.batch.indicators.find((d) => d.code === 'CHN01')!.definition).toMatch(
        /Compared within LGBF family groups for place and corporate services/,
      );
      expect(read.batch.indicators.find((d) => d.code === 'CHN04')!.definition).toMatch(
        /Compared within LGBF family groups for people services/,
      );
      expect(read.notes.some((n) => n.includes('peerGroupFor'))).toBe(false);
    });

    it('Goldilocks indicators are CLOSEST_TO_TARGET, with the published mid-point as the target from their first year', () => {
      const goldilocks = catalogue
        .filter((c) => c.Ranking_Type === 'Goldilocks')
        .map((c) => c.Code);
      expect(goldilocks).toEqual(['CORP03b', 'CORP03c', 'CORP11', 'CORP12']);
      for (const code of goldilocks) {
        const definitions = read.batch.indicators.filter((d) => d.code === code);
        expect(new Set(definitions.map((d) => d.polarity))).toEqual(new Set(['CLOSEST_TO_TARGET']));
        const targets = read.batch.targets.filter((t) => t.indicatorCode === code);
        expect(targets).toHaveLength(32);
        const midpoint = Number(infoOf.get(code!)!.Ranking_GoldilocksMidpoint);
        // CORP03b is a PERCENT (its mid-point 0.5, like its values, a fraction of one); the others RATIOs as written.
        expect(new Set(targets.map((t) => t.value))).toEqual(
          new Set([unitOf.get(code!) === 'PERCENT' ? midpoint * 100 : midpoint]),
        );
        const first = raw
          .filter((r) => r.code === code)
          .map((r) => r.year)
          .sort()[0]!;
        expect(new Set(targets.map((t) => t.fromPeriod))).toEqual(new Set([hubPeriod(first)]));
      }
      expect(
        read.batch.targets
          .map((t) => `${t.indicatorCode} ${t.value}`)
          .filter((v, i, all) => all.indexOf(v) === i),
      ).toEqual(['CORP03b 50', 'CORP03c 0', 'CORP11 1', 'CORP12 1']);
      expect(
        read.batch.indicators.filter((d) => d.polarity === 'SMALLER_IS_BETTER').length / 32,
      ).toBe(catalogue.filter((c) => c.Ranking_Type === 'Ascending').length);
    });

    it('reads percentages published as fractions of one as 0-100, percentage points as written, and proportions beyond 0-1 as RATIOs', () => {
      const units = [...unitOf].reduce(
        (m, [code, unit]) => m.set(unit, [...(m.get(unit) ?? []), code]),
        new Map<string, string[]>(),
      );
      expect(Object.fromEntries([...units].map(([unit, codes]) => [unit, codes.length]))).toEqual({
        CURRENCY: 22,
        PERCENT: 61,
        RATIO: 19,
        SCORE: 6,
      });
      const percentages = catalogue
        .filter((c) => c.MeasureType === 'Percentage')
        .map((c) => c.Code!);
      expect(percentages.filter((code) => unitOf.get(code) === 'RATIO').sort()).toEqual([
        'CORP03c',
        'CORP11',
        'CORP12',
        'FINSUS01',
        'FINSUS05',
      ]);
      for (const code of ['CHN14a', 'CHN14b']) {
        expect(
          Math.min(...raw.filter((r) => r.code === code).map((r) => Number(r.value))),
        ).toBeGreaterThan(1);
        expect(read.batch.indicators.find((d) => d.code === code)).toMatchObject({
          unit: 'PERCENT',
        });
      }
      // Costs are CURRENCY; tariff scores SCORE; days, weeks, rates and tonnes of CO2 a head RATIOs.
      expect(
        catalogue
          .filter((c) => c.MeasureType === 'Cost')
          .every((c) => unitOf.get(hubCode(c.Code!)) === 'CURRENCY'),
      ).toBe(true);
      expect(
        catalogue
          .filter((c) => c.MeasureType === 'Score')
          .every((c) => unitOf.get(c.Code!) === 'SCORE'),
      ).toBe(true);
      expect(
        catalogue
          .filter((c) =>
            ['Days', 'Weeks', 'Rate per 1,000', 'Rate per 10,000', 'Other Measurement'].includes(
              c.MeasureType!,
            ),
          )
          .every((c) => unitOf.get(c.Code!) === 'RATIO'),
      ).toBe(true);
      // One repair per fraction-of-one indicator, not one per cell.
      expect(read.repairs.filter((r) => r.field === 'LA_IndicatorReal')).toHaveLength(
        percentages.length - 7,
      );
      const corp08 = raw.find(
        (r) => r.code === 'CORP08' && r.council === 'Aberdeen City' && r.year === '2010-11',
      )!;
      expect(corp08).toMatchObject({
        value: '0.8399',
        numerator: '78036.0',
        denominator: '92907.0',
      });
      expect(measurementAt.get(corp08.line)).toMatchObject({
        indicatorCode: 'CORP08',
        value: 83.99,
        numerator: 78_036,
        denominator: 92_907,
      });
    });

    it('PROVENANCE: numerator and denominator are on 17,498 of the 35,466 rows (50 indicators); every one is taken or reported', () => {
      const withParts = raw.filter(hasParts);
      expect(withParts).toHaveLength(17_498);
      expect(new Set(withParts.map((r) => r.code)).size).toBe(50);
      const taken = read.batch.measurements.filter((m) => m.numerator != null).length;
      const corp03c = read.notTaken.find(
        (n) =>
          n.field === 'LA_Numerator_real, LA_Den_Real' &&
          (n.value as { rows?: number }).rows !== undefined,
      )!;
      expect(taken + partsNotTaken.size + (corp03c.value as { rows: number }).rows).toBe(17_498);
      expect([taken, partsNotTaken.size]).toEqual([17_122, 122]);
    });

    it('PROVENANCE: numerators in GBP 000 and rates per 1,000 are read with their multipliers, one repair per indicator, and no further constant is needed', () => {
      for (const code of new Set(raw.filter(hasParts).map((r) => r.code))) {
        if (code === 'CORP03c') continue;
        const quotients = raw
          .filter((r) => r.code === code && hasParts(r) && Number(r.numerator) > 0)
          .map((r) => Number(r.value) / (parts(r).numerator / parts(r).denominator));
        const median = quotients.sort((a, b) => a - b)[quotients.length >> 1]!;
        expect(within(median, 1, 0.02), code).toBe(true);
      }
      const numerators = read.repairs.filter((r) => r.field === 'LA_Numerator_real');
      const denominators = read.repairs.filter((r) => r.field === 'LA_Den_Real');
      const scaledNumerators = catalogue.filter(
        (c) =>
          multiplier(c.Numerator_Multipier) !== 1 &&
          c.Code !== 'CORP03c' &&
          raw.some((r) => r.code === c.Code && hasParts(r)),
      );
      expect(numerators).toHaveLength(scaledNumerators.length);
      expect(denominators.map((r) => raw.find((x) => x.line === r.line)!.code).sort()).toEqual([
        'C&L04',
        'ECON05',
        'ECON06',
        'ENV03a',
        'ENV05',
        'ENV05a',
        'ENV05b',
        'FINSUS05',
        'SW06',
        'SW08',
      ]);
      expect(numerators.find((r) => r.line === 2)).toMatchObject({
        value: '830.9841',
        repaired: 830_984.1,
      });
      expect(read.batch.measurements.find((m) => lineOf(m.row) === 1207)).toMatchObject({
        indicatorCode: 'CandL04',
        numerator: 6_064_748.9,
        denominator: 217.12,
      });
      expect(read.notes.find((n) => n.startsWith('Value against'))).toMatch(
        /Constants beyond the multipliers \(numerators multiplied\): none\./,
      );
    });

    it('finds a constant beyond the multipliers from the figures and multiplies the numerators by it, said once (C&L01 with its multiplier of 1000 taken away)', () => {
      const catalogueText = bytes(CATALOGUE).toString('utf8');
      const line = catalogueText.split('\n')[32]!;
      expect(line).toMatch(/^Cost per Attendance at Sports Facilities,C&L01,.*,1000\.0,1\.0,/);
      const r = lgbfSource.read(
        withFiles({
          [FIGURES]: excerpt(40),
          [MISSING]: missingHeader,
          [CATALOGUE]: edited(catalogueText, 33, line.replace(',1000.0,1.0,', ',1.0,1.0,'), true),
        }),
        { today: TODAY },
      );
      expect(r.batch.problems).toEqual([]);
      expect(r.repairs.filter((x) => x.field === 'LA_Numerator_real' && x.line === 2)).toEqual([
        {
          file: FIGURES,
          line: 2,
          field: 'LA_Numerator_real',
          value: '830.9841',
          repaired: 830_984.1,
          rule: "C&L01's numerators are read times 1000 (the value is 1000 x numerator / denominator in every figure; a constant factor leaves a ratio of sums unchanged), so that value = numerator / denominator (one repair for the indicator's 40 numerators)",
        },
      ]);
      expect(r.notes.find((n) => n.startsWith('Value against'))).toMatch(
        /Constants beyond the multipliers \(numerators multiplied\): C&L01 x 1000\./,
      );
      const cl01 = (x: SourceRead, at: (row: number) => number) =>
        x.batch.measurements
          .filter((m) => m.indicatorCode === 'CandL01' && at(m.row) <= 41)
          .map((m) => [m.value, m.numerator, m.denominator]);
      expect(cl01(r, (row) => r.origins.of(row)!.line)).toEqual(cl01(read, lineOf));
    });

    it("PROVENANCE: 399 rows more than 2% from numerator / denominator (400 with ECON01's, as the copy's Fail References list them): CORP03c values alone, 121 with their parts not taken, 25 the hub's rounding and 2% allowance explain", () => {
      const off = raw.filter(
        (r) =>
          hasParts(r) && !within(Number(r.value), parts(r).numerator / parts(r).denominator, 0.02),
      );
      const counts = off.reduce(
        (m, r) => m.set(r.code, (m.get(r.code) ?? 0) + 1),
        new Map<string, number>(),
      );
      expect(Object.fromEntries(counts)).toEqual({
        'C&L03': 4,
        CLIM05: 45,
        CORP03c: 254,
        CORP09: 10,
        CORP10: 15,
        ECON01: 1,
        ECON12a: 56,
        ECON12b: 13,
        FINSUS05: 2,
      });
      const referenced = new Set(
        failReferences
          .filter((f) => f.Type === 'Real_Annual')
          .map((f) => `${f.Code!.replace(' ', '')} ${f['Local Authority']} ${f.Period}`),
      );
      expect(new Set(off.map((r) => `${r.code} ${r.council} ${r.year}`))).toEqual(referenced);
      const notCorp03c = off.filter((r) => r.code !== 'CORP03c');
      const withoutParts = notCorp03c.filter((r) => partsNotTaken.has(r.line));
      expect(withoutParts).toHaveLength(121);
      for (const r of withoutParts)
        expect(measurementAt.get(r.line)).toMatchObject({ value: expect.any(Number) });
      expect(
        read.notTaken.filter((n) =>
          /more than the 2% PROVENANCE calls a contradiction/.test(n.rule),
        ),
      ).toHaveLength(121);
      const explained = notCorp03c.filter((r) => !partsNotTaken.has(r.line));
      // 18 the rounding of a value written to two places explains, 7 more within its rounding and the 2% every LGBF indicator allows.
      expect(
        explained
          .map(
            (r) => `${r.code} ${r.council} ${r.year}: ${r.value} ${r.numerator} ${r.denominator}`,
          )
          .sort(),
      ).toEqual([
        'C&L03 West Dunbartonshire 2022-23: 0.01 1.0 104942.0',
        'CLIM05 Renfrewshire 2018-19: 46.0 7967.36 177790.0',
        'CLIM05 West Dunbartonshire 2017-18: 56.0 4885.42 89610.0',
        'CORP09 Orkney Islands 2018-19: 0.975 80.0 85.0',
        'CORP09 Shetland Islands 2018-19: 0.7025 120.0 175.0',
        'CORP09 Shetland Islands 2019-20: 0.5525 120.0 225.0',
        'CORP09 Shetland Islands 2021-22: 0.73 90.0 130.0',
        'CORP09 Shetland Islands 2022-23: 0.6925 95.0 140.0',
        'CORP09 Shetland Islands 2023-24: 1.0 10.0 15.0',
        'CORP10 Eilean Siar 2018-19: 0.99 90.0 95.0',
        'CORP10 Eilean Siar 2019-20: 0.945 100.0 100.0',
        'CORP10 Eilean Siar 2021-22: 0.9875 145.0 150.0',
        'CORP10 Eilean Siar 2022-23: 0.9775 150.0 150.0',
        'CORP10 Orkney Islands 2018-19: 0.7025 55.0 80.0',
        'CORP10 Orkney Islands 2019-20: 0.9025 70.0 80.0',
        'CORP10 Orkney Islands 2020-21: 0.975 120.0 130.0',
        'CORP10 Shetland Islands 2019-20: 0.8175 90.0 115.0',
        'CORP10 Shetland Islands 2021-22: 0.7375 85.0 120.0',
        'CORP10 Shetland Islands 2022-23: 0.67 75.0 115.0',
        'ECON12a Aberdeenshire 2019-20: 0.017416667 2800.0 164167.0',
        'ECON12a Eilean Siar 2011-12: 0.03 509.1666667 16618.0',
        'ECON12a Eilean Siar 2016-17: 0.02 318.3333333 15455.0',
        'ECON12a Perth & Kinross 2015-16: 0.01125 1042.916667 95000.0',
        'ECON12a Shetland Islands 2013-14: 0.010083333 149.5833333 14500.0',
        'ECON12b East Renfrewshire 2014-15: 0.021311143 210.0 10179.0',
      ]);
      // The copy author's example: C&L03 Argyll & Bute 2018-19, 0.0685 against 18275.5 / 289218 (GBP 000).
      expect(read.notTaken.find((n) => n.line === 881)).toMatchObject({
        file: FIGURES,
        field: 'LA_Numerator_real, LA_Den_Real',
        value: { value: 0.0685, numerator: 18_275.5, denominator: 289_218 },
        rule: expect.stringMatching(
          /^value 0\.0685 contradicts its numerator and denominator: 18275\.5 \/ 289218 is 0\.0631894.*LA_IndicatorReal 0\.0685, LA_Numerator_real 18\.2755, LA_Den_Real 289218\.0; 8\.40433% off, more than the 2%.*the published value is taken, its numerator and denominator are not$/,
        ),
      });
      expect(measurementAt.get(881)).toEqual({
        row: expect.any(Number),
        organisation: 'argyll-and-bute',
        indicatorCode: 'CandL03',
        period: '2018/19',
        value: 0.0685,
      });
    });

    it("takes whole the figures within 2% of numerator / denominator that no rounding reconciles, as every LGBF indicator's 2% agreementTolerance allows, value and parts", () => {
      expect(new Set(read.batch.indicators.map((d) => d.agreementTolerance))).toEqual(
        new Set([0.02]),
      );
      const whole = read.batch.measurements.filter((m) => m.numerator != null);
      const byRounding = whole.filter(
        (m) =>
          checkMeasurement(
            {
              indicatorId: m.indicatorCode,
              period: m.period,
              value: m.value,
              numerator: m.numerator,
              denominator: m.denominator,
            },
            unitOf.get(m.indicatorCode) as never,
          ).ok,
      );
      const byTolerance = whole.filter(
        (m) =>
          checkMeasurement(
            {
              indicatorId: m.indicatorCode,
              period: m.period,
              value: m.value,
              numerator: m.numerator,
              denominator: m.denominator,
            },
            unitOf.get(m.indicatorCode) as never,
            { agreementTolerance: 0.02 },
          ).ok,
      );
      expect(byTolerance).toHaveLength(whole.length);
      expect(whole.length - byRounding.length).toBe(4_973);
    });

    it('PROVENANCE: CORP03c is not a ratio: its values are taken alone, said once', () => {
      const corp03c = read.notTaken.filter(
        (n) => (n.value as { indicator?: string }).indicator === 'CORP03c',
      );
      expect(corp03c).toHaveLength(1);
      expect(corp03c[0]).toMatchObject({
        field: 'LA_Numerator_real, LA_Den_Real',
        value: { indicator: 'CORP03c', rows: 254 },
        rule: expect.stringContaining('the gap between male and female hourly pay'),
      });
      const figures = read.batch.measurements.filter((m) => m.indicatorCode === 'CORP03c');
      expect(figures).toHaveLength(256);
      expect(figures.every((m) => m.numerator === undefined)).toBe(true);
      expect(figures.filter((m) => m.value! < 0)).toHaveLength(29);
      expect(read.notes.find((n) => n.startsWith('Value against'))).toMatch(
        /Not ratios at all: CORP03c \(values only\)/,
      );
    });

    it('PROVENANCE: single years and multi-year aggregates share a column; periods are financial years, aggregates FINANCIAL_YEARS, never mixed in one series', () => {
      expect(measurementAt.get(2)!.period).toBe('2010/11');
      const periodAt = (code: string, year: string) =>
        measurementAt.get(raw.find((r) => r.code === code && r.year === year)!.line)!.period;
      expect([
        periodAt('C&L05a', '2014-17'),
        periodAt('C&L05a', '2010-14'),
        periodAt('ENV04b', '2009-11'),
        periodAt('ENV04e', '2007-11'),
      ]).toEqual(['2014/15-2016/17', '2010/11-2013/14', '2009/10-2010/11', '2007/08-2010/11']);
      const labels = new Set(raw.map((r) => r.year));
      expect(labels.size).toBe(49);
      const repairs = read.repairs.filter((r) => r.field === 'Year');
      expect(repairs).toHaveLength(49);
      expect(
        repairs.reduce((s, r) => s + Number(/the label's (\d+) cells/.exec(r.rule)![1]), 0),
      ).toBe(35_466);
      const mixed = [...new Set(raw.map((r) => r.code))].filter((code) => {
        const years = raw
          .filter((r) => r.code === code)
          .map((r) => Number(r.year.slice(5)) - (Number(r.year.slice(0, 4)) % 100));
        return years.some((n) => n === 1) && years.some((n) => n > 1);
      });
      expect(mixed).toEqual([]);
      expect(read.batch.indicators.filter((d) => d.code.endsWith('-multi-year'))).toEqual([]);
      expect(read.notes.find((n) => n.startsWith('Periods:'))).toMatch(
        /97 indicators report single financial years only, 11 multi-year aggregates only .*none both/,
      );
    });

    it('keeps an indicator that has both single years and aggregates in two series: code and code-multi-year', () => {
      const text = `${excerpt(40)}${rawLines.slice(1622, 1642).join('\n')}\n99999,C&L05a,Stirling,2019-20,0.7,,,,,,,,,2\n`;
      const r = lgbfSource.read(withFiles({ [FIGURES]: text, [MISSING]: missingHeader }), {
        today: TODAY,
      });
      expect(r.batch.problems).toEqual([]);
      const stirling = r.batch.indicators.filter(
        (d) => d.organisation === 'stirling' && d.code.startsWith('CandL05a'),
      );
      expect(stirling.map((d) => [d.code, d.name])).toEqual([
        ['CandL05a', '% of Adults Satisfied with Libraries'],
        ['CandL05a-multi-year', '% of Adults Satisfied with Libraries (multi-year)'],
      ]);
      expect(
        r.batch.measurements.filter((m) => m.indicatorCode === 'CandL05a').map((m) => m.period),
      ).toEqual(['2019/20']);
      expect(
        r.batch.measurements.filter((m) => m.indicatorCode === 'CandL05a-multi-year'),
      ).toHaveLength(20);
    });

    it('PROVENANCE: the raw codes C&L01 .. C&L05d become CandL01 .. CandL05d, one repair per code', () => {
      const repairs = read.repairs.filter((r) => r.field === 'Code');
      expect(repairs.map((r) => `${String(r.value)} -> ${String(r.repaired)}`).sort()).toEqual(
        ['C&L01', 'C&L02', 'C&L03', 'C&L04', 'C&L05a', 'C&L05b', 'C&L05c', 'C&L05d'].map(
          (c) => `${c} -> ${c.replace('&', 'and')}`,
        ),
      );
      expect(repairs.every((r) => r.file === CATALOGUE)).toBe(true);
    });

    it('PROVENANCE: the pandas index column and the empty last row are not read', () => {
      expect(rawLines[35_467]).toBe('35466,,,,,,,,,,,,,');
      expect(read.notes).toContain(
        "raw/LGBF_ScotDataReal_ISSpatialHub.csv: the first column (no header) is pandas' row index and is not read; 1 empty row ignored (line 35468: the index and nothing else).",
      );
      expect([...measurementAt.keys()].every((line) => line >= 2 && line <= 35_467)).toBe(true);
    });

    it('MissingData_Real.csv: its 1,888 rows repeat main-file figures with the same numbers, so they are taken once', () => {
      const missing = (parse(bytes(MISSING), { columns: true }) as Record<string, string>[]).map(
        (m) => `${m.Code} ${m.LocalAuthority} ${m.Period}`,
      );
      expect(missing).toHaveLength(1_888);
      expect(
        missing.every((key) =>
          groups
            .get(`${key.split(' ')[0]} ${key.split(' ').slice(-1)[0]}`)!
            .some((r) => `${r.code} ${r.council} ${r.year}` === key),
        ),
      ).toBe(true);
      expect(read.batch.measurements.filter((m) => fileOf(m.row) === MISSING)).toEqual([]);
      expect(read.notes).toContain(
        "raw/MissingData_Real.csv: 1888 figures the copy's author took from the Spatial Hub annual data set for seven indicators PROVENANCE calls absent from the main file: 1888 repeat a figure of the main file with the same value, numerator and denominator (the main file already has them: taken once), 0 are taken from it alone.",
      );
    });

    it('takes a MissingData_Real.csv figure the main file lacks, and refuses one that contradicts it', () => {
      const main = excerpt(40);
      const alone = lgbfSource.read(
        withFiles({
          [FIGURES]: main,
          [MISSING]: `${missingHeader}Real,C&L01,Stirling,2023-24,5.5,110,20000\n`,
        }),
        { today: TODAY },
      );
      expect(alone.batch.problems).toEqual([]);
      const taken = alone.batch.measurements.filter(
        (m) => alone.origins.of(m.row)!.file === MISSING,
      );
      expect(taken).toEqual([
        {
          row: expect.any(Number),
          organisation: 'stirling',
          indicatorCode: 'CandL01',
          period: '2023/24',
          value: 5.5,
          numerator: 110_000,
          denominator: 20_000,
        },
      ]);
      const differing = lgbfSource.read(
        withFiles({
          [FIGURES]: main,
          [MISSING]: `${missingHeader}Real,C&L01,Aberdeen City,2010-11,0.5,830.9841,1922292\n`,
        }),
        { today: TODAY },
      );
      expect(located(differing)).toEqual([
        {
          file: MISSING,
          line: 2,
          field: 'Value',
          value: '0.5',
          rule: 'repeats the figure of C&L01, Aberdeen City, 2010-11 at raw/LGBF_ScotDataReal_ISSpatialHub.csv line 2 with another value (0.4305): one figure per indicator, council and year',
        },
      ]);
    });

    it('reports the 4 denominators published without their numerator as not taken, and takes those values alone', () => {
      const lone = read.notTaken.filter((n) => n.field === 'LA_Den_Real');
      expect(lone.map((n) => `${n.line} ${String(n.value)}`)).toEqual([
        '13612 151100.0',
        '13893 235830.0',
        '13941 318170.0',
        '13942 319020.0',
      ]);
      expect(
        raw.filter((r) => (r.numerator === '') !== (r.denominator === '')).map((r) => r.line),
      ).toEqual([13_612, 13_893, 13_941, 13_942]);
      expect(measurementAt.get(13_941)).toMatchObject({ indicatorCode: 'CLIM05', value: 0.7 });
    });

    it('a figures file with one invalid row inserted (a council that does not exist) is refused, naming file, line, field, value and rule', () => {
      const r = lgbfSource.read(
        withFiles({
          [FIGURES]: edited(
            figuresText,
            101,
            '99999,C&L01,Atlantis,2015-16,3.2,100.0,20000.0,,,,,,,2',
          ),
        }),
        { today: TODAY },
      );
      expect(located(r)).toEqual([
        {
          file: FIGURES,
          line: 101,
          field: 'LocalAuthority',
          value: 'Atlantis',
          rule: 'is not one of the 32 councils of Family Groups.csv',
        },
      ]);
    });

    it('refuses a value that is not a number ("n/a"): the files mark no figure as not published', () => {
      const line = rawLines[10]!.split(',');
      line[4] = 'n/a';
      const r = lgbfSource.read(
        withFiles({
          [FIGURES]: edited(excerpt(40), 11, line.join(','), true),
          [MISSING]: missingHeader,
        }),
        { today: TODAY },
      );
      expect(located(r)).toEqual([
        {
          file: FIGURES,
          line: 11,
          field: 'LA_IndicatorReal',
          value: 'n/a',
          rule: expect.stringMatching(
            /^must be a number .*the LGBF files mark no figure as not published, an empty cell is one not given$/,
          ),
        },
      ]);
    });

    it('refuses an indicator code Indicator Information does not have, a repeated key, and a period not over by today', () => {
      const first = rawLines[1]!;
      const r = lgbfSource.read(
        withFiles({
          [FIGURES]: `${excerpt(20)}9,XYZ01,Angus,2019-20,1.5,,,,,,,,,3\n${first}\n9,C&L01,Angus,2025-26,1.5,,,,,,,,,3\n`,
          [MISSING]: missingHeader,
        }),
        { today: TODAY },
      );
      expect(located(r)).toEqual([
        {
          file: FIGURES,
          line: 22,
          field: 'Code',
          value: 'XYZ01',
          rule: 'is not an indicator of Indicator Information.csv',
        },
        {
          file: FIGURES,
          line: 23,
          field: 'Year',
          value: '2010-11',
          rule: 'repeats line 2: one figure per indicator (C&L01), council (Aberdeen City) and year',
        },
        {
          file: FIGURES,
          line: 24,
          field: 'Year',
          value: '2025-26',
          rule: '(2025/26) is in the future: a figure for 2025/26 can be reported once the period is over, from 2026-04-01; today is 2025-06-01',
        },
      ]);
    });

    it('refuses the import when one of its files is missing, naming it', () => {
      const r = lgbfSource.read(
        files.filter((f) => f.name !== GROUPS),
        { today: TODAY },
      );
      expect(located(r)).toEqual([
        {
          file: GROUPS,
          line: 1,
          field: 'file',
          value: GROUPS,
          rule: `is missing: the LGBF import reads ${[FIGURES, MISSING, CATALOGUE, GROUPS].join(', ')}`,
        },
      ]);
    });

    it("every record passes the hub's rules: measurements, periods, codes, ids, targets", () => {
      const failures: string[] = [];
      for (const m of read.batch.measurements) {
        const checked = checkMeasurement(
          {
            indicatorId: m.indicatorCode,
            period: m.period,
            value: m.value,
            numerator: m.numerator,
            denominator: m.denominator,
          },
          unitOf.get(m.indicatorCode) as never,
          { agreementTolerance: 0.02 },
        );
        if (!checked.ok)
          failures.push(`${m.indicatorCode} ${m.period}: ${JSON.stringify(checked.problems)}`);
        else if (periodRule(checked.period, Frequency.ANNUAL, TODAY))
          failures.push(`${m.period} cadence`);
      }
      for (const d of read.batch.indicators)
        if (!CODE_RULE.test(d.code) || d.frequency !== 'ANNUAL' || d.definition!.length > 4000)
          failures.push(`definition ${d.code}`);
      for (const t of read.batch.targets) {
        parsePeriod(t.fromPeriod);
        if (valueRule(t.value, unitOf.get(t.indicatorCode)!, null, false))
          failures.push(`target ${t.indicatorCode}`);
      }
      for (const o of read.organisations) if (!ID_RULE.test(o.id)) failures.push(o.id);
      const organisations = new Set(read.organisations.map((o) => o.id));
      for (const record of [
        ...read.batch.measurements,
        ...read.batch.indicators,
        ...read.batch.targets,
      ])
        if (!organisations.has(record.organisation!))
          failures.push(`organisation ${record.organisation}`);
      expect(failures).toEqual([]);
    });
  },
);

/** The line of each indicator's record in Indicator Information.csv (its Source cells span lines): csv-parse's line of the record's end, less the line breaks inside it. */
function catalogueLines(): Map<string, number> {
  const records = parse(bytes(CATALOGUE), { bom: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return new Map(
    records
      .slice(1)
      .map(({ record, info }) => [
        record[1]!,
        info.lines - (record.join('').split('\n').length - 1),
      ]),
  );
}
