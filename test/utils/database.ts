import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The PostgreSQL of this test run (test/utils/postgres.global.ts): the embedded server, or TEST_DATABASE_URL's. */
export const TEST_DATABASE_URL: string = inject('databaseUrl');
/** Which server the run uses, for test names. */
export const STORAGE = inject('storage') === 'postgres' ? 'PostgreSQL' : 'embedded PostgreSQL';

/** A fresh PostgreSQL schema name for one test's subgraph database. */
export function freshSchemaName(name: string): string {
  return `t${randomBytes(4).toString('hex')}_${name.replaceAll('-', '_')}`;
}

/** Drops test schemas and everything in them. */
export async function dropSchemas(...names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
