import { describe, expect, it } from 'vitest';
import type { ReturnRow } from '../db/schema.ts';
import { RETURNS_RULE, notChased, summariseReturns } from './returns.summary.ts';

// An organisation that sent one quarterly milestone return, for 2023-Q1, judged on 1 December 2026:
// the window of due dates runs from 2 December 2025.
const TODAY = '2026-12-01';
const received: ReturnRow[] = [
  {
    organisationId: 'overseas',
    dataset: 'milestones',
    period: '2023-Q1',
    receivedOn: '2023-03-15',
  },
];

describe("an organisation's returns", () => {
  it('chases no milestone return after its last milestone was done, and counts the older ones apart', () => {
    // Done 2022-11-01 and 2023-08-10: returns owed for 2023-Q1 to 2023-Q3, all due before the window.
    const summary = summariseReturns(
      [],
      received,
      [{ actualDate: '2022-11-01' }, { actualDate: '2023-08-10' }],
      TODAY,
    );
    expect(summary.lines.map((l) => [l.period, l.status])).toEqual([
      ['2023-Q1', 'RECEIVED'],
      ['2023-Q2', 'MISSING'],
      ['2023-Q3', 'MISSING'],
    ]);
    expect(summary.completeness).toMatchObject({
      expected: 0,
      outstanding: 0,
      missing: 0,
      ratio: null,
      from: '2025-12-02',
      to: TODAY,
      olderMissing: 2,
    });
    expect(summary.overdue).toEqual([]);
    expect(summary.outstanding).toEqual([]);
  });

  it('chases it again, in the window only, once a milestone without an actual date is added', () => {
    const summary = summariseReturns(
      [],
      received,
      [{ actualDate: '2023-08-10' }, { actualDate: null }],
      TODAY,
    );
    // In the window: 2025-Q4 (due 2026-02-14), 2026-Q1 (05-15), 2026-Q2 (08-14) missing; 2026-Q3 (due 11-14) 17 days late.
    // Before it: 2023-Q2 to 2025-Q3, 10 quarters never received.
    expect(summary.completeness).toMatchObject({
      expected: 4,
      received: 0,
      outstanding: 1,
      missing: 3,
      ratio: 0,
      olderMissing: 10,
    });
    expect(summary.overdue.map((l) => [l.period, l.daysLate])).toEqual([
      ['2025-Q4', 290],
      ['2026-Q1', 200],
      ['2026-Q2', 109],
    ]);
    expect(summary.outstanding).toEqual([
      {
        dataset: 'milestones',
        period: '2026-Q3',
        dueOn: '2026-11-14',
        status: 'OUTSTANDING',
        receivedOn: null,
        daysLate: 17,
      },
    ]);
  });

  it('owes no milestone return without a milestone', () => {
    expect(summariseReturns([], received, [], TODAY).lines).toEqual([]);
  });

  it('names the window, the due-date rule, the tolerance and the milestone rule', () => {
    const { rule } = summariseReturns([], received, [{ actualDate: null }], TODAY).completeness;
    expect(rule).toBe(
      `0 of 4 returns due from 2025-12-02 to 2026-12-01 (the last 365 days) received (0 of them late), 1 late and not yet received, 3 missing: 0% received; and 10 older, due before 2025-12-02, never received and not counted here. ${RETURNS_RULE}`,
    );
    expect(RETURNS_RULE).toMatch(
      /^A return is due at its period's end plus 30 days \(monthly\), 45 \(quarterly\) or 90 \(annual\); one not received by then is late \(outstanding\) for 30 days \(monthly\), 45 \(quarterly\) or 90 \(annual\) more, then missing\./,
    );
  });

  it('does not chase an organisation whose figures are a published data set, and says so', () => {
    expect(notChased(['nhs-ae-attendances'], TODAY).completeness).toMatchObject({
      expected: 0,
      from: '2025-12-02',
      rule: expect.stringMatching(/^not chased/),
    });
  });
});
