import { describe, expect, it } from 'vitest';
import { Direction, Polarity } from '@crossgov/schema';
import { directionOfTravel } from './direction.ts';

describe('direction of travel', () => {
  it('calls a rise improving when bigger is better and worsening when smaller is better', () => {
    expect(directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.BIGGER_IS_BETTER).direction).toBe(Direction.IMPROVING);
    expect(directionOfTravel(84, { period: '2019-01', value: 80 }, Polarity.SMALLER_IS_BETTER).direction).toBe(Direction.WORSENING);
  });

  it('calls no change stable and says what it compared with', () => {
    const travel = directionOfTravel(99, { period: '2018-10', value: 99 }, Polarity.BIGGER_IS_BETTER);
    expect(travel).toMatchObject({ direction: Direction.STABLE, comparedWith: '2018-10', change: 0 });
    expect(travel.rule).toBe('STABLE: 99 is unchanged from 99 in 2018-10');
  });

  it('ignores binary rounding noise but not a real change of one in a million', () => {
    expect(directionOfTravel(0.1 + 0.2, { period: 'p', value: 0.3 }, Polarity.BIGGER_IS_BETTER).direction).toBe(Direction.STABLE);
    expect(directionOfTravel(1000.001, { period: 'p', value: 1000 }, Polarity.BIGGER_IS_BETTER).direction).toBe(Direction.IMPROVING);
  });

  it('reports the signed change', () => {
    expect(directionOfTravel(10.4, { period: '2019-01', value: 8.9 }, Polarity.SMALLER_IS_BETTER).change).toBeCloseTo(1.5, 12);
  });
});
