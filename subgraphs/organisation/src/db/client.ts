import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@crossgov/schema/db';
import * as schema from './schema.ts';

export type OrganisationDatabase = Database<typeof schema>;
export type OrganisationDb = OrganisationDatabase['db'];

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens one publisher's own database: its schema on a PostgreSQL server, migrations applied. */
export function openOrganisationDatabase(options: {
  databaseUrl: string;
  pgSchema: string;
  poolSize?: number;
}) {
  return openDatabase({ schema, migrationsFolder: MIGRATIONS, ...options });
}
