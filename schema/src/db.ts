import type { Logger, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { ReadinessCheck } from './observability/health.ts';
import { watchPool } from './observability/metrics.ts';

/** Options for {@link openDatabase}. */
export interface DatabaseOptions<TSchema extends Record<string, unknown>> {
  /** The drizzle table definitions. */
  schema: TSchema;
  /** Folder of the committed drizzle-kit migrations. */
  migrationsFolder: string;
  /** PostgreSQL connection string: an external server, or the embedded one `pnpm start` and the tests run. */
  databaseUrl: string;
  /**
   * PostgreSQL schema that holds this subgraph's tables, so several subgraphs can share one server
   * without reading each other's tables.
   */
  pgSchema: string;
  /**
   * Connections in the pool.
   * @default 5
   */
  poolSize?: number;
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
  /** The schema its tables are in. */
  pgSchema: string;
  /** What /readyz asks of it: the server answers, and every committed migration is applied. */
  readiness: ReadinessCheck[];
  close(): Promise<void>;
}

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Opens the subgraph's own schema on a PostgreSQL server and applies its migrations. */
export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: DatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const statements = new StatementCounter();
  if (!SAFE_IDENTIFIER.test(options.pgSchema)) {
    throw new Error(`database schema name "${options.pgSchema}" must match ${SAFE_IDENTIFIER}`);
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    options: `-c search_path=${options.pgSchema}`,
    max: options.poolSize ?? 5,
    // Opening a connection costs a SCRAM handshake on both sides; keep idle ones a minute, not 10 s.
    idleTimeoutMillis: 60_000,
  });
  // A connection that breaks while idle (the server restarted) must not crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.pgSchema}`);
    const db = drizzle(pool, { schema: options.schema, logger: statements });
    await migrate(db, {
      migrationsFolder: options.migrationsFolder,
      migrationsSchema: options.pgSchema,
    });
    const forget = watchPool(options.pgSchema, pool);
    const readiness = readinessOf(pool, options.pgSchema, options.migrationsFolder);
    return {
      db: db as never,
      statements,
      pgSchema: options.pgSchema,
      readiness,
      close: () => {
        forget();
        return pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw new Error(`could not open PostgreSQL schema "${options.pgSchema}"`, { cause: error });
  }
}

/** The database answers, and has every migration of the committed journal (drizzle-kit's meta/_journal.json). */
function readinessOf(pool: pg.Pool, pgSchema: string, migrationsFolder: string): ReadinessCheck[] {
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: unknown[] };
  const expected = journal.entries.length;
  return [
    { name: 'database', check: async () => void (await pool.query('SELECT 1')) },
    {
      name: 'migrations',
      check: async () => {
        const { rows } = await pool.query<{ applied: number }>(
          `SELECT count(*)::int AS applied FROM ${pgSchema}.__drizzle_migrations`,
        );
        const applied = rows[0]?.applied ?? 0;
        return applied >= expected
          ? undefined
          : `${applied} of ${expected} migrations applied in schema ${pgSchema}`;
      },
    },
  ];
}

/**
 * Rows of a raw SQL statement. node-postgres answers with `{ rows }`, but drizzle types `execute` on
 * the common database type as unknown, so the cast lives here once.
 */
export async function queryRows<Row>(
  db: Pick<PgDatabase<PgQueryResultHKT, Record<string, unknown>>, 'execute'>,
  query: SQL,
): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}
