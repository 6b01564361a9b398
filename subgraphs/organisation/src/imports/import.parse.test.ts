import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NORFOLK_CSV } from '../seed/norfolk.ts';
import { parseCsvImport, parseJsonImport } from './import.parse.ts';

describe('reading a CSV import', () => {
  it('reads the Norfolk vital signs as published, numbering lines as a spreadsheet does, with the target on its row', async () => {
    const batch = await parseCsvImport(readFileSync(NORFOLK_CSV));
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(102);
    expect(batch.measurements).toHaveLength(102);
    const bad = batch.measurements.find((m) => m.indicatorCode === '323' && m.period === '2019-01')!;
    expect(bad).toMatchObject({ numerator: 2299, denominator: 1483, declaredUnit: 'percent', declaredPolarity: 'bigger' });
    expect(readFileSync(NORFOLK_CSV, 'utf8').split('\n')[bad.row - 1]).toContain('323,"Customer satisfaction with web access",bigger,percent,2019-01');
    expect(batch.targets.map((t) => `${t.indicatorCode}@${t.fromPeriod}`)).toContain('608@2019-02');
  });

  it('accepts column names without regard to case, spaces, hyphens or underscores', async () => {
    const batch = await parseCsvImport('Indicator Code,PERIOD,Value,service-id,Department\n636,2019-03,98.5,,\n');
    expect(batch.problems).toEqual([]);
    expect(batch.measurements).toEqual([{ row: 2, indicatorCode: '636', period: '2019-03', value: 98.5, numerator: null, denominator: null, serviceId: null, department: null }]);
  });

  it('names every unreadable field with its line, and keeps reading the rest of the file', async () => {
    const batch = await parseCsvImport('code,period,value,target\n636,2019-03,"1,234",\n636,2019-04,98%,x\n636,2019-05,97\n636,2019-06,97,95\n');
    expect(batch.problems).toEqual([
      expect.objectContaining({ row: 2, field: 'value', value: '1,234', rule: expect.stringMatching(/must be a number.*no thousands separators/) }),
      expect.objectContaining({ row: 3, field: 'value', value: '98%' }),
      expect.objectContaining({ row: 3, field: 'target', value: 'x' }),
      expect.objectContaining({ row: 4, field: 'line', value: 3, rule: 'must have 4 fields, as the header has' }),
    ]);
    expect(batch.measurements.map((m) => m.row)).toEqual([5]);
    expect(batch.targets).toEqual([{ row: 5, indicatorCode: '636', fromPeriod: '2019-06', value: 95 }]);
  });

  it('refuses an unknown or repeated column, and a file without the indicator or period column', async () => {
    const batch = await parseCsvImport('code,period,numerater,value,Value\n636,2019-03,1,2,3\n');
    expect(batch.problems).toEqual([
      expect.objectContaining({ row: 1, field: 'column', value: 'numerater', rule: expect.stringContaining('is not a known column') }),
      expect.objectContaining({ row: 1, field: 'column', value: 'Value', rule: 'names the same field (value) as an earlier column' }),
    ]);
    expect(batch.measurements).toEqual([]);
    const missing = await parseCsvImport('value\n3\n');
    expect(missing.problems.map((p) => p.rule)).toEqual([expect.stringContaining('indicatorCode is required'), expect.stringContaining('period is required')]);
  });

  it('names the line of unbalanced quotes, and an empty file', async () => {
    const broken = await parseCsvImport('code,period,value\n636,2019-03,1\n636,"2019-04,2\n');
    expect(broken.problems).toEqual([expect.objectContaining({ field: 'file', rule: expect.stringContaining('is not valid CSV') })]);
    expect((await parseCsvImport('')).problems).toEqual([expect.objectContaining({ row: 1, field: 'file', rule: 'must have a header line naming its columns' })]);
  });

  it('reads a byte-order mark and CRLF line ends as Excel writes them, from a stream in pieces', async () => {
    const text = '\uFEFFcode,period,value\r\n636,2019-03,98\r\n636,2019-04,99\r\n';
    const pieces = async function* () {
      for (let i = 0; i < text.length; i += 7) yield Buffer.from(text.slice(i, i + 7));
    };
    const seen: number[] = [];
    const batch = await parseCsvImport(pieces(), (rows) => seen.push(rows));
    expect(batch.problems).toEqual([]);
    expect(batch.measurements.map((m) => [m.row, m.value])).toEqual([
      [2, 98],
      [3, 99],
    ]);
    expect(seen.at(-1)).toBe(2);
  });
});

describe('reading a JSON import', () => {
  it('reads an array of measurements, with codes written as numbers', () => {
    const batch = parseJsonImport(JSON.stringify([{ indicatorCode: 608, period: '2019-03', numerator: 10, denominator: 100, target: 10 }]));
    expect(batch.problems).toEqual([]);
    expect(batch.measurements).toEqual([{ row: 1, indicatorCode: '608', period: '2019-03', serviceId: null, department: null, value: null, numerator: 10, denominator: 100 }]);
    expect(batch.targets).toEqual([{ row: 1, indicatorCode: '608', fromPeriod: '2019-03', value: 10 }]);
  });

  it('reads every section of an object, numbering records within their section', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        measurements: [{ indicatorCode: '636', period: '2019-03', value: 98 }],
        targets: [{ indicatorCode: '636', fromPeriod: '2019-04', value: 99 }],
        milestoneReturns: [{ milestoneId: 'm1', returnDate: '2026-10-31', forecast: '2027-Q1' }],
        confidenceAssessments: [{ programmeId: 'p1', assessor: 'IPA', assessedOn: '2026-07-01', scale: 'THREE_POINT', rating: 'AMBER' }],
      }),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(4);
    expect(batch.milestoneReturns).toEqual([{ row: 1, milestoneId: 'm1', returnDate: '2026-10-31', forecast: '2027-Q1', actual: null, note: null }]);
    expect(batch.confidenceAssessments[0]).toMatchObject({ row: 1, programmeId: 'p1', rating: 'AMBER' });
  });

  it('names wrong types, unknown fields and sections, and missing required fields', () => {
    const batch = parseJsonImport(
      JSON.stringify({ measurements: [{ indicatorCode: '636', period: '2019-03', value: '98' }, { period: '2019-04', valu: 1 }], targets: [{ indicatorCode: '636', fromPeriod: '2019-04' }], extra: [] }),
    );
    expect(batch.problems).toEqual(
      expect.arrayContaining([
        { row: 1, field: 'section', value: 'extra', rule: expect.stringContaining('is not a known section') },
        { row: 1, field: 'value', value: '98', rule: 'must be a number or null' },
        { row: 2, field: 'valu', value: 1, rule: expect.stringContaining('is not a field of measurements') },
        { row: 2, field: 'indicatorCode', value: null, rule: 'is required' },
        { row: 1, field: 'targets.value', value: null, rule: 'is required' },
      ]),
    );
    expect(batch.problems).toHaveLength(5);
    expect(batch.measurements).toEqual([]);
  });

  it('refuses text that is not JSON, and JSON that is neither an array nor an object', () => {
    expect(parseJsonImport('{"measurements": [').problems).toEqual([expect.objectContaining({ field: 'file', rule: expect.stringContaining('is not valid JSON') })]);
    expect(parseJsonImport('42').problems).toEqual([expect.objectContaining({ field: 'file', value: 'number' })]);
  });
});
