import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEED_DATA_DIR } from '@crossgov/schema';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { ROOT, generatedCsv } from '@crossgov/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { snapshotTables } from '@crossgov/testing/snapshot';
import {
  invalidTokens,
  publisherTokenFor,
  tampered,
  tokenFor as issueToken,
} from '@crossgov/testing/tokens';

const auth: AuthConfig = { secret: 'imports-e2e-secret-'.padEnd(48, 'i') };
const NORFOLK_CSV = readFileSync(join(SEED_DATA_DIR, 'norfolk-vital-signs.csv'), 'utf8');
// The published rows that break the rules: indicator 323, January 2019 (numerator 2299 over 1483,
// which the value 60.8 contradicts too), and three whose value contradicts their own numerator and
// denominator: 611 for October 2018 (79.5 for 2675 / 3386), 636 for June and October 2018 (99 for
// 113100 / 113400 and for 123700 / 124200).
const LINES = NORFOLK_CSV.split('\n');
const lineOf = (row: string) => LINES.indexOf(row) + 1;
const BAD_ROWS = [
  LINES.find((l) => l.startsWith('323,') && l.includes(',2019-01,') && l.includes(',2299,1483,'))!,
  LINES.find((l) => l.startsWith('611,') && l.includes(',2018-10,') && l.includes(',2675,3386,'))!,
  LINES.find(
    (l) => l.startsWith('636,') && l.includes(',2018-06,') && l.includes(',113100,113400,'),
  )!,
  LINES.find(
    (l) => l.startsWith('636,') && l.includes(',2018-10,') && l.includes(',123700,124200,'),
  )!,
];
const contradicts = (numerator: number, denominator: number, ratio: string, value: number) =>
  `contradicts its numerator and denominator: ${numerator} / ${denominator} is ${ratio}%, which no rounding of the three figures as written turns into ${value}`;

/**
 * Two periods that have ended by the graph's today (2026-11-21), of the indicator's frequency, that
 * no seeded series holds a figure for (synthetic series run from 2024-Q2 to 2026-09; Norfolk's to 2019-02).
 */
const FRESH: Record<string, [string, string]> = {
  MONTHLY: ['2026-10', '2023-12'],
  QUARTERLY: ['2023-Q4', '2023-Q3'],
  ANNUAL: ['2022', '2021'],
};

const tokenFor = (organisation: string | null, scopes: Scope[], expiresIn = '1h') =>
  issueToken(auth, organisation, scopes, expiresIn);
const dataTeamTokenFor = (publisher: string, scopes: Scope[]) =>
  publisherTokenFor(auth, publisher, scopes);

interface ImportAnswer {
  data?: {
    organisation: string | null;
    organisations: string[];
    published: boolean;
    rows: number;
    measurements: number;
    targets: number;
    indicators: number;
  };
  errors?: {
    message: string;
    extensions: {
      code: string;
      reason?: string;
      problems?: { row: number; context?: string; field: string; value: unknown; rule: string }[];
    };
  }[];
}

describe(`imports through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  let base: string;
  const indicatorsOf = new Map<string, { code: string; unit: string; frequency: string }[]>();

  /** Sends a file for an organisation (`/organisations/<id>/imports`), or with `publisher` for a publisher (`/publishers/<id>/imports`). */
  const send = async (
    organisation: string,
    body: string,
    options: {
      token?: string;
      type?: string;
      publish?: boolean;
      accept?: string;
      publisher?: boolean;
    } = {},
  ) => {
    const path = options.publisher
      ? `publishers/${organisation}/imports`
      : `organisations/${organisation}/imports`;
    const response = await fetch(`${base}${path}${options.publish ? '?publish=true' : ''}`, {
      method: 'POST',
      headers: {
        'content-type': options.type ?? 'text/csv',
        ...(options.accept ? { accept: options.accept } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const sendJson = async (...args: Parameters<typeof send>) => {
    const { status, text } = await send(...args);
    return { status, body: JSON.parse(text) as ImportAnswer };
  };
  const norfolk = () => graph.organisations.get('norfolk')!.database;

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    base = new URL('.', graph.gatewayUrl).href;
    for (const organisation of graph.registry.organisations) {
      const { data } = await graph.query<
        Record<string, { indicators: { code: string; unit: string; frequency: string }[] }>
      >(`{ ${organisation.id} { indicators { code unit frequency } } }`);
      indicatorsOf.set(organisation.id, data![organisation.id]!.indicators);
    }
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it("lets each organisation and its publisher's data team import its file, CSV or JSON, and refuses another organisation's or publisher's token, anonymous, read-only, expired, tampered and wrongly signed tokens", async () => {
    const organisations = graph.registry.organisations;
    for (const [i, { id, publisher }] of organisations.entries()) {
      const { code, frequency } = indicatorsOf.get(id)![0]!;
      const [first, second] = FRESH[frequency]!;
      const files = [
        { type: 'text/csv', body: `indicator_code,period,value\n${code},${first},40\n` },
        {
          type: 'application/json',
          body: JSON.stringify([{ indicatorCode: code, period: second, value: 41 }]),
        },
      ];
      const other = organisations[(i + 1) % organisations.length]!;
      expect(other.publisher, id).not.toBe(publisher);
      for (const file of files) {
        const own = await sendJson(id, file.body, {
          type: file.type,
          token: await tokenFor(id, [Scope.WRITE]),
        });
        expect(own, `${id} ${file.type}`).toMatchObject({
          status: 200,
          body: {
            data: { organisation: id, organisations: [id], measurements: 1, published: false },
          },
        });
        // Its publisher's data team, for the organisation and as the publisher (for a publisher of one, the same file).
        const team = await dataTeamTokenFor(publisher, [Scope.PUBLISH]);
        const asTeam = await sendJson(id, file.body, { type: file.type, token: team });
        expect(asTeam, `${id} ${file.type} from publisher ${publisher}'s data team`).toMatchObject({
          status: 200,
          body: {
            data: { organisation: id, organisations: [id], measurements: 1, published: false },
          },
        });
        const asPublisher = await sendJson(publisher, file.body, {
          type: file.type,
          token: team,
          publisher: true,
        });
        expect(asPublisher, `${id} ${file.type} as publisher ${publisher}`).toMatchObject({
          status: 200,
          body: { data: { organisations: [id], measurements: 1, published: false } },
        });
        const refusals: [string | undefined, number, string, string?][] = [
          [await tokenFor(other.id, [Scope.WRITE]), 403, 'FORBIDDEN'],
          [await dataTeamTokenFor(other.publisher, [Scope.PUBLISH]), 403, 'FORBIDDEN'],
          [await dataTeamTokenFor(publisher, [Scope.WRITE, Scope.READ_DRAFTS]), 403, 'FORBIDDEN'],
          [undefined, 401, 'UNAUTHENTICATED'],
          [await tokenFor(id, [Scope.READ_PUBLISHED, Scope.READ_DRAFTS]), 403, 'FORBIDDEN'],
          ...(await invalidTokens(auth, id)).map(
            ({ token, reason }): [string, number, string, string] => [
              token,
              401,
              'UNAUTHENTICATED',
              reason,
            ],
          ),
        ];
        for (const [token, status, errorCode, reason] of refusals) {
          const refused = await sendJson(id, file.body, { type: file.type, token });
          expect(refused.status, `${id} ${file.type} ${errorCode} ${reason ?? ''}`).toBe(status);
          expect(refused.body.errors?.[0]?.extensions, `${id} ${errorCode}`).toMatchObject({
            code: errorCode,
            ...(reason ? { reason } : {}),
          });
        }
        // Another publisher's data team may not import as this publisher either.
        const foreign = await sendJson(publisher, file.body, {
          type: file.type,
          token: await dataTeamTokenFor(other.publisher, [Scope.PUBLISH]),
          publisher: true,
        });
        expect(
          foreign.status,
          `${id} ${file.type} as publisher ${publisher} with publisher ${other.publisher}'s token`,
        ).toBe(403);
        expect(foreign.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
  });

  it('has the subgraph itself refuse a tampered token sent to its import route directly', async () => {
    const direct = await fetch(new URL('imports', graph.subgraphUrls.norfolk!), {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${tampered(await tokenFor('norfolk', [Scope.READ_PUBLISHED]))}`,
      },
      body: 'code,period,value\n636,2019-05,1\n',
    });
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as ImportAnswer).errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses norfolk-vital-signs.csv as published whole, naming the 323 January 2019 row and the three whose value contradicts its parts, and writes nothing', async () => {
    const before = await snapshotTables(norfolk());
    const { status, body } = await sendJson('norfolk', NORFOLK_CSV, {
      token: await tokenFor('norfolk', [Scope.WRITE]),
      publish: true,
    });
    expect(status).toBe(400);
    const error = body.errors![0]!;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    const [line323, line611, line636June, line636October] = BAD_ROWS.map(lineOf) as [
      number,
      number,
      number,
      number,
    ];
    expect(line323).toBe(
      NORFOLK_CSV.split('\n').findIndex((l) => l.startsWith('323,') && l.includes(',2019-01,')) + 1,
    );
    expect(error.extensions.problems).toEqual([
      {
        row: line323,
        context: 'indicator 323, period 2019-01',
        field: 'numerator',
        value: 2299,
        rule: 'must not be above its denominator (1483) for a percentage',
      },
      {
        row: line323,
        context: 'indicator 323, period 2019-01',
        field: 'value',
        value: 60.8,
        rule: contradicts(2299, 1483, '155.024', 60.8),
      },
      {
        row: line611,
        context: 'indicator 611, period 2018-10',
        field: 'value',
        value: 79.5,
        rule: contradicts(2675, 3386, '79.0018', 79.5),
      },
      {
        row: line636June,
        context: 'indicator 636, period 2018-06',
        field: 'value',
        value: 99,
        rule: contradicts(113100, 113400, '99.7354', 99),
      },
      {
        row: line636October,
        context: 'indicator 636, period 2018-10',
        field: 'value',
        value: 99,
        rule: contradicts(123700, 124200, '99.5974', 99),
      },
    ]);
    expect(error.message).toBe(
      `4 invalid rows: row ${line323} (indicator 323, period 2019-01): numerator 2299 must not be above its denominator (1483) for a percentage; ` +
        `row ${line323} (indicator 323, period 2019-01): value 60.8 ${contradicts(2299, 1483, '155.024', 60.8)}; ` +
        `row ${line611} (indicator 611, period 2018-10): value 79.5 ${contradicts(2675, 3386, '79.0018', 79.5)}; ` +
        `row ${line636June} (indicator 636, period 2018-06): value 99 ${contradicts(113100, 113400, '99.7354', 99)}; ` +
        `row ${line636October} (indicator 636, period 2018-10): value 99 ${contradicts(123700, 124200, '99.5974', 99)}`,
    );
    expect(await snapshotTables(norfolk())).toEqual(before);
  });

  it('imports the file without those rows as published, and importing it twice leaves the same counts', async () => {
    expect(BAD_ROWS.every((row) => row !== undefined)).toBe(true);
    const file = BAD_ROWS.reduce((text, row) => text.replace(`${row}\n`, ''), NORFOLK_CSV);
    const owner = await tokenFor('norfolk', [Scope.WRITE]);
    const first = await sendJson('norfolk', file, { token: owner, publish: true });
    // 102 rows less the four taken out. Each indicator's target is on its latest row; 323's latest
    // is the row taken out, so 7 of 8 (the others taken out are not their indicator's latest).
    expect(first).toMatchObject({
      status: 200,
      body: { data: { rows: 98, measurements: 98, targets: 7, published: true } },
    });
    const once = await snapshotTables(norfolk());
    const second = await sendJson('norfolk', file, { token: owner, publish: true });
    expect(second.body.data).toEqual(
      first.body.data && { ...first.body.data, elapsedMs: expect.any(Number) },
    );
    const twice = await snapshotTables(norfolk());
    // The figures, targets, drafts and returns are exactly as after the first import...
    for (const table of ['measurements', 'targets', 'measurement_drafts', 'returns'])
      expect(twice[table], table).toEqual(once[table]);
    // ...and the history says the figures were sent again, one PUBLISHED revision each.
    expect(twice.measurement_revisions!.rows).toBe(once.measurement_revisions!.rows + 98);
    const { data } = await graph.query<{
      norfolk: { indicators: { code: string; history: { status: string; value: number }[] }[] };
    }>('{ norfolk { indicators { code history(period: "2019-02") { status value } } } }');
    const history = data!.norfolk.indicators.find((i) => i.code === '608')!.history;
    expect(history.filter((h) => h.status === 'PUBLISHED').length).toBeGreaterThanOrEqual(2);
  });

  it('streams progress lines and then the result when the client accepts NDJSON', async () => {
    // 3000 figures of HMRC's monthly indicators, for the whole department and each service, month
    // after month from 2000 (all ended, and before its seeded series, which start in 2024).
    const indicators = indicatorsOf.get('hmrc')!.filter((i) => i.frequency === 'MONTHLY');
    const { data } = await graph.query<{ hmrc: { services: { id: string }[] } }>(
      '{ hmrc { services { id } } }',
    );
    const file = generatedCsv(
      { indicators, services: data!.hmrc.services.map((s) => s.id) },
      3000,
      '2000-01',
    );
    expect(file.trim().split('\n').at(-1)!.split(',')[2]! < '2024-01').toBe(true);
    const { status, type, text } = await send('hmrc', file, {
      token: await tokenFor('hmrc', [Scope.WRITE]),
      accept: 'application/x-ndjson',
    });
    expect(status).toBe(200);
    expect(type).toContain('application/x-ndjson');
    const lines = text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            progress?: { phase: string; done: number; total: number | null };
          } & ImportAnswer,
      );
    expect(lines.at(-1)!.data).toMatchObject({ measurements: 3000 });
    const phases = lines.filter((l) => l.progress).map((l) => l.progress!.phase);
    expect(phases).toContain('validating');
    expect(phases).toContain('committing');
  });

  it('answers 404 for an organisation not in the graph and 415 for a file it cannot read as CSV or JSON', async () => {
    const token = await tokenFor(null, [Scope.ADMIN]);
    expect(
      (await sendJson('atlantis', 'code,period,value\n', { token })).body.errors![0]!.extensions
        .code,
    ).toBe('NOT_FOUND');
    expect((await sendJson('directory', 'code,period,value\n', { token })).status).toBe(404);
    const wrongType = await sendJson('norfolk', 'code,period,value\n', {
      token,
      type: 'application/vnd.ms-excel',
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.errors![0]!.message).toContain('text/csv or application/json');
  });

  describe('pnpm run import', () => {
    const folder = mkdtempSync(join(tmpdir(), 'crossgov-import-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const run = async (args: string[], env: Record<string, string> = {}) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(
          process.execPath,
          [
            '--import',
            'tsx',
            'scripts/src/import.ts',
            ...args,
            '--gateway',
            base.replace(/\/$/, ''),
          ],
          {
            cwd: ROOT,
            env: { ...process.env, AUTH_SECRET: auth.secret, CROSSGOV_TOKEN: '', ...env },
          },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };

    it('imports a file with a development token for the organisation, and lists every invalid line of a refused one', async () => {
      const good = join(folder, 'good.csv');
      writeFileSync(good, 'indicator_code,period,value\n636,2019-03,97.5\n636,2019-04,98\n');
      const ok = await run(['norfolk', good]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(
        /imported .*good\.csv into norfolk in [\d.]+ s: 2 measurements as drafts/,
      );

      const bad = join(folder, 'bad.csv');
      writeFileSync(
        bad,
        'indicator_code,period,value\n636,2019-03,97.5\n999,2019-04,98\n636,March,98\n',
      );
      const refused = await run(['norfolk', bad, '--publish']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'import refused (HTTP 400, BAD_USER_INPUT): nothing was written.',
      );
      expect(refused.stderr).toContain(
        'line 3 (indicator 999, period 2019-04): indicatorCode "999" is not an indicator of norfolk',
      );
      expect(refused.stderr).toMatch(
        /line 4 \(indicator 636, period March\): period "March" must be a period/,
      );
    });

    it("refuses another organisation's token and an expired one, naming the reason", async () => {
      const file = join(folder, 'one.csv');
      writeFileSync(file, 'indicator_code,period,value\n636,2019-05,97.5\n');
      const other = await run(['norfolk', file, '--token', await tokenFor('hmrc', [Scope.WRITE])]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain('HTTP 403, FORBIDDEN');
      const expired = await run(['norfolk', file], {
        CROSSGOV_TOKEN: await tokenFor('norfolk', [Scope.WRITE], '-1m'),
      });
      expect(expired.code).toBe(1);
      expect(expired.stderr).toContain('HTTP 401, UNAUTHENTICATED');
    });

    it('says how to use it when the arguments are wrong', async () => {
      const usage = await run(['norfolk']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('name the organisation and the file (given: norfolk)');
      expect(usage.stderr).toContain(
        'Usage: npx -y pnpm@9 run import <organisation> <file.csv|file.json>',
      );
    });
  });
});
