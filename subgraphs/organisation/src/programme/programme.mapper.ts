import {
  type Milestone,
  type Programme,
  type ProgrammePublication,
  preciseDate,
} from '@crossgov/schema';
import type { MilestoneRow, ProgrammeReturnRow, ProgrammeRow } from '../db/schema.ts';

/**
 * A programme as resolvers return it; the derived fields are resolved by ProgrammeResolver, which
 * loads them for `organisationId`.
 */
export type ProgrammeValue = Omit<
  Programme,
  'latestConfidence' | 'latestSroConfidence' | 'confidenceHistory' | 'publications'
> & { organisationId: string };

/** A milestone and the organisation whose forecast history its fields load. */
export type MilestoneValue = Milestone & { organisationId: string };

export function toProgramme(row: ProgrammeRow): ProgrammeValue {
  return {
    organisationId: row.organisationId,
    id: row.id,
    name: row.name,
    seniorResponsibleOwner: row.seniorResponsibleOwner,
    description: row.description,
    baselineWholeLifeCost: row.baselineWholeLifeCost,
    forecastWholeLifeCost: row.forecastWholeLifeCost,
    costNote: row.costNote,
    category: row.category,
    matchedBy: row.matchedBy,
  };
}

export function toPublication(row: ProgrammeReturnRow): ProgrammePublication {
  return {
    asAt: row.returnDate,
    name: row.publishedName,
    department: row.publishedDepartment,
    category: row.category,
    wholeLifeCost: row.wholeLifeCost,
    benefits: row.benefits,
    note: row.note,
  };
}

export function toMilestone(row: MilestoneRow): MilestoneValue {
  return {
    organisationId: row.organisationId,
    id: row.id,
    programmeId: row.programmeId,
    title: row.title,
    baseline: preciseDate(row.baselineDate, row.baselinePrecision),
    forecast: preciseDate(row.forecastDate, row.forecastPrecision),
    actual: preciseDate(row.actualDate, row.actualPrecision),
    sourceNote: row.sourceNote,
  };
}
