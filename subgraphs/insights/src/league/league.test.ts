import { describe, expect, it } from 'vitest';
import { Polarity, Rag, Unit } from '@crossgov/schema';
import { FunnelPosition, Z95, Z998, funnelLimits, funnelPosition } from './funnel.ts';
import {
  type Reporter,
  buildLeague,
  funnelAvailability,
  overallRate,
  rankReporters,
} from './league.ts';

const reporter = (
  id: string,
  value: number,
  numerator: number | null = null,
  denominator: number | null = null,
): Reporter => ({
  organisationId: id,
  organisationName: id.toUpperCase(),
  value,
  numerator,
  denominator,
  rag: Rag.GREEN,
});

describe('league ranking', () => {
  it('ranks best first by polarity', () => {
    const rows = [reporter('a', 80), reporter('b', 90), reporter('c', 70)];
    expect(
      rankReporters(rows, Polarity.BIGGER_IS_BETTER).map((r) => [r.organisationId, r.rank]),
    ).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
    expect(
      rankReporters(rows, Polarity.SMALLER_IS_BETTER).map((r) => [r.organisationId, r.rank]),
    ).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('gives ties the same rank and skips the next (1, 2, 2, 4)', () => {
    const rows = rankReporters(
      [reporter('a', 90), reporter('b', 85), reporter('c', 85), reporter('d', 60)],
      Polarity.BIGGER_IS_BETTER,
    );
    expect(rows.map((r) => [r.organisationId, r.rank, r.tied])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['d', 4, false],
    ]);
  });
});

describe('league ranking closest to target', () => {
  const aimed = (id: string, value: number, target: number): Reporter => ({
    ...reporter(id, value),
    target,
  });
  const ranks = (rows: ReturnType<typeof rankReporters>) =>
    rows.map((r) => [r.organisationId, r.rank, r.tied]);

  it("ranks by distance from each organisation's own target, nearest first, either side", () => {
    // distances: a |12 - 10| = 2, b |9.5 - 10| = 0.5, c |95 - 100| = 5, d |101 - 100| = 1
    const rows = rankReporters(
      [aimed('a', 12, 10), aimed('b', 9.5, 10), aimed('c', 95, 100), aimed('d', 101, 100)],
      Polarity.CLOSEST_TO_TARGET,
    );
    expect(ranks(rows)).toEqual([
      ['b', 1, false],
      ['d', 2, false],
      ['a', 3, false],
      ['c', 4, false],
    ]);
  });

  it('gives organisations equally far from their targets the best rank and skips the next (1, 1, 3)', () => {
    // distances: a 2 (above), b 2 (below), c 4
    const rows = rankReporters(
      [aimed('c', 14, 10), aimed('b', 8, 10), aimed('a', 12, 10)],
      Polarity.CLOSEST_TO_TARGET,
    );
    expect(ranks(rows)).toEqual([
      ['a', 1, true],
      ['b', 1, true],
      ['c', 3, false],
    ]);
  });

  it('ties 0.9 and 1.1 against a target of 1: both are 0.1 away', () => {
    const rows = rankReporters(
      [aimed('a', 1.1, 1), aimed('b', 0.9, 1), aimed('c', 1.5, 1)],
      Polarity.CLOSEST_TO_TARGET,
    );
    expect(ranks(rows)).toEqual([
      ['a', 1, true],
      ['b', 1, true],
      ['c', 3, false],
    ]);
  });

  it('ranks one on its target first, whatever its value', () => {
    const rows = rankReporters(
      [aimed('a', 50, 50), aimed('b', 10, 10.5), aimed('c', 10, 10)],
      Polarity.CLOSEST_TO_TARGET,
    );
    expect(ranks(rows)).toEqual([
      ['a', 1, true],
      ['c', 1, true],
      ['b', 3, false],
    ]);
  });

  it('ignores targets when bigger or smaller is better, ties included (1, 2, 2, 4)', () => {
    const rows = [aimed('a', 90, 90), aimed('b', 85, 60), aimed('c', 85, 85), aimed('d', 60, 60)];
    expect(ranks(rankReporters(rows, Polarity.BIGGER_IS_BETTER))).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['d', 4, false],
    ]);
    expect(ranks(rankReporters(rows, Polarity.SMALLER_IS_BETTER))).toEqual([
      ['d', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['a', 4, false],
    ]);
  });

  it('ranks a thousand organisations', () => {
    // Values 0 to 999 against a target of 500: 500 is on it; 499 and 501 share rank 2; 498 and 502 rank 4;
    // 0, 500 away, is the only one that far and comes last.
    const reporters = Array.from({ length: 1000 }, (_, i) =>
      aimed(`org-${String(i).padStart(3, '0')}`, i, 500),
    );
    const rows = rankReporters(reporters, Polarity.CLOSEST_TO_TARGET);
    expect(rows).toHaveLength(1000);
    expect(rows[0]).toMatchObject({ organisationId: 'org-500', rank: 1, tied: false });
    expect(ranks(rows.slice(1, 5))).toEqual([
      ['org-499', 2, true],
      ['org-501', 2, true],
      ['org-498', 4, true],
      ['org-502', 4, true],
    ]);
    expect(rows.at(-1)).toMatchObject({ organisationId: 'org-000', rank: 1000, tied: false });
  });

  it('ranks a thousand organisations all on their targets equal first', () => {
    const rows = rankReporters(
      Array.from({ length: 1000 }, (_, i) => aimed(`org-${i}`, i, i)),
      Polarity.CLOSEST_TO_TARGET,
    );
    expect(rows.every((r) => r.rank === 1 && r.tied)).toBe(true);
  });
});

describe('overall rate across government', () => {
  it('is the ratio of the sums, not the mean of the rates', () => {
    // 90/100 = 90% and 100/1000 = 10%: the mean of rates would be 50%; the ratio of sums is 190/1100.
    const overall = overallRate(
      [reporter('a', 90, 90, 100), reporter('b', 10, 100, 1000)],
      Unit.PERCENT,
    )!;
    expect(overall.value).toBeCloseTo((190 / 1100) * 100, 12);
    expect(overall).toMatchObject({ numerator: 190, denominator: 1100 });
  });

  it('does not exist when any reporter lacks numerator or denominator', () => {
    expect(overallRate([reporter('a', 90, 90, 100), reporter('b', 10)], Unit.PERCENT)).toBeNull();
    expect(overallRate([], Unit.PERCENT)).toBeNull();
  });

  it('is not scaled for a ratio unit', () => {
    expect(
      overallRate([reporter('a', 2, 20, 10), reporter('b', 4, 40, 10)], Unit.CURRENCY)!.value,
    ).toBe(3);
  });

  it('writes its rule with the numbers formatted as everywhere else', () => {
    expect(
      overallRate([reporter('a', 90, 9000, 10_000), reporter('b', 10, 100.5, 1005)], Unit.PERCENT)!
        .rule,
    ).toBe('ratio of sums: 9,100.5 / 11,005 across 2 organisations');
    expect(overallRate([reporter('a', 90, 90, 100)], Unit.PERCENT)!.rule).toBe(
      'ratio of sums: 90 / 100 across 1 organisation',
    );
  });
});

describe('funnel plot limits', () => {
  it('are p +/- z sqrt(p(1-p)/n)', () => {
    // p = 0.5, n = 100: standard error 0.05.
    const limits = funnelLimits(0.5, 100);
    expect(limits.upper95).toBeCloseTo(0.5 + Z95 * 0.05, 12);
    expect(limits.lower95).toBeCloseTo(0.5 - Z95 * 0.05, 12);
    expect(limits.upper998).toBeCloseTo(0.5 + Z998 * 0.05, 12);
    expect(Z95).toBeCloseTo(1.96, 2);
    expect(Z998).toBeCloseTo(3.09, 2);
  });

  it('narrow as the volume grows', () => {
    expect(funnelLimits(0.8, 10_000).upper95 - 0.8).toBeLessThan(
      funnelLimits(0.8, 100).upper95 - 0.8,
    );
  });

  it('stay inside 0 and 1', () => {
    const limits = funnelLimits(0.99, 5);
    expect(limits.upper998).toBe(1);
    expect(funnelLimits(0.01, 5).lower998).toBe(0);
  });

  it('place a rate within, beyond 95% or beyond 99.8% on either side', () => {
    const limits = funnelLimits(0.5, 100); // 95%: 0.402-0.598; 99.8%: 0.345-0.655
    expect(funnelPosition(0.55, limits)).toBe(FunnelPosition.WITHIN);
    expect(funnelPosition(0.62, limits)).toBe(FunnelPosition.ABOVE_95);
    expect(funnelPosition(0.7, limits)).toBe(FunnelPosition.ABOVE_998);
    expect(funnelPosition(0.38, limits)).toBe(FunnelPosition.BELOW_95);
    expect(funnelPosition(0.3, limits)).toBe(FunnelPosition.BELOW_998);
  });

  it('refuse a volume of zero or a rate outside 0-1', () => {
    expect(() => funnelLimits(0.5, 0)).toThrow(RangeError);
    expect(() => funnelLimits(1.2, 10)).toThrow(RangeError);
  });
});

describe('a league table', () => {
  it('puts each organisation on the funnel in percentage points for a percentage', () => {
    const { rows, overall } = buildLeague(
      [reporter('big', 91, 9100, 10_000), reporter('small', 70, 70, 100)],
      Unit.PERCENT,
      Polarity.BIGGER_IS_BETTER,
    );
    const p = 9170 / 10_100;
    expect(overall!.value).toBeCloseTo(p * 100, 10);
    const small = rows.find((r) => r.organisationId === 'small')!;
    const se = Math.sqrt((p * (1 - p)) / 100);
    expect(small.funnel!.lower998).toBeCloseTo((p - Z998 * se) * 100, 10);
    // 70% against about 90.8% overall with n = 100 is far below the 99.8% limit (about 81.9%).
    expect(small.funnel!.position).toBe(FunnelPosition.BELOW_998);
    expect(rows.find((r) => r.organisationId === 'big')!.funnel!.position).toBe(
      FunnelPosition.WITHIN,
    );
  });

  it('has no funnel for a score', () => {
    const { rows, funnel } = buildLeague(
      [reporter('a', 20), reporter('b', 30)],
      Unit.SCORE,
      Polarity.BIGGER_IS_BETTER,
    );
    expect(rows.every((r) => r.funnel === null)).toBe(true);
    expect(funnel).toEqual({
      drawn: false,
      rule: 'A funnel plot compares proportions; this indicator is a score, not a proportion.',
    });
  });

  it('places nobody on a funnel plot of one organisation: it is its own overall rate', () => {
    const { rows, funnel } = buildLeague(
      [reporter('only', 83.3, 18_550, 22_278)],
      Unit.PERCENT,
      Polarity.BIGGER_IS_BETTER,
    );
    expect(rows[0]!.funnel).toBeNull();
    expect(funnel.drawn).toBe(false);
  });
});

describe('whether a funnel plot is drawn', () => {
  // Two costs per transaction, each a total cost over a number of transactions: parts, but no proportion.
  const costs = [reporter('a', 10.86, 59_133_002, 5_443_080), reporter('b', 12, 1200, 100)];
  const two = (unit: Unit) => funnelAvailability(costs, unit, overallRate(costs, unit));

  it.each([
    [Unit.CURRENCY, 'an amount of money'],
    [Unit.SCORE, 'a score'],
    [Unit.COUNT, 'a count'],
    [Unit.RATIO, 'a ratio'],
  ])(
    'is not for %s, even with a numerator and denominator: it is %s, not a proportion',
    (unit, noun) => {
      expect(two(unit)).toEqual({
        drawn: false,
        rule: `A funnel plot compares proportions; this indicator is ${noun}, not a proportion.`,
      });
    },
  );

  it('is drawn for a percentage with every numerator and denominator from two or more organisations', () => {
    const reporters = [
      reporter('a', 90, 90, 100),
      reporter('b', 80, 800, 1000),
      reporter('c', 50, 5, 10),
    ];
    expect(
      funnelAvailability(reporters, Unit.PERCENT, overallRate(reporters, Unit.PERCENT)),
    ).toEqual({
      drawn: true,
      rule: "Each of the 3 organisations' rates against its denominator, with 95% and 99.8% limits around the overall rate: p +/- z sqrt(p(1-p)/n).",
    });
  });

  it('is not for a percentage some gave without its parts, saying how many', () => {
    const reporters = [reporter('a', 90, 90, 100), reporter('b', 80), reporter('c', 70)];
    expect(
      funnelAvailability(reporters, Unit.PERCENT, overallRate(reporters, Unit.PERCENT)),
    ).toEqual({
      drawn: false,
      rule: "A funnel plot needs each organisation's numerator and denominator; 2 of the 3 that reported gave a percentage without them.",
    });
  });

  it('is not for parts that make no proportion (150 of 120 from old data)', () => {
    const reporters = [reporter('a', 50, 100, 100), reporter('b', 60, 50, 20)];
    expect(
      funnelAvailability(reporters, Unit.PERCENT, overallRate(reporters, Unit.PERCENT)),
    ).toEqual({
      drawn: false,
      rule: 'A funnel plot needs a proportion; the numerators and denominators reported add up to 150 of 120, which is not one between 0 and 1.',
    });
  });

  it('is not for one organisation, nor for none', () => {
    const one = [reporter('a', 90, 90, 100)];
    expect(funnelAvailability(one, Unit.PERCENT, overallRate(one, Unit.PERCENT))).toEqual({
      drawn: false,
      rule: 'A funnel plot compares organisations with one another; only one reported a figure for the period.',
    });
    expect(funnelAvailability([], Unit.PERCENT, null)).toEqual({
      drawn: false,
      rule: 'A funnel plot needs figures; no organisation has one for the period.',
    });
  });
});
