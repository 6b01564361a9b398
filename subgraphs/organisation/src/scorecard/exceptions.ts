import {
  ExceptionRule,
  type IndicatorException,
  Polarity,
  Rag,
  formatDistinct,
  formatNumber,
} from '@crossgov/schema';

// An exception is the API's IndicatorException itself (schema/src/types/scorecard.type.ts), so the two cannot drift apart.

export interface ExceptionPoint {
  period: string;
  value: number | null;
  rag: Rag | null;
  /** The target in force; an indicator closest to target deteriorates by moving away from it. */
  target?: number | null;
}

/**
 * The exception rules (docs/domain.md, "Exceptions and direction of travel"), each reported when it holds, whoever asks:
 * 1. the latest value is Red;
 * 2. the latest three period-on-period changes are all deteriorations (four consecutive periods
 *    with figures, each worse than the one before by polarity);
 * 3. the latest three periods are all Amber.
 * `points` are consecutive periods, oldest first, with gaps as null values: a gap breaks rules 2 and 3,
 * because nobody can say what happened in a period that was not reported. `unit`, the indicator's, writes the
 * figures of a description as the dashboard writes them ("83.3% in 2026-09"), so the two agree.
 */
export function findExceptions(
  points: readonly ExceptionPoint[],
  polarity: Polarity,
  unit?: string,
): IndicatorException[] {
  const exceptions: IndicatorException[] = [];
  const latest = points.at(-1);
  if (!latest || latest.value === null) return exceptions;
  if (latest.rag === Rag.RED) {
    exceptions.push({
      rule: ExceptionRule.LATEST_RED,
      description: `The latest value (${formatNumber(latest.value, unit)} in ${latest.period}) is Red.`,
    });
  }
  const lastFour = points.slice(-4);
  if (lastFour.length === 4 && lastFour.every((p) => p.value !== null)) {
    const closest = polarity === Polarity.CLOSEST_TO_TARGET;
    // Closest to target: each figure's distance from its own target, and further away is worse.
    // Distances compared at 12 significant digits, as RAG is: 0.9 and 1.1 are equally far from 1.
    const values = lastFour.map((p) =>
      closest
        ? p.target == null
          ? null
          : Number(Math.abs(p.value! - p.target).toPrecision(12))
        : p.value!,
    );
    const worse = (a: number | null, b: number | null) =>
      a !== null && b !== null && (polarity === Polarity.BIGGER_IS_BETTER ? b < a : b > a);
    if (
      worse(values[0]!, values[1]!) &&
      worse(values[1]!, values[2]!) &&
      worse(values[2]!, values[3]!)
    ) {
      // Each figure worse than the one before must read so: 86.52% and 86.51% are not both "86.5%".
      const figures = formatDistinct(
        lastFour.map((p) => p.value!),
        unit,
      );
      exceptions.push({
        rule: ExceptionRule.THREE_DETERIORATIONS,
        description: `Worse in each of the latest three periods${closest ? ', further from the target each time' : ''}: ${lastFour.map((p, i) => `${figures[i]} (${p.period})`).join(' -> ')}.`,
      });
    }
  }
  const lastThree = points.slice(-3);
  if (lastThree.length === 3 && lastThree.every((p) => p.rag === Rag.AMBER)) {
    exceptions.push({
      rule: ExceptionRule.THREE_AMBER,
      description: `Amber in each of the latest three periods: ${lastThree.map((p) => p.period).join(', ')}.`,
    });
  }
  return exceptions;
}
