/** The exception rules (ExceptionRule in the API), most severe first: a Red now outranks a decline, a decline three Ambers. */
export const EXCEPTION_RULES_BY_SEVERITY = [
  'LATEST_RED',
  'THREE_DETERIORATIONS',
  'THREE_AMBER',
] as const;

/** The order, in the words the page says it in (the exceptions table's caption). */
export const RANKING_SENTENCE =
  'Ranked by severity: a latest figure that is Red first, then three deteriorations in a row, then three Ambers in a row; within each, current figures before stale ones, then the furthest from target first, then by organisation and indicator.';

/** What an exception is ranked by: one organisation's indicator, with every exception rule that holds for it. */
export interface RankedException {
  organisation: string;
  indicator: string;
  /** ExceptionRule values that hold; the most severe decides the rank. */
  rules: readonly string[];
  /** The latest figure is older than its cadence allows (`staleness.stale`): it says less about now. */
  stale: boolean;
  /**
   * The latest figure's RAG rating, or null without a target. `shortfall` is how far worse than target, relative to
   * it (the API's RagRating.shortfall); null when the target is 0 and the figure worse, which no relative shortfall
   * measures: it counts as the furthest of all.
   */
  rag: { shortfall: number | null } | null;
}

/** A rule's place in EXCEPTION_RULES_BY_SEVERITY, 0 the most severe; a rule the page does not know comes after them all. */
export function ruleRank(rule: string): number {
  const i = (EXCEPTION_RULES_BY_SEVERITY as readonly string[]).indexOf(rule);
  return i < 0 ? EXCEPTION_RULES_BY_SEVERITY.length : i;
}

const severity = (rules: readonly string[]) => Math.min(...rules.map(ruleRank));

/** How far from target, for sorting: no rating last, a shortfall against a target of 0 first. */
const distance = (rag: RankedException['rag']) =>
  rag === null
    ? Number.NEGATIVE_INFINITY
    : rag.shortfall === null
      ? Number.POSITIVE_INFINITY
      : rag.shortfall;

/**
 * Exceptions in the order RANKING_SENTENCE says: by the most severe rule that holds (a rule the page does not know
 * after the known ones), current figures before stale ones, the furthest from target first, then by organisation and
 * indicator name, so the same data always lists the same way.
 */
export function rankExceptions<T extends RankedException>(exceptions: readonly T[]): T[] {
  return [...exceptions].sort(
    (a, b) =>
      severity(a.rules) - severity(b.rules) ||
      Number(a.stale) - Number(b.stale) ||
      // Equal distances (both Infinity, both none) tie, not NaN.
      (distance(a.rag) === distance(b.rag) ? 0 : distance(b.rag) > distance(a.rag) ? 1 : -1) ||
      a.organisation.localeCompare(b.organisation, 'en-GB') ||
      a.indicator.localeCompare(b.indicator, 'en-GB'),
  );
}
