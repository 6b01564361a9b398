import type { Random } from './random.ts';
import type { FuzzInput } from './send.ts';
import { oddNumber, oddPeriod, oddText, oddValue, uriEncoded } from './values.ts';
import type { World } from './world.ts';

// Family 3: file imports, through the gateway (`/organisations/<id>/imports`, `/publishers/<id>/imports`)
// and to a publisher's subgraph directly: CSV and JSON with bad headers, wrong columns, quotes
// never closed, a BOM, CRLF, huge and non-finite numbers, invalid dates, rows for another
// organisation, bytes that are not UTF-8; with and without ?publish=true. A file a caller may
// write always holds a poison row (fields no rule accepts, first after the header, where no
// later damage reaches it): a file is one transaction, so none may be imported.

const POISON_CODE = '-no such code-';
const CODE_COLUMNS = new Set(['code', 'indicatorcode', 'indicatorref']);
const normalise = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

const HEADERS = [
  ['indicator_code', 'period', 'value'],
  ['indicator_code', 'service_id', 'period', 'value', 'numerator', 'denominator'],
  ['code', 'period', 'numerator', 'denominator'],
  ['Indicator Code', 'Period', 'Value', 'Target'],
  ['indicator_ref', 'indicator', 'unit', 'polarity', 'period', 'value'],
  ['organisation', 'indicator_code', 'period', 'value'],
  ['indicator_code', 'department', 'period', 'value'],
  ['code', 'name', 'unit', 'polarity', 'frequency'],
  ['code', 'name', 'tolerance', 'min_value', 'max_value', 'why_it_matters'],
];

function header(random: Random): string[] {
  const columns = [...random.pick(HEADERS)];
  for (
    let round = random.weighted([
      [6, 0],
      [3, 1],
      [1, 2],
    ]);
    round > 0;
    round--
  ) {
    const at = random.int(0, columns.length - 1);
    random.weighted<() => void>([
      [2, () => (columns[at] = columns[at]!.replace(/r/, 'rr'))],
      [2, () => columns.splice(at, 0, columns[at]!)],
      [2, () => columns.splice(at, 1)],
      [
        2,
        () =>
          columns.push(
            random.pick([
              'numerater',
              'comment',
              '',
              'value ',
              'VALUE',
              ' period',
              'Indicator-Code',
              'frequency',
              'x'.repeat(500),
            ]),
          ),
      ],
      [1, () => (columns[at] = `"${columns[at]}"`)],
      [1, () => (columns[at] = oddText(random).slice(0, 50))],
    ])();
  }
  return columns;
}

/** One cell for a column, mostly plausible, often odd. */
function cell(random: Random, column: string, organisation: string, world: World): string {
  const held = world.held.get(organisation)!;
  const name = normalise(column);
  const plausible = (): string => {
    if (CODE_COLUMNS.has(name))
      return held.indicators.length > 0 && random.chance(0.8)
        ? random.pick(held.indicators).code
        : random.pick(['no-such', '', '608']);
    if (name === 'period') return oddPeriod(random);
    if (name === 'organisation')
      return random.chance(0.7) ? organisation : random.pick(world.organisations);
    if (name === 'serviceid')
      return held.services.length > 0 ? random.pick(held.services) : 'no-such-service';
    if (
      ['value', 'numerator', 'denominator', 'target', 'tolerance', 'minvalue', 'maxvalue'].includes(
        name,
      )
    )
      return String(random.int(0, 5000));
    if (name === 'unit') return random.pick(['PERCENT', 'COUNT', 'percent', '%', 'pounds']);
    if (name === 'polarity') return random.pick(['BIGGER_IS_BETTER', 'bigger', 'up']);
    if (name === 'frequency') return random.pick(['MONTHLY', 'monthly', 'weekly']);
    return 'text';
  };
  return random.weighted<() => string>([
    [10, plausible],
    [3, () => String(oddNumber(random))],
    [
      1,
      () =>
        random.pick([
          '1e400',
          '-1e400',
          'NaN',
          'Infinity',
          '-0',
          '1,234.5',
          '"1,234.5"',
          '12%',
          '£5',
          ' 5 ',
          '0x10',
          '1e308',
          '5e-324',
          '2019-02-30',
          '31/12/2019',
          '2019-13',
        ]),
    ],
    [1, () => oddText(random).slice(0, 200)],
    [1, () => `"${plausible()}`],
    [1, () => `"a ""quoted"" cell, with a comma\nand a line break"`],
  ])();
}

/** A CSV file for `organisation`, as text or bytes. */
function csvFile(
  random: Random,
  world: World,
  organisation: string,
  poisoned: boolean,
): { kind: string; body: string | Buffer } {
  const columns = header(random);
  const delimiter = random.weighted([
    [20, ','],
    [1, ';'],
    [1, '\t'],
  ]);
  const newline = random.weighted([
    [12, '\n'],
    [6, '\r\n'],
    [1, '\r'],
  ]);
  const lines = [columns.join(delimiter)];
  // Every field of the poison row is the poison code: whatever the header names (or its quotes hide), no reading of it is valid.
  if (poisoned) lines.push(columns.map(() => POISON_CODE).join(delimiter));
  const count = random.chance(0.03) ? random.size(3000) : random.int(0, 12);
  for (let i = 0; i < count; i++) {
    const row = columns.map((c) => cell(random, c, organisation, world));
    if (random.chance(0.05)) row.push('extra');
    if (random.chance(0.05)) row.pop();
    lines.push(
      random.chance(0.03)
        ? random.pick(['', ',,,,', '"never closed', '#comment', 'a'.repeat(random.size(20_000))])
        : row.join(delimiter),
    );
  }
  let text = lines.join(newline) + (random.chance(0.8) ? newline : '');
  if (random.chance(0.1)) text = `\ufeff${text}`;
  if (random.chance(0.03)) text = `${text}"${'unterminated '.repeat(random.size(500))}`;
  return random.weighted<() => { kind: string; body: string | Buffer }>([
    [30, () => ({ kind: 'CSV file', body: text })],
    [1, () => ({ kind: 'CSV file in Latin-1', body: Buffer.from(`${text}caf\u00e9\n`, 'latin1') })],
    [
      1,
      () => ({
        kind: 'CSV file in UTF-16',
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      }),
    ],
    [
      1,
      () => ({
        kind: 'CSV file with NUL bytes',
        body: Buffer.concat([Buffer.from(text), Buffer.from([0, 0, 0]), Buffer.from('x,y\n')]),
      }),
    ],
    // Past the 4 KiB a file's type is judged from, a NUL reaches the parser.
    [
      1,
      () => ({
        kind: 'CSV file with a NUL past 4 KiB',
        body: `${text}${`${columns.map(() => 'filler').join(delimiter)}${newline}`.repeat(Math.ceil(4200 / (columns.length * 7 + 1)))}${columns.map(() => 'x\u0000y').join(delimiter)}${newline}`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'binary file',
        body: Buffer.concat([
          Buffer.from(
            random.pick([
              '%PDF-1.4\n',
              'PK\u0003\u0004',
              '\u00d0\u00cf\u0011\u00e0',
              '\u0089PNG\r\n',
            ]),
            'latin1',
          ),
          Buffer.from(random.many(random.int(0, 3000), () => random.int(0, 255))),
        ]),
      }),
    ],
  ])();
}

const JSON_POISON: Record<string, unknown> = {
  indicators: {
    code: POISON_CODE,
    name: 'x',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
  },
  measurements: { indicatorCode: POISON_CODE, period: '2019-01', value: 1 },
  targets: { indicatorCode: POISON_CODE, fromPeriod: '2019-01', value: 1 },
  milestoneReturns: {
    milestoneId: '-no such milestone-',
    returnDate: '2019-02-30',
    forecast: 'never',
  },
  confidenceAssessments: {
    programmeId: '-no such programme-',
    assessor: 'IPA',
    assessedOn: '2019-02-30',
    scale: 'THREE_POINT',
    rating: 'AMBER_GREEN',
  },
};

/** A JSON file: an array of measurements, or an object of sections, with odd fields and values. */
function jsonFile(
  random: Random,
  world: World,
  organisation: string,
  poisoned: boolean,
): { kind: string; body: string | Buffer } {
  const held = world.held.get(organisation)!;
  const value = () =>
    random.chance(0.7)
      ? random.int(0, 5000)
      : random.chance(0.5)
        ? oddNumber(random)
        : oddValue(random);
  const measurement = () => ({
    ...(random.chance(0.1) ? { organisation: random.pick(world.organisations) } : {}),
    indicatorCode:
      held.indicators.length > 0 && random.chance(0.8)
        ? random.pick(held.indicators).code
        : oddText(random).slice(0, 100),
    period: random.chance(0.9) ? oddPeriod(random) : oddValue(random),
    ...(random.chance(0.5) ? { value: value() } : { numerator: value(), denominator: value() }),
    ...(random.chance(0.05)
      ? { [random.pick(['numerater', 'bogus', '__proto__', 'constructor'])]: value() }
      : {}),
  });
  const section = (name: string) =>
    random.many(random.chance(0.03) ? random.size(2000) : random.int(0, 8), () =>
      name === 'measurements'
        ? measurement()
        : {
            ...(JSON_POISON[name] as object),
            [random.pick(Object.keys(JSON_POISON[name] as object))]: random.chance(0.5)
              ? oddValue(random)
              : value(),
          },
    );
  let document: unknown;
  if (random.chance(0.4)) {
    document = section('measurements');
    if (poisoned) (document as unknown[]).unshift(JSON_POISON.measurements);
  } else {
    const names = Object.keys(JSON_POISON).filter(() => random.chance(0.4));
    if (names.length === 0 || (random.chance(0.1) && !poisoned))
      names.push(random.pick(['unknownSection', 'Measurements']));
    const object: Record<string, unknown> = Object.fromEntries(
      names.map((name) => [name, name in JSON_POISON ? section(name) : oddValue(random)]),
    );
    const first = names.find((name) => name in JSON_POISON);
    if (poisoned)
      object[first ?? 'measurements'] = [
        JSON_POISON[first ?? 'measurements'],
        ...((object[first ?? 'measurements'] as unknown[]) ?? []),
      ];
    document = object;
  }
  const text = JSON.stringify(document, null, random.chance(0.3) ? 2 : undefined);
  return random.weighted<() => { kind: string; body: string | Buffer }>([
    [20, () => ({ kind: 'JSON file', body: text })],
    [
      2,
      () => ({
        kind: 'JSON file, broken',
        body: random.pick([
          text.slice(0, random.int(0, text.length)),
          `${text},`,
          `${text.replace(/1/g, 'NaN')}`,
          `// a comment\n${text}`,
          `\ufeff${text}`,
          text.replace(/"/g, "'"),
        ]),
      }),
    ],
    [
      1,
      () => ({
        kind: 'JSON file, deep',
        body: `${'['.repeat(random.size(20_000))}1${']'.repeat(random.int(0, 3))}`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'JSON file, not a document',
        body: random.pick([
          'null',
          '42',
          '"text"',
          'true',
          '',
          ' ',
          '{}',
          '[]',
          '[[]]',
          '[null]',
          '{"measurements": {}}',
          '{"measurements": null}',
        ]),
      }),
    ],
  ])();
}

/** One input of family 3: an import, most often by a caller who may write (so the rules run). */
export function importInput(random: Random, world: World, n: number): FuzzInput {
  const organisation = random.pick(world.organisations);
  const caller = world.caller(random, organisation);
  const poisoned = caller.mayWrite || random.chance(0.5);
  const json = random.chance(0.4);
  const file = json
    ? jsonFile(random, world, organisation, poisoned)
    : csvFile(random, world, organisation, poisoned);
  // Files that are empty, or not a document at all, go only from callers who may not write.
  const harmless = !caller.mayWrite || file.kind !== 'JSON file, not a document';
  const direct = random.chance(0.25);
  const who = random.weighted([
    [20, organisation],
    [1, 'nope'],
    [1, organisation.toUpperCase()],
    [1, '%00'],
    [1, '..%2f..%2fimports'],
    [1, `${organisation}%20`],
    [1, 'x'.repeat(300)],
  ]);
  const path = direct
    ? random.pick(['/imports', `/organisations/${who}/imports`])
    : random.weighted([
        [8, `/organisations/${who}/imports`],
        [1, `/publishers/${who}/imports`],
      ]);
  const query = random.weighted([
    [8, ''],
    [4, '?publish=true'],
    [1, '?publish=1'],
    [1, `?format=${json ? 'json' : 'csv'}`],
    [1, '?format=xlsx'],
    [1, '?publish=true&publish=false'],
    [1, `?publish=${uriEncoded(oddText(random).slice(0, 50))}`],
  ]);
  const type = random.weighted<string | null>([
    [16, json ? 'application/json' : 'text/csv'],
    [1, json ? 'text/csv' : 'application/json'],
    [1, 'text/plain'],
    [1, null],
    [1, 'application/octet-stream'],
    [1, 'multipart/form-data; boundary=x'],
    [1, 'text/csv; charset=latin1'],
  ]);
  const importId = random.weighted<string | null>([
    [14, null],
    [
      4,
      `${organisation}.${random.many(22, () => random.pick([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'])).join('')}`,
    ],
    [1, 'not-an-id'],
    [1, `${random.pick(world.organisations)}.short`],
    [1, `nope.${'a'.repeat(20)}`],
  ]);
  return {
    n,
    family: 'imports',
    kind: harmless ? file.kind : 'CSV file',
    to: direct ? organisation : 'gateway',
    method: 'POST',
    origin: new URL(direct ? world.subgraphs[organisation]! : world.gateway).origin,
    path: `${path}${query}`,
    headers: {
      ...(type ? { 'content-type': type } : {}),
      ...(random.chance(0.3) ? { accept: 'application/x-ndjson' } : {}),
      ...(importId ? { 'import-id': importId } : {}),
      ...caller.headers,
    },
    body: harmless ? file.body : `indicator_code,period,value\n${POISON_CODE},2019-01,1\n`,
    write: true,
    byWriter: caller.mayWrite,
    page: false,
  };
}
