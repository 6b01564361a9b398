import {
  type FactPage,
  type FactsArgs,
  FactBreakdown,
  PERIOD_FORMATS,
  type Period,
  badInput,
  parsePeriod,
  parsedOrBadInput,
} from '@crossgov/schema';
import type { OrganisationContext } from '../context.ts';
import type { IndicatorRow } from '../db/schema.ts';
import {
  type FactFilter,
  type FactPosition,
  type PlacedFact,
  type PlacedUnreadable,
  decodeCursor,
  encodeCursor,
  indicatorFacts,
  isAfter,
} from './facts.ts';

/** Largest page: a page is computed whole in memory, so this bounds a request's memory. */
export const MAX_FACTS_PAGE = 10_000;

function periodArg(field: string, label: string | null | undefined): Period | null {
  if (label === null || label === undefined) return null;
  return parsedOrBadInput(field, label, parsePeriod, () => `must be a period: ${PERIOD_FORMATS}`);
}

function instantArg(value: string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  // A date alone means its first instant, UTC; anything else must carry its time zone.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)
    ? Date.parse(iso)
    : Number.NaN;
  if (Number.isNaN(time))
    throw badInput(
      'updatedSince',
      value,
      'must be an ISO 8601 date (2026-11-01) or date and time with its zone (2026-11-01T09:30:00Z)',
    );
  return new Date(time);
}

/**
 * One page of this organisation's facts, in the order indicator, series, period. Rows are computed
 * an indicator at a time (each series judged whole), so a page touches only the indicators it needs;
 * reading one row past the page says whether another page follows.
 */
export async function factsPage(
  ctx: OrganisationContext,
  organisationId: string,
  args: FactsArgs,
): Promise<FactPage> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_FACTS_PAGE)
    throw badInput('first', args.first, `must be a whole number from 1 to ${MAX_FACTS_PAGE}`);
  const filter: FactFilter = {
    breakdown: args.breakdown,
    from: periodArg('from', args.from),
    to: periodArg('to', args.to),
    updatedSince: instantArg(args.updatedSince),
  };
  if (filter.from && filter.to && filter.from.start > filter.to.end)
    throw badInput('to', args.to, `must not end before from (${args.from}) starts`);
  const after = args.after ? decodeCursor(args.after) : null;
  if (args.after && !after)
    throw badInput('after', args.after, 'must be a nextCursor this organisation gave');

  const all = await ctx.loaders.indicators.load(organisationId);
  let selected: IndicatorRow[] = args.indicators
    ? all.filter((i) => args.indicators!.includes(i.code))
    : all;
  if (after) {
    const at = selected.findIndex((i) => i.code === after.indicator);
    if (at < 0)
      throw badInput(
        'after',
        args.after,
        `names indicator ${after.indicator}, which is not among those asked for`,
      );
    selected = selected.slice(at);
  }
  const key = (indicator: IndicatorRow) => ({ organisationId, id: indicator.id });
  const [serviceRows, targetLists] = await Promise.all([
    ctx.loaders.services.load(organisationId),
    ctx.loaders.targetsByIndicator.loadMany(selected.map(key)),
  ]);
  const serviceNames = new Map(serviceRows.map((s) => [s.id, s.name]));

  // Organisation figures are few: read every indicator at once (one query). With the breakdown an
  // indicator can hold a department's whole service catalogue, so read one at a time.
  const window = args.breakdown === FactBreakdown.ORGANISATION ? selected.length : 1;
  const page: PlacedFact[] = [];
  const unreadable: PlacedUnreadable[] = [];
  for (let i = 0; i < selected.length && page.length <= args.first; i += window) {
    const batch = selected.slice(i, i + window);
    const rowLists = await ctx.loaders.measurementsByIndicator.loadMany(batch.map(key));
    batch.forEach((indicator, j) => {
      const rows = rowLists[j]!;
      const targets = targetLists[i + j]!;
      if (rows instanceof Error) throw rows;
      if (targets instanceof Error) throw targets;
      page.push(
        ...indicatorFacts(
          indicator,
          rows,
          targets,
          serviceNames,
          filter,
          { after, limit: args.first + 1 - page.length },
          unreadable,
        ),
      );
    });
  }
  const more = page.length > args.first;
  const rows = page.slice(0, args.first);
  // A figure left out is named on the page its fact would have been on: up to where the next page starts.
  const order = new Map(selected.map((indicator, i) => [indicator.code, i]));
  const end = more ? rows.at(-1)!.position : null;
  const within = (at: FactPosition) =>
    end === null ||
    order.get(at.indicator)! < order.get(end.indicator)! ||
    (at.indicator === end.indicator && !isAfter(at, end));
  return {
    rows: rows.map((r) => r.fact),
    nextCursor: more ? encodeCursor(rows.at(-1)!.position) : null,
    unreadable: unreadable.filter((u) => within(u.position)).map((u) => u.problem),
  };
}
