import { describe, expect, it } from 'vitest';
import { staleness } from './staleness.ts';

describe('whether the latest figure is stale: once the figure after it is missing by the returns rule', () => {
  it("calls Norfolk's February 2019 figure stale on 21 November 2026: March's was due by 30 April 2019 and missing from 30 May", () => {
    // March 2019 ends on the 31st; 30 days' grace for a monthly indicator, then 30 days late before missing.
    expect(staleness('2019-02', 'MONTHLY', '2026-11-21')).toEqual({
      stale: true,
      expectedPeriod: '2019-03',
      dueOn: '2019-04-30',
      rule: 'stale: the latest figure is for 2019-02; the figure for 2019-03 was due by 2019-04-30 and has been missing since 2019-05-30 (monthly: due 30 days after its period, missing 30 days after that)',
    });
  });

  it('keeps a monthly figure current while its successor is not yet due or only late, and stale the day after the successor is missing', () => {
    // October 2026 ends on the 31st: its figure is due 30 November 2026, late up to 30 December, missing from 31 December.
    expect(staleness('2026-09', 'MONTHLY', '2026-11-21')).toMatchObject({
      stale: false,
      expectedPeriod: '2026-10',
      dueOn: '2026-11-30',
    });
    expect(staleness('2026-09', 'MONTHLY', '2026-11-21').rule).toBe(
      'current: the next figure, for 2026-10, is due by 2026-11-30 (monthly: due 30 days after its period, missing 30 days after that)',
    );
    expect(staleness('2026-09', 'MONTHLY', '2026-12-01')).toMatchObject({
      stale: false,
      rule: 'current, next late: the figure for 2026-10 was due by 2026-11-30; this one is stale after 2026-12-30 (monthly: due 30 days after its period, missing 30 days after that)',
    });
    expect(staleness('2026-09', 'MONTHLY', '2026-12-30').stale).toBe(false);
    expect(staleness('2026-09', 'MONTHLY', '2026-12-31').stale).toBe(true);
  });

  it('gives a quarterly figure 45 days after the next quarter ends, and 45 more: 2026-Q2 is current until 29 December 2026', () => {
    // 2026-Q3 ends 30 September; + 45 days = 14 November (due); + 45 = 29 December (last day late, not missing).
    expect(staleness('2026-Q2', 'QUARTERLY', '2026-11-15')).toMatchObject({
      stale: false,
      expectedPeriod: '2026-Q3',
      dueOn: '2026-11-14',
    });
    expect(staleness('2026-Q2', 'QUARTERLY', '2026-12-29').stale).toBe(false);
    expect(staleness('2026-Q2', 'QUARTERLY', '2026-12-30').stale).toBe(true);
  });

  it('gives an annual figure 90 days after the next year ends, and 90 more, financial years included', () => {
    // 2025/26 ends 31 March 2026; + 90 days = 29 June 2026 (due); + 90 = 27 September 2026.
    expect(staleness('2024/25', 'ANNUAL', '2026-09-27')).toMatchObject({
      stale: false,
      expectedPeriod: '2025/26',
      dueOn: '2026-06-29',
    });
    expect(staleness('2024/25', 'ANNUAL', '2026-09-28').stale).toBe(true);
  });

  it("waits for the next period of the figure's own type when a monthly indicator is rolled up into quarters", () => {
    // 2026-Q3 needs September, due 30 days after 30 September: 30 October 2026; missing after 29 November.
    expect(staleness('2026-Q2', 'MONTHLY', '2026-10-30')).toMatchObject({
      stale: false,
      expectedPeriod: '2026-Q3',
      dueOn: '2026-10-30',
    });
    expect(staleness('2026-Q2', 'MONTHLY', '2026-11-29').stale).toBe(false);
    expect(staleness('2026-Q2', 'MONTHLY', '2026-11-30').stale).toBe(true);
  });

  it('refuses a frequency or a today it cannot judge by, naming the value and the rule', () => {
    expect(() => staleness('2026-09', 'WEEKLY', '2026-11-21')).toThrow(
      'frequency "WEEKLY" must be one of MONTHLY, QUARTERLY, ANNUAL to judge whether a figure is stale',
    );
    expect(() => staleness('2026-09', 'MONTHLY', '21/11/2026')).toThrow(
      'today "21/11/2026" must be an ISO date (YYYY-MM-DD) to judge whether a figure is stale',
    );
  });
});
