import { sql } from 'drizzle-orm';
import type { RegistryEntry } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import { confidenceAssessments, indicators, milestoneForecasts, milestones, programmes, returns, services, targets } from '../db/schema.ts';
import { type MeasurementRecord, upsertMeasurements } from '../indicator/measurement.store.ts';
import { describeRejected, readNorfolkVitalSigns } from './norfolk.ts';
import { publicProgrammes } from './programmes.ts';
import { indicatorReturns, syntheticReceipt } from './returns.ts';
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

/** Norfolk's figures are as published in the committee report of 13 March 2019: that is when they were returned. */
const NORFOLK_REPORT_DATE = '2019-03-13';

function seedFor(entry: RegistryEntry, options: SyntheticOptions): SyntheticSeed & { rejected: string[]; receivedOn: (m: MeasurementRecord) => string } {
  switch (entry.seed.profile) {
    case 'cluster':
      return { ...clusterSeries(entry, options), rejected: [], receivedOn: syntheticReceipt(entry.id) };
    case 'department':
      return { ...departmentSeries(entry, options), rejected: [], receivedOn: syntheticReceipt(entry.id) };
    case 'supporting-programme':
      return { ...supportingProgrammeSeries(entry, options), rejected: [], receivedOn: syntheticReceipt(entry.id) };
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
        receivedOn: () => NORFOLK_REPORT_DATE,
      };
    }
    case 'empty':
      return { services: [], indicators: [], measurements: [], targets: [], rejected: [], receivedOn: () => NORFOLK_REPORT_DATE };
  }
}

/**
 * Seeds an organisation's own database from its registry profile, in one transaction, unless it
 * already holds data (so a restart keeps what was there, including later submissions).
 */
export async function seedOrganisation(db: OrganisationDb, entry: RegistryEntry, options: SyntheticOptions & { force?: boolean } = {}): Promise<SeedReport> {
  const existing = await db.select({ n: sql<number>`count(*)::int` }).from(indicators);
  const data = seedFor(entry, options);
  const record = publicProgrammes(entry);
  const { programmes: programmeRows, milestones: milestoneRows } = record;
  const returnRows = [...indicatorReturns(data.measurements, data.receivedOn), ...record.returns];
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
    if (record.forecasts.length) await tx.insert(milestoneForecasts).values(record.forecasts).onConflictDoNothing();
    if (record.assessments.length) await tx.insert(confidenceAssessments).values(record.assessments).onConflictDoNothing();
    for (let i = 0; i < returnRows.length; i += 1000) await tx.insert(returns).values(returnRows.slice(i, i + 1000)).onConflictDoNothing();
  });
  return { seeded: true, ...report };
}
