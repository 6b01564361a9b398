import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Registry, SEED_DATA_DIR, entityTypeName } from '@crossgov/schema';
import { notInArray, sql } from 'drizzle-orm';
import type { DirectoryDb } from '../db/client.ts';
import { departments, memberships, organisations, standardIndicators } from '../db/schema.ts';
import { STANDARD_INDICATORS } from './catalogue.ts';

const CLUSTERS_FILE = join(SEED_DATA_DIR, 'shared-services-clusters.json');

/** Departments renamed or split by machinery-of-government changes, which the clusters file no longer names. */
const FORMER_DEPARTMENTS: Record<string, string> = {
  BEIS: 'Department for Business, Energy and Industrial Strategy',
  DLUHC: 'Department for Levelling Up, Housing and Communities',
};

/**
 * Makes the directory agree with the registry: the registry is the one source for who reports, and a
 * supergraph naming an organisation the directory lacks would fail every query. One transaction.
 */
export async function syncDirectory(db: DirectoryDb, registry: Registry): Promise<void> {
  const clusters = JSON.parse(readFileSync(CLUSTERS_FILE, 'utf8')) as { departments: Record<string, string> };
  const departmentNames: Record<string, string> = { ...FORMER_DEPARTMENTS, ...clusters.departments };
  const codes = new Set<string>();
  for (const org of registry.organisations) {
    if (org.lead) codes.add(org.lead);
    for (const m of org.members) codes.add(m.department);
  }
  await db.transaction(async (tx) => {
    const departmentRows = [...codes].map((code) => ({ code, name: departmentNames[code] ?? code }));
    for (const code of Object.keys(departmentNames)) if (!codes.has(code)) departmentRows.push({ code, name: departmentNames[code]! });
    await tx
      .insert(departments)
      .values(departmentRows)
      .onConflictDoUpdate({ target: departments.code, set: { name: sql`excluded.name` } });

    const ids = registry.organisations.map((org) => org.id);
    await tx.delete(organisations).where(notInArray(organisations.id, ids));
    await tx
      .insert(organisations)
      .values(registry.organisations.map((org) => ({ id: org.id, name: org.name, kind: org.kind, typeName: entityTypeName(org), lead: org.lead ?? null })))
      .onConflictDoUpdate({
        target: organisations.id,
        set: { name: sql`excluded.name`, kind: sql`excluded.kind`, typeName: sql`excluded.type_name`, lead: sql`excluded.lead` },
      });

    await tx.delete(memberships);
    const membershipRows = registry.organisations.flatMap((org) =>
      org.members.map((m) => ({ organisationId: org.id, departmentCode: m.department, fromDate: m.from, toDate: m.to ?? null })),
    );
    if (membershipRows.length > 0) await tx.insert(memberships).values(membershipRows);

    await tx
      .insert(standardIndicators)
      .values(STANDARD_INDICATORS)
      .onConflictDoNothing({ target: standardIndicators.code });
  });
}
