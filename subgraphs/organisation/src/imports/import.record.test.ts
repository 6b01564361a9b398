import { findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedCsv } from '../../../../scripts/src/import-fixtures.ts';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { snapshotTables } from '@crossgov/testing/snapshot';
import type { OrganisationDatabase } from '../db/client.ts';
import { imports, indicators, services } from '../db/schema.ts';
import { ImportClaims, importStatus, newImportId, publisherOfImportId } from './import.claim.ts';
import { parseCsvImport } from './import.csv.ts';
import { importBatch } from './import.store.ts';

const owner: Principal = {
  subject: 'ana',
  organisation: 'hmrc',
  publisher: null,
  scopes: new Set([Scope.WRITE]),
  anonymous: false,
};
const hmrc = findEntry(loadRegistry(), 'hmrc');
const TODAY = '2026-11-21';

describe(`the record of each import, and what became of it, on ${STORAGE}`, () => {
  const database = seededDatabase(hmrc, { serviceCount: 4 });
  /** A second process of the same publisher: its own pool on the same schema. */
  let replica: OrganisationDatabase;
  let file: string;
  let fileFrom: (firstMonth: string) => string;
  beforeAll(async () => {
    replica = await database.replica();
    const subject = {
      indicators: await database.db
        .select({ code: indicators.code, unit: indicators.unit })
        .from(indicators)
        .where(eq(indicators.frequency, 'MONTHLY')),
      services: (await database.db.select({ id: services.id }).from(services)).map((s) => s.id),
    };
    fileFrom = (firstMonth) => generatedCsv(subject, 3000, firstMonth);
    file = fileFrom('2000-01');
  });

  it('makes ids that name their publisher', () => {
    const id = newImportId('nhs-england');
    expect(id).toMatch(/^nhs-england\.[A-Za-z0-9_-]{22}$/);
    expect(publisherOfImportId(id)).toBe('nhs-england');
    expect(publisherOfImportId('nhs-england.short')).toBeNull();
    expect(publisherOfImportId('NHS.abcdefghijklmnopqrstuv')).toBeNull();
  });

  it('writes one row per committed import, in its transaction, with what it wrote; none for a refused one', async () => {
    const importId = newImportId('hmrc');
    const result = await importBatch(database.db, owner, hmrc, await parseCsvImport(file), {
      today: TODAY,
      importId,
    });
    const [row] = await database.db.select().from(imports).where(eq(imports.id, importId));
    expect(row).toMatchObject({ id: importId, organisationId: 'hmrc', actor: 'ana', result });
    expect(await importStatus(replica.db, importId)).toEqual({
      importId,
      status: 'COMMITTED',
      committedAt: row!.committedAt.toISOString(),
      actor: 'ana',
      result,
    });

    const before = await snapshotTables(database);
    const refused = newImportId('hmrc');
    await expect(
      importBatch(
        database.db,
        owner,
        hmrc,
        await parseCsvImport('indicator_code,period,value\nnope,2001-01,1\n'),
        { today: TODAY, importId: refused },
      ),
    ).rejects.toThrow(/invalid row/);
    expect(await snapshotTables(database)).toEqual(before);
    expect(await importStatus(replica.db, refused)).toEqual({
      importId: refused,
      status: 'NOT_COMMITTED',
    });
  });

  it('rolls back everything, its record included, when its caller goes away part-way through writing', async () => {
    const before = await snapshotTables(database);
    const caller = new AbortController();
    const importId = newImportId('hmrc');
    let written = 0;
    const run = importBatch(database.db, owner, hmrc, await parseCsvImport(fileFrom('1990-01')), {
      today: TODAY,
      importId,
      signal: caller.signal,
      onProgress: ({ phase, done }) => {
        if (phase !== 'writing') return;
        written = done;
        caller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ status: 499, code: 'CANCELLED' });
    expect(written).toBeGreaterThan(0);
    expect(await snapshotTables(database)).toEqual(before);
    expect(await importStatus(database.db, importId)).toMatchObject({ status: 'NOT_COMMITTED' });
  });

  it('is "running" while an import holds its claim, in this process or another, and final once released', async () => {
    const here = new ImportClaims(database.db);
    const there = new ImportClaims(replica.db);
    const importId = newImportId('hmrc');
    expect(await here.claim(importId)).toBe(true);
    expect(await here.claim(importId)).toBe(false);
    expect(await there.claim(importId)).toBe(false);
    expect((await importStatus(database.db, importId)).status).toBe('RUNNING');
    expect((await importStatus(replica.db, importId)).status).toBe('RUNNING');
    await here.release(importId);
    expect((await importStatus(replica.db, importId)).status).toBe('NOT_COMMITTED');
    expect(await there.claim(importId)).toBe(true);
    await there.release(importId);
  });

  it('refuses to commit an import whose claim was lost', async () => {
    const before = await snapshotTables(database);
    const importId = newImportId('hmrc');
    const batch = await parseCsvImport(fileFrom('1980-01'));
    await expect(
      importBatch(database.db, owner, hmrc, batch, {
        today: TODAY,
        importId,
        beforeCommit: (tx) => ImportClaims.confirm(tx, importId),
      }),
    ).rejects.toThrow(/lost its claim/);
    expect(await snapshotTables(database)).toEqual(before);
    // Held, it commits.
    const claims = new ImportClaims(database.db);
    expect(await claims.claim(importId)).toBe(true);
    try {
      await importBatch(database.db, owner, hmrc, batch, {
        today: TODAY,
        importId,
        beforeCommit: (tx) => ImportClaims.confirm(tx, importId),
      });
    } finally {
      await claims.release(importId);
    }
    expect((await importStatus(database.db, importId)).status).toBe('COMMITTED');
  });

  it('keeps one connection while imports run and gives it back, adding no listener per import', async () => {
    const claims = new ImportClaims(database.db);
    const pool = (database.db as unknown as { $client: { totalCount: number; idleCount: number } })
      .$client;
    const warnings: string[] = [];
    const warned = (warning: Error) => warnings.push(warning.name);
    process.on('warning', warned);
    try {
      for (let i = 0; i < 30; i += 1) {
        const id = newImportId('hmrc');
        expect(await claims.claim(id)).toBe(true);
        await claims.release(id);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warned);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    // Every connection is back in the pool.
    expect(pool.idleCount).toBe(pool.totalCount);
  });
});
