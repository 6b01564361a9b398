import { Polarity, Rag } from '@crossgov/schema';

export interface RagRating {
  status: Rag;
  /** The rule that fired, in words, with the figures. */
  rule: string;
  target: number;
  tolerance: number;
  /** How much worse than target, relative to it (0.04 = 4% worse); 0 when on or better; null when the target is 0 and the value is worse. */
  shortfall: number | null;
}

const fmt = (n: number) => String(Number(n.toPrecision(10)));
const pct = (n: number) => `${fmt(n * 100)}%`;

/**
 * RAG against target (DOMAIN.md): Green when equal to or better than target; Amber when worse by at
 * most `tolerance` relative to the target (not percentage points); Red when worse by more. "Worse"
 * follows polarity. The base of "relative" is |target|, so negative targets (a Net Promoter Score
 * of -10) work; a target of 0 has no relative scale, so any value worse than 0 is Red.
 */
export function rateRag(value: number, target: number, polarity: Polarity, tolerance = 0.05): RagRating {
  const biggerIsBetter = polarity === Polarity.BIGGER_IS_BETTER;
  const direction = biggerIsBetter ? 'bigger is better' : 'smaller is better';
  const worseBy = biggerIsBetter ? target - value : value - target;
  const base = { target, tolerance };
  if (worseBy <= 0) {
    return { ...base, status: Rag.GREEN, shortfall: 0, rule: `GREEN: ${fmt(value)} is equal to or better than the target of ${fmt(target)} (${direction})` };
  }
  if (target === 0) {
    return { ...base, status: Rag.RED, shortfall: null, rule: `RED: ${fmt(value)} is worse than a target of 0, which has no relative tolerance (${direction})` };
  }
  const shortfall = worseBy / Math.abs(target);
  // Compare at a precision that ignores binary rounding: 10.5 against 10 is exactly 5% worse.
  const withinTolerance = Number(shortfall.toPrecision(12)) <= tolerance;
  return withinTolerance
    ? { ...base, status: Rag.AMBER, shortfall, rule: `AMBER: ${fmt(value)} is ${pct(shortfall)} worse than the target of ${fmt(target)}, within the ${pct(tolerance)} tolerance (${direction})` }
    : { ...base, status: Rag.RED, shortfall, rule: `RED: ${fmt(value)} is ${pct(shortfall)} worse than the target of ${fmt(target)}, beyond the ${pct(tolerance)} tolerance (${direction})` };
}
