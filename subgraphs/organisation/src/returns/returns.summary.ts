import { Frequency, type ReturnLine, type ReturnsSummary, parsePeriod } from '@crossgov/schema';
import type { IndicatorRow, ReturnRow } from '../db/schema.ts';
import { DEFAULT_GRACE_DAYS, completeness, expectedPeriods, returnLines } from './returns.rules.ts';

/**
 * An organisation whose figures are a published data set's (docs/public-data.md) owes the hub no
 * returns: the hub holds a copy of what its publisher published, up to the last publication the
 * copy has. Chasing it from its first period to today would call every month since missing.
 */
export function notChased(dataSets: readonly string[]): ReturnsSummary {
  const rule = `not chased: its figures are imported from the published data set${dataSets.length > 1 ? 's' : ''} ${dataSets.join(' and ')} as published, not returned to the hub`;
  return { chased: false, completeness: { expected: 0, received: 0, late: 0, missing: 0, ratio: null, rule }, overdue: [], lines: [] };
}

/** The milestone return is quarterly, like the Cabinet Office portfolio dashboard it feeds. */
const MILESTONE_FREQUENCY = Frequency.QUARTERLY;

/**
 * Every data set an organisation owes (each indicator at its frequency, and its quarterly milestone
 * return), from the first period it ever returned up to today: what came on time, late or not at all.
 */
export function summariseReturns(indicators: readonly IndicatorRow[], received: readonly ReturnRow[], today: string): ReturnsSummary {
  const byDataset = new Map<string, ReturnRow[]>();
  for (const row of received) {
    const list = byDataset.get(row.dataset);
    if (list) list.push(row);
    else byDataset.set(row.dataset, [row]);
  }
  const datasets = [
    ...indicators.map((indicator) => ({ dataset: `indicator:${indicator.code}`, key: `indicator:${indicator.id}`, frequency: indicator.frequency as Frequency })),
    { dataset: 'milestones', key: 'milestones', frequency: MILESTONE_FREQUENCY },
  ];
  const lines: ReturnLine[] = [];
  for (const { dataset, key, frequency } of datasets) {
    const records = byDataset.get(key) ?? [];
    if (records.length === 0) continue; // a data set nobody has ever returned is not expected yet
    const first = records.map((r) => r.period).sort((a, b) => parsePeriod(a).start.localeCompare(parsePeriod(b).start))[0]!;
    const grace = DEFAULT_GRACE_DAYS[frequency];
    const expected = expectedPeriods(first, today, grace);
    for (const line of returnLines(expected, records.map((r) => ({ period: r.period, receivedOn: r.receivedOn })), today, grace)) {
      lines.push({ dataset, ...line });
    }
  }
  const summary = completeness(lines, today);
  return {
    chased: true,
    completeness: summary,
    overdue: lines.filter((l) => l.status === 'MISSING').sort((a, b) => (b.daysLate ?? 0) - (a.daysLate ?? 0)),
    lines,
  };
}
