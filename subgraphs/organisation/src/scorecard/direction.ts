import { Direction, Polarity, type TravelDirection, formatDistinct } from '@crossgov/schema';

// A direction is the API's TravelDirection itself (schema/src/types/scorecard.type.ts), so the two cannot drift apart.

/**
 * Direction of travel of `value` against an earlier value: improving or worsening by polarity,
 * stable when there is no change at all (no threshold is invented beyond the published figures).
 * An indicator closest to target improves when it comes nearer the target (the one in force for the
 * latest value, so both are judged against the same mark); without a target it has no direction.
 * `unit`, the indicator's, writes the rule's figures as the dashboard writes them ("84.0% is better than 80.0%").
 */
export function directionOfTravel(
  value: number,
  earlier: { period: string; value: number },
  polarity: Polarity,
  target: number | null = null,
  unit?: string,
): TravelDirection | null {
  if (polarity === Polarity.CLOSEST_TO_TARGET) {
    if (target === null) return null;
    const nearer = Math.abs(earlier.value - target) - Math.abs(value - target);
    const stable = Math.abs(nearer) <= 1e-9 * Math.max(1, Math.abs(target));
    const direction = stable
      ? Direction.STABLE
      : nearer > 0
        ? Direction.IMPROVING
        : Direction.WORSENING;
    const verb = stable
      ? 'as near the target as'
      : nearer > 0
        ? 'nearer the target than'
        : 'further from the target than';
    const [now, then, mark] = formatDistinct([value, earlier.value, target], unit);
    return {
      direction,
      comparedWith: earlier.period,
      earlierValue: earlier.value,
      change: value - earlier.value,
      rule: `${direction}: ${now} is ${verb} ${then} in ${earlier.period} (target ${mark})`,
    };
  }
  const change = value - earlier.value;
  const better = polarity === Polarity.BIGGER_IS_BETTER ? change > 0 : change < 0;
  // Treat differences below binary rounding noise as no change.
  const stable = Math.abs(change) <= 1e-9 * Math.max(1, Math.abs(earlier.value));
  const direction = stable ? Direction.STABLE : better ? Direction.IMPROVING : Direction.WORSENING;
  const verb = stable ? 'unchanged from' : better ? 'better than' : 'worse than';
  const [now, then] = formatDistinct([value, earlier.value], unit);
  return {
    direction,
    comparedWith: earlier.period,
    earlierValue: earlier.value,
    change: stable ? 0 : change,
    rule: `${direction}: ${now} is ${verb} ${then} in ${earlier.period}`,
  };
}
