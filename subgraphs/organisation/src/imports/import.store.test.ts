import { type Principal, Scope, findEntry, loadRegistry } from '@crossgov/schema';
import { generatedCsv } from '../../../../scripts/src/import-fixtures.ts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, freshSchemaName } from '../../../../test/utils/database.ts';
import { STORAGE, TEST_DATABASE_URL } from '../../../../test/utils/graph.ts';
import { snapshotTables } from '../../../../test/utils/snapshot.ts';
import { openOrganisationDatabase, type OrganisationDatabase } from '../db/client.ts';
import { indicators, services } from '../db/schema.ts';
import { seedOrganisation } from '../seed/seed.ts';
import { parseCsvImport, parseJsonImport } from './import.parse.ts';
import { importBatch } from './import.store.ts';

const owner: Principal = { subject: 'ana', organisation: 'hmrc', scopes: new Set([Scope.WRITE]), anonymous: false };
const hmrc = findEntry(loadRegistry(), 'hmrc');
const synergy = findEntry(loadRegistry(), 'synergy');
const TODAY = '2026-11-21';
const ROWS = 20_000;

describe(`importing a file as one transaction on ${STORAGE}`, () => {
  const schema = freshSchemaName('hmrc');
  let database: OrganisationDatabase;
  let file: string;
  beforeAll(async () => {
    database = await openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    await seedOrganisation(database.db, hmrc, { serviceCount: 40 });
    const subject = {
      indicators: await database.db.select({ code: indicators.code, unit: indicators.unit }).from(indicators),
      services: (await database.db.select({ id: services.id }).from(services)).map((s) => s.id),
    };
    file = generatedCsv(subject, ROWS);
  });
  afterAll(async () => {
    await database?.close();
    await dropSchemas(schema);
  });

  it(`leaves the database exactly as it was when the last of ${ROWS} rows is invalid`, async () => {
    const before = await snapshotTables(database);
    const lines = file.trimEnd().split('\n');
    const last = lines.at(-1)!.split(',');
    const numeratorColumn = lines[0]!.split(',').indexOf('numerator');
    const broken = [...lines.slice(0, -1), [...last.slice(0, numeratorColumn), '1001', '1000'].join(',')].join('\n');
    for (const publish of [false, true]) {
      const refused = importBatch(database.db, owner, hmrc, await parseCsvImport(broken), { publish, today: TODAY });
      await expect(refused).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', problems: [expect.objectContaining({ row: ROWS + 1, field: 'numerator', value: 1001 })] },
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
    const first = await importBatch(database.db, owner, hmrc, await parseCsvImport(file), { publish: true, today: TODAY });
    expect(first).toMatchObject({ rows: ROWS, measurements: ROWS, published: true });
    const once = await snapshotTables(database);
    expect(once.measurements!.rows).toBe(before.measurements!.rows + ROWS);
    expect(once.measurement_revisions!.rows).toBe(before.measurement_revisions!.rows + ROWS);
    await importBatch(database.db, owner, hmrc, await parseCsvImport(file), { publish: true, today: TODAY });
    const twice = await snapshotTables(database);
    expect(twice.measurements!.rows).toBe(once.measurements!.rows);
    expect(twice.returns).toEqual(once.returns);
    expect(twice.measurement_revisions!.rows).toBe(once.measurement_revisions!.rows + ROWS);
  });

  it('publishing a figure discards a waiting draft of it, so publishing its period later cannot bring the older figure back', async () => {
    const code = (await database.db.select({ code: indicators.code }).from(indicators))[0]!.code;
    await importBatch(database.db, owner, hmrc, parseJsonImport(JSON.stringify([{ indicatorCode: code, period: '2045-01', value: 1 }])), { today: TODAY });
    expect((await snapshotTables(database)).measurement_drafts!.rows).toBe(1);
    await importBatch(database.db, owner, hmrc, parseJsonImport(JSON.stringify([{ indicatorCode: code, period: '2045-01', value: 2 }])), { publish: true, today: TODAY });
    expect((await snapshotTables(database)).measurement_drafts!.rows).toBe(0);
  });

  it('checks what a file says about an indicator against its definition', async () => {
    const [percent] = await database.db.select({ code: indicators.code }).from(indicators).where(eq(indicators.unit, 'PERCENT'));
    const batch = await parseCsvImport(`code,unit,polarity,period,numerator,denominator\n${percent!.code},count,bigger,2046-01,1,2\n${percent!.code},percent,sideways,2046-02,1,2\n`);
    await expect(importBatch(database.db, owner, hmrc, batch, { today: TODAY })).rejects.toMatchObject({
      extensions: {
        problems: [
          expect.objectContaining({ row: 2, field: 'unit', value: 'count', rule: `does not match indicator ${percent!.code}, whose unit is percent` }),
          expect.objectContaining({ row: 3, field: 'polarity', value: 'sideways', rule: 'must be bigger or smaller (is better)' }),
        ],
      },
    });
  });

  it("refuses a department that is not one of the organisation's members in that period", async () => {
    const [percent] = await database.db.select({ code: indicators.code }).from(indicators).where(eq(indicators.unit, 'PERCENT'));
    const forHmrc = parseJsonImport(JSON.stringify([{ indicatorCode: percent!.code, period: '2024-04', department: 'DWP', numerator: 1, denominator: 2 }]));
    // HMRC reports for itself: a department is for clusters.
    await expect(importBatch(database.db, owner, hmrc, forHmrc, { today: TODAY })).rejects.toMatchObject({
      extensions: { problems: [expect.objectContaining({ field: 'department', value: 'DWP', rule: 'is for clusters reporting per member department; hmrc has no member departments' })] },
    });
    // HMRC is in Unity, not Synergy.
    const batch = parseJsonImport(JSON.stringify([{ indicatorCode: 'ss-invoices-paid-5-days', period: '2024-04', department: 'HMRC', numerator: 1, denominator: 2 }]));
    const asSynergy = await openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: `${schema}_s` });
    try {
      await seedOrganisation(asSynergy.db, synergy);
      const admin: Principal = { subject: 'root', organisation: null, scopes: new Set([Scope.ADMIN]), anonymous: false };
      await expect(importBatch(asSynergy.db, admin, synergy, batch, { today: TODAY })).rejects.toMatchObject({
        extensions: { problems: [expect.objectContaining({ field: 'department', value: 'HMRC', rule: expect.stringContaining('is not a member department of synergy') })] },
      });
    } finally {
      await asSynergy.close();
      await dropSchemas(`${schema}_s`);
    }
  });
});
