import DataLoader from 'dataloader';
import { groupInKeyOrder } from '@crossgov/schema';
import { overlayDrafts, overlayLatest } from './indicator/drafts.ts';
import type { SeriesRow } from './indicator/series.ts';
import { and, asc, eq, getTableColumns, inArray, max } from 'drizzle-orm';
import type { OrganisationDb } from './db/client.ts';
import {
  type ConfidenceAssessmentRow,
  confidenceAssessments,
  indicators,
  type MilestoneForecastRow,
  milestoneForecasts,
  type ReturnRow,
  returns,
  measurements,
  measurementDrafts,
  measurementRevisions,
  type MeasurementDraftRow,
  type MeasurementRevisionRow,
  milestones,
  programmes,
  services,
  type IndicatorRow,
  type MilestoneRow,
  type ProgrammeRow,
  type ServiceRow,
  type TargetRow,
  targets,
} from './db/schema.ts';


/**
 * Per-request loaders. This subgraph serves one organisation, so "all services" is one query; the
 * per-indicator and per-programme lists are batched into one `inArray` query each. The SQL count
 * per request is therefore constant in the number of services, indicators, periods and milestones.
 */
export interface LoaderOptions {
  /**
   * Lay this organisation's drafts over its published figures (callers with read:drafts). Costs one
   * more batched query per measurement loader; anonymous requests never run it.
   * @default false
   */
  drafts?: boolean;
}

/** Which revisions of one figure a `history` field asks for. */
export interface HistoryKey {
  indicatorId: string;
  period: string;
  serviceId: string | null;
  department: string | null;
}

export function createLoaders(db: OrganisationDb, options: LoaderOptions = {}) {
  const drafts = options.drafts ?? false;
  const draftsOf = async (ids: readonly string[]): Promise<MeasurementDraftRow[][]> => {
    const rows = await db.select().from(measurementDrafts).where(inArray(measurementDrafts.indicatorId, [...ids])).orderBy(asc(measurementDrafts.periodStart));
    return groupInKeyOrder(ids, rows, (row) => row.indicatorId);
  };
  // The organisation's whole lists are loaded once per request, whatever asks for them.
  const once = <T>(load: () => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => (promise ??= load());
  };
  return {
    services: once((): Promise<ServiceRow[]> => db.select().from(services).orderBy(asc(services.name))),
    indicators: once((): Promise<IndicatorRow[]> => db.select().from(indicators).orderBy(asc(indicators.position), asc(indicators.code))),
    programmes: once((): Promise<ProgrammeRow[]> => db.select().from(programmes).orderBy(asc(programmes.name))),
    allMilestones: once((): Promise<MilestoneRow[]> => db.select().from(milestones).orderBy(asc(milestones.programmeId), asc(milestones.position))),
    returns: once((): Promise<ReturnRow[]> => db.select().from(returns).orderBy(asc(returns.dataset), asc(returns.receivedOn))),
    forecastsByMilestone: new DataLoader<string, MilestoneForecastRow[]>(async (ids) => {
      const rows = await db.select().from(milestoneForecasts).where(inArray(milestoneForecasts.milestoneId, [...ids])).orderBy(asc(milestoneForecasts.returnDate));
      return groupInKeyOrder(ids, rows, (row) => row.milestoneId);
    }),
    assessmentsByProgramme: new DataLoader<string, ConfidenceAssessmentRow[]>(async (ids) => {
      const rows = await db
        .select()
        .from(confidenceAssessments)
        .where(inArray(confidenceAssessments.programmeId, [...ids]))
        .orderBy(asc(confidenceAssessments.assessedOn));
      return groupInKeyOrder(ids, rows, (row) => row.programmeId);
    }),
    measurementsByIndicator: new DataLoader<string, SeriesRow[]>(async (ids) => {
      const rows = await db
        .select()
        .from(measurements)
        .where(inArray(measurements.indicatorId, [...ids]))
        .orderBy(asc(measurements.periodStart));
      const published = groupInKeyOrder(ids, rows, (row) => row.indicatorId);
      if (!drafts) return published;
      const pending = await draftsOf(ids);
      return published.map((list, i) => overlayDrafts(list, pending[i]!));
    }),
    // Only the rows of each indicator's most recent period: reading whole histories to show the
    // latest figure made the uniform query spend most of its time decoding rows it threw away.
    latestMeasurementsByIndicator: new DataLoader<string, SeriesRow[]>(async (ids) => {
      const latest = db
        .select({ indicatorId: measurements.indicatorId, start: max(measurements.periodStart).as('latest_start') })
        .from(measurements)
        .where(inArray(measurements.indicatorId, [...ids]))
        .groupBy(measurements.indicatorId)
        .as('latest');
      const rows = await db
        .select(getTableColumns(measurements))
        .from(measurements)
        .innerJoin(latest, and(eq(measurements.indicatorId, latest.indicatorId), eq(measurements.periodStart, latest.start)));
      const published = groupInKeyOrder(ids, rows, (row) => row.indicatorId);
      if (!drafts) return published;
      const pending = await draftsOf(ids);
      return published.map((list, i) => overlayLatest(list, pending[i]!));
    }),
    // Every history field of a request in one query; each key then keeps its own figure's rows.
    historyOf: new DataLoader<HistoryKey, MeasurementRevisionRow[], string>(
      async (keys) => {
        const visible = drafts ? undefined : eq(measurementRevisions.status, 'PUBLISHED');
        const rows = await db
          .select()
          .from(measurementRevisions)
          .where(
            and(
              inArray(measurementRevisions.indicatorId, [...new Set(keys.map((k) => k.indicatorId))]),
              inArray(measurementRevisions.period, [...new Set(keys.map((k) => k.period))]),
              visible,
            ),
          )
          .orderBy(asc(measurementRevisions.id));
        return keys.map((k) =>
          rows.filter((r) => r.indicatorId === k.indicatorId && r.period === k.period && r.serviceId === k.serviceId && r.department === k.department),
        );
      },
      { cacheKeyFn: (key) => JSON.stringify([key.indicatorId, key.period, key.serviceId, key.department]) },
    ),
    targetsByIndicator: new DataLoader<string, TargetRow[]>(async (ids) => {
      const rows = await db.select().from(targets).where(inArray(targets.indicatorId, [...ids])).orderBy(asc(targets.fromDate));
      return groupInKeyOrder(ids, rows, (row) => row.indicatorId);
    }),
    milestonesByProgramme: new DataLoader<string, MilestoneRow[]>(async (ids) => {
      const rows = await db
        .select()
        .from(milestones)
        .where(inArray(milestones.programmeId, [...ids]))
        .orderBy(asc(milestones.position));
      return groupInKeyOrder(ids, rows, (row) => row.programmeId);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
