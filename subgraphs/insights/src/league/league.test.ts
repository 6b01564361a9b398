import { describe, expect, it } from 'vitest';
import { Polarity, Rag, Unit } from '@crossgov/schema';
import { FunnelPosition, Z95, Z998, funnelLimits, funnelPosition } from './funnel.ts';
import { type Reporter, buildLeague, overallRate, rankReporters } from './league.ts';

const reporter = (id: string, value: number, numerator: number | null = null, denominator: number | null = null): Reporter => ({
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
    expect(rankReporters(rows, Polarity.BIGGER_IS_BETTER).map((r) => [r.organisationId, r.rank])).toEqual([['b', 1], ['a', 2], ['c', 3]]);
    expect(rankReporters(rows, Polarity.SMALLER_IS_BETTER).map((r) => [r.organisationId, r.rank])).toEqual([['c', 1], ['a', 2], ['b', 3]]);
  });

  it('gives ties the same rank and skips the next (1, 2, 2, 4)', () => {
    const rows = rankReporters([reporter('a', 90), reporter('b', 85), reporter('c', 85), reporter('d', 60)], Polarity.BIGGER_IS_BETTER);
    expect(rows.map((r) => [r.organisationId, r.rank, r.tied])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['d', 4, false],
    ]);
  });
});

describe('overall rate across government', () => {
  it('is the ratio of the sums, not the mean of the rates', () => {
    // 90/100 = 90% and 100/1000 = 10%: the mean of rates would be 50%; the ratio of sums is 190/1100.
    const overall = overallRate([reporter('a', 90, 90, 100), reporter('b', 10, 100, 1000)], Unit.PERCENT)!;
    expect(overall.value).toBeCloseTo((190 / 1100) * 100, 12);
    expect(overall).toMatchObject({ numerator: 190, denominator: 1100 });
  });

  it('does not exist when any reporter lacks numerator or denominator', () => {
    expect(overallRate([reporter('a', 90, 90, 100), reporter('b', 10)], Unit.PERCENT)).toBeNull();
    expect(overallRate([], Unit.PERCENT)).toBeNull();
  });

  it('is not scaled for a ratio unit', () => {
    expect(overallRate([reporter('a', 2, 20, 10), reporter('b', 4, 40, 10)], Unit.CURRENCY)!.value).toBe(3);
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
    expect(funnelLimits(0.8, 10_000).upper95 - 0.8).toBeLessThan(funnelLimits(0.8, 100).upper95 - 0.8);
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
    const { rows, overall } = buildLeague([reporter('big', 91, 9100, 10_000), reporter('small', 70, 70, 100)], Unit.PERCENT, Polarity.BIGGER_IS_BETTER);
    const p = 9170 / 10_100;
    expect(overall!.value).toBeCloseTo(p * 100, 10);
    const small = rows.find((r) => r.organisationId === 'small')!;
    const se = Math.sqrt((p * (1 - p)) / 100);
    expect(small.funnel!.lower998).toBeCloseTo((p - Z998 * se) * 100, 10);
    // 70% against about 90.8% overall with n = 100 is far below the 99.8% limit (about 81.9%).
    expect(small.funnel!.position).toBe(FunnelPosition.BELOW_998);
    expect(rows.find((r) => r.organisationId === 'big')!.funnel!.position).toBe(FunnelPosition.WITHIN);
  });

  it('has no funnel for a score', () => {
    const { rows } = buildLeague([reporter('a', 20), reporter('b', 30)], Unit.SCORE, Polarity.BIGGER_IS_BETTER);
    expect(rows.every((r) => r.funnel === null)).toBe(true);
  });
});
