import { sql } from 'drizzle-orm';
import type { OrganisationDatabase } from '@crossgov/organisation/db';
import { queryRows } from '@crossgov/schema/db';
import pg from 'pg';

/**
 * Every table of one organisation's database, as a row count and a digest of every row, so a test
 * can say the database is exactly as it was, not merely the same size.
 */
export async function snapshotTables(
  database: Pick<OrganisationDatabase, 'db'>,
): Promise<Record<string, { rows: number; digest: string | null }>> {
  const { db } = database;
  const tables = await queryRows<{ name: string }>(
    db,
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const snapshot: Record<string, { rows: number; digest: string | null }> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ rows: number; digest: string | null }>(
      db,
      sql.raw(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
      ),
    );
    snapshot[name] = row!;
  }
  return snapshot;
}

/**
 * The same for whole PostgreSQL schemas read over a connection of their own: every table of each
 * schema, as a row count and a digest of every row, for a graph that runs in another process.
 */
export async function snapshotSchemas(
  databaseUrl: string,
  schemas: readonly string[],
): Promise<Record<string, Record<string, { rows: number; digest: string | null }>>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const snapshot: Record<string, Record<string, { rows: number; digest: string | null }>> = {};
    for (const schema of schemas) {
      const { rows: tables } = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
        [schema],
      );
      const ofSchema: Record<string, { rows: number; digest: string | null }> = {};
      for (const { name } of tables) {
        const { rows } = await client.query<{ rows: number; digest: string | null }>(
          `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${schema}"."${name}" t`,
        );
        ofSchema[name] = rows[0]!;
      }
      snapshot[schema] = ofSchema;
    }
    return snapshot;
  } finally {
    await client.end();
  }
}
