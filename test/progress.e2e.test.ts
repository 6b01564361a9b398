import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMilestoneForecast } from '@crossgov/organisation';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { fetchesOf, planFor } from '@crossgov/testing/plan';

const PROGRAMMES_QUERY = /* GraphQL */ `
  {
    organisations(kind: CLUSTER) {
      id
      programmes {
        name
        forecastWholeLifeCost
        costNote
        confidenceHistory { assessor scale rating assessedOn { label precision } sourceNote }
        latestConfidence { latest { rating scale } change rule }
        milestones {
          id title
          baseline { label precision }
          forecast { label precision }
          actual { label precision }
          slippage { days months minDays maxDays precision description comparedWith }
          status statusRule
          forecastHistory { returnDate forecast { label } note }
        }
      }
    }
  }
`;

const PROGRESS_QUERY = /* GraphQL */ `
  {
    government {
      progress {
        asOf
        organisations {
          organisationId kind milestones milestonesDue milestonesDone milestonesLate medianSlippageDays
          latestConfidence confidenceChange expectedReturns receivedReturns lateReturns outstandingReturns missingReturns completeness completenessRule answered
        }
        overall { milestones milestonesDue milestonesDone milestonesLate medianSlippageDays expectedReturns receivedReturns outstandingReturns missingReturns completeness completenessRule }
      }
    }
  }
`;

interface MilestoneView {
  id: string;
  title: string;
  baseline: { label: string; precision: string } | null;
  forecast: { label: string; precision: string } | null;
  actual: { label: string } | null;
  slippage: {
    days: number;
    months: number;
    minDays: number;
    maxDays: number;
    precision: string;
    description: string;
  } | null;
  status: string;
  statusRule: string;
  forecastHistory: { returnDate: string; forecast: { label: string }; note: string | null }[];
}
interface ProgrammeView {
  name: string;
  forecastWholeLifeCost: number | null;
  confidenceHistory: {
    assessor: string;
    scale: string;
    rating: string;
    assessedOn: { label: string };
  }[];
  latestConfidence: { latest: { rating: string }; change: string } | null;
  milestones: MilestoneView[];
}

describe(`strategy progress through the gateway on ${STORAGE}, judged on 2026-11-21`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ today: '2026-11-21' });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  async function programmes() {
    const { data, errors } = await graph.query<{
      organisations: { id: string; programmes: ProgrammeView[] }[];
    }>(PROGRAMMES_QUERY);
    expect(errors).toBeUndefined();
    return new Map(data!.organisations.map((o) => [o.id, o.programmes[0]!]));
  }

  it("returns every cluster's programme with milestones, slippage, derived status and confidence history", async () => {
    const byId = await programmes();
    expect([...byId.keys()].sort()).toEqual(['defence', 'matrix', 'overseas', 'synergy', 'unity']);

    const goLive = byId.get('matrix')!.milestones.find((m) => m.title === 'Go-live')!;
    expect(goLive.baseline).toEqual({ label: '2028', precision: 'YEAR' });
    expect(goLive.forecast).toEqual({ label: '2029', precision: 'YEAR' });
    expect(goLive.slippage!.precision).toBe('YEAR');
    expect(goLive.slippage!.months).toBeCloseTo(12, 0);
    expect(goLive.slippage!.minDays).toBe(1);
    expect(goLive.slippage!.description).toMatch(/about/);
    expect(goLive.status).toBe('LATE');
    expect(goLive.forecastHistory.map((s) => s.forecast.label)).toEqual(['2028', '2029']);

    const engagement = byId
      .get('synergy')!
      .milestones.find((m) => m.title === 'Business process services engagement')!;
    expect(engagement.slippage!.months).toBeCloseTo(8, 0);
    expect(engagement.status).toBe('LATE');
    expect(engagement.statusRule).toMatch(/2026-03/);
    expect(byId.get('synergy')!.forecastWholeLifeCost).toBe(2_500_000_000);

    const contracts = byId
      .get('synergy')!
      .milestones.find((m) => m.title === 'Oracle SaaS and IBM integrator contracts signed')!;
    expect(contracts).toMatchObject({ actual: { label: '2024-08-30' }, status: 'COMPLETE' });
    expect(
      byId.get('overseas')!.milestones.find((m) => m.title === 'Live on Oracle Cloud'),
    ).toMatchObject({ actual: { label: '2022-11' }, status: 'COMPLETE' });
    expect(byId.get('defence')!.milestones.find((m) => m.title.startsWith('Phase 3'))!.status).toBe(
      'LATE',
    );

    expect(byId.get('unity')!.confidenceHistory).toMatchObject([
      {
        assessor: 'IPA',
        scale: 'FIVE_POINT',
        rating: 'RED',
        assessedOn: { label: '2023', precision: 'YEAR' },
      },
    ]);
    expect(byId.get('unity')!.latestConfidence).toMatchObject({
      latest: { rating: 'RED' },
      change: 'FIRST',
    });
    expect(byId.get('overseas')!.latestConfidence!.latest.rating).toBe('AMBER');
  });

  it('keeps every forecast snapshot: a new return adds one and leaves the old in place', async () => {
    const before = (await programmes())
      .get('matrix')!
      .milestones.find((m) => m.title === 'Go-live')!;
    await recordMilestoneForecast(graph.organisations.get('matrix')!.database.db, 'matrix', {
      milestoneId: before.id,
      returnDate: '2026-10-31',
      forecast: '2029-Q4',
      note: 'Test return',
    });
    const after = (await programmes())
      .get('matrix')!
      .milestones.find((m) => m.title === 'Go-live')!;
    expect(after.forecastHistory.map((s) => [s.returnDate, s.forecast.label])).toEqual([
      ...before.forecastHistory.map((s) => [s.returnDate, s.forecast.label]),
      ['2026-10-31', '2029-Q4'],
    ]);
    expect(after.forecast).toEqual({ label: '2029-Q4', precision: 'QUARTER' });
    expect(after.baseline).toEqual(before.baseline);
  });

  it('refuses a forecast with a date that does not parse, naming the field, value and rule, and writes nothing', async () => {
    const db = graph.organisations.get('defence')!.database.db;
    const milestone = (await programmes()).get('defence')!.milestones[2]!;
    await expect(
      recordMilestoneForecast(db, 'defence', {
        milestoneId: milestone.id,
        returnDate: '2026-10-31',
        forecast: 'spring 2027',
      }),
    ).rejects.toThrow(/forecast "spring 2027".*YYYY/);
    await expect(
      recordMilestoneForecast(db, 'defence', {
        milestoneId: 'no-such-milestone',
        returnDate: '2026-10-31',
        forecast: '2027',
      }),
    ).rejects.toThrow(/milestoneId "no-such-milestone"/);
    const again = (await programmes()).get('defence')!.milestones[2]!;
    expect(again.forecastHistory).toEqual(milestone.forecastHistory);
  });

  it('rolls up progress per cluster and for the whole strategy, with completeness of returns', async () => {
    const { data, errors } = await graph.query<{
      government: {
        progress: {
          asOf: string;
          organisations: Record<string, number | string | boolean | null>[];
          overall: Record<string, number | null>;
        };
      };
    }>(PROGRESS_QUERY);
    expect(errors).toBeUndefined();
    const progress = data!.government.progress;
    expect(progress.asOf).toBe('2026-11-21');
    expect(progress.organisations.map((o) => o.organisationId).sort()).toEqual([
      'defence',
      'interoperability',
      'matrix',
      'overseas',
      'synergy',
      'unity',
    ]);
    const sum = (key: string) => progress.organisations.reduce((s, o) => s + (o[key] as number), 0);
    for (const key of [
      'milestones',
      'milestonesDue',
      'milestonesDone',
      'milestonesLate',
      'expectedReturns',
      'receivedReturns',
      'outstandingReturns',
      'missingReturns',
    ])
      expect(progress.overall[key], key).toBe(sum(key));
    expect(progress.overall.completeness).toBeCloseTo(
      sum('receivedReturns') / sum('expectedReturns'),
      12,
    );
    const synergy = progress.organisations.find((o) => o.organisationId === 'synergy')!;
    expect(synergy).toMatchObject({
      milestones: 3,
      milestonesDone: 2,
      milestonesLate: 1,
      answered: true,
    });
    const unity = progress.organisations.find((o) => o.organisationId === 'unity')!;
    expect(unity).toMatchObject({ latestConfidence: 'RED', confidenceChange: 'FIRST' });
    for (const org of progress.organisations) {
      expect(
        (org.receivedReturns as number) +
          (org.outstandingReturns as number) +
          (org.missingReturns as number),
      ).toBe(org.expectedReturns);
      expect(org.completenessRule).toMatch(/ returns due from 2025-11-22 to 2026-11-21 received/);
    }
    expect(progress.overall.completenessRule).toMatch(
      /^\d+ of \d+ returns due from 2025-11-22 to 2026-11-21 received across 6 organisations \(a ratio of sums\)/,
    );
  });

  it('lists overdue returns across government, most overdue first, and counts every kind when asked', async () => {
    const { data, errors } = await graph.query<{
      strategy: {
        progress: {
          overdueReturns: {
            organisationId: string;
            dataset: string;
            period: string;
            daysOverdue: number;
          }[];
          overall: { expectedReturns: number };
        };
      };
      everyone: {
        progress: { organisations: { kind: string }[]; overall: { expectedReturns: number } };
      };
    }>(`{
      strategy: government { progress { overdueReturns { organisationId dataset period daysOverdue } overall { expectedReturns } } }
      everyone: government { progress(kinds: [CLUSTER, DEPARTMENT, LOCAL_AUTHORITY, SUPPORTING_PROGRAMME]) { organisations { kind } overall { expectedReturns } } }
    }`);
    expect(errors, JSON.stringify(errors)).toBeUndefined();
    const { strategy, everyone } = {
      strategy: data!.strategy.progress,
      everyone: data!.everyone.progress,
    };
    const overdue = strategy.overdueReturns;
    // 2026-Q2 was due 14 August, 99 days before; 2026-Q3, due 14 November, is 7 days late and not yet overdue.
    expect(overdue).toContainEqual({
      organisationId: 'synergy',
      dataset: 'milestones',
      period: '2026-Q2',
      daysOverdue: 99,
    });
    expect(overdue.filter((o) => o.organisationId === 'synergy' && o.period === '2026-Q3')).toEqual(
      [],
    );
    // Only the window's: nothing overdue for more than 365 days.
    expect(Math.max(...overdue.map((o) => o.daysOverdue))).toBeLessThan(365);
    expect(overdue.map((o) => o.daysOverdue)).toEqual(
      [...overdue.map((o) => o.daysOverdue)].sort((a, b) => b - a),
    );
    expect(new Set(everyone.organisations.map((o) => o.kind))).toEqual(
      new Set(['CLUSTER', 'DEPARTMENT', 'LOCAL_AUTHORITY', 'SUPPORTING_PROGRAMME']),
    );
    expect(everyone.overall.expectedReturns).toBeGreaterThan(strategy.overall.expectedReturns);
  });

  it("lists Synergy's quarterly milestone returns as received, missing or late, judged on the test's date", async () => {
    const { data } = await graph.query<{
      synergy: {
        returns: {
          lines: { dataset: string; period: string; status: string; daysLate: number | null }[];
          overdue: { period: string }[];
        };
      };
    }>(
      '{ synergy { returns { lines { dataset period status daysLate } overdue { dataset period } } } }',
    );
    const milestones = data!.synergy.returns.lines.filter((l) => l.dataset === 'milestones');
    expect(milestones.map((l) => [l.period, l.status])).toEqual([
      ['2024-Q3', 'RECEIVED'],
      ['2024-Q4', 'MISSING'],
      ['2025-Q1', 'MISSING'],
      ['2025-Q2', 'RECEIVED'],
      ['2025-Q3', 'MISSING'],
      ['2025-Q4', 'MISSING'],
      ['2026-Q1', 'MISSING'],
      ['2026-Q2', 'MISSING'],
      ['2026-Q3', 'OUTSTANDING'],
    ]);
    // 2026-Q3 ended 2026-09-30 and was due 45 days later, 2026-11-14: 7 days late on 2026-11-21, within the 45 days' tolerance.
    expect(milestones.at(-1)!.daysLate).toBe(7);
  });

  it('counts and lists the same returns, and chases Overseas for no milestone return once its milestones are all done', async () => {
    type Line = { dataset: string; period: string; status: string };
    const { data, errors } = await graph.query<{
      organisations: {
        id: string;
        milestones: { actual: { date: string } | null }[];
        returns: {
          completeness: { outstanding: number; missing: number; olderMissing: number };
          overdue: Line[];
          outstanding: Line[];
          lines: Line[];
        };
      }[];
    }>(
      '{ organisations(kind: CLUSTER) { id milestones { actual { date } } returns { completeness { outstanding missing olderMissing } overdue { dataset period status } outstanding { dataset period status } lines { dataset period status } } } }',
    );
    expect(errors).toBeUndefined();
    for (const { id, returns } of data!.organisations) {
      expect(returns.overdue.length, id).toBe(returns.completeness.missing);
      expect(returns.outstanding.length, id).toBe(returns.completeness.outstanding);
      expect(new Set(returns.overdue.map((l) => l.status)), id).toEqual(
        new Set(returns.overdue.length ? ['MISSING'] : []),
      );
      expect(new Set(returns.outstanding.map((l) => l.status)), id).toEqual(
        new Set(returns.outstanding.length ? ['OUTSTANDING'] : []),
      );
    }
    const overseas = data!.organisations.find((o) => o.id === 'overseas')!;
    expect(overseas.milestones.every((m) => m.actual !== null)).toBe(true);
    const lastDone = overseas.milestones
      .map((m) => m.actual!.date)
      .sort()
      .at(-1)!;
    const milestoneLines = overseas.returns.lines.filter((l) => l.dataset === 'milestones');
    // Owed up to the quarter its last milestone was done in ("2022-Q4" for a date in October to December 2022), none after.
    const quarterOf = (iso: string) =>
      `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
    expect(milestoneLines.every((l) => l.period <= quarterOf(lastDone))).toBe(true);
    expect(
      [...overseas.returns.overdue, ...overseas.returns.outstanding].filter(
        (l) => l.dataset === 'milestones',
      ),
    ).toEqual([]);
  });

  it('plans the roll-up as directory, every organisation in parallel, then insights once', () => {
    const plan = planFor(graph.supergraphSdl, PROGRESS_QUERY);
    const root = plan.node!;
    if (root.kind !== 'Sequence') throw new Error(`expected a sequence, got ${root.kind}`);
    expect(fetchesOf(root.nodes[0])).toEqual(['directory']);
    expect(root.nodes[1]!.kind).toBe('Parallel');
    expect(fetchesOf(root.nodes.at(-1))).toEqual(['insights']);
  });
});
