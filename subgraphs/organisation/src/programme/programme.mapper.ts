import { type Milestone, type Programme, preciseDate } from '@crossgov/schema';
import type { MilestoneRow, ProgrammeRow } from '../db/schema.ts';

export function toProgramme(row: ProgrammeRow): Programme {
  return { id: row.id, name: row.name, seniorResponsibleOwner: row.seniorResponsibleOwner, description: row.description };
}

export function toMilestone(row: MilestoneRow): Milestone {
  return {
    id: row.id,
    programmeId: row.programmeId,
    title: row.title,
    baseline: preciseDate(row.baselineDate, row.baselinePrecision),
    forecast: preciseDate(row.forecastDate, row.forecastPrecision),
    actual: preciseDate(row.actualDate, row.actualPrecision),
    sourceNote: row.sourceNote,
  };
}
