import {
  findEntry,
  findPublisher,
  loadRegistry,
  organisationsOf,
  parseRegistry,
} from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { generatedCsv } from '../../../../scripts/src/import-fixtures.ts';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE, TEST_DATABASE_URL, dropSchemas } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { openOrganisationDatabase } from '../db/client.ts';
import { indicators, measurementDrafts, services } from '../db/schema.ts';
import { seedOrganisation } from '../seed/seed.ts';
import { parseCsvImport } from './import.csv.ts';
import { parseJsonImport } from './import.parse.ts';
import { importBatch } from './import.store.ts';

const owner: Principal = {
  subject: 'ana',
  organisation: 'hmrc',
  publisher: null,
  scopes: new Set([Scope.WRITE]),
  anonymous: false,
};
const hmrc = findEntry(loadRegistry(), 'hmrc');
const synergy = findEntry(loadRegistry(), 'synergy');
const TODAY = '2026-11-21';
const ROWS = 20_000;
/** The generated file's first month: its 20000 rows run to 2013, all ended by TODAY and all before the seeded 2024-04 to 2026-09. */
const FIRST_MONTH = '2000-01';

describe(`importing a file as one transaction on ${STORAGE}`, () => {
  const database = seededDatabase(hmrc, { serviceCount: 40 });
  const { schema } = database;
  let file: string;
  beforeAll(async () => {
    // Monthly indicators only, from a month long before the seeded series: a figure must be of its
    // indicator's cadence and for a period that has ended, and the file must add rows, not replace them.
    const subject = {
      indicators: await database.db
        .select({ code: indicators.code, unit: indicators.unit })
        .from(indicators)
        .where(eq(indicators.frequency, 'MONTHLY')),
      services: (await database.db.select({ id: services.id }).from(services)).map((s) => s.id),
    };
    file = generatedCsv(subject, ROWS, FIRST_MONTH);
  });

  it(`leaves the database exactly as it was when the last of ${ROWS} rows is invalid`, async () => {
    const before = await snapshotTables(database);
    const lines = file.trimEnd().split('\n');
    const last = lines.at(-1)!.split(',');
    const numeratorColumn = lines[0]!.split(',').indexOf('numerator');
    const broken = [
      ...lines.slice(0, -1),
      [...last.slice(0, numeratorColumn), '1001', '1000'].join(','),
    ].join('\n');
    for (const publish of [false, true]) {
      const refused = importBatch(database.db, owner, hmrc, await parseCsvImport(broken), {
        publish,
        today: TODAY,
      });
      await expect(refused).rejects.toMatchObject({
        extensions: {
          code: 'BAD_USER_INPUT',
          problems: [expect.objectContaining({ row: ROWS + 1, field: 'numerator', value: 1001 })],
        },
      });
      expect(await snapshotTables(database)).toEqual(before);
    }
  });

  it('leaves the database exactly as it was when writing fails half way through', async () => {
    const before = await snapshotTables(database);
    for (const publish of [false, true]) {
      let written = 0;
      const failing = importBatch(database.db, owner, hmrc, await parseCsvImport(file), {
        publish,
        today: TODAY,
        onProgress: ({ phase, done }) => {
          if (phase !== 'writing') return;
          written = done;
          if (done >= ROWS / 2) throw new Error('the disk filled up');
        },
      });
      await expect(failing).rejects.toThrow('the disk filled up');
      expect(written).toBeGreaterThanOrEqual(ROWS / 2);
      expect(await snapshotTables(database)).toEqual(before);
    }
  });

  it('imports the whole file, and importing it again replaces rather than adds', async () => {
    const before = await snapshotTables(database);
    const first = await importBatch(database.db, owner, hmrc, await parseCsvImport(file), {
      publish: true,
      today: TODAY,
    });
    expect(first).toMatchObject({ rows: ROWS, measurements: ROWS, published: true });
    const once = await snapshotTables(database);
    expect(once.measurements!.rows).toBe(before.measurements!.rows + ROWS);
    expect(once.measurement_revisions!.rows).toBe(before.measurement_revisions!.rows + ROWS);
    await importBatch(database.db, owner, hmrc, await parseCsvImport(file), {
      publish: true,
      today: TODAY,
    });
    const twice = await snapshotTables(database);
    expect(twice.measurements!.rows).toBe(once.measurements!.rows);
    expect(twice.returns).toEqual(once.returns);
    expect(twice.measurement_revisions!.rows).toBe(once.measurement_revisions!.rows + ROWS);
  });

  it('publishing a figure discards a waiting draft of it, so publishing its period later cannot bring the older figure back', async () => {
    const code = (
      await database.db
        .select({ code: indicators.code })
        .from(indicators)
        .where(eq(indicators.frequency, 'MONTHLY'))
    )[0]!.code;
    await importBatch(
      database.db,
      owner,
      hmrc,
      parseJsonImport(JSON.stringify([{ indicatorCode: code, period: '2019-01', value: 1 }])),
      { today: TODAY },
    );
    expect((await snapshotTables(database)).measurement_drafts!.rows).toBe(1);
    await importBatch(
      database.db,
      owner,
      hmrc,
      parseJsonImport(JSON.stringify([{ indicatorCode: code, period: '2019-01', value: 2 }])),
      { publish: true, today: TODAY },
    );
    expect((await snapshotTables(database)).measurement_drafts!.rows).toBe(0);
  });

  it('checks what a file says about an indicator against its definition', async () => {
    const [percent] = await database.db
      .select({ code: indicators.code })
      .from(indicators)
      .where(eq(indicators.unit, 'PERCENT'));
    const batch = await parseCsvImport(
      `code,unit,polarity,period,numerator,denominator\n${percent!.code},count,bigger,2019-02,1,2\n${percent!.code},percent,sideways,2019-03,1,2\n`,
    );
    await expect(
      importBatch(database.db, owner, hmrc, batch, { today: TODAY }),
    ).rejects.toMatchObject({
      extensions: {
        problems: [
          expect.objectContaining({
            row: 2,
            field: 'unit',
            value: 'count',
            rule: `does not match indicator ${percent!.code}, whose unit is percent`,
          }),
          expect.objectContaining({
            row: 3,
            field: 'polarity',
            value: 'sideways',
            rule: 'must be bigger, smaller (is better) or closest (to target)',
          }),
        ],
      },
    });
  });

  it("refuses a department that is not one of the organisation's members in that period", async () => {
    const [percent] = await database.db
      .select({ code: indicators.code })
      .from(indicators)
      .where(eq(indicators.unit, 'PERCENT'));
    const forHmrc = parseJsonImport(
      JSON.stringify([
        {
          indicatorCode: percent!.code,
          period: '2024-04',
          department: 'DWP',
          numerator: 1,
          denominator: 2,
        },
      ]),
    );
    // HMRC reports for itself: a department is for clusters.
    await expect(
      importBatch(database.db, owner, hmrc, forHmrc, { today: TODAY }),
    ).rejects.toMatchObject({
      extensions: {
        problems: [
          expect.objectContaining({
            field: 'department',
            value: 'DWP',
            rule: 'is for clusters reporting per member department; hmrc has no member departments',
          }),
        ],
      },
    });
    // HMRC is in Unity, not Synergy.
    const batch = parseJsonImport(
      JSON.stringify([
        {
          indicatorCode: 'ss-invoices-paid-5-days',
          period: '2024-04',
          department: 'HMRC',
          numerator: 1,
          denominator: 2,
        },
      ]),
    );
    const asSynergy = await openOrganisationDatabase({
      databaseUrl: TEST_DATABASE_URL,
      pgSchema: `${schema}_s`,
    });
    try {
      await seedOrganisation(asSynergy.db, synergy);
      const admin: Principal = {
        subject: 'root',
        organisation: null,
        publisher: null,
        scopes: new Set([Scope.ADMIN]),
        anonymous: false,
      };
      await expect(
        importBatch(asSynergy.db, admin, synergy, batch, { today: TODAY }),
      ).rejects.toMatchObject({
        extensions: {
          problems: [
            expect.objectContaining({
              field: 'department',
              value: 'HMRC',
              rule: expect.stringContaining('is not a member department of synergy'),
            }),
          ],
        },
      });
    } finally {
      await asSynergy.close();
      await dropSchemas(`${schema}_s`);
    }
  });
});

describe(`importing a publisher's file for the organisations it serves on ${STORAGE}`, () => {
  const sector = parseRegistry({
    directory: { url: 'http://127.0.0.1:4001/graphql' },
    insights: { url: 'http://127.0.0.1:4002/graphql' },
    publishers: [
      {
        id: 'nhs-england',
        name: 'NHS England',
        typeName: 'NhsTrust',
        url: 'http://127.0.0.1:4201/graphql',
      },
    ],
    organisations: [
      {
        id: 'rj1',
        name: "Guy's and St Thomas'",
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
        seed: { profile: 'department' },
      },
      {
        id: 'rgt',
        name: 'Cambridge University Hospitals',
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
        seed: { profile: 'department' },
      },
    ],
  });
  const serves = organisationsOf(sector, findPublisher(sector, 'nhs-england'));
  const [rj1, rgt] = serves as [(typeof serves)[0], (typeof serves)[0]];
  const team: Principal = {
    subject: 'data-team',
    organisation: null,
    publisher: 'nhs-england',
    scopes: new Set([Scope.PUBLISH]),
    anonymous: false,
  };
  const database = seededDatabase(serves, { serviceCount: 2 });
  const row = (organisation: string | undefined, value: number) => ({
    ...(organisation && { organisation }),
    indicatorCode: 'gds-completion-rate',
    period: '2019-01',
    numerator: value,
    denominator: 100,
  });
  const drafts = async () =>
    (
      await database.db.select().from(measurementDrafts).orderBy(measurementDrafts.organisationId)
    ).map((d) => [d.organisationId, d.indicatorId, d.period, d.numerator]);

  it('writes each row for the organisation it names, both of which use the same indicator code', async () => {
    const batch = parseJsonImport(JSON.stringify([row('rj1', 60), row('rgt', 70)]));
    const result = await importBatch(database.db, team, { serves }, batch, { today: TODAY });
    expect(result).toMatchObject({
      organisation: null,
      organisations: ['rj1', 'rgt'],
      measurements: 2,
      published: false,
    });
    expect(await drafts()).toEqual([
      ['rgt', 'gds-completion-rate', '2019-01', 70],
      ['rj1', 'gds-completion-rate', '2019-01', 60],
    ]);
  });

  it('refuses a row that names no organisation, or one the publisher does not serve, and writes nothing', async () => {
    const before = await snapshotTables(database);
    const batch = parseJsonImport(
      JSON.stringify([row('rj1', 61), row(undefined, 62), row('norfolk', 63)]),
    );
    await expect(
      importBatch(database.db, team, { serves }, batch, { today: TODAY }),
    ).rejects.toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [
          expect.objectContaining({
            row: 2,
            field: 'organisation',
            value: null,
            rule: "must name the organisation of every record in a publisher's import (one of rj1, rgt)",
          }),
          expect.objectContaining({
            row: 3,
            field: 'organisation',
            value: 'norfolk',
            rule: 'is not an organisation this publisher serves (it serves rj1, rgt)',
          }),
        ],
      },
    });
    expect(await snapshotTables(database)).toEqual(before);
  });

  it("refuses an organisation's token writing another organisation's rows of the same publisher", async () => {
    const before = await snapshotTables(database);
    const rj1Writer: Principal = {
      subject: 'ana',
      organisation: 'rj1',
      publisher: null,
      scopes: new Set([Scope.WRITE]),
      anonymous: false,
    };
    const batch = parseJsonImport(JSON.stringify([row('rj1', 64), row('rgt', 65)]));
    await expect(
      importBatch(database.db, rj1Writer, { serves }, batch, { today: TODAY }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await snapshotTables(database)).toEqual(before);
  });

  it("refuses, in one organisation's own import, a row naming another organisation", async () => {
    const batch = parseJsonImport(JSON.stringify([row('rgt', 66)]));
    await expect(
      importBatch(database.db, team, rj1, batch, { today: TODAY }),
    ).rejects.toMatchObject({
      extensions: {
        problems: [
          expect.objectContaining({
            field: 'organisation',
            value: 'rgt',
            rule: expect.stringContaining('must be rj1'),
          }),
        ],
      },
    });
    const result = await importBatch(
      database.db,
      team,
      rgt,
      parseJsonImport(JSON.stringify([row(undefined, 67)])),
      { today: TODAY },
    );
    expect(result).toMatchObject({ organisation: 'rgt', organisations: ['rgt'], measurements: 1 });
  });
});
