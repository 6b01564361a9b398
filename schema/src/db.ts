import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Logger, SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/** Options for {@link openDatabase}. */
export interface DatabaseOptions<TSchema extends Record<string, unknown>> {
  /** The drizzle table definitions. */
  schema: TSchema;
  /** Folder of the committed drizzle-kit migrations. */
  migrationsFolder: string;
  /** PostgreSQL connection string; when absent the subgraph uses embedded PGlite. */
  databaseUrl?: string | undefined;
  /**
   * PostgreSQL schema that holds this subgraph's tables, so several subgraphs can share one server
   * without reading each other's tables.
   */
  pgSchema: string;
  /** Folder for PGlite's files; absent means in memory (tests). */
  dataDir?: string | undefined;
}

/** Counts the SQL statements the subgraph sends, so tests and benchmarks can prove batching. */
export class StatementCounter implements Logger {
  count = 0;
  logQuery(): void {
    this.count += 1;
  }
}

export interface Database<TSchema extends Record<string, unknown>> {
  db: PgDatabase<PgQueryResultHKT, TSchema>;
  statements: StatementCounter;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Opens the subgraph's own database (PGlite by default, PostgreSQL with a URL) and applies migrations. */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: DatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const statements = new StatementCounter();
  if (!SAFE_IDENTIFIER.test(options.pgSchema)) {
    throw new Error(`database schema name "${options.pgSchema}" must match ${SAFE_IDENTIFIER}`);
  }
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      options: `-c search_path=${options.pgSchema}`,
      max: 5,
    });
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.pgSchema}`);
      const db = drizzlePg(pool, { schema: options.schema, logger: statements });
      await migratePg(db, { migrationsFolder: options.migrationsFolder, migrationsSchema: options.pgSchema });
      return { db: db as never, statements, driver: 'postgres', close: () => pool.end() };
    } catch (error) {
      await pool.end();
      throw new Error(`could not open PostgreSQL schema "${options.pgSchema}"`, { cause: error });
    }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  try {
    await client.exec(`CREATE SCHEMA IF NOT EXISTS ${options.pgSchema}; SET search_path TO ${options.pgSchema};`);
    const db = drizzlePglite(client, { schema: options.schema, logger: statements });
    await migratePglite(db, { migrationsFolder: options.migrationsFolder, migrationsSchema: options.pgSchema });
    return { db: db as never, statements, driver: 'pglite', close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`could not open the embedded database${options.dataDir ? ` in ${options.dataDir}` : ''}`, { cause: error });
  }
}

/**
 * Rows of a raw SQL statement. PGlite and node-postgres both answer with `{ rows }`, but drizzle
 * types `execute` on the common database type as unknown, so the cast lives here once.
 */
export async function queryRows<Row>(db: Pick<PgDatabase<PgQueryResultHKT, Record<string, unknown>>, 'execute'>, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}
