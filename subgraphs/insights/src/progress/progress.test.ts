import { describe, expect, it } from 'vitest';
import { DcaChange, DcaRating, MilestoneStatus, OrganisationKind } from '@crossgov/schema';
import {
  type OrganisationProgressInput,
  median,
  organisationProgress,
  rollUp,
} from './progress.ts';

const TODAY = '2026-11-21';

function org(
  id: string,
  overrides: Partial<OrganisationProgressInput> = {},
): OrganisationProgressInput {
  return {
    id,
    name: id.toUpperCase(),
    kind: OrganisationKind.CLUSTER,
    milestones: [
      { status: MilestoneStatus.COMPLETE, baseline: { date: '2024-08-30' }, slippage: { days: 0 } },
      { status: MilestoneStatus.LATE, baseline: { date: '2025-07-01' }, slippage: { days: 243 } },
      { status: MilestoneStatus.ON_TRACK, baseline: { date: '2028-01-01' }, slippage: { days: 0 } },
    ],
    programmes: [],
    returns: {
      completeness: {
        expected: 10,
        received: 8,
        late: 2,
        outstanding: 1,
        missing: 1,
        from: '2025-11-22',
        to: TODAY,
      },
    },
    ...overrides,
  };
}

describe('strategy progress', () => {
  it('counts milestones due (baseline come, or done), done and late', () => {
    expect(organisationProgress(org('a'), TODAY)).toMatchObject({
      milestones: 3,
      milestonesDue: 2,
      milestonesDone: 1,
      milestonesLate: 1,
      medianSlippageDays: 0,
    });
  });

  it('takes the median slippage, averaging the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 10, 20])).toBe(6);
    expect(median([])).toBeNull();
  });

  it('reports the latest IPA confidence across programmes and its change', () => {
    const progress = organisationProgress(
      org('a', {
        programmes: [
          {
            latestConfidence: {
              latest: {
                rating: DcaRating.AMBER,
                assessedOn: { date: '2019-01-01', label: '2019' },
              },
              change: DcaChange.FIRST,
            },
          },
          {
            latestConfidence: {
              latest: { rating: DcaRating.RED, assessedOn: { date: '2023-01-01', label: '2023' } },
              change: DcaChange.WORSENED,
            },
          },
          { latestConfidence: null },
        ],
      }),
      TODAY,
    );
    expect(progress).toMatchObject({
      latestConfidence: DcaRating.RED,
      confidenceAssessedOn: '2023',
      confidenceChange: DcaChange.WORSENED,
    });
  });

  it("reads an organisation as Hive Gateway's Rust planner hands it over: null fields left out, a programme without confidence as null", () => {
    const progress = organisationProgress(
      org('a', {
        milestones: [
          { status: MilestoneStatus.COMPLETE },
          { status: MilestoneStatus.ON_TRACK },
          {
            status: MilestoneStatus.LATE,
            baseline: { date: '2025-07-01' },
            slippage: { days: 243 },
          },
        ],
        programmes: [
          null,
          {
            latestConfidence: {
              latest: {
                rating: DcaRating.AMBER,
                assessedOn: { date: '2019-01-01', label: '2019' },
              },
              change: DcaChange.FIRST,
            },
          },
        ],
      }),
      TODAY,
    );
    expect(progress).toMatchObject({
      milestones: 3,
      milestonesDue: 2,
      milestonesDone: 1,
      milestonesLate: 1,
      medianSlippageDays: 243,
      latestConfidence: DcaRating.AMBER,
      answered: true,
    });
  });

  it('says an organisation whose subgraph did not answer is unknown, not zero', () => {
    const progress = organisationProgress(
      org('down', { milestones: null, programmes: null, returns: null }),
      TODAY,
    );
    expect(progress).toMatchObject({ answered: false, milestones: 0, completeness: null });
  });

  it('rolls completeness up as the ratio of sums, not the mean of ratios', () => {
    // 8/10 and 1/100: mean of ratios 40.5%, ratio of sums 9/110.
    const overall = rollUp(
      [
        org('a'),
        org('b', {
          returns: {
            completeness: {
              expected: 100,
              received: 1,
              late: 0,
              outstanding: 4,
              missing: 95,
              from: '2025-11-22',
              to: TODAY,
            },
          },
        }),
      ],
      TODAY,
    );
    expect(overall.completeness).toBeCloseTo(9 / 110, 12);
    expect(overall).toMatchObject({
      milestones: 6,
      milestonesDone: 2,
      milestonesLate: 2,
      expectedReturns: 110,
      receivedReturns: 9,
      outstandingReturns: 5,
      missingReturns: 96,
    });
    expect(overall.completenessRule).toBe(
      '9 of 110 returns due from 2025-11-22 to 2026-11-21 received across 2 organisations (a ratio of sums): 8.2%',
    );
  });

  it("names one organisation's window in its completeness rule, and none when it did not answer", () => {
    expect(organisationProgress(org('a'), TODAY)).toMatchObject({
      outstandingReturns: 1,
      missingReturns: 1,
      completenessRule: '8 of 10 returns due from 2025-11-22 to 2026-11-21 received: 80%',
    });
    expect(organisationProgress(org('down', { returns: null }), TODAY).completenessRule).toBeNull();
  });
});
