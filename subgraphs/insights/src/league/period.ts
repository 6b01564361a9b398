import { formatNumber, parsePeriod } from '@crossgov/schema';

/** One period some expected organisation has a figure for, and how many of them have one. */
export interface PeriodReported {
  period: string;
  /** ISO date of its first day, as the figures give it. */
  start: string;
  /** ISO date of its last day: a quarter starting with a month ends after it. */
  end: string;
  reported: number;
}

/** The period a league compares and the sentence saying which rule chose it. */
export interface PeriodChoice {
  period: string;
  rule: string;
}

/** The columns of one organisation's figures a league reads to count periods. */
export interface PeriodColumns {
  periods: readonly string[];
  periodStarts: readonly string[];
}

const later = (a: string, b: string) => (a > b ? 1 : a < b ? -1 : 0);

/**
 * Newest first by when a period starts, then by when it ends (a quarter after the month it starts
 * with: it covers more of what has happened since), then by label: labels are compared only to
 * keep the order stable, never to decide which period is later ("2026-10" sorts before "2026-9").
 */
const newestFirst = (a: PeriodReported, b: PeriodReported) =>
  later(b.start, a.start) || later(b.end, a.end) || later(b.period, a.period);

function endOf(label: string, start: string): string {
  try {
    return parsePeriod(label).end;
  } catch {
    // A label from a publisher on other rules: its start is all that is known of it.
    return start;
  }
}

/**
 * Every period at least one of the expected organisations has a figure for, newest first, with how
 * many of them have one. Each organisation counts once per period.
 */
export function periodsReported(columns: readonly PeriodColumns[]): PeriodReported[] {
  const counts = new Map<string, PeriodReported>();
  for (const c of columns) {
    const seen = new Set<string>();
    c.periods.forEach((period, i) => {
      if (seen.has(period)) return;
      seen.add(period);
      const known = counts.get(period);
      if (known) known.reported += 1;
      else {
        const start = c.periodStarts[i] ?? '';
        counts.set(period, { period, start, end: endOf(period, start), reported: 1 });
      }
    });
  }
  return [...counts.values()].sort(newestFirst);
}

const organisations = (n: number) =>
  `${formatNumber(n, 'COUNT')} expected ${n === 1 ? 'organisation' : 'organisations'}`;
const share = (p: PeriodReported, expected: number) =>
  `${formatNumber(p.reported, 'COUNT')} of ${formatNumber(expected, 'COUNT')}`;

/**
 * The period a league compares (docs/domain.md, "Leagues"). One asked for is taken as it is.
 * Without one, the latest period that at least half of the expected organisations reported
 * (reported x 2 >= expected), so the default league compares most of them rather than the one
 * organisation that reported first; if no period reaches half, the period reported by the most,
 * the later of any tied. Null when nobody has a figure and nothing was asked.
 *
 * `periods` must be newest first, as periodsReported gives them.
 */
export function choosePeriod(
  periods: readonly PeriodReported[],
  expected: number,
  asked: string | null | undefined,
): PeriodChoice | null {
  if (asked) {
    const found = periods.find((p) => p.period === asked);
    return {
      period: asked,
      rule: `${asked}: asked for (${found ? share(found, expected) : `0 of ${formatNumber(expected, 'COUNT')}`} reported)`,
    };
  }
  const newest = periods[0];
  if (!newest) return null;
  const majority = periods.find((p) => p.reported * 2 >= expected);
  if (majority) {
    const since =
      majority === newest
        ? ''
        : `; ${newest.period}, the latest anyone reported, has ${share(newest, expected)}`;
    return {
      period: majority.period,
      rule: `${majority.period}: the latest period at least half of the ${organisations(expected)} reported (${share(majority, expected)})${since}`,
    };
  }
  // Newest first, so the first of the most reported is the latest of those tied.
  const most = periods.reduce((best, p) => (p.reported > best.reported ? p : best), newest);
  const tied = periods.filter((p) => p.reported === most.reported).length > 1;
  return {
    period: most.period,
    rule: `${most.period}: no period was reported by at least half of the ${organisations(expected)}, so the one reported by the most (${share(most, expected)})${tied ? ', the latest of those tied' : ''}`,
  };
}
