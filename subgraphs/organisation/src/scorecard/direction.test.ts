import { describe, expect, it } from 'vitest';
import { Direction, Polarity } from '@crossgov/schema';
import { directionOfTravel } from './direction.ts';

describe('direction of travel', () => {
  it('calls a rise improving when bigger is better and worsening when smaller is better', () => {
    expect(
      directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.BIGGER_IS_BETTER)!.direction,
    ).toBe(Direction.IMPROVING);
    expect(
      directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.SMALLER_IS_BETTER)!
        .direction,
    ).toBe(Direction.WORSENING);
  });

  it('calls no change stable and says what it compared with', () => {
    const travel = directionOfTravel(
      99,
      { period: '2018-10', value: 99 },
      Polarity.BIGGER_IS_BETTER,
    )!;
    expect(travel).toMatchObject({
      direction: Direction.STABLE,
      comparedWith: '2018-10',
      change: 0,
    });
    expect(travel.rule).toBe('STABLE: 99 is unchanged from 99 in 2018-10');
  });

  it('ignores binary rounding noise but not a real change of one in a million', () => {
    expect(
      directionOfTravel(0.1 + 0.2, { period: 'p', value: 0.3 }, Polarity.BIGGER_IS_BETTER)!
        .direction,
    ).toBe(Direction.STABLE);
    expect(
      directionOfTravel(1000.001, { period: 'p', value: 1000 }, Polarity.BIGGER_IS_BETTER)!
        .direction,
    ).toBe(Direction.IMPROVING);
  });

  it('reports the signed change', () => {
    expect(
      directionOfTravel(10.4, { period: '2019-01', value: 8.9 }, Polarity.SMALLER_IS_BETTER)!
        .change,
    ).toBeCloseTo(1.5, 12);
  });
});

describe('direction of travel closest to target', () => {
  const CLOSEST = Polarity.CLOSEST_TO_TARGET;

  it('calls a value nearer the target improving, from above or from below', () => {
    // target 10: 10.5 is 0.5 off, 12 was 2 off; 9.5 is 0.5 off, 8 was 2 off
    const fromAbove = directionOfTravel(10.5, { period: '2019-01', value: 12 }, CLOSEST, 10)!;
    expect(fromAbove).toEqual({
      direction: Direction.IMPROVING,
      comparedWith: '2019-01',
      earlierValue: 12,
      change: -1.5,
      rule: 'IMPROVING: 10.5 is nearer the target than 12 in 2019-01 (target 10)',
    });
    expect(directionOfTravel(9.5, { period: '2019-01', value: 8 }, CLOSEST, 10)!.direction).toBe(
      Direction.IMPROVING,
    );
  });

  it('calls a value that crosses the target and ends nearer it improving', () => {
    // 8 was 2 below 10; 11 is 1 above: a rise of 3, but nearer
    expect(directionOfTravel(11, { period: '2019-01', value: 8 }, CLOSEST, 10)!).toMatchObject({
      direction: Direction.IMPROVING,
      change: 3,
    });
  });

  it('calls a value further from the target worsening, whichever way it moved', () => {
    const rising = directionOfTravel(13, { period: '2019-01', value: 11 }, CLOSEST, 10)!;
    expect(rising).toMatchObject({ direction: Direction.WORSENING, change: 2 });
    expect(rising.rule).toBe(
      'WORSENING: 13 is further from the target than 11 in 2019-01 (target 10)',
    );
    expect(directionOfTravel(7, { period: '2019-01', value: 9 }, CLOSEST, 10)!.direction).toBe(
      Direction.WORSENING,
    );
    // 9 was 1 below; 12 is 2 above
    expect(directionOfTravel(12, { period: '2019-01', value: 9 }, CLOSEST, 10)!.direction).toBe(
      Direction.WORSENING,
    );
  });

  it('calls 0.9 after 1.1 with a target of 1 stable: equally far, on the other side', () => {
    const travel = directionOfTravel(0.9, { period: '2019-01', value: 1.1 }, CLOSEST, 1)!;
    expect(travel.direction).toBe(Direction.STABLE);
    expect(travel.rule).toBe('STABLE: 0.9 is as near the target as 1.1 in 2019-01 (target 1)');
    // The value did move: the change is still reported.
    expect(travel.change).toBeCloseTo(-0.2, 12);
  });

  it('calls an unchanged value stable', () => {
    expect(directionOfTravel(12, { period: '2019-01', value: 12 }, CLOSEST, 10)!).toMatchObject({
      direction: Direction.STABLE,
      change: 0,
    });
  });

  it('has no direction without a target', () => {
    expect(directionOfTravel(10.5, { period: '2019-01', value: 12 }, CLOSEST)).toBeNull();
    expect(directionOfTravel(10.5, { period: '2019-01', value: 12 }, CLOSEST, null)).toBeNull();
  });

  it('judges against a target of 0 and a negative target', () => {
    expect(directionOfTravel(-1, { period: '2019-01', value: 2 }, CLOSEST, 0)!.direction).toBe(
      Direction.IMPROVING,
    );
    expect(directionOfTravel(-12, { period: '2019-01', value: -9 }, CLOSEST, -10)!.direction).toBe(
      Direction.WORSENING,
    );
  });

  it('leaves bigger and smaller is better as they were, whatever the target', () => {
    // 84 after 80: a rise, even though it moves away from a target of 70
    expect(
      directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.BIGGER_IS_BETTER, 70),
    ).toEqual({
      direction: Direction.IMPROVING,
      comparedWith: '2019-01',
      earlierValue: 80,
      change: 4,
      rule: 'IMPROVING: 84 is better than 80 in 2019-01',
    });
    expect(
      directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.SMALLER_IS_BETTER, 90)!,
    ).toMatchObject({
      direction: Direction.WORSENING,
      rule: 'WORSENING: 84 is worse than 80 in 2019-01',
    });
    expect(
      directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.BIGGER_IS_BETTER, null)!
        .direction,
    ).toBe(Direction.IMPROVING);
  });

  it("writes the rule's figures in the indicator's unit, with enough decimals to tell unequal ones apart", () => {
    expect(
      directionOfTravel(
        83.266,
        { period: '2026-08', value: 85.3694 },
        Polarity.BIGGER_IS_BETTER,
        null,
        'PERCENT',
      )!.rule,
    ).toBe('WORSENING: 83.3% is worse than 85.4% in 2026-08');
    expect(
      directionOfTravel(
        86.51,
        { period: '2026-08', value: 86.54 },
        Polarity.BIGGER_IS_BETTER,
        null,
        'PERCENT',
      )!.rule,
    ).toBe('WORSENING: 86.51% is worse than 86.54% in 2026-08');
    expect(
      directionOfTravel(
        10.5,
        { period: '2019-01', value: 12 },
        Polarity.CLOSEST_TO_TARGET,
        10,
        'CURRENCY',
      )!.rule,
    ).toBe('IMPROVING: £10.50 is nearer the target than £12.00 in 2019-01 (target £10.00)');
  });
});
