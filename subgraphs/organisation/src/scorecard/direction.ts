import { Direction, Polarity } from '@crossgov/schema';

export interface TravelDirection {
  direction: Direction;
  comparedWith: string;
  earlierValue: number;
  change: number;
  rule: string;
}

/**
 * Direction of travel of `value` against an earlier value: improving or worsening by polarity,
 * stable when there is no change at all (no threshold is invented beyond the published figures).
 */
export function directionOfTravel(value: number, earlier: { period: string; value: number }, polarity: Polarity): TravelDirection {
  const change = value - earlier.value;
  const better = polarity === Polarity.BIGGER_IS_BETTER ? change > 0 : change < 0;
  // Treat differences below binary rounding noise as no change.
  const stable = Math.abs(change) <= 1e-9 * Math.max(1, Math.abs(earlier.value));
  const direction = stable ? Direction.STABLE : better ? Direction.IMPROVING : Direction.WORSENING;
  const verb = stable ? 'unchanged from' : better ? 'better than' : 'worse than';
  return { direction, comparedWith: earlier.period, earlierValue: earlier.value, change: stable ? 0 : change, rule: `${direction}: ${value} is ${verb} ${earlier.value} in ${earlier.period}` };
}
