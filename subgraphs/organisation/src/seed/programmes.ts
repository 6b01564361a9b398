import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_DATA_DIR, parsePreciseDate, type RegistryEntry } from '@crossgov/schema';
import type { MilestoneRow, ProgrammeRow } from '../db/schema.ts';

interface PublicMilestone {
  title: string;
  date?: string;
  baseline?: string;
  forecast?: string;
  approx?: boolean;
  status: 'complete' | 'planned' | 'late';
  source_quality?: string;
}

interface ClustersFile {
  clusters: { id: string; name: string; platform?: string; notes?: string; milestones: PublicMilestone[] }[];
  supporting_programmes: { id: string; name: string; notes?: string }[];
}

export const CLUSTERS_JSON = join(SEED_DATA_DIR, 'shared-services-clusters.json');

function dated(label: string | undefined) {
  if (!label) return { date: null, precision: null };
  const d = parsePreciseDate(label);
  return { date: d.date, precision: d.precision };
}

/**
 * The public programme record of a cluster or supporting programme, from the clusters file: a
 * complete milestone's date is both its baseline and its actual; a planned one's is baseline and
 * forecast; a late one gives both.
 */
export function publicProgrammes(entry: RegistryEntry, path = CLUSTERS_JSON): { programmes: ProgrammeRow[]; milestones: MilestoneRow[] } {
  const file = JSON.parse(readFileSync(path, 'utf8')) as ClustersFile;
  const cluster = file.clusters.find((c) => c.id === entry.id);
  const supporting = file.supporting_programmes.find((p) => p.id === entry.id);
  if (!cluster && !supporting) return { programmes: [], milestones: [] };
  const programmeId = `${entry.id}-programme`;
  const programme: ProgrammeRow = {
    id: programmeId,
    name: cluster ? `${cluster.name} shared services programme` : `${supporting!.name} programme`,
    seniorResponsibleOwner: null,
    description: [cluster?.platform, cluster?.notes ?? supporting?.notes].filter(Boolean).join('. ') || null,
  };
  const milestones: MilestoneRow[] = (cluster?.milestones ?? []).map((m, position) => {
    const baseline = dated(m.baseline ?? m.date);
    const forecast = m.status === 'complete' ? { date: null, precision: null } : dated(m.forecast ?? m.date);
    const actual = m.status === 'complete' ? dated(m.date) : { date: null, precision: null };
    return {
      id: `${programmeId}-${position + 1}`,
      programmeId,
      title: m.title,
      position,
      baselineDate: baseline.date,
      baselinePrecision: baseline.precision,
      forecastDate: forecast.date,
      forecastPrecision: forecast.precision,
      actualDate: actual.date,
      actualPrecision: actual.precision,
      sourceNote: m.source_quality ? `${m.source_quality} source` : null,
    };
  });
  return { programmes: [programme], milestones };
}
