import { Frequency, type Staleness, nextPeriod, parsePeriod } from '@crossgov/schema';
import {
  DEFAULT_GRACE_DAYS,
  DEFAULT_TOLERANCE_DAYS,
  addDays,
  dueDate,
} from '../returns/returns.rules.ts';

const FREQUENCY_WORDS: Record<Frequency, string> = {
  [Frequency.MONTHLY]: 'monthly',
  [Frequency.QUARTERLY]: 'quarterly',
  [Frequency.ANNUAL]: 'annual',
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether an indicator's latest figure is older than its cadence allows (docs/domain.md, "a staleness check per
 * data set"), by the rule returns are chased by (returns.rules.ts): the figure for the period after it is due on
 * that period's last day plus its frequency's grace, is late (OUTSTANDING) for one more grace, and MISSING after.
 * The latest figure is stale once its successor is missing, not the day after it was due: a figure whose next is
 * a few days late is still the latest a reader can expect, and says so in its rule. The next period is of the
 * latest figure's own type, so a scorecard rolled up into quarters waits for the next quarter, due when its last
 * month is.
 */
export function staleness(latestPeriod: string, frequency: string, today: string): Staleness {
  const grace = DEFAULT_GRACE_DAYS[frequency as Frequency];
  if (grace === undefined)
    throw new Error(
      `frequency ${JSON.stringify(frequency)} must be one of ${Object.values(Frequency).join(', ')} to judge whether a figure is stale`,
    );
  if (!ISO_DATE.test(today))
    throw new Error(
      `today ${JSON.stringify(today)} must be an ISO date (YYYY-MM-DD) to judge whether a figure is stale`,
    );
  const expected = nextPeriod(parsePeriod(latestPeriod));
  const dueOn = dueDate(expected, grace);
  const missingAfter = addDays(dueOn, DEFAULT_TOLERANCE_DAYS[frequency as Frequency]);
  const cadence = `${FREQUENCY_WORDS[frequency as Frequency]}: due ${grace} days after its period, missing ${DEFAULT_TOLERANCE_DAYS[frequency as Frequency]} days after that`;
  const stale = today > missingAfter;
  const rule = stale
    ? `stale: the latest figure is for ${latestPeriod}; the figure for ${expected.label} was due by ${dueOn} and has been missing since ${missingAfter} (${cadence})`
    : today > dueOn
      ? `current, next late: the figure for ${expected.label} was due by ${dueOn}; this one is stale after ${missingAfter} (${cadence})`
      : `current: the next figure, for ${expected.label}, is due by ${dueOn} (${cadence})`;
  return { stale, expectedPeriod: expected.label, dueOn, rule };
}
