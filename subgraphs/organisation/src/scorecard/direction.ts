import { Direction, Polarity } from '@crossgov/schema';

/** A figure as people read it in a sentence: six significant digits, not a ratio's full binary tail. */
const figure = (value: number) => String(Number(value.toPrecision(6)));

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
 * An indicator closest to target improves when it comes nearer the target (the one in force for the
 * latest value, so both are judged against the same mark); without a target it has no direction.
 */
export function directionOfTravel(value: number, earlier: { period: string; value: number }, polarity: Polarity, target: number | null = null): TravelDirection | null {
  if (polarity === Polarity.CLOSEST_TO_TARGET) {
    if (target === null) return null;
    const nearer = Math.abs(earlier.value - target) - Math.abs(value - target);
    const stable = Math.abs(nearer) <= 1e-9 * Math.max(1, Math.abs(target));
    const direction = stable ? Direction.STABLE : nearer > 0 ? Direction.IMPROVING : Direction.WORSENING;
    const verb = stable ? 'as near the target as' : nearer > 0 ? 'nearer the target than' : 'further from the target than';
    return { direction, comparedWith: earlier.period, earlierValue: earlier.value, change: value - earlier.value, rule: `${direction}: ${figure(value)} is ${verb} ${figure(earlier.value)} in ${earlier.period} (target ${figure(target)})` };
  }
  const change = value - earlier.value;
  const better = polarity === Polarity.BIGGER_IS_BETTER ? change > 0 : change < 0;
  // Treat differences below binary rounding noise as no change.
  const stable = Math.abs(change) <= 1e-9 * Math.max(1, Math.abs(earlier.value));
  const direction = stable ? Direction.STABLE : better ? Direction.IMPROVING : Direction.WORSENING;
  const verb = stable ? 'unchanged from' : better ? 'better than' : 'worse than';
  return { direction, comparedWith: earlier.period, earlierValue: earlier.value, change: stable ? 0 : change, rule: `${direction}: ${value} is ${verb} ${earlier.value} in ${earlier.period}` };
}
