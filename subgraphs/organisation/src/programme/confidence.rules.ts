import { Assessor, DcaChange, DcaRating, DcaScale, isCalendarDay } from '@crossgov/schema';

// The enums are declared once in @crossgov/schema (they are part of the GraphQL schema);
// re-exported here so the rules and their callers name the same types.
export { Assessor, DcaChange, DcaRating, DcaScale };

/** One delivery confidence assessment (DCA) as published. */
export interface Assessment {
  assessor: Assessor;
  scale: DcaScale;
  rating: DcaRating;
  /** ISO date: the first day of the span it was assessed in (a year or month when that is all that is published). */
  assessedOn: string;
}

/** One broken rule: the field, the value it had, and the rule it broke. */
export interface AssessmentProblem {
  field: string;
  value: unknown;
  rule: string;
}

/** The IPA replaced its five-point scale with the three-point one in 2021. */
const THREE_POINT_FROM = '2021-01-01';

const FIVE_POINT_ONLY = new Set<DcaRating>([DcaRating.AMBER_GREEN, DcaRating.AMBER_RED]);

/**
 * Positions on a common 1 (Green) to 5 (Red) axis. Three-point Amber sits in the middle, where
 * five-point Amber does, so a rating can be compared across the change of scale.
 */
const AXIS: Record<DcaScale, Partial<Record<DcaRating, number>>> = {
  FIVE_POINT: { GREEN: 1, AMBER_GREEN: 2, AMBER: 3, AMBER_RED: 4, RED: 5 },
  THREE_POINT: { GREEN: 1, AMBER: 3, RED: 5 },
};

const SCALE_WORD: Record<DcaScale, string> = {
  FIVE_POINT: 'five-point',
  THREE_POINT: 'three-point',
};

/** Problems with an assessment, each naming the field, the value and the rule; [] when valid. */
export function checkAssessment(a: Assessment): AssessmentProblem[] {
  const problems: AssessmentProblem[] = [];
  // Rows come from the database and imports as plain strings, so the enums are checked too.
  if (!Object.values(Assessor).includes(a.assessor))
    problems.push({
      field: 'assessor',
      value: a.assessor,
      rule: `must be one of ${Object.values(Assessor).join(', ')}`,
    });
  if (!Object.values(DcaScale).includes(a.scale))
    problems.push({
      field: 'scale',
      value: a.scale,
      rule: `must be one of ${Object.values(DcaScale).join(', ')}`,
    });
  if (!Object.values(DcaRating).includes(a.rating)) {
    problems.push({
      field: 'rating',
      value: a.rating,
      rule: `must be one of ${Object.values(DcaRating).join(', ')}`,
    });
  } else if (a.scale === DcaScale.THREE_POINT && FIVE_POINT_ONLY.has(a.rating)) {
    problems.push({
      field: 'rating',
      value: a.rating,
      rule: 'is not on the three-point scale (GREEN, AMBER, RED): AMBER_GREEN and AMBER_RED exist only on the five-point scale',
    });
  }
  if (!isCalendarDay(a.assessedOn)) {
    problems.push({
      field: 'assessedOn',
      value: a.assessedOn,
      rule: 'must be a calendar day written YYYY-MM-DD',
    });
  }
  return problems;
}

/** The scale the IPA used on a date: five-point before 2021, three-point from 1 January 2021. */
export function scaleOn(date: string): DcaScale {
  return date < THREE_POINT_FROM ? DcaScale.FIVE_POINT : DcaScale.THREE_POINT;
}

/**
 * A rating's place on the common 1 (Green) to 5 (Red) axis; null for EXEMPT and RESET, which say
 * nothing about confidence, and for a rating its scale does not have (three-point AMBER_RED).
 */
export function ordinal(a: Pick<Assessment, 'scale' | 'rating'>): number | null {
  return AXIS[a.scale]?.[a.rating] ?? null;
}

function stated(a: Assessment): string {
  return `${a.rating} (${SCALE_WORD[a.scale]}) on ${a.assessedOn}`;
}

/**
 * One assessor's latest assessment and its change against that assessor's previous one. The IPA's
 * and the SRO's views are never mixed: a change means the same assessor changed their mind.
 */
export function latestConfidence(
  history: readonly Assessment[],
  assessor: Assessor,
): { latest: Assessment; previous: Assessment | null; change: DcaChange; rule: string } | null {
  // A stable sort by date keeps the input order for two assessments on the same date: the later one wins.
  const mine = history
    .filter((a) => a.assessor === assessor)
    .sort((a, b) => a.assessedOn.localeCompare(b.assessedOn));
  const latest = mine.at(-1);
  if (!latest) return null;
  const previous = mine.at(-2) ?? null;
  if (!previous)
    return {
      latest,
      previous,
      change: DcaChange.FIRST,
      rule: `FIRST: the ${assessor}'s first assessment, ${stated(latest)}`,
    };

  const before = ordinal(previous);
  const now = ordinal(latest);
  const compared = `the ${assessor}'s ${stated(previous)} -> ${stated(latest)}`;
  if (before === null || now === null) {
    const odd = [previous, latest]
      .filter((a) => ordinal(a) === null)
      .map((a) => `${a.rating} (${SCALE_WORD[a.scale]})`);
    return {
      latest,
      previous,
      change: DcaChange.NOT_COMPARABLE,
      rule: `NOT_COMPARABLE: ${compared}; ${odd.join(' and ')} has no place on the Green-Red scale`,
    };
  }
  const change =
    now < before ? DcaChange.IMPROVED : now > before ? DcaChange.WORSENED : DcaChange.UNCHANGED;
  const axis = `${before} -> ${now} on the common 1 (Green) to 5 (Red) axis`;
  const scales =
    previous.scale === latest.scale
      ? ''
      : `, across the change from the ${SCALE_WORD[previous.scale]} to the ${SCALE_WORD[latest.scale]} scale`;
  return { latest, previous, change, rule: `${change}: ${compared}: ${axis}${scales}` };
}
