import DataLoader from 'dataloader';
import { groupInKeyOrder } from '@crossgov/schema';
import { and, asc, eq, getTableColumns, inArray, max } from 'drizzle-orm';
import type { OrganisationDb } from './db/client.ts';
import {
  type ConfidenceAssessmentRow,
  confidenceAssessments,
  dataVersions,
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
  programmeReturns,
  services,
  type IndicatorRow,
  type ProgrammeReturnRow,
  type MilestoneRow,
  type ProgrammeRow,
  type ServiceRow,
  type TargetRow,
  targets,
} from './db/schema.ts';
import { type VersionedCache, versionedKey } from './cache.ts';
import { overlayDrafts, overlayLatest } from './indicator/drafts.ts';
import type { SeriesRow } from './indicator/series.ts';

/**
 * Per-request loaders. A publisher serves many organisations and the gateway asks for all of them
 * in one `_entities` call, so every list is keyed by organisation (or by organisation and record)
 * and each batch is one `inArray` query: the SQL count per request is constant in the number of
 * organisations, services, indicators, periods and milestones (docs/architecture.md, "Data").
 * With a cache, an organisation's lists are kept between requests under its data version (read
 * once per request for all of them), and only organisations whose data changed are read again.
 */
export interface LoaderOptions {
  /** Keep organisations' lists between requests, keyed by their data version. @default none */
  cache?: VersionedCache;
  /**
   * Whether the caller sees this organisation's drafts laid over its published figures. Costs one
   * more batched query per measurement loader when any key's organisation does; anonymous
   * requests never run it.
   * @default none
   */
  drafts?: (organisationId: string) => boolean;
}

/** A record of one organisation: its indicator, programme or milestone id within that organisation. */
export interface OwnedKey {
  organisationId: string;
  id: string;
}

/** Which revisions of one figure a `history` field asks for. */
export interface HistoryKey {
  organisationId: string;
  indicatorId: string;
  period: string;
  serviceId: string | null;
  department: string | null;
}

const owned = (organisationId: string, id: string) => `${organisationId}\u0000${id}`;
const ownedKey = (key: OwnedKey) => owned(key.organisationId, key.id);
const unique = <T>(values: readonly T[]) => [...new Set(values)];

/** What a batch needs to keep its answers in the versioned cache: the cache and each organisation's version. */
interface Versioning {
  cache: VersionedCache;
  version: DataLoader<string, number>;
}

/**
 * Answers each key from the cache when its organisation's data has not changed, and loads the
 * others in one call. `entryOf` names a key's entry: its kind, organisation, whether drafts are in
 * it, and what else tells keys of one organisation apart.
 */
async function versioned<K, V>(
  keys: readonly K[],
  versioning: Versioning | undefined,
  entryOf: (key: K) => { kind: string; organisationId: string; drafts: boolean; args?: unknown },
  load: (keys: K[]) => Promise<V[]>,
): Promise<V[]> {
  if (!versioning) return load([...keys]);
  const entries = keys.map(entryOf);
  const versions = await versioning.version.loadMany(entries.map((e) => e.organisationId));
  const names = entries.map((e, i) => {
    const version = versions[i];
    if (version instanceof Error) throw version;
    return versionedKey(e.kind, e.organisationId, version!, e.drafts, e.args ?? null);
  });
  const answers = names.map((name) => versioning.cache.peek<V>(name));
  const missing = keys.flatMap((key, i) => (answers[i] === undefined ? [{ key, i }] : []));
  if (missing.length > 0) {
    const loaded = await load(missing.map((m) => m.key));
    missing.forEach(({ i }, j) => {
      answers[i] = loaded[j]!;
      versioning.cache.set(names[i]!, loaded[j]);
    });
  }
  return answers as V[];
}

/** Rows of one organisation's list, for each organisation asked for, in one query (kept between requests under its version). */
function byOrganisation<R extends { organisationId: string }>(
  kind: string,
  versioning: Versioning | undefined,
  load: (ids: string[]) => Promise<R[]>,
) {
  return new DataLoader<string, R[]>((ids) =>
    versioned(
      ids,
      versioning,
      (id) => ({ kind, organisationId: id, drafts: false }),
      async (missing) => groupInKeyOrder(missing, await load(missing), (row) => row.organisationId),
    ),
  );
}

/**
 * Rows belonging to records of several organisations, in one query: it selects every row of the
 * organisations and records asked for (a superset when organisations differ in their records) and
 * keeps each key's own.
 */
function byOwned<R extends { organisationId: string }>(
  load: (organisationIds: string[], ids: string[]) => Promise<R[]>,
  idOf: (row: R) => string,
) {
  return new DataLoader<OwnedKey, R[], string>(
    async (keys) =>
      groupInKeyOrder(
        keys.map(ownedKey),
        await load(unique(keys.map((k) => k.organisationId)), unique(keys.map((k) => k.id))),
        (row) => owned(row.organisationId, idOf(row)),
      ),
    { cacheKeyFn: ownedKey },
  );
}

export function createLoaders(db: OrganisationDb, options: LoaderOptions = {}) {
  const drafts = options.drafts ?? (() => false);
  /** Each organisation's data version (0 before its first write): what kept entries are keyed by. */
  const version = new DataLoader<string, number>(async (ids) => {
    const rows = await db
      .select()
      .from(dataVersions)
      .where(inArray(dataVersions.organisationId, [...ids]));
    const byId = new Map(rows.map((row) => [row.organisationId, row.version]));
    return ids.map((id) => byId.get(id) ?? 0);
  });
  const versioning = options.cache ? { cache: options.cache, version } : undefined;
  /** Drafts of the keys whose organisation the caller may read drafts of, grouped like the keys; null when none may. */
  const draftsOf = async (keys: readonly OwnedKey[]): Promise<MeasurementDraftRow[][] | null> => {
    const readable = keys.filter((k) => drafts(k.organisationId));
    if (readable.length === 0) return null;
    const rows = await db
      .select()
      .from(measurementDrafts)
      .where(
        and(
          inArray(measurementDrafts.organisationId, unique(readable.map((k) => k.organisationId))),
          inArray(measurementDrafts.indicatorId, unique(readable.map((k) => k.id))),
        ),
      )
      .orderBy(asc(measurementDrafts.periodStart));
    return groupInKeyOrder(
      keys.map(ownedKey),
      rows.filter((row) => drafts(row.organisationId)),
      (row) => owned(row.organisationId, row.indicatorId),
    );
  };
  const measurementsIn = (organisationIds: string[], ids: string[]) =>
    and(
      inArray(measurements.organisationId, organisationIds),
      inArray(measurements.indicatorId, ids),
    );

  return {
    version,
    services: byOrganisation('services', versioning, (ids): Promise<ServiceRow[]> =>
      db
        .select()
        .from(services)
        .where(inArray(services.organisationId, ids))
        .orderBy(asc(services.name)),
    ),
    indicators: byOrganisation('indicators', versioning, (ids): Promise<IndicatorRow[]> =>
      db
        .select()
        .from(indicators)
        .where(inArray(indicators.organisationId, ids))
        .orderBy(asc(indicators.position), asc(indicators.code)),
    ),
    programmes: byOrganisation('programmes', versioning, (ids): Promise<ProgrammeRow[]> =>
      db
        .select()
        .from(programmes)
        .where(inArray(programmes.organisationId, ids))
        .orderBy(asc(programmes.name)),
    ),
    allMilestones: byOrganisation('milestones', versioning, (ids): Promise<MilestoneRow[]> =>
      db
        .select()
        .from(milestones)
        .where(inArray(milestones.organisationId, ids))
        .orderBy(asc(milestones.programmeId), asc(milestones.position)),
    ),
    returns: byOrganisation('returns', versioning, (ids): Promise<ReturnRow[]> =>
      db
        .select()
        .from(returns)
        .where(inArray(returns.organisationId, ids))
        .orderBy(asc(returns.dataset), asc(returns.receivedOn)),
    ),
    forecastsByMilestone: byOwned(
      (orgs, ids): Promise<MilestoneForecastRow[]> =>
        db
          .select()
          .from(milestoneForecasts)
          .where(
            and(
              inArray(milestoneForecasts.organisationId, orgs),
              inArray(milestoneForecasts.milestoneId, ids),
            ),
          )
          .orderBy(asc(milestoneForecasts.returnDate)),
      (row) => row.milestoneId,
    ),
    assessmentsByProgramme: byOwned(
      (orgs, ids): Promise<ConfidenceAssessmentRow[]> =>
        db
          .select()
          .from(confidenceAssessments)
          .where(
            and(
              inArray(confidenceAssessments.organisationId, orgs),
              inArray(confidenceAssessments.programmeId, ids),
            ),
          )
          .orderBy(asc(confidenceAssessments.assessedOn)),
      (row) => row.programmeId,
    ),
    publicationsByProgramme: byOwned(
      (orgs, ids): Promise<ProgrammeReturnRow[]> =>
        db
          .select()
          .from(programmeReturns)
          .where(
            and(
              inArray(programmeReturns.organisationId, orgs),
              inArray(programmeReturns.programmeId, ids),
            ),
          )
          .orderBy(asc(programmeReturns.returnDate)),
      (row) => row.programmeId,
    ),
    measurementsByIndicator: new DataLoader<OwnedKey, SeriesRow[], string>(
      async (keys) => {
        const rows = await db
          .select()
          .from(measurements)
          .where(
            measurementsIn(
              unique(keys.map((k) => k.organisationId)),
              unique(keys.map((k) => k.id)),
            ),
          )
          .orderBy(asc(measurements.periodStart));
        const published = groupInKeyOrder(keys.map(ownedKey), rows, (row) =>
          owned(row.organisationId, row.indicatorId),
        );
        const pending = await draftsOf(keys);
        return pending ? published.map((list, i) => overlayDrafts(list, pending[i]!)) : published;
      },
      { cacheKeyFn: ownedKey },
    ),
    // Only the rows of each indicator's most recent period: reading whole histories to show the
    // latest figure made the uniform query spend most of its time decoding rows it threw away.
    latestMeasurementsByIndicator: new DataLoader<OwnedKey, SeriesRow[], string>(
      (asked) =>
        versioned(
          asked,
          versioning,
          (k) => ({
            kind: 'latest',
            organisationId: k.organisationId,
            drafts: drafts(k.organisationId),
            args: k.id,
          }),
          async (keys) => {
            const where = measurementsIn(
              unique(keys.map((k) => k.organisationId)),
              unique(keys.map((k) => k.id)),
            );
            const latest = db
              .select({
                organisationId: measurements.organisationId,
                indicatorId: measurements.indicatorId,
                start: max(measurements.periodStart).as('latest_start'),
              })
              .from(measurements)
              .where(where)
              .groupBy(measurements.organisationId, measurements.indicatorId)
              .as('latest');
            const rows = await db
              .select(getTableColumns(measurements))
              .from(measurements)
              .innerJoin(
                latest,
                and(
                  eq(measurements.organisationId, latest.organisationId),
                  eq(measurements.indicatorId, latest.indicatorId),
                  eq(measurements.periodStart, latest.start),
                ),
              );
            const published = groupInKeyOrder(keys.map(ownedKey), rows, (row) =>
              owned(row.organisationId, row.indicatorId),
            );
            const pending = await draftsOf(keys);
            return pending
              ? published.map((list, i) => overlayLatest(list, pending[i]!))
              : published;
          },
        ),
      { cacheKeyFn: ownedKey },
    ),
    // Every history field of a request in one query; each key then keeps its own figure's rows.
    historyOf: new DataLoader<HistoryKey, MeasurementRevisionRow[], string>(
      async (keys) => {
        const rows = await db
          .select()
          .from(measurementRevisions)
          .where(
            and(
              inArray(
                measurementRevisions.organisationId,
                unique(keys.map((k) => k.organisationId)),
              ),
              inArray(measurementRevisions.indicatorId, unique(keys.map((k) => k.indicatorId))),
              inArray(measurementRevisions.period, unique(keys.map((k) => k.period))),
            ),
          )
          .orderBy(asc(measurementRevisions.id));
        return keys.map((k) =>
          rows.filter(
            (r) =>
              r.organisationId === k.organisationId &&
              r.indicatorId === k.indicatorId &&
              r.period === k.period &&
              r.serviceId === k.serviceId &&
              r.department === k.department &&
              (r.status === 'PUBLISHED' || drafts(k.organisationId)),
          ),
        );
      },
      {
        cacheKeyFn: (key) =>
          JSON.stringify([
            key.organisationId,
            key.indicatorId,
            key.period,
            key.serviceId,
            key.department,
          ]),
      },
    ),
    targetsByIndicator: byOwned(
      (orgs, ids): Promise<TargetRow[]> =>
        db
          .select()
          .from(targets)
          .where(and(inArray(targets.organisationId, orgs), inArray(targets.indicatorId, ids)))
          .orderBy(asc(targets.fromDate)),
      (row) => row.indicatorId,
    ),
    milestonesByProgramme: byOwned(
      (orgs, ids): Promise<MilestoneRow[]> =>
        db
          .select()
          .from(milestones)
          .where(
            and(inArray(milestones.organisationId, orgs), inArray(milestones.programmeId, ids)),
          )
          .orderBy(asc(milestones.position)),
      (row) => row.programmeId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
