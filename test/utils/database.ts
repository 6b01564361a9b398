import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from './graph.ts';

/** A fresh PostgreSQL schema name for one test's subgraph database (unused on PGlite). */
export function freshSchemaName(name: string): string {
  return `t${randomBytes(4).toString('hex')}_${name}`;
}

/** Drops test schemas on PostgreSQL; does nothing on PGlite, whose in-memory databases vanish on close. */
export async function dropSchemas(...names: string[]): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
