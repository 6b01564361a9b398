import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NORFOLK_CSV } from '../seed/norfolk.ts';
import { DEFINITION_COLUMN_NAMES, parseCsvImport } from './import.csv.ts';
import { parseJsonImport } from './import.parse.ts';

describe('reading a CSV import', () => {
  it('reads the Norfolk vital signs as published, numbering lines as a spreadsheet does, with the target on its row', async () => {
    const batch = await parseCsvImport(readFileSync(NORFOLK_CSV));
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(102);
    expect(batch.measurements).toHaveLength(102);
    const bad = batch.measurements.find(
      (m) => m.indicatorCode === '323' && m.period === '2019-01',
    )!;
    expect(bad).toMatchObject({
      numerator: 2299,
      denominator: 1483,
      declaredUnit: 'percent',
      declaredPolarity: 'bigger',
    });
    expect(readFileSync(NORFOLK_CSV, 'utf8').split('\n')[bad.row - 1]).toContain(
      '323,"Customer satisfaction with web access",bigger,percent,2019-01',
    );
    expect(batch.targets.map((t) => `${t.indicatorCode}@${t.fromPeriod}`)).toContain('608@2019-02');
  });

  it('accepts column names without regard to case, spaces, hyphens or underscores', async () => {
    const batch = await parseCsvImport(
      'Indicator Code,PERIOD,Value,service-id,Department\n636,2019-03,98.5,,\n',
    );
    expect(batch.problems).toEqual([]);
    expect(batch.measurements).toEqual([
      {
        row: 2,
        indicatorCode: '636',
        period: '2019-03',
        value: 98.5,
        numerator: null,
        denominator: null,
        serviceId: null,
        department: null,
      },
    ]);
  });

  it('names every unreadable field with its line, and keeps reading the rest of the file', async () => {
    const batch = await parseCsvImport(
      'code,period,value,target\n636,2019-03,"1,234",\n636,2019-04,98%,x\n636,2019-05,97\n636,2019-06,97,95\n',
    );
    expect(batch.problems).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'value',
        value: '1,234',
        rule: expect.stringMatching(/must be a number.*no thousands separators/),
      }),
      expect.objectContaining({ row: 3, field: 'value', value: '98%' }),
      expect.objectContaining({ row: 3, field: 'target', value: 'x' }),
      expect.objectContaining({
        row: 4,
        field: 'line',
        value: 3,
        rule: 'must have 4 fields, as the header has',
      }),
    ]);
    expect(batch.measurements.map((m) => m.row)).toEqual([5]);
    expect(batch.targets).toEqual([
      { row: 5, indicatorCode: '636', fromPeriod: '2019-06', value: 95 },
    ]);
  });

  it('refuses an unknown or repeated column, and a file without the indicator or period column', async () => {
    const batch = await parseCsvImport('code,period,numerater,value,Value\n636,2019-03,1,2,3\n');
    expect(batch.problems).toEqual([
      expect.objectContaining({
        row: 1,
        field: 'column',
        value: 'numerater',
        rule: expect.stringContaining('is not a known column'),
      }),
      expect.objectContaining({
        row: 1,
        field: 'column',
        value: 'Value',
        rule: 'names the same field (value) as an earlier column',
      }),
    ]);
    expect(batch.measurements).toEqual([]);
    const missing = await parseCsvImport('value\n3\n');
    expect(missing.problems.map((p) => p.rule)).toEqual([
      expect.stringContaining('indicatorCode is required'),
      expect.stringContaining('period is required'),
    ]);
  });

  it('names the line of unbalanced quotes, and an empty file', async () => {
    const broken = await parseCsvImport('code,period,value\n636,2019-03,1\n636,"2019-04,2\n');
    expect(broken.problems).toEqual([
      expect.objectContaining({ field: 'file', rule: expect.stringContaining('is not valid CSV') }),
    ]);
    expect((await parseCsvImport('')).problems).toEqual([
      expect.objectContaining({
        row: 1,
        field: 'file',
        rule: 'must have a header line naming its columns',
      }),
    ]);
  });

  // Found by test/fuzz.e2e.test.ts: a NUL past the 4 KiB the sniff reads reached PostgreSQL, which cannot store one (500).
  it('refuses a NUL character in a cell past the start of the file, naming its line and column', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `636,2019-03,${i}\n`).join('');
    const upload = async function* () {
      // As an upload arrives: the sniff reads the first chunk, 4 KiB and more without a NUL.
      yield Buffer.from(`indicator_code,period,value\n${rows}`);
      yield Buffer.from('63\u00006,2019-04,1\n');
    };
    const batch = await parseCsvImport(upload());
    expect(batch.problems).toEqual([
      {
        row: 302,
        field: 'indicator_code',
        value: '63\u00006',
        rule: 'must not contain a NUL character (U+0000): no text field can hold one',
      },
    ]);
    expect(batch.measurements).toHaveLength(300);
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
    const batch = parseJsonImport(
      JSON.stringify([
        { indicatorCode: 608, period: '2019-03', numerator: 10, denominator: 100, target: 10 },
      ]),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.measurements).toEqual([
      {
        row: 1,
        indicatorCode: '608',
        period: '2019-03',
        serviceId: null,
        department: null,
        value: null,
        numerator: 10,
        denominator: 100,
      },
    ]);
    expect(batch.targets).toEqual([
      { row: 1, indicatorCode: '608', fromPeriod: '2019-03', value: 10 },
    ]);
  });

  it('reads every section of an object, numbering records within their section', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        measurements: [{ indicatorCode: '636', period: '2019-03', value: 98 }],
        targets: [{ indicatorCode: '636', fromPeriod: '2019-04', value: 99 }],
        milestoneReturns: [{ milestoneId: 'm1', returnDate: '2026-10-31', forecast: '2027-Q1' }],
        confidenceAssessments: [
          {
            programmeId: 'p1',
            assessor: 'IPA',
            assessedOn: '2026-07-01',
            scale: 'THREE_POINT',
            rating: 'AMBER',
          },
        ],
      }),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(4);
    expect(batch.milestoneReturns).toEqual([
      {
        row: 1,
        milestoneId: 'm1',
        returnDate: '2026-10-31',
        forecast: '2027-Q1',
        actual: null,
        note: null,
      },
    ]);
    expect(batch.confidenceAssessments[0]).toMatchObject({
      row: 1,
      programmeId: 'p1',
      rating: 'AMBER',
    });
  });

  it('names wrong types, unknown fields and sections, and missing required fields', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        measurements: [
          { indicatorCode: '636', period: '2019-03', value: '98' },
          { period: '2019-04', valu: 1 },
        ],
        targets: [{ indicatorCode: '636', fromPeriod: '2019-04' }],
        extra: [],
      }),
    );
    expect(batch.problems).toEqual(
      expect.arrayContaining([
        {
          row: 1,
          field: 'section',
          value: 'extra',
          rule: expect.stringContaining('is not a known section'),
        },
        { row: 1, field: 'value', value: '98', rule: 'must be a number or null' },
        {
          row: 2,
          field: 'valu',
          value: 1,
          rule: expect.stringContaining('is not a field of measurements'),
        },
        { row: 2, field: 'indicatorCode', value: null, rule: 'is required' },
        { row: 1, field: 'targets.value', value: null, rule: 'is required' },
      ]),
    );
    expect(batch.problems).toHaveLength(5);
    expect(batch.measurements).toEqual([]);
  });

  // Found by test/fuzz.e2e.test.ts: "\u0000" in a JSON string reached PostgreSQL, which cannot store it (500).
  it('refuses a NUL character in a text field of any section, naming the field', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        indicators: [{ code: 'x\u0000y' }],
        measurements: [{ indicatorCode: '636', period: '2019-03', serviceId: '\u0000', value: 1 }],
      }),
    );
    expect(batch.problems).toEqual([
      expect.objectContaining({
        row: 1,
        field: 'indicators.code',
        value: 'x\u0000y',
        rule: 'must not contain a NUL character (U+0000): no text field can hold one',
      }),
      expect.objectContaining({ row: 1, field: 'serviceId', value: '\u0000' }),
    ]);
    expect(batch.indicators).toEqual([]);
    expect(batch.measurements).toEqual([]);
  });

  it('refuses text that is not JSON, and JSON that is neither an array nor an object', () => {
    expect(parseJsonImport('{"measurements": [').problems).toEqual([
      expect.objectContaining({
        field: 'file',
        rule: expect.stringContaining('is not valid JSON'),
      }),
    ]);
    expect(parseJsonImport('42').problems).toEqual([
      expect.objectContaining({ field: 'file', value: 'number' }),
    ]);
  });
});

describe('reading indicator definitions', () => {
  it('reads a CSV without a period column as definitions, the tolerance as a number', async () => {
    const batch = await parseCsvImport(
      'code,name,unit,polarity,frequency,tolerance,lead_officer\nHR1,Staff turnover,percent,smaller,quarterly,0.1,Jo Bloggs\nHR2,Sickness days,count,smaller,monthly,,\n',
    );
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(2);
    expect(batch.indicators).toEqual([
      {
        row: 2,
        code: 'HR1',
        name: 'Staff turnover',
        unit: 'percent',
        polarity: 'smaller',
        frequency: 'quarterly',
        tolerance: 0.1,
        leadOfficer: 'Jo Bloggs',
      },
      {
        row: 3,
        code: 'HR2',
        name: 'Sickness days',
        unit: 'count',
        polarity: 'smaller',
        frequency: 'monthly',
      },
    ]);
    expect(batch.measurements).toEqual([]);
    expect(batch.targets).toEqual([]);
  });

  it('accepts definition column names without regard to case, spaces, hyphens or underscores', async () => {
    const batch = await parseCsvImport(
      'Indicator Code,Name,Why-It-Matters,DATA OWNER\n636,Calls answered,People wait less,Contact centre\n',
    );
    expect(batch.problems).toEqual([]);
    expect(batch.indicators).toEqual([
      {
        row: 2,
        code: '636',
        name: 'Calls answered',
        whyItMatters: 'People wait less',
        dataOwner: 'Contact centre',
      },
    ]);
  });

  it('refuses an unknown column of a definitions file, naming the columns it may have', async () => {
    const batch = await parseCsvImport('code,name,colour\nHR1,Staff turnover,blue\n');
    expect(batch.problems).toEqual([
      {
        row: 1,
        field: 'column',
        value: 'colour',
        rule: `is not a column of an indicator definitions file (one without a period column); its columns are ${DEFINITION_COLUMN_NAMES}`,
      },
    ]);
    expect(DEFINITION_COLUMN_NAMES).toContain(
      'code (or indicator_code), name, unit, polarity, frequency, definition, tolerance, lead_officer',
    );
    expect(batch.indicators).toEqual([]);
  });

  it('refuses a definitions file without a code column', async () => {
    const batch = await parseCsvImport('name,frequency\nStaff turnover,quarterly\n');
    expect(batch.problems).toEqual([
      {
        row: 1,
        field: 'column',
        value: null,
        rule: 'a column for the indicator code is required (code or indicator_code)',
      },
    ]);
  });

  it('refuses a tolerance that is not a number, naming the indicator, and keeps the other lines', async () => {
    const batch = await parseCsvImport(
      'code,name,tolerance\nHR1,Staff turnover,5%\nHR2,Sickness days,0.05\n',
    );
    expect(batch.problems).toEqual([
      {
        row: 2,
        context: 'indicator HR1',
        field: 'tolerance',
        value: '5%',
        rule: expect.stringMatching(/^must be a number/),
      },
    ]);
    expect(batch.indicators).toEqual([
      { row: 3, code: 'HR2', name: 'Sickness days', tolerance: 0.05 },
    ]);
  });

  it('names the indicator of a bad tolerance whatever the order of the columns', async () => {
    const batch = await parseCsvImport('tolerance,code,name\n5%,HR1,Staff turnover\n');
    expect(batch.problems).toEqual([
      expect.objectContaining({
        row: 2,
        context: 'indicator HR1',
        field: 'tolerance',
        value: '5%',
      }),
    ]);
  });

  it('refuses a definitions line with the wrong number of fields', async () => {
    const batch = await parseCsvImport('code,name,frequency\nHR1,Staff turnover\n');
    expect(batch.problems).toEqual([
      { row: 2, field: 'line', value: 2, rule: 'must have 3 fields, as the header has' },
    ]);
  });

  it('reads figures, not definitions, from a file with a period column', async () => {
    const batch = await parseCsvImport('code,period,value\n636,2019-03,98\n');
    expect(batch.indicators).toEqual([]);
    expect(batch.measurements).toHaveLength(1);
  });

  it('reads the indicators section of a JSON document, leaving out nulls', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        indicators: [
          {
            code: 'HR1',
            name: 'Staff turnover',
            unit: 'PERCENT',
            polarity: 'SMALLER_IS_BETTER',
            frequency: 'QUARTERLY',
            tolerance: 0.1,
            leadOfficer: 'Jo Bloggs',
            definition: null,
          },
          { code: 608 },
        ],
      }),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.rows).toBe(2);
    expect(batch.indicators).toEqual([
      {
        row: 1,
        code: 'HR1',
        name: 'Staff turnover',
        unit: 'PERCENT',
        polarity: 'SMALLER_IS_BETTER',
        frequency: 'QUARTERLY',
        tolerance: 0.1,
        leadOfficer: 'Jo Bloggs',
      },
      { row: 2, code: '608' },
    ]);
  });

  it('names a JSON definition with a tolerance that is not a number, an unknown field, or no code', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        indicators: [
          { code: 'HR1', tolerance: '10%' },
          { code: 'HR2', colour: 'blue' },
          { name: 'Nameless' },
        ],
      }),
    );
    expect(batch.problems).toEqual([
      { row: 1, field: 'indicators.tolerance', value: '10%', rule: 'must be a number or null' },
      {
        row: 2,
        field: 'indicators.colour',
        value: 'blue',
        rule: expect.stringMatching(
          /^is not a field of indicators; its fields are organisation, code, name, unit, polarity, frequency, definition, tolerance/,
        ),
      },
      { row: 3, field: 'indicators.code', value: null, rule: 'is required' },
    ]);
    expect(batch.indicators).toEqual([]);
  });
});

describe("a publisher's file for several organisations", () => {
  it('sets the organisation of each CSV measurement and the target on its row', async () => {
    const batch = await parseCsvImport(
      'organisation,code,period,value,target\nnorfolk,636,2019-03,98,95\nsuffolk,636,2019-03,97,\n',
    );
    expect(batch.problems).toEqual([]);
    expect(batch.measurements.map((m) => [m.row, m.organisation])).toEqual([
      [2, 'norfolk'],
      [3, 'suffolk'],
    ]);
    expect(batch.targets).toEqual([
      { row: 2, organisation: 'norfolk', indicatorCode: '636', fromPeriod: '2019-03', value: 95 },
    ]);
  });

  it('leaves the organisation out of a CSV row whose organisation cell is empty', async () => {
    const batch = await parseCsvImport('Organisation ID,code,period,value\n,636,2019-03,98\n');
    expect(batch.problems).toEqual([]);
    expect(batch.measurements[0]).not.toHaveProperty('organisation');
  });

  it('sets the organisation of each CSV definition', async () => {
    const batch = await parseCsvImport('organisation,code,name\nnorfolk,HR1,Staff turnover\n');
    expect(batch.problems).toEqual([]);
    expect(batch.indicators).toEqual([
      { row: 2, organisation: 'norfolk', code: 'HR1', name: 'Staff turnover' },
    ]);
  });

  it('sets the organisation on every kind of JSON record', () => {
    const batch = parseJsonImport(
      JSON.stringify({
        indicators: [{ organisation: 'norfolk', code: 'HR1' }],
        measurements: [
          {
            organisation: 'norfolk',
            indicatorCode: '636',
            period: '2019-03',
            value: 98,
            target: 95,
          },
        ],
        targets: [
          { organisation: 'suffolk', indicatorCode: '636', fromPeriod: '2019-04', value: 99 },
        ],
        milestoneReturns: [
          {
            organisation: 'norfolk',
            milestoneId: 'm1',
            returnDate: '2026-10-31',
            forecast: '2027-Q1',
          },
        ],
        confidenceAssessments: [
          {
            organisation: 'suffolk',
            programmeId: 'p1',
            assessor: 'IPA',
            assessedOn: '2026-07-01',
            scale: 'THREE_POINT',
            rating: 'AMBER',
          },
        ],
      }),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.indicators).toEqual([{ row: 1, organisation: 'norfolk', code: 'HR1' }]);
    expect(batch.measurements[0]).toMatchObject({
      row: 1,
      organisation: 'norfolk',
      indicatorCode: '636',
    });
    expect(batch.targets).toEqual([
      // Sections are read in order: the measurement's own target comes before the targets section.
      { row: 1, organisation: 'norfolk', indicatorCode: '636', fromPeriod: '2019-03', value: 95 },
      { row: 1, organisation: 'suffolk', indicatorCode: '636', fromPeriod: '2019-04', value: 99 },
    ]);
    expect(batch.milestoneReturns[0]).toMatchObject({
      row: 1,
      organisation: 'norfolk',
      milestoneId: 'm1',
    });
    expect(batch.confidenceAssessments[0]).toMatchObject({
      row: 1,
      organisation: 'suffolk',
      programmeId: 'p1',
    });
  });

  it('leaves the organisation out of a JSON record without one', () => {
    const batch = parseJsonImport(
      JSON.stringify([{ indicatorCode: '636', period: '2019-03', value: 98, organisation: null }]),
    );
    expect(batch.problems).toEqual([]);
    expect(batch.measurements[0]).not.toHaveProperty('organisation');
  });
});

describe('an upload that fails part-way', () => {
  /** One chunk of a CSV file, then the connection drops. */
  async function* cutOff(first: string): AsyncGenerator<Buffer> {
    yield Buffer.from(first);
    throw new Error('the upload was cut off');
  }

  it('rejects with the error of a source that fails before the first bytes are sniffed', async () => {
    await expect(parseCsvImport(cutOff('code,period,value\n636,2019-03,98\n'))).rejects.toThrow(
      'the upload was cut off',
    );
  });

  it('rejects with the error of a source that fails while the parser is reading', async () => {
    // A first chunk longer than the sniffed head, so the failure comes from inside the parse.
    const lines = Array.from(
      { length: 400 },
      (_, i) => `636,${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},98\n`,
    ).join('');
    const first = `code,period,value\n${lines}`;
    expect(first.length).toBeGreaterThan(4096);
    await expect(parseCsvImport(cutOff(first))).rejects.toThrow('the upload was cut off');
  });
});
