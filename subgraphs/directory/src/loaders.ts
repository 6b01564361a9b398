import DataLoader from 'dataloader';
import { groupInKeyOrder, inKeyOrder } from '@crossgov/schema';
import { asc, inArray } from 'drizzle-orm';
import type { DirectoryDb } from './db/client.ts';
import {
  type DepartmentRow,
  departments,
  type MembershipRow,
  memberships,
  type OrganisationRow,
  organisations,
  type PublisherRow,
  publishers,
  standardIndicators,
} from './db/schema.ts';

/** A whole table, read at most once per request whatever asks for it. */
const once = <T>(load: () => Promise<T>) => {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
};

/** Per-request loaders: one `inArray` query per batch, rows in key order, null for a miss. */
export function createLoaders(db: DirectoryDb) {
  return {
    organisation: new DataLoader<string, OrganisationRow | null>(async (ids) =>
      inKeyOrder(
        ids,
        await db
          .select()
          .from(organisations)
          .where(inArray(organisations.id, [...ids])),
        (row) => row.id,
      ),
    ),
    allOrganisations: once(() =>
      db.select().from(organisations).orderBy(asc(organisations.kind), asc(organisations.name)),
    ),
    publisher: new DataLoader<string, PublisherRow | null>(async (ids) =>
      inKeyOrder(
        ids,
        await db
          .select()
          .from(publishers)
          .where(inArray(publishers.id, [...ids])),
        (row) => row.id,
      ),
    ),
    allPublishers: once(() => db.select().from(publishers).orderBy(asc(publishers.id))),
    department: new DataLoader<string, DepartmentRow | null>(async (codes) =>
      inKeyOrder(
        codes,
        await db
          .select()
          .from(departments)
          .where(inArray(departments.code, [...codes])),
        (row) => row.code,
      ),
    ),
    allDepartments: () => db.select().from(departments).orderBy(asc(departments.code)),
    membershipsByOrganisation: new DataLoader<string, MembershipRow[]>(async (ids) =>
      groupInKeyOrder(
        ids,
        await db
          .select()
          .from(memberships)
          .where(inArray(memberships.organisationId, [...ids]))
          .orderBy(asc(memberships.fromDate), asc(memberships.departmentCode)),
        (row) => row.organisationId,
      ),
    ),
    membershipsByDepartment: new DataLoader<string, MembershipRow[]>(async (codes) =>
      groupInKeyOrder(
        codes,
        await db
          .select()
          .from(memberships)
          .where(inArray(memberships.departmentCode, [...codes]))
          .orderBy(asc(memberships.fromDate)),
        (row) => row.departmentCode,
      ),
    ),
    catalogue: () =>
      db
        .select()
        .from(standardIndicators)
        .orderBy(asc(standardIndicators.family), asc(standardIndicators.code)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
