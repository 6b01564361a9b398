import { sql } from 'drizzle-orm';
import { imports } from '../db/schema.ts';
import { type Publisher, type RegistryEntry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import type { OrganisationDb } from '../db/client.ts';
import { newImportId } from '../imports/import.claim.ts';
import { importRead, type SourceImportResult } from '../imports/import.source.ts';
import type { SourceRead } from '../sources/source.ts';

// A real government's start (`pnpm start -- --public-data <dir>`): a sector body's publisher is
// seeded from the published data sets it serves, read by their adapters (src/sources), through the
// same import as any file, once: a data set already imported is left as it is, whatever was written since.

/** Who the seed imports as: the publisher's own data team. */
const seeder = (publisher: Publisher, source: string): Principal => ({
  subject: `seed:${source}`,
  organisation: null,
  publisher: publisher.id,
  scopes: new Set([Scope.READ_PUBLISHED, Scope.PUBLISH]),
  anonymous: false,
});

/** Whether a data set has been imported into this publisher's database (its import is recorded in `imports`). */
async function imported(db: OrganisationDb, source: string): Promise<boolean> {
  const rows = await db
    .select({ id: imports.id })
    .from(imports)
    .where(sql`${imports.result}->>'source' = ${source}`)
    .limit(1);
  return rows.length > 0;
}

export interface SourceSeedReport {
  source: string;
  /** False when the data set had been imported before. */
  imported: boolean;
  result?: SourceImportResult;
  /** The import's id: `GET /imports/<id>` with a token of the publisher gives its whole report. */
  importId?: string;
  elapsedMs: number;
}

/** Imports each data set read for this publisher that its database does not hold yet, in order, each in its own transaction. */
export async function seedSources(
  db: OrganisationDb,
  publisher: Publisher,
  organisations: readonly RegistryEntry[],
  reads: readonly SourceRead[],
  today: string,
): Promise<SourceSeedReport[]> {
  const reports: SourceSeedReport[] = [];
  for (const read of reads) {
    const started = performance.now();
    if (await imported(db, read.source)) {
      reports.push({
        source: read.source,
        imported: false,
        elapsedMs: Math.round(performance.now() - started),
      });
      continue;
    }
    const importId = newImportId(publisher.id);
    const result = await importRead(
      db,
      seeder(publisher, read.source),
      { serves: organisations },
      read,
      [`${read.source} (the published files)`],
      { today, importId },
    );
    reports.push({
      source: read.source,
      imported: true,
      result,
      importId,
      elapsedMs: Math.round(performance.now() - started),
    });
  }
  return reports;
}
