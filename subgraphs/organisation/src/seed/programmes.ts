import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_DATA_DIR, parsePreciseDate, type RegistryEntry } from '@crossgov/schema';
import type {
  SeedAssessment,
  SeedForecast,
  SeedMilestone,
  SeedProgramme,
  SeedReturn,
} from './seed.types.ts';

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
  clusters: {
    id: string;
    name: string;
    platform?: string;
    notes?: string;
    milestones: PublicMilestone[];
  }[];
  supporting_programmes: { id: string; name: string; notes?: string }[];
}

export const CLUSTERS_JSON = join(SEED_DATA_DIR, 'shared-services-clusters.json');
export const HISTORY_JSON = join(SEED_DATA_DIR, 'programme-history.json');

interface HistoryFile {
  forecasts: {
    organisation: string;
    milestone: string;
    baseline?: string;
    baseline_note?: string;
    returns: { return: string; forecast: string; note?: string }[];
  }[];
  assessments: {
    organisation: string;
    assessor: string;
    scale: string;
    rating: string;
    assessed: string;
    note?: string;
  }[];
  costs: { organisation: string; baseline?: number; forecast?: number; note?: string }[];
}

export interface PublicProgrammeRecord {
  programmes: SeedProgramme[];
  milestones: SeedMilestone[];
  forecasts: SeedForecast[];
  assessments: SeedAssessment[];
  /** The milestone returns, one per quarter in which a forecast was given. */
  returns: SeedReturn[];
}

function quarterOf(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

function dated(label: string | undefined) {
  if (!label) return { date: null, precision: null };
  const d = parsePreciseDate(label);
  return { date: d.date, precision: d.precision };
}

/**
 * The public programme record of a cluster or supporting programme: the milestones of the clusters
 * file (a complete milestone's date is its baseline and actual; a planned one's its baseline and
 * forecast; a late one gives both) and, from the history file, the forecast each return gave, the
 * delivery confidence assessments and whole-life cost.
 */
export function publicProgrammes(
  entry: RegistryEntry,
  path = CLUSTERS_JSON,
  historyPath = HISTORY_JSON,
): PublicProgrammeRecord {
  const file = JSON.parse(readFileSync(path, 'utf8')) as ClustersFile;
  const history = JSON.parse(readFileSync(historyPath, 'utf8')) as HistoryFile;
  const cluster = file.clusters.find((c) => c.id === entry.id);
  const supporting = file.supporting_programmes.find((p) => p.id === entry.id);
  const empty = { programmes: [], milestones: [], forecasts: [], assessments: [], returns: [] };
  if (!cluster && !supporting) return empty;
  const programmeId = `${entry.id}-programme`;
  const cost = history.costs.find((c) => c.organisation === entry.id);
  const programme: SeedProgramme = {
    id: programmeId,
    name: cluster ? `${cluster.name} shared services programme` : `${supporting!.name} programme`,
    seniorResponsibleOwner: null,
    description:
      [cluster?.platform, cluster?.notes ?? supporting?.notes].filter(Boolean).join('. ') || null,
    baselineWholeLifeCost: cost?.baseline ?? null,
    forecastWholeLifeCost: cost?.forecast ?? null,
    costNote: cost?.note ?? null,
    category: null,
    matchedBy: null,
  };
  const forecasts: SeedForecast[] = [];
  const milestones: SeedMilestone[] = (cluster?.milestones ?? []).map((m, position) => {
    const id = `${programmeId}-${position + 1}`;
    const story = history.forecasts.find(
      (f) => f.organisation === entry.id && f.milestone === m.title,
    );
    const baseline = dated(story?.baseline ?? m.baseline ?? m.date);
    const forecast =
      m.status === 'complete' ? { date: null, precision: null } : dated(m.forecast ?? m.date);
    const actual = m.status === 'complete' ? dated(m.date) : { date: null, precision: null };
    for (const r of story?.returns ?? []) {
      const f = parsePreciseDate(r.forecast);
      forecasts.push({
        milestoneId: id,
        returnDate: r.return,
        forecastDate: f.date,
        forecastPrecision: f.precision,
        note: r.note ?? null,
        recordedAt: new Date(`${r.return}T12:00:00Z`),
      });
    }
    const notes = [
      m.source_quality ? `${m.source_quality} source` : null,
      story?.baseline_note ?? null,
    ].filter(Boolean);
    return {
      id,
      programmeId,
      title: m.title,
      position,
      baselineDate: baseline.date,
      baselinePrecision: baseline.precision,
      forecastDate: forecast.date,
      forecastPrecision: forecast.precision,
      actualDate: actual.date,
      actualPrecision: actual.precision,
      sourceNote: notes.length ? notes.join(' ') : null,
    };
  });
  const assessments: SeedAssessment[] = history.assessments
    .filter((a) => a.organisation === entry.id)
    .map((a) => {
      const on = parsePreciseDate(a.assessed);
      return {
        programmeId,
        assessor: a.assessor,
        assessedOn: on.date,
        assessedPrecision: on.precision,
        scale: a.scale,
        rating: a.rating,
        sourceNote: a.note ?? null,
        recordedAt: new Date(`${on.date}T12:00:00Z`),
      };
    });
  const returns = new Map<string, SeedReturn>();
  for (const f of [...forecasts].sort((a, b) => a.returnDate.localeCompare(b.returnDate))) {
    const period = quarterOf(f.returnDate);
    if (!returns.has(period))
      returns.set(period, { dataset: 'milestones', period, receivedOn: f.returnDate });
  }
  return {
    programmes: [programme],
    milestones,
    forecasts,
    assessments,
    returns: [...returns.values()],
  };
}
