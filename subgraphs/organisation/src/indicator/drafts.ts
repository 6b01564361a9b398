import type { MeasurementDraftRow, MeasurementRow } from '../db/schema.ts';
import type { SeriesRow } from './series.ts';

const keyOf = (row: { serviceId: string | null; department: string | null; period: string }) =>
  JSON.stringify([row.serviceId, row.department, row.period]);

function draftAsRow(draft: MeasurementDraftRow): SeriesRow {
  return {
    // Drafts have no row in `measurements` yet, so no id; nothing reads it.
    id: 0,
    organisationId: draft.organisationId,
    indicatorId: draft.indicatorId,
    serviceId: draft.serviceId,
    department: draft.department,
    period: draft.period,
    periodType: draft.periodType,
    periodStart: draft.periodStart,
    periodEnd: draft.periodEnd,
    value: draft.value,
    numerator: draft.numerator,
    denominator: draft.denominator,
    synthetic: false,
    updatedAt: draft.submittedAt,
    draft: true,
  };
}

/** One indicator's rows as a draft reader sees them: each draft replaces the published row of the same natural key. Oldest first. */
export function overlayDrafts(
  published: readonly MeasurementRow[],
  drafts: readonly MeasurementDraftRow[],
): SeriesRow[] {
  if (drafts.length === 0) return [...published];
  const byKey = new Map<string, SeriesRow>(published.map((row) => [keyOf(row), row]));
  for (const draft of drafts) byKey.set(keyOf(draft), draftAsRow(draft));
  return [...byKey.values()].sort((a, b) => a.periodStart.localeCompare(b.periodStart));
}

/** The rows of the most recent period once drafts are laid over the published latest rows. */
export function overlayLatest(
  latest: readonly MeasurementRow[],
  drafts: readonly MeasurementDraftRow[],
): SeriesRow[] {
  const merged = overlayDrafts(latest, drafts);
  const start = merged.at(-1)?.periodStart;
  return merged.filter((row) => row.periodStart === start);
}
