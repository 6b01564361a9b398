import type { RegistryEntry } from '@crossgov/schema';
import {
  type OrganisationDatabase,
  type OrganisationDb,
  openOrganisationDatabase,
} from '@crossgov/organisation/db';
import { seedOrganisations } from '@crossgov/organisation/seed';
import { afterAll, beforeAll } from 'vitest';
import { TEST_DATABASE_URL, dropSchemas, freshSchemaName } from './database.ts';

export interface SeededDatabase {
  /** The fresh PostgreSQL schema it uses: `t<hex>_<publisher>`. */
  readonly schema: string;
  /** The publisher's database, open from the describe block's beforeAll to its afterAll. */
  readonly database: OrganisationDatabase;
  /** Its drizzle client (`database.db`), what a store takes. */
  readonly db: OrganisationDb;
  /** Another pool on the same schema, as a second process of the publisher has; closed with the rest. */
  replica(): Promise<OrganisationDatabase>;
}

export interface SeededDatabaseOptions {
  /** Services a department or cluster profile generates. @default the profile's */
  serviceCount?: number;
}

/**
 * One publisher's database for the describe block it is called in: before its tests, a fresh schema
 * on the run's PostgreSQL with the migrations applied and every organisation given seeded from its
 * registry profile, in one transaction as a publisher seeds at start; after them, closed and dropped.
 * The schema is named after the first organisation's publisher.
 */
export function seededDatabase(
  organisations: RegistryEntry | readonly RegistryEntry[],
  options: SeededDatabaseOptions = {},
): SeededDatabase {
  const entries: readonly RegistryEntry[] = Array.isArray(organisations)
    ? organisations
    : [organisations as RegistryEntry];
  if (entries.length === 0)
    throw new Error(
      'seededDatabase: organisations is empty; give at least one registry entry to seed',
    );
  const schema = freshSchemaName(entries[0]!.publisher);
  const open = () => openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
  let database: OrganisationDatabase | undefined;
  const replicas: OrganisationDatabase[] = [];
  beforeAll(async () => {
    database = await open();
    await seedOrganisations(database.db, entries, { serviceCount: options.serviceCount });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await database?.close();
    await dropSchemas(schema);
  });
  const opened = () => {
    // A test that reads it at the top of a describe block (collection time) gets this, not a TypeError later.
    if (!database)
      throw new Error(
        `the seeded database ${schema} is not open: it opens in beforeAll, so use it inside a test or a hook`,
      );
    return database;
  };
  return {
    schema,
    get database() {
      return opened();
    },
    get db() {
      return opened().db;
    },
    async replica() {
      const replica = await open();
      replicas.push(replica);
      return replica;
    },
  };
}
