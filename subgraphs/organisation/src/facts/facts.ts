import {
  type Fact,
  FactBreakdown,
  type UnreadableFigure,
  type Period,
  type PeriodType,
  type Polarity,
  RevisionStatus,
  type Unit,
} from '@crossgov/schema';
import type { IndicatorRow, TargetRow } from '../db/schema.ts';
import type { SeriesRow } from '../indicator/series.ts';
import { buildScorecard } from '../scorecard/scorecard.ts';

/** Which facts of an indicator a page keeps; the series are always judged whole. */
export interface FactFilter {
  breakdown: FactBreakdown;
  /** Periods starting on or after this one's start. */
  from?: Period | null;
  /** Periods starting on or before this one's end (both ends filter on the start, as BI partitions do). */
  to?: Period | null;
  /** Only figures changed after this instant (incremental refresh). */
  updatedSince?: Date | null;
}

/**
 * Where a page ended: the last row's indicator, series and period start. Series sort as the
 * organisation's own ('0:'), then services by id ('1:<id>'), then departments ('2:<code>').
 */
export interface FactPosition {
  indicator: string;
  series: string;
  periodStart: string;
}

/** A fact with its place in the order, so a page can resume after any row. */
export interface PlacedFact {
  fact: Fact;
  position: FactPosition;
}

/** A stored figure left out, at the place its fact would have had. */
export interface PlacedUnreadable {
  problem: UnreadableFigure;
  position: FactPosition;
}

const EVERY_PERIOD = Number.MAX_SAFE_INTEGER;

interface Series {
  key: string;
  serviceId: string | null;
  department: string | null;
  rows: SeriesRow[];
}

/** The series an indicator's rows make: the organisation's own, then each service's and department's when asked for. */
function seriesOf(rows: readonly SeriesRow[], breakdown: FactBreakdown): Series[] {
  const list: Series[] = [{ key: '0:', serviceId: null, department: null, rows: [...rows] }];
  if (breakdown === FactBreakdown.ORGANISATION) return list;
  const parts = new Map<string, Series>();
  for (const row of rows) {
    if (row.serviceId === null && row.department === null) continue;
    const key = row.serviceId !== null ? `1:${row.serviceId}` : `2:${row.department}`;
    let series = parts.get(key);
    if (!series)
      parts.set(
        key,
        (series = {
          key,
          serviceId: row.serviceId,
          department: row.serviceId === null ? row.department : null,
          rows: [],
        }),
      );
    series.rows.push(row);
  }
  return [
    ...list,
    ...[...parts.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  ];
}

/**
 * The facts of one indicator in order (after `page.after`, at most `page.limit`), each period judged on its whole series (RAG against the
 * target in force, SPC signal on the XmR chart of the series), then filtered. An organisation-wide
 * figure built from several rows is a draft if any part is, and changed when any part last did.
 */
export function indicatorFacts(
  indicator: IndicatorRow,
  rows: readonly SeriesRow[],
  targets: readonly TargetRow[],
  serviceNames: ReadonlyMap<string, string>,
  filter: FactFilter,
  page: { after?: FactPosition | null; limit?: number } = {},
  /** Receives each stored figure left out because it breaks the value rules, once, where its fact would have been. */
  unreadable?: PlacedUnreadable[],
): PlacedFact[] {
  const out: PlacedFact[] = [];
  const named = new Set<string>();
  const limit = page.limit ?? Number.POSITIVE_INFINITY;
  const after = page.after?.indicator === indicator.code ? page.after : null;
  for (const series of seriesOf(rows, filter.breakdown)) {
    // A page resuming inside this indicator judges no series before the cursor's, and stops when full.
    if (series.rows.length === 0 || (after && series.key < after.series)) continue;
    if (out.length >= limit) break;
    const card = buildScorecard(indicator, series.rows, targets, { periods: EVERY_PERIOD });
    for (const { periodStart, ...problem } of card.unreadable as (UnreadableFigure & {
      periodStart: string;
    })[]) {
      // A part's problem shows in the organisation's series and again in its own: named once, first.
      const key = JSON.stringify([
        problem.serviceId,
        problem.department,
        problem.period,
        problem.field,
      ]);
      const position = { indicator: indicator.code, series: series.key, periodStart };
      if (
        named.has(key) ||
        (filter.from && periodStart < filter.from.start) ||
        (filter.to && periodStart > filter.to.end) ||
        (after && !isAfter(position, after))
      )
        continue;
      named.add(key);
      unreadable?.push({ problem, position });
    }
    const parts = new Map<string, { updatedAt: Date; draft: boolean }>();
    for (const row of series.rows) {
      const seen = parts.get(row.period);
      const draft = row.draft === true;
      if (!seen) parts.set(row.period, { updatedAt: row.updatedAt, draft });
      else
        parts.set(row.period, {
          updatedAt: row.updatedAt > seen.updatedAt ? row.updatedAt : seen.updatedAt,
          draft: seen.draft || draft,
        });
    }
    for (const point of card.series) {
      const part = parts.get(point.period);
      if (point.gap || !part) continue;
      if (filter.from && point.periodStart < filter.from.start) continue;
      if (filter.to && point.periodStart > filter.to.end) continue;
      if (filter.updatedSince && part.updatedAt <= filter.updatedSince) continue;
      const position = {
        indicator: indicator.code,
        series: series.key,
        periodStart: point.periodStart,
      };
      if (after && !isAfter(position, after)) continue;
      if (out.length >= limit) break;
      out.push({
        position,
        fact: {
          indicatorCode: indicator.code,
          indicatorName: indicator.name,
          unit: indicator.unit as Unit,
          polarity: indicator.polarity as Polarity,
          serviceId: series.serviceId,
          serviceName:
            series.serviceId === null ? null : (serviceNames.get(series.serviceId) ?? null),
          department: series.department,
          period: point.period,
          periodType: point.periodType as PeriodType,
          periodStart: point.periodStart,
          periodEnd: point.periodEnd,
          value: point.value,
          numerator: point.numerator,
          denominator: point.denominator,
          target: point.target,
          rag: point.rag?.status ?? null,
          spcSignal: point.spc?.signal ?? null,
          status: part.draft ? RevisionStatus.DRAFT : RevisionStatus.PUBLISHED,
          synthetic: point.synthetic,
          updatedAt: part.updatedAt.toISOString(),
        },
      });
    }
  }
  return out;
}

/** Whether `a` comes after `b` within one indicator. */
export function isAfter(a: FactPosition, b: FactPosition): boolean {
  if (a.series !== b.series) return a.series > b.series;
  return a.periodStart > b.periodStart;
}

/** An opaque cursor for a position: base64url of its parts, stable across releases that keep the order. */
export function encodeCursor(position: FactPosition): string {
  return Buffer.from(
    JSON.stringify([position.indicator, position.series, position.periodStart]),
  ).toString('base64url');
}

/** The position a cursor names, or null when it is not one this subgraph gave. */
export function decodeCursor(cursor: string): FactPosition | null {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string'))
      return null;
    const [indicator, series, periodStart] = parts as [string, string, string];
    return /^[012]:/.test(series) && /^\d{4}-\d{2}-\d{2}$/.test(periodStart)
      ? { indicator, series, periodStart }
      : null;
  } catch {
    return null;
  }
}
