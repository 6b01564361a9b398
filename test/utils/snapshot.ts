import { sql } from 'drizzle-orm';
import type { OrganisationDatabase } from '@crossgov/organisation';
import { queryRows } from '@crossgov/schema/db';

/**
 * Every table of one organisation's database, as a row count and a digest of every row, so a test
 * can say the database is exactly as it was, not merely the same size.
 */
export async function snapshotTables(database: OrganisationDatabase): Promise<Record<string, { rows: number; digest: string | null }>> {
  const { db } = database;
  const tables = await queryRows<{ name: string }>(db, sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const snapshot: Record<string, { rows: number; digest: string | null }> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ rows: number; digest: string | null }>(db, sql.raw(`SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`));
    snapshot[name] = row!;
  }
  return snapshot;
}
