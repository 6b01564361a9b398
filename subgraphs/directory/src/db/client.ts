import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@crossgov/schema/db';
import * as schema from './schema.ts';

export type DirectoryDatabase = Database<typeof schema>;
export type DirectoryDb = DirectoryDatabase['db'];

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Opens the directory's own schema on a PostgreSQL server, migrations applied. */
export function openDirectoryDatabase(options: { databaseUrl: string; pgSchema: string }) {
  return openDatabase({ schema, migrationsFolder: MIGRATIONS, ...options });
}
