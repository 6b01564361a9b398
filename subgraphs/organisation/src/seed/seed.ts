import { inArray, sql } from 'drizzle-orm';
import type { RegistryEntry } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import {
  type ConfidenceAssessmentRow,
  type IndicatorRow,
  type MilestoneForecastRow,
  type MilestoneRow,
  type ProgrammeRow,
  type ReturnRow,
  type ServiceRow,
  type TargetRow,
  confidenceAssessments,
  indicators,
  milestoneForecasts,
  milestones,
  programmes,
  returns,
  services,
  targets,
} from '../db/schema.ts';
import { type MeasurementRecord, upsertMeasurements } from '../indicator/measurement.store.ts';
import { INSERT_CHUNK } from '../writes.ts';
import { describeRejected, readNorfolkVitalSigns } from './norfolk.ts';
import type { SeedMeasurement } from './seed.types.ts';
import { publicProgrammes } from './programmes.ts';
import { indicatorReturns, syntheticReceipt } from './returns.ts';
import {
  type SyntheticOptions,
  type SyntheticSeed,
  clusterSeries,
  departmentSeries,
  supportingProgrammeSeries,
} from './synthetic.ts';

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

function seedFor(
  entry: RegistryEntry,
  options: SyntheticOptions,
): SyntheticSeed & { rejected: string[]; receivedOn: (m: SeedMeasurement) => string } {
  switch (entry.seed.profile) {
    case 'cluster':
      return {
        ...clusterSeries(entry, options),
        rejected: [],
        receivedOn: syntheticReceipt(entry.id),
      };
    case 'department':
      return {
        ...departmentSeries(entry, options),
        rejected: [],
        receivedOn: syntheticReceipt(entry.id),
      };
    case 'supporting-programme':
      return {
        ...supportingProgrammeSeries(entry, options),
        rejected: [],
        receivedOn: syntheticReceipt(entry.id),
      };
    case 'norfolk': {
      const norfolk = readNorfolkVitalSigns();
      return {
        services: [
          {
            id: 'norfolk-web',
            name: 'Norfolk County Council website and My Norfolk accounts',
            department: null,
            phase: 'LIVE',
            link: 'https://www.norfolk.gov.uk',
          },
          {
            id: 'ict-service-desk',
            name: 'ICT service desk',
            department: null,
            phase: 'LIVE',
            link: null,
          },
        ],
        indicators: norfolk.indicators,
        measurements: norfolk.measurements,
        targets: norfolk.targets,
        rejected: [
          ...norfolk.rejected.map(describeRejected),
          ...(norfolk.cardsNotRead ? [norfolk.cardsNotRead] : []),
        ],
        receivedOn: () => NORFOLK_REPORT_DATE,
      };
    }
    case 'empty':
      return {
        services: [],
        indicators: [],
        measurements: [],
        targets: [],
        rejected: [],
        receivedOn: () => NORFOLK_REPORT_DATE,
      };
  }
}

/** Inserts rows in chunks (a statement's parameters are limited), keeping rows already there. */
async function insertAll<T extends Record<string, unknown>>(
  tx: Pick<OrganisationDb, 'insert'>,
  table: Parameters<OrganisationDb['insert']>[0],
  rows: readonly T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK)
    await tx
      .insert(table)
      .values(rows.slice(i, i + INSERT_CHUNK) as never)
      .onConflictDoNothing();
}

/**
 * Seeds an organisation's data from its registry profile, in one transaction, unless it already
 * holds data (so a restart keeps what was there, including later submissions).
 */
export async function seedOrganisation(
  db: OrganisationDb,
  entry: RegistryEntry,
  options: SyntheticOptions & { force?: boolean } = {},
): Promise<SeedReport> {
  return (await seedOrganisations(db, [entry], options))[0]!;
}

/**
 * Seeds each organisation of a publisher that holds no data yet, all in one transaction: one
 * query finds who has data, and rows of every organisation are written together in chunks, so a
 * publisher of hundreds of organisations seeds in seconds.
 */
export async function seedOrganisations(
  db: OrganisationDb,
  entries: readonly RegistryEntry[],
  options: SyntheticOptions & { force?: boolean } = {},
): Promise<SeedReport[]> {
  const existing = await db
    .select({ organisationId: indicators.organisationId, n: sql<number>`count(*)::int` })
    .from(indicators)
    .where(
      inArray(
        indicators.organisationId,
        entries.map((e) => e.id),
      ),
    )
    .groupBy(indicators.organisationId);
  const hasData = new Set(existing.filter((row) => row.n > 0).map((row) => row.organisationId));
  const rows = {
    services: [] as ServiceRow[],
    indicators: [] as IndicatorRow[],
    measurements: [] as MeasurementRecord[],
    targets: [] as TargetRow[],
    programmes: [] as ProgrammeRow[],
    milestones: [] as MilestoneRow[],
    forecasts: [] as MilestoneForecastRow[],
    assessments: [] as ConfidenceAssessmentRow[],
    returns: [] as ReturnRow[],
  };
  const reports = entries.map((entry): SeedReport => {
    const data = seedFor(entry, options);
    const record = publicProgrammes(entry);
    const report = {
      services: data.services.length,
      indicators: data.indicators.length,
      measurements: data.measurements.length,
      milestones: record.milestones.length,
      rejected: data.rejected,
    };
    if (hasData.has(entry.id) && !options.force) return { seeded: false, ...report };
    const owned = <T>(list: readonly T[]) =>
      list.map((row) => ({ ...row, organisationId: entry.id }));
    rows.services.push(...owned(data.services));
    rows.indicators.push(...owned(data.indicators));
    rows.measurements.push(...owned(data.measurements));
    rows.targets.push(...owned(data.targets));
    rows.programmes.push(...owned(record.programmes));
    rows.milestones.push(...owned(record.milestones));
    rows.forecasts.push(...owned(record.forecasts));
    rows.assessments.push(...owned(record.assessments));
    rows.returns.push(
      ...owned([...indicatorReturns(data.measurements, data.receivedOn), ...record.returns]),
    );
    return { seeded: true, ...report };
  });
  if (!reports.some((r) => r.seeded)) return reports;
  await db.transaction(async (tx) => {
    await insertAll(tx, services, rows.services);
    await insertAll(tx, indicators, rows.indicators);
    await upsertMeasurements(tx, rows.measurements);
    await insertAll(tx, targets, rows.targets);
    await insertAll(tx, programmes, rows.programmes);
    await insertAll(tx, milestones, rows.milestones);
    await insertAll(tx, milestoneForecasts, rows.forecasts);
    await insertAll(tx, confidenceAssessments, rows.assessments);
    await insertAll(tx, returns, rows.returns);
  });
  return reports;
}
