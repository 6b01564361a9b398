import { sql } from 'drizzle-orm';
import type { RegistryEntry } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import { indicators, milestones, programmes, services, targets } from '../db/schema.ts';
import { upsertMeasurements } from '../indicator/measurement.store.ts';
import { describeRejected, readNorfolkVitalSigns } from './norfolk.ts';
import { publicProgrammes } from './programmes.ts';
import { type SyntheticOptions, type SyntheticSeed, clusterSeries, departmentSeries, supportingProgrammeSeries } from './synthetic.ts';

export interface SeedReport {
  /** False when the database already had data and was left alone. */
  seeded: boolean;
  services: number;
  indicators: number;
  measurements: number;
  milestones: number;
  /** Rows of the source data that broke a rule and were not loaded, each described in full. */
  rejected: string[];
}

function seedFor(entry: RegistryEntry, options: SyntheticOptions): SyntheticSeed & { rejected: string[] } {
  switch (entry.seed.profile) {
    case 'cluster':
      return { ...clusterSeries(entry, options), rejected: [] };
    case 'department':
      return { ...departmentSeries(entry, options), rejected: [] };
    case 'supporting-programme':
      return { ...supportingProgrammeSeries(entry, options), rejected: [] };
    case 'norfolk': {
      const norfolk = readNorfolkVitalSigns();
      return {
        services: [
          { id: 'norfolk-web', name: 'Norfolk County Council website and My Norfolk accounts', department: null, phase: 'LIVE', link: 'https://www.norfolk.gov.uk' },
          { id: 'ict-service-desk', name: 'ICT service desk', department: null, phase: 'LIVE', link: null },
        ],
        indicators: norfolk.indicators,
        measurements: norfolk.measurements,
        targets: norfolk.targets,
        rejected: norfolk.rejected.map(describeRejected),
      };
    }
    case 'empty':
      return { services: [], indicators: [], measurements: [], targets: [], rejected: [] };
  }
}

/**
 * Seeds an organisation's own database from its registry profile, in one transaction, unless it
 * already holds data (so a restart keeps what was there, including later submissions).
 */
export async function seedOrganisation(db: OrganisationDb, entry: RegistryEntry, options: SyntheticOptions & { force?: boolean } = {}): Promise<SeedReport> {
  const existing = await db.select({ n: sql<number>`count(*)::int` }).from(indicators);
  const data = seedFor(entry, options);
  const { programmes: programmeRows, milestones: milestoneRows } = publicProgrammes(entry);
  const report = {
    services: data.services.length,
    indicators: data.indicators.length,
    measurements: data.measurements.length,
    milestones: milestoneRows.length,
    rejected: data.rejected,
  };
  if ((existing[0]?.n ?? 0) > 0 && !options.force) return { seeded: false, ...report };
  await db.transaction(async (tx) => {
    if (data.services.length) await tx.insert(services).values(data.services).onConflictDoNothing();
    if (data.indicators.length) await tx.insert(indicators).values(data.indicators).onConflictDoNothing();
    await upsertMeasurements(tx, data.measurements);
    if (data.targets.length) await tx.insert(targets).values(data.targets).onConflictDoNothing();
    if (programmeRows.length) await tx.insert(programmes).values(programmeRows).onConflictDoNothing();
    if (milestoneRows.length) await tx.insert(milestones).values(milestoneRows).onConflictDoNothing();
  });
  return { seeded: true, ...report };
}
