import { Polarity, Rag, type RagRating, formatDistinct, formatShare } from '@crossgov/schema';

// A rating is the API's RagRating itself (schema/src/types/scorecard.type.ts), so the two cannot drift apart.

// Figures are written as the dashboard writes them (schema/src/units.ts), so a rule sentence and the table beside it
// agree: "83.3% is 2.0% worse than the target of 85.0%", not "83.266 is 2.04% worse than the target of 85".
const figures = (value: number, target: number, unit: string | undefined) =>
  formatDistinct([value, target], unit) as [string, string];

/**
 * A rating whose `rule` sentence is written only when something reads it: a league or a scorecard
 * rates every period of every organisation, and most answers never ask for the sentence.
 */
function rating(
  status: Rag,
  value: number,
  target: number,
  tolerance: number,
  shortfall: number | null,
  unit: string | undefined,
  sentence: (value: string, target: string) => string,
): RagRating {
  let rule: string | undefined;
  return {
    status,
    target,
    tolerance,
    shortfall,
    get rule() {
      return (rule ??= sentence(...figures(value, target, unit)));
    },
  };
}

/**
 * RAG against target (docs/domain.md, "RAG"): Green when equal to or better than target; Amber when
 * worse by at most `tolerance` relative to the target (not percentage points); Red when worse by
 * more. "Worse" follows polarity. The base of "relative" is |target|, so negative targets (a Net
 * Promoter Score of -10) work; a target of 0 has no relative scale, so any value worse than 0 is Red.
 * For an indicator closest to target, see {@link rateClosest}. `unit`, the indicator's, writes the
 * figures of the rule sentence as the dashboard writes them; without it they are plain numbers.
 */
export function rateRag(
  value: number,
  target: number,
  polarity: Polarity,
  tolerance = 0.05,
  unit?: string,
): RagRating {
  if (polarity === Polarity.CLOSEST_TO_TARGET) return rateClosest(value, target, tolerance, unit);
  const biggerIsBetter = polarity === Polarity.BIGGER_IS_BETTER;
  const direction = biggerIsBetter ? 'bigger is better' : 'smaller is better';
  const worseBy = biggerIsBetter ? target - value : value - target;
  if (worseBy <= 0) {
    return rating(
      Rag.GREEN,
      value,
      target,
      tolerance,
      0,
      unit,
      (v, t) => `GREEN: ${v} is equal to or better than the target of ${t} (${direction})`,
    );
  }
  if (target === 0) {
    return rating(
      Rag.RED,
      value,
      target,
      tolerance,
      null,
      unit,
      (v, t) =>
        `RED: ${v} is worse than a target of ${t}, which has no relative tolerance (${direction})`,
    );
  }
  const shortfall = worseBy / Math.abs(target);
  // Compare at a precision that ignores binary rounding: 10.5 against 10 is exactly 5% worse.
  const withinTolerance = Number(shortfall.toPrecision(12)) <= tolerance;
  return withinTolerance
    ? rating(
        Rag.AMBER,
        value,
        target,
        tolerance,
        shortfall,
        unit,
        (v, t) =>
          `AMBER: ${v} is ${formatShare(shortfall)} worse than the target of ${t}, within the ${formatShare(tolerance)} tolerance (${direction})`,
      )
    : rating(
        Rag.RED,
        value,
        target,
        tolerance,
        shortfall,
        unit,
        (v, t) =>
          `RED: ${v} is ${formatShare(shortfall)} worse than the target of ${t}, beyond the ${formatShare(tolerance)} tolerance (${direction})`,
      );
}

/**
 * RAG of an indicator closest to target (a mid-point): every value but the target itself is worse
 * than it on one side or the other, so an exact hit cannot be the standard for a measured figure.
 * The tolerance is the band around the target instead: Green within it (|value - target| at most
 * `tolerance` x |target|), Amber within twice it, Red beyond. A target of 0 has no relative band:
 * only 0 itself is Green, anything else Red.
 */
export function rateClosest(
  value: number,
  target: number,
  tolerance = 0.05,
  unit?: string,
): RagRating {
  const direction = 'closest to the target is best';
  const off = Math.abs(value - target);
  const side = value > target ? 'above' : 'below';
  if (off === 0)
    return rating(
      Rag.GREEN,
      value,
      target,
      tolerance,
      0,
      unit,
      (v, t) => `GREEN: ${v} is on the target of ${t} (${direction})`,
    );
  if (target === 0)
    return rating(
      Rag.RED,
      value,
      target,
      tolerance,
      null,
      unit,
      (v, t) => `RED: ${v} is off a target of ${t}, which has no relative band (${direction})`,
    );
  const distance = off / Math.abs(target);
  const within = (band: number) => Number(distance.toPrecision(12)) <= band;
  if (within(tolerance)) {
    return rating(
      Rag.GREEN,
      value,
      target,
      tolerance,
      0,
      unit,
      (v, t) =>
        `GREEN: ${v} is ${formatShare(distance)} ${side} the target of ${t}, within the ${formatShare(tolerance)} band (${direction})`,
    );
  }
  const shortfall = distance - tolerance;
  return within(2 * tolerance)
    ? rating(
        Rag.AMBER,
        value,
        target,
        tolerance,
        shortfall,
        unit,
        (v, t) =>
          `AMBER: ${v} is ${formatShare(distance)} ${side} the target of ${t}, beyond the ${formatShare(tolerance)} band but within twice it (${direction})`,
      )
    : rating(
        Rag.RED,
        value,
        target,
        tolerance,
        shortfall,
        unit,
        (v, t) =>
          `RED: ${v} is ${formatShare(distance)} ${side} the target of ${t}, beyond twice the ${formatShare(tolerance)} band (${direction})`,
      );
}
