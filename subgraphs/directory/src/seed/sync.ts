import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Registry, SEED_DATA_DIR, STANDARD_INDICATORS, findPublisher } from '@crossgov/schema';
import { notInArray, sql } from 'drizzle-orm';
import type { DirectoryDb } from '../db/client.ts';
import {
  departments,
  memberships,
  organisations,
  publishers,
  standardIndicators,
} from '../db/schema.ts';

const CLUSTERS_FILE = join(SEED_DATA_DIR, 'shared-services-clusters.json');

/** Departments renamed or split by machinery-of-government changes, which the clusters file no longer names. */
const FORMER_DEPARTMENTS: Record<string, string> = {
  BEIS: 'Department for Business, Energy and Industrial Strategy',
  DLUHC: 'Department for Levelling Up, Housing and Communities',
};

const CHUNK = 1000;

/**
 * Makes the directory agree with the registry: the registry is the one source for who reports, and a
 * supergraph naming an organisation the directory lacks would fail every query. One transaction.
 */
export async function syncDirectory(db: DirectoryDb, registry: Registry): Promise<void> {
  const clusters = JSON.parse(readFileSync(CLUSTERS_FILE, 'utf8')) as {
    departments: Record<string, string>;
  };
  const departmentNames: Record<string, string> = {
    ...FORMER_DEPARTMENTS,
    ...clusters.departments,
  };
  const codes = new Set<string>();
  for (const org of registry.organisations) {
    if (org.lead) codes.add(org.lead);
    for (const m of org.members) codes.add(m.department);
  }
  await db.transaction(async (tx) => {
    const departmentRows = [...codes].map((code) => ({
      code,
      name: departmentNames[code] ?? code,
    }));
    for (const code of Object.keys(departmentNames))
      if (!codes.has(code)) departmentRows.push({ code, name: departmentNames[code]! });
    await tx
      .insert(departments)
      .values(departmentRows)
      .onConflictDoUpdate({ target: departments.code, set: { name: sql`excluded.name` } });

    await tx
      .insert(publishers)
      .values(
        registry.publishers.map((p) => ({
          id: p.id,
          name: p.name,
          typeName: p.typeName,
          own: p.own,
        })),
      )
      .onConflictDoUpdate({
        target: publishers.id,
        set: {
          name: sql`excluded.name`,
          typeName: sql`excluded.type_name`,
          own: sql`excluded.own`,
        },
      });

    const ids = registry.organisations.map((org) => org.id);
    await tx.delete(organisations).where(notInArray(organisations.id, ids));
    for (let i = 0; i < registry.organisations.length; i += CHUNK) {
      await tx
        .insert(organisations)
        .values(
          registry.organisations.slice(i, i + CHUNK).map((org) => ({
            id: org.id,
            name: org.name,
            kind: org.kind,
            typeName: findPublisher(registry, org.publisher).typeName,
            lead: org.lead ?? null,
            publisherId: org.publisher,
            peerGroups: org.peerGroups,
            successors: org.successors,
            note: org.note ?? null,
          })),
        )
        .onConflictDoUpdate({
          target: organisations.id,
          set: {
            name: sql`excluded.name`,
            kind: sql`excluded.kind`,
            typeName: sql`excluded.type_name`,
            lead: sql`excluded.lead`,
            publisherId: sql`excluded.publisher_id`,
            peerGroups: sql`excluded.peer_groups`,
            successors: sql`excluded.successors`,
            note: sql`excluded.note`,
          },
        });
    }
    await tx.delete(publishers).where(
      notInArray(
        publishers.id,
        registry.publishers.map((p) => p.id),
      ),
    );

    await tx.delete(memberships);
    const membershipRows = registry.organisations.flatMap((org) =>
      org.members.map((m) => ({
        organisationId: org.id,
        departmentCode: m.department,
        fromDate: m.from,
        toDate: m.to ?? null,
      })),
    );
    for (let i = 0; i < membershipRows.length; i += CHUNK)
      await tx.insert(memberships).values(membershipRows.slice(i, i + CHUNK));

    // The catalogue is code (schema/src/catalogue.ts): the stored copy follows it.
    await tx
      .insert(standardIndicators)
      .values([...STANDARD_INDICATORS])
      .onConflictDoUpdate({
        target: standardIndicators.code,
        set: {
          name: sql`excluded.name`,
          unit: sql`excluded.unit`,
          polarity: sql`excluded.polarity`,
          frequency: sql`excluded.frequency`,
          definition: sql`excluded.definition`,
          numerator: sql`excluded.numerator`,
          denominator: sql`excluded.denominator`,
          family: sql`excluded.family`,
          comparableAcrossServices: sql`excluded.comparable_across_services`,
          source: sql`excluded.source`,
        },
      });
  });
}
