import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@crossgov/schema/db';
import * as schema from './schema.ts';

export type OrganisationDatabase = Database<typeof schema>;
export type OrganisationDb = OrganisationDatabase['db'];

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens one organisation's own database: PGlite under `dataDir` (or in memory), or PostgreSQL. */
export function openOrganisationDatabase(options: { databaseUrl?: string | undefined; dataDir?: string | undefined; pgSchema: string }) {
  return openDatabase({ schema, migrationsFolder: MIGRATIONS, ...options });
}
