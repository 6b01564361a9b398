import { deflateRawSync } from 'node:zlib';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { tokenFor } from '@crossgov/testing/tokens';

// Strict validation of imports, found by trying the hub as a new user would: each file below is
// refused whole, with a message naming the line, field, value and rule (or saying what the file
// is), never printing `null` or raw bytes, and every table is left exactly as it was.

const auth: AuthConfig = { secret: 'import-validation-e2e-secret-'.padEnd(48, 'v') };
const TODAY = '2026-11-21';

interface Refusal {
  errors: {
    message: string;
    extensions: {
      code: string;
      problems: { row: number; field: string; value: unknown; rule: string }[];
    };
  }[];
}

/** The smallest .xlsx a spreadsheet saves starts as every ZIP does: a local file header. */
function xlsx(): Buffer {
  const name = Buffer.from('[Content_Types].xml');
  const content = deflateRawSync(Buffer.from('<?xml version="1.0"?><Types/>'));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(content.length, 18);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, content]);
}

const CASES: {
  name: string;
  body: Buffer | string;
  type: string;
  problems: { row: number; field: string; rule: RegExp }[];
  message: RegExp;
}[] = [
  {
    name: 'a value that contradicts its own numerator and denominator',
    body: 'indicator_code,period,value,numerator,denominator\n608,2018-12,10.4,260,2500\n608,2019-01,12.5,260,2500\n',
    type: 'text/csv',
    problems: [
      {
        row: 3,
        field: 'value',
        rule: /contradicts its numerator and denominator: 260 \/ 2500 is 10\.4%/,
      },
    ],
    message: /row 3 \(indicator 608, period 2019-01\): value 12\.5 contradicts/,
  },
  {
    name: 'a period that has not ended (a figure from the future)',
    body: 'indicator_code,period,value\n320,2026-12,30000\n',
    type: 'text/csv',
    problems: [
      {
        row: 2,
        field: 'period',
        rule: /is in the future: a figure for 2026-12 can be reported once the period is over, from 2027-01-01; today is 2026-11-21/,
      },
    ],
    message: /period "2026-12" is in the future/,
  },
  {
    name: 'a quarter into a monthly series',
    body: 'indicator_code,period,value\n320,2018-Q4,20000\n',
    type: 'text/csv',
    problems: [
      {
        row: 2,
        field: 'period',
        rule: /is a quarter, but the indicator is monthly: give a month such as 2026-03/,
      },
    ],
    message: /period "2018-Q4" is a quarter, but the indicator is monthly/,
  },
  {
    name: 'two rows for the same indicator, period and breakdown',
    body: 'indicator_code,period,value\n320,2018-11,20000\n320,2018-11,21000\n',
    type: 'text/csv',
    problems: [
      {
        row: 3,
        field: 'period',
        rule: /repeats row 2: the same indicator, period and breakdown \(the whole organisation\) twice in one submission/,
      },
    ],
    message: /repeats row 2/,
  },
  {
    name: 'the same twice in a JSON file',
    body: JSON.stringify([
      { indicatorCode: '320', period: '2018-11', value: 20000 },
      { indicatorCode: '320', period: '2018-11', value: 20000 },
    ]),
    type: 'application/json',
    problems: [{ row: 2, field: 'period', rule: /repeats row 1/ }],
    message: /repeats row 1/,
  },
  {
    name: 'an Excel workbook sent as CSV',
    body: xlsx(),
    type: 'text/csv',
    problems: [
      {
        row: 1,
        field: 'file',
        rule: /is an Excel workbook \(\.xlsx\) or another ZIP archive, not text this import can read; send a CSV file/,
      },
    ],
    message: /file is an Excel workbook/,
  },
  {
    name: 'a binary file',
    body: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x10, 0x00, 0x7f, 0x80, 0x00, 0x13]),
    type: 'text/csv',
    problems: [{ row: 1, field: 'file', rule: /is a binary file, not text this import can read/ }],
    message: /file is a binary file/,
  },
  {
    name: 'a binary file sent as JSON',
    body: Buffer.concat([Buffer.from('{"measurements":'), Buffer.from([0x00, 0x00, 0xff, 0x01])]),
    type: 'application/json',
    problems: [
      {
        row: 1,
        field: 'file',
        rule: /is a binary file, not text this import can read; send a JSON document/,
      },
    ],
    message: /file is a binary file/,
  },
  {
    name: 'a semicolon-separated file',
    body: 'indicator_code;period;value\n320;2018-11;20000,5\n',
    type: 'text/csv',
    problems: [
      {
        row: 1,
        field: 'file',
        rule: /is separated by semicolons .* send a CSV file: UTF-8 text, one record per line, fields separated by commas/,
      },
    ],
    message: /file is separated by semicolons/,
  },
  {
    name: 'text in Windows-1252, not UTF-8',
    body: Buffer.concat([
      Buffer.from('indicator_code,period,value\n320,2018-11,20000\n# Norfolk County Council '),
      Buffer.from([0xa3, 0x35, 0x30, 0x0a]),
      Buffer.from(' '.repeat(10)),
    ]),
    type: 'text/csv',
    problems: [{ row: 1, field: 'file', rule: /is text in an encoding other than UTF-8/ }],
    message: /file is text in an encoding other than UTF-8/,
  },
];

describe(`strict import validation on ${STORAGE}`, () => {
  let graph: TestGraph;
  let token: string;
  beforeAll(async () => {
    graph = await startTestGraph({ auth, today: TODAY });
    token = await tokenFor(auth, 'norfolk', [Scope.WRITE]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  for (const c of CASES) {
    it(`refuses ${c.name} whole, naming what is wrong, and writes nothing`, async () => {
      const database = graph.organisations.get('norfolk')!.database;
      const before = await snapshotTables(database);
      for (const publish of [false, true]) {
        const response = await fetch(
          `${new URL('.', graph.gatewayUrl).href}organisations/norfolk/imports${publish ? '?publish=true' : ''}`,
          {
            method: 'POST',
            headers: { 'content-type': c.type, authorization: `Bearer ${token}` },
            body: typeof c.body === 'string' ? c.body : new Uint8Array(c.body),
          },
        );
        expect(response.status).toBe(400);
        const body = (await response.json()) as Refusal;
        const [error] = body.errors;
        expect(error!.extensions.code).toBe('BAD_USER_INPUT');
        expect(error!.extensions.problems).toHaveLength(c.problems.length);
        c.problems.forEach((expected, i) => {
          const problem = error!.extensions.problems[i]!;
          expect(problem).toMatchObject({ row: expected.row, field: expected.field });
          expect(problem.rule).toMatch(expected.rule);
        });
        expect(error!.message).toMatch(c.message);
        // Never a "null" for a value that is not there, and never a raw control character or byte.
        expect(error!.message).not.toMatch(/\bnull\b/);
        expect(error!.message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
        expect(await snapshotTables(database)).toEqual(before);
      }
    });
  }

  it('still takes a good file after all of them', async () => {
    const response = await fetch(
      `${new URL('.', graph.gatewayUrl).href}organisations/norfolk/imports`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        body: 'indicator_code,period,value,numerator,denominator\n608,2019-01,10.4,260,2500\n',
      },
    );
    expect(response.status).toBe(200);
  });
});
