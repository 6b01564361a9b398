import { describe, expect, it } from 'vitest';
import { Polarity } from '@crossgov/schema';
import { RNORM_SEED_123 } from './spc.fixtures.ts';
import { type SpcResult, SpcAssurance, SpcSignal, SpcVariation, spc } from './spc.ts';

const BIGGER = { polarity: Polarity.BIGGER_IS_BETTER };
const SMALLER = { polarity: Polarity.SMALLER_IS_BETTER };
const CLOSEST = { polarity: Polarity.CLOSEST_TO_TARGET };

/** Indexes of the points whose signals include `signal`. */
const withSignal = (result: SpcResult, signal: SpcSignal) =>
  result.points.filter((p) => p.signals.includes(signal)).map((p) => p.index);
const point = (result: SpcResult, index: number) => result.points[index]!;
const alternating = (low: number, high: number, pairs: number) =>
  Array.from({ length: pairs }, () => [low, high]).flat();

describe('XmR statistical process control', () => {
  describe('centre line and limits', () => {
    it('computes the mean, average moving range, limits and near limits of a small worked series', () => {
      // values 10 12 11 14 12 13 11 12 13       mean = 108 / 9 = 12
      // moving ranges  2  1  3  2  1  2  1  1   mean(MR) = 13 / 8 = 1.625
      // screening: 3.267 x 1.625 = 5.308875, no range reaches it
      // limits 12 +/- 2.66 x 1.625 = 12 +/- 4.3225  -> 16.3225 and 7.6775
      // near   12 +/- 2 x (2.66 / 3) x 1.625 = 12 +/- 2.881667 -> 14.881667 and 9.118333
      const result = spc([10, 12, 11, 14, 12, 13, 11, 12, 13], BIGGER);
      expect(result.phases).toEqual([
        {
          from: 0,
          to: 8,
          mean: 12,
          averageMovingRange: 1.625,
          upperLimit: expect.closeTo(16.3225, 12),
          lowerLimit: expect.closeTo(7.6775, 12),
          pointsUsed: 9,
          screenedMovingRanges: [],
        },
      ]);
      expect(point(result, 4)).toMatchObject({
        mean: 12,
        upperNearLimit: expect.closeTo(14.881667, 6),
        lowerNearLimit: expect.closeTo(9.118333, 6),
        movingRange: 2,
      });
      expect(point(result, 0).movingRange).toBeNull();
      expect(result.points.map((p) => p.signal)).toEqual(Array(9).fill(SpcSignal.COMMON_CAUSE));
      expect(result.points.map((p) => p.variation)).toEqual(
        Array(9).fill(SpcVariation.COMMON_CAUSE),
      );
      expect(result.warnings).toEqual([
        expect.stringContaining('9 points, fewer than the 12 recommended'),
      ]);
    });

    it('screens a moving range of 3.267 x mean(MR) or more and takes mean(MR) again without it', () => {
      // 9 13 ... 9 13 (12 points) then -4: eleven ranges of 4 and one of 17, mean(MR) = 61 / 12 = 5.083333;
      // 17 >= 3.267 x 5.083333 = 16.607, so it is screened and mean(MR) = 44 / 11 = 4.
      const values = [...alternating(9, 13, 6), -4];
      const screened = spc(values, BIGGER).phases[0]!;
      expect(screened).toMatchObject({
        mean: expect.closeTo(128 / 13, 12),
        averageMovingRange: 4,
        screenedMovingRanges: [12],
      });
      expect(screened.lowerLimit).toBeCloseTo(128 / 13 - 10.64, 12); // -0.793846

      const unscreened = spc(values, { ...BIGGER, screenOutliers: false }).phases[0]!;
      expect(unscreened).toMatchObject({
        averageMovingRange: expect.closeTo(61 / 12, 12),
        screenedMovingRanges: [],
      });
      expect(unscreened.lowerLimit).toBeCloseTo(-3.675513, 6);
    });

    it('gives a flat series no limits, as every zero moving range is screened out (NHSRplotthedots gets NaN)', () => {
      const flat = spc(Array(12).fill(5), { ...BIGGER, target: 5 });
      expect(flat.phases).toEqual([]);
      expect(point(flat, 3)).toMatchObject({
        mean: 5,
        upperLimit: null,
        lowerLimit: null,
        signal: SpcSignal.COMMON_CAUSE,
      });
      expect(flat.assurance).toBeNull();
      expect(flat.warnings).toEqual([expect.stringContaining('no process limits')]);

      expect(spc(Array(12).fill(5), { ...BIGGER, screenOutliers: false }).phases[0]).toMatchObject({
        averageMovingRange: 0,
        upperLimit: 5,
        lowerLimit: 5,
      });
    });

    it('fixes the mean and limits after the first 12 points and applies them to the later points', () => {
      // The first 12 points 9 13 ... have mean 11 and mean(MR) 4: limits 0.36 and 21.64.
      const values = [...alternating(9, 13, 6), 14, 15, 14, 15, 14, 15, 14, 25];
      const fixed = spc(values, { ...BIGGER, fixAfterPoints: 12 });
      expect(fixed.phases).toEqual([
        {
          from: 0,
          to: 19,
          mean: 11,
          averageMovingRange: 4,
          upperLimit: 21.64,
          lowerLimit: expect.closeTo(0.36, 12),
          pointsUsed: 12,
          screenedMovingRanges: [],
        },
      ]);
      expect(point(fixed, 19)).toMatchObject({
        mean: 11,
        upperLimit: 21.64,
        movingRange: 11,
        signal: SpcSignal.OUTSIDE_LIMITS,
      });
      expect(withSignal(fixed, SpcSignal.SHIFT)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
      // A point can be part of several rules; the signal is the one of highest priority.
      expect(point(fixed, 19).signals).toEqual([SpcSignal.OUTSIDE_LIMITS, SpcSignal.SHIFT]);

      expect(spc(values, BIGGER).phases[0]!.mean).toBeCloseTo(12.9, 12);
    });

    it('gives each phase after a rebase its own limits, with no moving range across the boundary', () => {
      const values = [...alternating(9, 13, 6), ...alternating(29, 33, 6)];
      const rebased = spc(values, { ...BIGGER, rebaseAt: [12] });
      expect(
        rebased.phases.map(({ from, to, mean, averageMovingRange, upperLimit }) => ({
          from,
          to,
          mean,
          averageMovingRange,
          upperLimit,
        })),
      ).toEqual([
        { from: 0, to: 11, mean: 11, averageMovingRange: 4, upperLimit: 21.64 },
        { from: 12, to: 23, mean: 31, averageMovingRange: 4, upperLimit: 41.64 },
      ]);
      expect(point(rebased, 12)).toMatchObject({
        movingRange: null,
        mean: 31,
        lowerLimit: expect.closeTo(20.36, 12),
      });
      expect(rebased.points.every((p) => p.signal === SpcSignal.COMMON_CAUSE)).toBe(true);

      // Without the rebase the step is special cause everywhere.
      expect(spc(values, BIGGER).points.every((p) => p.signal !== SpcSignal.COMMON_CAUSE)).toBe(
        true,
      );
    });
  });

  describe('special-cause rules', () => {
    it('flags a point above the upper limit as an improvement when bigger is better and a concern when smaller is', () => {
      // mean = 158 / 13 = 12.153846, mean(MR) = 57 / 12 = 4.75, upper limit 24.788846 < 26
      const values = [...alternating(9, 13, 6), 26];
      const bigger = spc(values, BIGGER);
      expect(point(bigger, 12).upperLimit).toBeCloseTo(24.788846, 6);
      expect(point(bigger, 12)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.IMPROVEMENT,
      });
      expect(withSignal(bigger, SpcSignal.OUTSIDE_LIMITS)).toEqual([12]);
      expect(point(spc(values, SMALLER), 12).variation).toBe(SpcVariation.CONCERN);
    });

    it('flags a point below the lower limit as a concern when bigger is better and an improvement when smaller is', () => {
      const values = [...alternating(9, 13, 6), -4];
      expect(point(spc(values, BIGGER), 12)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.CONCERN,
      });
      expect(point(spc(values, SMALLER), 12)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.IMPROVEMENT,
      });
    });

    it('flags 7 points each higher than the one before as a trend judged by its direction, not the side of the mean', () => {
      // mean 11.538: the trend starts below it (9, 10, 11) and is still an improvement when bigger is better.
      const values = [10, 12, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 15];
      const bigger = spc(values, BIGGER);
      expect(withSignal(bigger, SpcSignal.TREND)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      expect(bigger.points.slice(6).map((p) => p.variation)).toEqual(
        Array(7).fill(SpcVariation.IMPROVEMENT),
      );
      expect(
        spc(values, SMALLER)
          .points.slice(6)
          .map((p) => p.variation),
      ).toEqual(Array(7).fill(SpcVariation.CONCERN));
    });

    it('flags 7 points each lower than the one before as a falling trend', () => {
      const values = [12, 10, 12, 10, 12, 10, 13, 12, 11, 10, 9, 8, 7];
      expect(withSignal(spc(values, BIGGER), SpcSignal.TREND)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      expect(point(spc(values, BIGGER), 8).variation).toBe(SpcVariation.CONCERN);
      expect(point(spc(values, SMALLER), 8).variation).toBe(SpcVariation.IMPROVEMENT);
    });

    it('does not call 6 rising points a trend, nor a run with a tie in it', () => {
      // 10 10 11 12 13 14 15: the tie leaves only 6 strictly rising points.
      expect(
        withSignal(
          spc([10, 12, 10, 12, 10, 12, 10, 10, 11, 12, 13, 14, 15], BIGGER),
          SpcSignal.TREND,
        ),
      ).toEqual([]);
    });

    it('flags 2 of 3 points in the near-limit band on the same side, but not the third point', () => {
      // mean 11.4545, mean(MR) 2.476190: near band from 15.845657 to the limit 18.041212.
      const result = spc([...alternating(10, 12, 8), 16, 12, 16, 10, 12, 10], BIGGER);
      expect(point(result, 16).upperNearLimit).toBeCloseTo(15.845657, 6);
      expect(withSignal(result, SpcSignal.TWO_OF_THREE_NEAR_LIMIT)).toEqual([16, 18]);
      expect(point(result, 16)).toMatchObject({
        signal: SpcSignal.TWO_OF_THREE_NEAR_LIMIT,
        variation: SpcVariation.IMPROVEMENT,
      });
      expect(point(result, 17).signal).toBe(SpcSignal.COMMON_CAUSE);
    });

    it('does not flag 2 of 3 near the limit when the third point is on the other side of the mean', () => {
      // mean 11.409: 11 is below it, while both 16s are above the near limit 15.969.
      const result = spc([...alternating(10, 12, 8), 16, 11, 16, 10, 12, 10], BIGGER);
      expect(point(result, 16).value).toBeGreaterThan(point(result, 16).upperNearLimit!);
      expect(point(result, 17).value).toBeLessThan(point(result, 17).mean!);
      expect(withSignal(result, SpcSignal.TWO_OF_THREE_NEAR_LIMIT)).toEqual([]);
    });

    it('does not count a point beyond the limit as near it', () => {
      // 16.5 is in the band (from 16.315), 21 is beyond the upper limit 18.62: only one point is near.
      const result = spc([...alternating(10, 12, 8), 16.5, 12, 21, 10, 12, 10], BIGGER);
      expect(point(result, 16).value).toBeGreaterThan(point(result, 16).upperNearLimit!);
      expect(withSignal(result, SpcSignal.OUTSIDE_LIMITS)).toEqual([18]);
      expect(withSignal(result, SpcSignal.TWO_OF_THREE_NEAR_LIMIT)).toEqual([]);
    });

    it('flags 7 points on one side of the mean as a shift, an improvement or a concern by polarity', () => {
      // The mean is exactly 10: 12 8 12 8 | 11 x 7 | 8 12 8 12 | 9 x 7
      const values = [12, 8, 12, 8, ...Array(7).fill(11), 8, 12, 8, 12, ...Array(7).fill(9)];
      const bigger = spc(values, BIGGER);
      expect(bigger.phases[0]!.mean).toBe(10);
      expect(withSignal(bigger, SpcSignal.SHIFT)).toEqual([
        4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 18, 19, 20, 21,
      ]);
      expect([point(bigger, 4).variation, point(bigger, 15).variation]).toEqual([
        SpcVariation.IMPROVEMENT,
        SpcVariation.CONCERN,
      ]);
      const smaller = spc(values, SMALLER);
      expect([point(smaller, 4).variation, point(smaller, 15).variation]).toEqual([
        SpcVariation.CONCERN,
        SpcVariation.IMPROVEMENT,
      ]);
    });

    it('breaks a shift at a point exactly on the mean', () => {
      const values = [12, 8, 12, 8, 11, 11, 11, 10, 11, 11, 11, 8, 12, 8, 12, 9, 9, 9, 10, 9, 9, 9];
      const result = spc(values, BIGGER);
      expect(point(result, 7)).toMatchObject({ value: 10, mean: 10 });
      expect(withSignal(result, SpcSignal.SHIFT)).toEqual([]);
    });

    it('finds no trend or shift in fewer than 7 points, but still gives limits', () => {
      const result = spc([1, 2, 3, 4, 5, 6], BIGGER);
      expect(result.phases[0]).toMatchObject({ mean: 3.5, averageMovingRange: 1 });
      expect(result.points.map((p) => p.signal)).toEqual(Array(6).fill(SpcSignal.COMMON_CAUSE));
    });
  });

  describe('gaps and short series', () => {
    it('leaves a gap out of the mean and moving ranges and lets no run cross it', () => {
      // 8 points above the mean 216 / 19 = 11.368 around a gap: 4 + 4, no shift.
      const values = [9, 13, 9, 13, 9, 13, 12, 12, 12, null, 12, 12, 12, 12, 9, 13, 9, 13, 9, 13];
      const result = spc(values, BIGGER);
      // 17 moving ranges (none at 9 or 10) summing to 44.
      expect(result.phases[0]).toMatchObject({
        mean: expect.closeTo(216 / 19, 12),
        averageMovingRange: expect.closeTo(44 / 17, 12),
        pointsUsed: 19,
      });
      expect(point(result, 9)).toMatchObject({
        value: null,
        movingRange: null,
        signal: null,
        signals: [],
        variation: null,
        mean: expect.closeTo(216 / 19, 12),
      });
      expect(point(result, 10).movingRange).toBeNull();
      expect(withSignal(result, SpcSignal.SHIFT)).toEqual([]);
      expect(result.warnings).toEqual([expect.stringContaining('1 gap')]);
    });

    it('gives no limits with fewer than 2 values, and common cause for the values there are', () => {
      const one = spc([null, 5, null], { ...BIGGER, target: 3 });
      expect(point(one, 1)).toMatchObject({
        mean: 5,
        upperLimit: null,
        lowerLimit: null,
        upperNearLimit: null,
        signal: SpcSignal.COMMON_CAUSE,
        variation: SpcVariation.COMMON_CAUSE,
      });
      expect(point(one, 0).signal).toBeNull();
      expect(one.phases).toEqual([]);
      expect(one.assurance).toBeNull();
      expect(one.warnings).toEqual([
        expect.stringContaining('3 points'),
        expect.stringContaining('no process limits'),
        expect.stringContaining('2 gaps'),
      ]);

      expect(spc([], BIGGER)).toEqual({ points: [], phases: [], assurance: null, warnings: [] });
    });
  });

  describe('assurance', () => {
    // 9 13 ... (12 points): mean 11, limits 0.36 and 21.64.
    const stable = alternating(9, 13, 6);

    it('consistently fails a target above the upper limit when bigger is better, and passes it when smaller is', () => {
      expect(spc(stable, { ...BIGGER, target: 25 }).assurance).toBe(SpcAssurance.CONSISTENTLY_FAIL);
      expect(spc(stable, { ...SMALLER, target: 25 }).assurance).toBe(
        SpcAssurance.CONSISTENTLY_PASS,
      );
    });

    it('consistently passes a target below the lower limit when bigger is better, and fails it when smaller is', () => {
      expect(spc(stable, { ...BIGGER, target: 0 }).assurance).toBe(SpcAssurance.CONSISTENTLY_PASS);
      expect(spc(stable, { ...SMALLER, target: 0 }).assurance).toBe(SpcAssurance.CONSISTENTLY_FAIL);
    });

    it('hits and misses a target between the limits or exactly on one, whatever the polarity', () => {
      expect(spc(stable, { ...BIGGER, target: 15 }).assurance).toBe(SpcAssurance.HIT_AND_MISS);
      expect(spc(stable, { ...SMALLER, target: 15 }).assurance).toBe(SpcAssurance.HIT_AND_MISS);
      const upperLimit = spc(stable, BIGGER).phases[0]!.upperLimit;
      expect(spc(stable, { ...BIGGER, target: upperLimit }).assurance).toBe(
        SpcAssurance.HIT_AND_MISS,
      );
    });

    it('judges only the last phase, and gives nothing without a target', () => {
      const values = [...stable, ...alternating(29, 33, 6)];
      expect(spc(values, { ...BIGGER, target: 25, rebaseAt: [12] }).assurance).toBe(
        SpcAssurance.HIT_AND_MISS,
      );
      expect(spc(stable, BIGGER).assurance).toBeNull();
      expect(spc(stable, { ...BIGGER, target: null }).assurance).toBeNull();
    });
  });

  describe('closest to target', () => {
    // 9 11 9 11 ... (20 values around 10), then 31:
    //   mean = (10 x 20 + 31) / 21 = 231 / 21 = 11
    //   moving ranges: nineteen of 2, then |31 - 11| = 20; mean(MR) = 58 / 20 = 2.9
    //   screening: 3.267 x 2.9 = 9.4743, so 20 is screened and mean(MR) = 38 / 19 = 2
    //   limits 11 +/- 2.66 x 2 = 11 +/- 5.32 -> 16.32 and 5.68
    //   near   11 +/- 2 x (2.66 / 3) x 2 = 11 +/- 3.546667 -> 14.546667 and 7.453333
    // 9 and 11 are below and on the mean, inside the near limits: only 31 is special cause.
    const high = [...alternating(9, 11, 10), 31];
    // The same with -11 last: mean (200 - 11) / 21 = 9, mean(MR) of the nineteen 2s = 2 (22 is screened),
    // limits 9 +/- 5.32 -> 14.32 and 3.68.
    const low = [...alternating(9, 11, 10), -11];

    it('works out the limits of the hand-computed series', () => {
      const result = spc(high, { ...CLOSEST, target: 12 });
      expect(result.phases).toEqual([
        {
          from: 0,
          to: 20,
          mean: 11,
          averageMovingRange: 2,
          upperLimit: expect.closeTo(16.32, 12),
          lowerLimit: expect.closeTo(5.68, 12),
          pointsUsed: 21,
          screenedMovingRanges: [20],
        },
      ]);
      expect(point(result, 20)).toMatchObject({
        upperNearLimit: expect.closeTo(14.546667, 6),
        lowerNearLimit: expect.closeTo(7.453333, 6),
        movingRange: 20,
      });
      expect(withSignal(result, SpcSignal.OUTSIDE_LIMITS)).toEqual([20]);
      expect(result.points.slice(0, 20).map((p) => p.variation)).toEqual(
        Array(20).fill(SpcVariation.COMMON_CAUSE),
      );
      const lowPhase = spc(low, CLOSEST).phases[0]!;
      expect(lowPhase).toMatchObject({
        mean: 9,
        averageMovingRange: 2,
        upperLimit: expect.closeTo(14.32, 12),
        lowerLimit: expect.closeTo(3.68, 12),
        screenedMovingRanges: [20],
      });
    });

    it('calls a point above the upper limit an improvement when the target is above the mean: it points towards the target', () => {
      expect(point(spc(high, { ...CLOSEST, target: 12 }), 20)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.IMPROVEMENT,
      });
    });

    it('calls a point above the upper limit a concern when the target is below the mean: it points away from the target', () => {
      expect(point(spc(high, { ...CLOSEST, target: 8 }), 20)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.CONCERN,
      });
    });

    it('calls a point below the lower limit an improvement when the target is below the mean, and a concern when it is above', () => {
      expect(point(spc(low, { ...CLOSEST, target: 5 }), 20)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.IMPROVEMENT,
      });
      expect(point(spc(low, { ...CLOSEST, target: 12 }), 20).variation).toBe(SpcVariation.CONCERN);
    });

    it('calls special causes neither without a target, or with the target on the mean', () => {
      expect(point(spc(high, CLOSEST), 20)).toMatchObject({
        signal: SpcSignal.OUTSIDE_LIMITS,
        variation: SpcVariation.NEITHER,
      });
      expect(point(spc(high, { ...CLOSEST, target: null }), 20).variation).toBe(
        SpcVariation.NEITHER,
      );
      expect(point(spc(high, { ...CLOSEST, target: 11 }), 20).variation).toBe(SpcVariation.NEITHER);
      // Common cause stays common cause.
      expect(point(spc(high, CLOSEST), 3).variation).toBe(SpcVariation.COMMON_CAUSE);
    });

    it('judges a trend by whether it runs towards the target', () => {
      // mean 150 / 13 = 11.538: a rising trend heads for a target of 14 and away from one of 9.
      const values = [10, 12, 10, 12, 10, 12, 9, 10, 11, 12, 13, 14, 15];
      expect(withSignal(spc(values, CLOSEST), SpcSignal.TREND)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      expect(
        spc(values, { ...CLOSEST, target: 14 })
          .points.slice(6)
          .map((p) => p.variation),
      ).toEqual(Array(7).fill(SpcVariation.IMPROVEMENT));
      expect(
        spc(values, { ...CLOSEST, target: 9 })
          .points.slice(6)
          .map((p) => p.variation),
      ).toEqual(Array(7).fill(SpcVariation.CONCERN));
      expect(
        spc(values, CLOSEST)
          .points.slice(6)
          .map((p) => p.variation),
      ).toEqual(Array(7).fill(SpcVariation.NEITHER));
    });

    it('consistently fails a target above the upper limit or below the lower limit: the process never reaches it', () => {
      expect(spc(high, { ...CLOSEST, target: 20 }).assurance).toBe(SpcAssurance.CONSISTENTLY_FAIL);
      expect(spc(high, { ...CLOSEST, target: 3 }).assurance).toBe(SpcAssurance.CONSISTENTLY_FAIL);
    });

    it('hits and misses a target between the limits or on one, and gives no assurance without a target', () => {
      expect(spc(high, { ...CLOSEST, target: 12 }).assurance).toBe(SpcAssurance.HIT_AND_MISS);
      expect(spc(high, { ...CLOSEST, target: 6 }).assurance).toBe(SpcAssurance.HIT_AND_MISS);
      const { upperLimit, lowerLimit } = spc(high, CLOSEST).phases[0]!;
      expect(spc(high, { ...CLOSEST, target: upperLimit }).assurance).toBe(
        SpcAssurance.HIT_AND_MISS,
      );
      expect(spc(high, { ...CLOSEST, target: lowerLimit }).assurance).toBe(
        SpcAssurance.HIT_AND_MISS,
      );
      expect(spc(high, CLOSEST).assurance).toBeNull();
    });
  });

  describe('invalid options', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i % 3);

    it('refuses to fix the limits on fewer than 12 points, more points than there are, or part of a point', () => {
      expect(() => spc(twenty, { ...BIGGER, fixAfterPoints: 11 })).toThrow(
        new RangeError(
          "fixAfterPoints = 11: must be a whole number from 12 (NHSRplotthedots' minimum) to the number of points (20)",
        ),
      );
      expect(() => spc(twenty, { ...BIGGER, fixAfterPoints: 21 })).toThrow(
        /^fixAfterPoints = 21: .*number of points \(20\)/,
      );
      expect(() => spc(twenty, { ...BIGGER, fixAfterPoints: 12.5 })).toThrow(RangeError);
    });

    it('refuses a rebase index out of range or not increasing', () => {
      expect(() => spc(twenty, { ...BIGGER, rebaseAt: [0] })).toThrow(
        new RangeError(
          'rebaseAt[0] = 0: must be an index from 1 to 19 (a new phase starts after the first point)',
        ),
      );
      expect(() => spc(twenty, { ...BIGGER, rebaseAt: [20] })).toThrow(
        /^rebaseAt\[0\] = 20: must be an index from 1 to 19/,
      );
      expect(() => spc(twenty, { ...BIGGER, rebaseAt: [8, 4] })).toThrow(
        new RangeError(
          'rebaseAt[1] = 4: rebase indexes must be strictly increasing (the one before is 8)',
        ),
      );
      expect(() => spc(twenty, { ...BIGGER, rebaseAt: [5, 5] })).toThrow(
        /^rebaseAt\[1\] = 5: .*strictly increasing/,
      );
    });

    it('refuses a value or a target that is not a finite number', () => {
      expect(() => spc([1, 2, Number.NaN], BIGGER)).toThrow(
        /^values\[2\] = NaN: each value must be a finite number, or null for a gap$/,
      );
      expect(() => spc([1, 2, 3], { ...BIGGER, target: Number.POSITIVE_INFINITY })).toThrow(
        /^target = Infinity: /,
      );
    });
  });

  describe('matches NHSRplotthedots', () => {
    it('reproduces the limits of the rnorm(20) series in tests/testthat/_snaps/ptd_spc_standard.md, with and without screening', () => {
      // test-ptd_spc_standard.R "it returns expected values": r1 as is; r2 with y[15] <- 10; r3 also
      // with screen_outliers = FALSE. The snapshot prints 7 significant digits.
      const r1 = spc(RNORM_SEED_123, BIGGER).phases[0]!;
      expect([r1.mean, r1.lowerLimit, r1.upperLimit]).toEqual([
        expect.closeTo(0.1416238, 6),
        expect.closeTo(-3.01138, 5),
        expect.closeTo(3.294627, 6),
      ]);
      const sides = spc(RNORM_SEED_123, BIGGER)
        .points.slice(0, 13)
        .map((p) => Math.sign(p.value! - p.mean!));
      expect(sides).toEqual([-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1]);

      const withOutlier = RNORM_SEED_123.map((y, i) => (i === 14 ? 10 : y));
      const r2 = spc(withOutlier, BIGGER).phases[0]!;
      expect([r2.mean, r2.lowerLimit, r2.upperLimit]).toEqual([
        expect.closeTo(0.6694159, 6),
        expect.closeTo(-2.383666, 6),
        expect.closeTo(3.722497, 6),
      ]);
      const r3 = spc(withOutlier, { ...BIGGER, screenOutliers: false }).phases[0]!;
      expect([r3.mean, r3.lowerLimit, r3.upperLimit]).toEqual([
        expect.closeTo(0.6694159, 6),
        expect.closeTo(-4.596625, 6),
        expect.closeTo(5.935457, 6),
      ]);
      expect(r3.upperLimit - r3.lowerLimit).toBeGreaterThan(r2.upperLimit - r2.lowerLimit);
    });

    it('reproduces the summaries in tests/testthat/_snaps/ptd_spc.md: all common cause, and two groups of 10', () => {
      // test-ptd_spc.R "it outputs expected content": s1 has no facet; s3 facets rows 1-10 and 11-20,
      // which NHSRplotthedots computes exactly like two rebase groups.
      const s1 = spc(RNORM_SEED_123, BIGGER);
      expect(s1.points.filter((p) => p.signal === SpcSignal.COMMON_CAUSE)).toHaveLength(20);
      const s3 = spc(RNORM_SEED_123, { ...BIGGER, rebaseAt: [10] });
      expect(s3.phases.map((p) => [p.mean, p.lowerLimit, p.upperLimit])).toEqual([
        [expect.closeTo(0.0746, 4), expect.closeTo(-2.6, 2), expect.closeTo(2.75, 2)],
        [expect.closeTo(0.209, 3), expect.closeTo(-3.28, 2), expect.closeTo(3.7, 2)],
      ]);
      expect(s3.points.every((p) => p.signal === SpcSignal.COMMON_CAUSE)).toBe(true);
      // ptd_add_short_group_warnings flags both groups of 10.
      expect(s3.warnings).toEqual([
        expect.stringContaining('points 0 to 9: 10 points'),
        expect.stringContaining('points 10 to 19: 10 points'),
      ]);
    });

    it('only reports 2 of 3 close to the limits on the same side of the mean (test-ptd_spc_standard.R)', () => {
      // data = rep(c(1, -1), 8) with data[15] = 5.5 and data[16] = -5.5: the last two are common cause.
      const values = alternating(1, -1, 8).map((y, i) => (i === 14 ? 5.5 : i === 15 ? -5.5 : y));
      expect(
        spc(values, BIGGER)
          .points.slice(-2)
          .map((p) => p.variation),
      ).toEqual([SpcVariation.COMMON_CAUSE, SpcVariation.COMMON_CAUSE]);
    });

    it('marks the same trend points as ptd_seven_point_trend and ptd_part_of_seven_trend (test-ptd_calculate_point_type.R)', () => {
      const range = (from: number, to: number) =>
        Array.from({ length: Math.abs(to - from) + 1 }, (_, i) =>
          from < to ? from + i : from - i,
        );
      const trend = (values: number[]) => withSignal(spc(values, BIGGER), SpcSignal.TREND);
      expect(trend(range(1, 6))).toEqual([]);
      expect(trend([...range(1, 3), ...range(3, 6)])).toEqual([]);
      expect(trend(range(1, 7))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(trend([2, ...range(1, 7), 3])).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(trend(range(7, 1))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(trend([2, ...range(7, 1), 3])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });
  });
});
