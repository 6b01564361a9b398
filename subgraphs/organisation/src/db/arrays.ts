import { type SQL, sql } from 'drizzle-orm';

// Bulk writes as one statement per chunk: each column sent as one PostgreSQL array parameter and
// spread back into rows by unnest(). Measured on the published data sets (scripts/bench/RESULTS.md,
// "bench:public-import"): drizzle's query builder spent 44% of an import building the SQL text of
// ~900,000 parameters (its type checks alone 24%), and garbage collection another 12%; twelve arrays
// per chunk cost a few string joins.

/** One element of a PostgreSQL array literal: NULL, or a quoted string with `"` and `\` escaped. */
const item = (text: string | null): string =>
  text === null ? 'NULL' : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** A text[] (or date[], timestamptz[]) parameter of these values. */
export const textArray = (values: readonly (string | null)[]): SQL =>
  sql`${`{${values.map(item).join(',')}}`}`;

/** A float8[] parameter: JavaScript's shortest round-trip form of each number, which PostgreSQL reads back exactly. */
export const numberArray = (values: readonly (number | null)[]): SQL =>
  sql`${`{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`}`;

/** A boolean[] parameter. */
export const booleanArray = (values: readonly boolean[]): SQL =>
  sql`${`{${values.map((v) => (v ? 't' : 'f')).join(',')}}`}`;

/** Rows per bulk statement: large enough that round trips do not count, small enough that one statement's arrays stay a few MB. */
export const BULK_CHUNK = 5000;
