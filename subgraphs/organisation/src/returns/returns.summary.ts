import { Frequency, type ReturnLine, type ReturnsSummary, parsePeriod } from '@crossgov/schema';
import type { IndicatorRow, MilestoneRow, ReturnRow } from '../db/schema.ts';
import {
  DEFAULT_GRACE_DAYS,
  DEFAULT_TOLERANCE_DAYS,
  completeness,
  expectedPeriods,
  notReceivedIn,
  periodsWhileOpen,
  returnLines,
  returnsWindow,
} from './returns.rules.ts';

/**
 * An organisation whose figures are a published data set's (docs/public-data.md) owes the hub no
 * returns: the hub holds a copy of what its publisher published, up to the last publication the
 * copy has. Chasing it from its first period to today would call every month since missing.
 */
export function notChased(dataSets: readonly string[], today: string): ReturnsSummary {
  const rule = `not chased: its figures are imported from the published data set${dataSets.length > 1 ? 's' : ''} ${dataSets.join(' and ')} as published, not returned to the hub`;
  const window = returnsWindow(today);
  return {
    chased: false,
    completeness: {
      expected: 0,
      received: 0,
      late: 0,
      outstanding: 0,
      missing: 0,
      ratio: null,
      from: window.from,
      to: window.to,
      olderMissing: 0,
      rule,
    },
    overdue: [],
    outstanding: [],
    lines: [],
  };
}

/** The milestone return is quarterly, like the Cabinet Office portfolio dashboard it feeds. */
const MILESTONE_FREQUENCY = Frequency.QUARTERLY;

const days = (byCadence: Record<Frequency, number>) =>
  `${byCadence.MONTHLY} days (monthly), ${byCadence.QUARTERLY} (quarterly) or ${byCadence.ANNUAL} (annual)`;

/** What the figures count, in the words of the rules that make them: appended to completeness's own rule. */
export const RETURNS_RULE =
  `A return is due at its period's end plus ${days(DEFAULT_GRACE_DAYS)}; one not received by then is late (outstanding) for ${days(DEFAULT_TOLERANCE_DAYS)} more, then missing. ` +
  "Each indicator owes a return from the first period it returned; the quarterly milestone return is owed only for quarters in which one of the organisation's milestones was still open (no actual date, or one on or after the quarter's first day), so none after its last milestone was done.";

/**
 * Every data set an organisation owes (each indicator at its frequency, and its quarterly milestone
 * return while a milestone is open), from the first period it ever returned up to today: what came on
 * time, late or not at all. Figures and lists count the same window of due dates.
 */
export function summariseReturns(
  indicators: readonly IndicatorRow[],
  received: readonly ReturnRow[],
  milestones: readonly Pick<MilestoneRow, 'actualDate'>[],
  today: string,
): ReturnsSummary {
  const byDataset = new Map<string, ReturnRow[]>();
  for (const row of received) {
    const list = byDataset.get(row.dataset);
    if (list) list.push(row);
    else byDataset.set(row.dataset, [row]);
  }
  const datasets = [
    ...indicators.map((indicator) => ({
      dataset: `indicator:${indicator.code}`,
      key: `indicator:${indicator.id}`,
      frequency: indicator.frequency as Frequency,
    })),
    { dataset: 'milestones', key: 'milestones', frequency: MILESTONE_FREQUENCY },
  ];
  const lines: ReturnLine[] = [];
  for (const { dataset, key, frequency } of datasets) {
    const records = byDataset.get(key) ?? [];
    if (records.length === 0) continue; // a data set nobody has ever returned is not expected yet
    const first = records
      .map((r) => r.period)
      .sort((a, b) => parsePeriod(a).start.localeCompare(parsePeriod(b).start))[0]!;
    const grace = DEFAULT_GRACE_DAYS[frequency];
    const due = expectedPeriods(first, today, grace);
    const expected = dataset === 'milestones' ? periodsWhileOpen(due, milestones) : due;
    const judged = returnLines(
      expected,
      records.map((r) => ({ period: r.period, receivedOn: r.receivedOn })),
      today,
      grace,
      DEFAULT_TOLERANCE_DAYS[frequency],
    );
    for (const line of judged) {
      lines.push({ dataset, ...line });
    }
  }
  const summary = completeness(lines, today);
  const { outstanding, overdue } = notReceivedIn(lines, returnsWindow(today));
  return {
    chased: true,
    completeness: { ...summary, rule: `${summary.rule}. ${RETURNS_RULE}` },
    overdue,
    outstanding,
    lines,
  };
}
