import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Polarity, Unit } from '@crossgov/schema';
import {
  cardText,
  describeRejected,
  listText,
  readNorfolkReportCards,
  readNorfolkVitalSigns,
} from './norfolk.ts';

describe('the Norfolk vital signs as published', () => {
  const seed = readNorfolkVitalSigns();
  const measurement = (indicator: string, period: string) =>
    seed.measurements.find((m) => m.indicatorId === indicator && m.period.label === period);

  // Besides 323 for January 2019, three published rows give a value their own numerator and
  // denominator contradict (99.0 for 113100 of 113400 is 99.7%), which no submission may do.
  const contradicts = (numerator: number, denominator: number, ratio: string, value: number) => ({
    field: 'value',
    value,
    rule: `contradicts its numerator and denominator: ${numerator} / ${denominator} is ${ratio}%, which no rounding of the three figures as written turns into ${value}`,
  });

  it('rejects exactly four rows: 323 for January 2019 on line 25, and three whose value contradicts its parts', () => {
    expect(seed.rejected).toEqual([
      {
        line: 25,
        indicator: '323',
        period: '2019-01',
        problems: [
          {
            field: 'numerator',
            value: 2299,
            rule: 'must not be above its denominator (1483) for a percentage',
          },
          contradicts(2299, 1483, '155.024', 60.8),
        ],
      },
      {
        line: 73,
        indicator: '611',
        period: '2018-10',
        problems: [contradicts(2675, 3386, '79.0018', 79.5)],
      },
      {
        line: 95,
        indicator: '636',
        period: '2018-06',
        problems: [contradicts(113100, 113400, '99.7354', 99)],
      },
      {
        line: 99,
        indicator: '636',
        period: '2018-10',
        problems: [contradicts(123700, 124200, '99.5974', 99)],
      },
    ]);
  });

  it('describes each rejected row with its line, indicator, period and both numbers', () => {
    expect(seed.rejected.map(describeRejected)).toEqual([
      'line 25, indicator 323, period 2019-01: numerator 2299 must not be above its denominator (1483) for a percentage; ' +
        'value 60.8 contradicts its numerator and denominator: 2299 / 1483 is 155.024%, which no rounding of the three figures as written turns into 60.8',
      'line 73, indicator 611, period 2018-10: value 79.5 contradicts its numerator and denominator: 2675 / 3386 is 79.0018%, which no rounding of the three figures as written turns into 79.5',
      'line 95, indicator 636, period 2018-06: value 99 contradicts its numerator and denominator: 113100 / 113400 is 99.7354%, which no rounding of the three figures as written turns into 99',
      'line 99, indicator 636, period 2018-10: value 99 contradicts its numerator and denominator: 123700 / 124200 is 99.5974%, which no rounding of the three figures as written turns into 99',
    ]);
  });

  it('reads the eight indicators in file order', () => {
    expect(seed.indicators.map((i) => [i.id, i.position])).toEqual([
      ['320', 0],
      ['323', 1],
      ['608', 2],
      ['609', 3],
      ['610', 4],
      ['611', 5],
      ['626', 6],
      ['636', 7],
    ]);
  });

  it('reads each indicator’s unit', () => {
    expect(Object.fromEntries(seed.indicators.map((i) => [i.id, i.unit]))).toEqual({
      '320': Unit.COUNT,
      '323': Unit.PERCENT,
      '608': Unit.PERCENT,
      '609': Unit.RATIO,
      '610': Unit.PERCENT,
      '611': Unit.PERCENT,
      '626': Unit.SCORE,
      '636': Unit.PERCENT,
    });
  });

  it('makes 608 and 609 smaller-is-better and the rest bigger-is-better', () => {
    const smaller = seed.indicators
      .filter((i) => i.polarity === Polarity.SMALLER_IS_BETTER)
      .map((i) => i.id);
    const bigger = seed.indicators
      .filter((i) => i.polarity === Polarity.BIGGER_IS_BETTER)
      .map((i) => i.id);
    expect(smaller).toEqual(['608', '609']);
    expect(bigger).toEqual(['320', '323', '610', '611', '626', '636']);
  });

  it('keeps the published names and marks nothing synthetic', () => {
    const abandonment = seed.indicators.find((i) => i.id === '608');
    expect(abandonment?.name).toBe(
      'Abandonment rate - % of calls abandoned on the ICT Service Desk',
    );
    expect(seed.indicators.every((i) => !i.synthetic)).toBe(true);
    expect(seed.measurements.every((m) => !m.synthetic && m.serviceId === null)).toBe(true);
  });

  it('loads 98 of the 102 rows', () => {
    expect(seed.measurements).toHaveLength(98);
  });

  it('loads 12 months of 320, 11 of 323, 12 of 611, 11 of 636 and 13 of each other indicator', () => {
    const counts: Record<string, number> = {};
    for (const m of seed.measurements) counts[m.indicatorId] = (counts[m.indicatorId] ?? 0) + 1;
    expect(counts).toEqual({
      '320': 12,
      '323': 11,
      '608': 13,
      '609': 13,
      '610': 13,
      '611': 12,
      '626': 13,
      '636': 11,
    });
  });

  it('does not load the rows whose value contradicts their parts', () => {
    expect(measurement('611', '2018-10')).toBeUndefined();
    expect(measurement('636', '2018-06')).toBeUndefined();
    expect(measurement('636', '2018-10')).toBeUndefined();
    expect(measurement('636', '2018-11')?.value).toBe(99.9);
  });

  it('does not load 323 for January 2019', () => {
    expect(measurement('323', '2019-01')).toBeUndefined();
    expect(measurement('323', '2018-12')?.value).toBe(63.5);
  });

  it('reads 636 for April 2018 as 98.2, from 111300 of 113400', () => {
    expect(measurement('636', '2018-04')).toEqual({
      indicatorId: '636',
      serviceId: null,
      period: { label: '2018-04', type: 'MONTH', start: '2018-04-01', end: '2018-04-30' },
      value: 98.2,
      numerator: 111300,
      denominator: 113400,
      synthetic: false,
    });
  });

  it('reads a count without parts: 320 for February 2018 is 18033', () => {
    expect(measurement('320', '2018-02')).toMatchObject({
      value: 18033,
      numerator: null,
      denominator: null,
    });
  });

  it('keeps the published value 79.93 for 611 in February 2018', () => {
    expect(measurement('611', '2018-02')?.value).toBe(79.93);
  });

  it('sets targets only from each indicator’s latest row, with the values in the file', () => {
    // 323's target (60.0) is on its January 2019 row, which is rejected whole.
    expect(seed.targets).toEqual([
      { indicatorId: '320', fromPeriod: '2019-01', fromDate: '2019-01-01', value: 34005 },
      { indicatorId: '608', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 10 },
      { indicatorId: '609', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 1.5 },
      { indicatorId: '610', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 28 },
      { indicatorId: '611', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 80 },
      { indicatorId: '626', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 6 },
      { indicatorId: '636', fromPeriod: '2019-02', fromDate: '2019-02-01', value: 99 },
    ]);
  });

  it('puts each target on the last period loaded for its indicator', () => {
    for (const target of seed.targets) {
      const latest = seed.measurements
        .filter((m) => m.indicatorId === target.indicatorId)
        .map((m) => m.period.label)
        .sort()
        .at(-1);
      expect(latest, target.indicatorId).toBe(target.fromPeriod);
    }
  });
});

describe('a malformed vital signs file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crossgov-norfolk-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const HEADER = 'indicator_ref,indicator,polarity,unit,period,value,numerator,denominator,target';

  function read(lines: string[]) {
    const path = join(folder, `vital-signs-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return readNorfolkVitalSigns(path);
  }

  it('reports a bad period and a bad unit, each with its line number', () => {
    const seed = read([
      HEADER,
      '900,"Good",bigger,count,2018-01,5,,,',
      '900,"Good",bigger,count,2018-13,6,,,',
      '901,"Bad unit",bigger,percentage,2018-01,50,,,',
      '900,"Good",bigger,count,2018-02,7,,,',
    ]);
    expect(seed.rejected.map(describeRejected)).toEqual([
      'line 3, indicator 900, period 2018-13: period "2018-13" must be a period: YYYY-MM (month), YYYY-Qn (calendar quarter), YYYY/YY-Qn (April-March financial quarter), YYYY (year), YYYY/YY (financial year), YYYY-MM/YYYY-MM (twelve months, first and last month) or YYYY/YY-YYYY/YY (financial years, first and last)',
      'line 4, indicator 901, period 2018-01: unit "percentage" must be one of count, percent, ratio, score, currency',
    ]);
    expect(seed.measurements.map((m) => [m.period.label, m.value])).toEqual([
      ['2018-01', 5],
      ['2018-02', 7],
    ]);
  });

  it('creates no indicator for a row whose unit is unknown', () => {
    const seed = read([HEADER, '901,"Bad unit",bigger,percentage,2018-01,50,,,']);
    expect(seed.indicators).toEqual([]);
    expect(seed.rejected).toHaveLength(1);
  });

  it('reports an unknown polarity with its line number', () => {
    const seed = read([HEADER, '902,"Bad polarity",higher,count,2018-01,5,,,']);
    expect(seed.rejected).toEqual([
      {
        line: 2,
        indicator: '902',
        period: '2018-01',
        problems: [{ field: 'polarity', value: 'higher', rule: 'must be bigger or smaller' }],
      },
    ]);
  });

  it('reports a value that is not a number as NaN', () => {
    const seed = read([HEADER, '903,"Words",bigger,count,2018-01,lots,,,']);
    expect(seed.rejected.map(describeRejected)).toEqual([
      'line 2, indicator 903, period 2018-01: value NaN must be a finite number',
    ]);
  });

  it('counts blank lines when it gives line numbers', () => {
    const seed = read([
      HEADER,
      '900,"Good",bigger,count,2018-01,5,,,',
      '',
      '900,"Good",bigger,count,2018-13,6,,,',
      '',
      '',
      '901,"Bad unit",bigger,percentage,2018-01,50,,,',
    ]);
    expect(seed.rejected.map((r) => [r.line, r.problems[0]?.field])).toEqual([
      [4, 'period'],
      [7, 'unit'],
    ]);
  });
});

describe('a published report card as an indicator’s text', () => {
  it('makes no points null, one point a paragraph and several points bullets', () => {
    expect(listText([])).toBeNull();
    expect(listText(['Score greater than 6'])).toBe('Score greater than 6');
    expect(
      listText(['Reduction in our outstanding calls in the short term.', 'Achieve 80% Target']),
    ).toBe('- Reduction in our outstanding calls in the short term.\n- Achieve 80% Target');
  });

  it('takes "How is it measured?" as the definition, and leaves a blank section null', () => {
    const card = {
      title: 'T',
      whyItMatters: 'Why.',
      background: [],
      whatSuccessLooksLike: ['One'],
      actions: ['A', 'B'],
      leadOfficer: null,
      dataOwner: 'Owner',
    };
    expect(cardText({ ...card, measure: 'Calls abandoned over calls made' })).toEqual({
      definition: 'Calls abandoned over calls made',
      whyItMatters: 'Why.',
      background: null,
      whatSuccessLooksLike: 'One',
      actions: '- A\n- B',
      leadOfficer: null,
      dataOwner: 'Owner',
    });
    expect(cardText(card).definition).toBeNull();
  });
});

// The council's own file, in the project's shared data: checked by hand against it for 608 and 636.
describe('the Norfolk vital signs with their published report cards', () => {
  const seed = readNorfolkVitalSigns();
  const indicator = (code: string) => seed.indicators.find((i) => i.code === code)!;

  it('gives 608 (abandonment rate) its card: two background points and two of success as bullets, its one action as a paragraph', () => {
    expect(seed.cardsNotRead).toBeNull();
    const {
      definition,
      whyItMatters,
      background,
      whatSuccessLooksLike,
      actions,
      leadOfficer,
      dataOwner,
    } = indicator('608');
    expect({
      definition,
      whyItMatters,
      background,
      whatSuccessLooksLike,
      actions,
      leadOfficer,
      dataOwner,
    }).toEqual({
      definition:
        'The Percentage of Customers (excluding Schools) that abandon their call to IMT service desk',
      whyItMatters:
        'The inability for an IMT Customer to progress with an incident or service request hinders the Customer and the Council from working effectively and efficiently.',
      background:
        '- 10% on target for February 19\n' +
        '- myIT the IMT Self Service Portal was introduced as per the IMT Service Improvement Plan on 21st January 2019. We are working to improve use of online self-service functionality by staff (in the same way we ask residents to self-serve online).',
      whatSuccessLooksLike:
        '- IMT Service Desk call abandonment rate to fall below the target of 10%\n' +
        '- Users routinely using the new Assyst IMT Service Desk system self-service (myIT) functionality rather than calling or emailing the Service Desk.',
      actions: 'To promote the self-service facility',
      leadOfficer: 'Rob Price, Service Delivery Manager',
      dataOwner: 'Jo Carey, Service Delivery Analyst',
    });
  });

  it('gives 636 (systems availability) only why it matters, as the council published it', () => {
    const {
      definition,
      whyItMatters,
      background,
      whatSuccessLooksLike,
      actions,
      leadOfficer,
      dataOwner,
    } = indicator('636');
    expect(whyItMatters).toBe(
      'Users expect systems (Care First, Oracle, Tribal, Spydus, Email, Internet Access, Intranet Access and Telephony) to be available and reliable when they want to use it, within the agreed service level agreement.',
    );
    expect([definition, background, whatSuccessLooksLike, actions, leadOfficer, dataOwner]).toEqual(
      [null, null, null, null, null, null],
    );
  });

  it('keeps the names of the vital signs file, not the cards’ titles', () => {
    expect(indicator('626').name).toBe('Customer satisfaction with ICT services (score out of 7)');
  });
});

describe('report cards that cannot be read', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crossgov-norfolk-cards-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves every card without text, and says why, when the file is not there', () => {
    const missing = join(folder, 'absent.json');
    const seed = readNorfolkVitalSigns(undefined, missing);
    expect(seed.cardsNotRead).toBe(
      `Norfolk's report cards: ${missing} is not there, so its indicators carry no report-card text`,
    );
    expect(
      seed.indicators.every(
        (i) => i.whyItMatters === null && i.background === null && i.leadOfficer === null,
      ),
    ).toBe(true);
  });

  it('names the card, field, value and rule of a section out of shape', () => {
    const path = join(folder, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        cards: {
          '608': {
            title: 'T',
            whyItMatters: 'W',
            background: 'one point',
            whatSuccessLooksLike: [],
            actions: [],
            leadOfficer: null,
            dataOwner: null,
          },
        },
      }),
    );
    expect(() => readNorfolkReportCards(path)).toThrow(
      `${path}: card 608, background "one point" must be a list of text`,
    );
  });
});
