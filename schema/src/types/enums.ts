import { registerEnumType } from 'type-graphql';
import { OrganisationKind } from '../organisation-kinds.ts';

// Declared beside the registry, which reads it without GraphQL; registered here with the others.
export { OrganisationKind };

export enum Unit {
  COUNT = 'COUNT',
  PERCENT = 'PERCENT',
  CURRENCY = 'CURRENCY',
  RATIO = 'RATIO',
  SCORE = 'SCORE',
}

export enum Polarity {
  BIGGER_IS_BETTER = 'BIGGER_IS_BETTER',
  SMALLER_IS_BETTER = 'SMALLER_IS_BETTER',
  /** Best at its target value, worse the further away either way (a "Goldilocks" measure, with its mid-point as the target). */
  CLOSEST_TO_TARGET = 'CLOSEST_TO_TARGET',
}

export enum Frequency {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  ANNUAL = 'ANNUAL',
}

export enum PeriodType {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  FINANCIAL_QUARTER = 'FINANCIAL_QUARTER',
  YEAR = 'YEAR',
  FINANCIAL_YEAR = 'FINANCIAL_YEAR',
  /** Twelve months ending with a month: a rolling year, published every quarter (the Transactions Explorer's "2017-Q4"). */
  TWELVE_MONTHS = 'TWELVE_MONTHS',
  /** Two or more consecutive April-March financial years taken together: a multi-year aggregate (LGBF's "2014-17"). */
  FINANCIAL_YEARS = 'FINANCIAL_YEARS',
}

export enum DatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}

export enum ServicePhase {
  DISCOVERY = 'DISCOVERY',
  ALPHA = 'ALPHA',
  BETA = 'BETA',
  LIVE = 'LIVE',
  RETIRED = 'RETIRED',
}

export enum RevisionStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
}

registerEnumType(RevisionStatus, {
  name: 'RevisionStatus',
  description: 'DRAFT when a figure was submitted, PUBLISHED when its owner published its period.',
});
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description:
    'What sort of body reports: a shared services cluster, a department, a local authority, an NHS trust or a supporting programme.',
});
registerEnumType(Unit, {
  name: 'Unit',
  description: 'What an indicator counts. PERCENT values are 0-100.',
});
registerEnumType(Polarity, {
  name: 'Polarity',
  description:
    'Which direction is better for an indicator: bigger, smaller, or closest to its target value (a mid-point), whichever side.',
  valuesConfig: {
    CLOSEST_TO_TARGET: {
      description:
        'Best at the target value and worse the further away on either side ("Goldilocks" measures, whose mid-point is their target).',
    },
  },
});
registerEnumType(Frequency, {
  name: 'Frequency',
  description: 'How often an indicator is measured.',
});
registerEnumType(PeriodType, {
  name: 'PeriodType',
  description:
    'Calendar month, calendar quarter, April-March financial quarter, calendar year, April-March financial year, a rolling twelve months (2016-10/2017-09), or several financial years taken together (2014/15-2016/17).',
});
registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description:
    'How precisely a date is known: published plans often give only a month, a quarter or a year.',
});
registerEnumType(ServicePhase, {
  name: 'ServicePhase',
  description: 'Service Standard delivery phase.',
});

export enum Rag {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
}

export enum Direction {
  IMPROVING = 'IMPROVING',
  STABLE = 'STABLE',
  WORSENING = 'WORSENING',
}

export enum ExceptionRule {
  LATEST_RED = 'LATEST_RED',
  THREE_DETERIORATIONS = 'THREE_DETERIORATIONS',
  THREE_AMBER = 'THREE_AMBER',
}

/** Special-cause rules in priority order (NHS "Making Data Count"), then common cause. */
export enum SpcSignal {
  OUTSIDE_LIMITS = 'OUTSIDE_LIMITS',
  TREND = 'TREND',
  TWO_OF_THREE_NEAR_LIMIT = 'TWO_OF_THREE_NEAR_LIMIT',
  SHIFT = 'SHIFT',
  COMMON_CAUSE = 'COMMON_CAUSE',
}

export enum SpcVariation {
  IMPROVEMENT = 'IMPROVEMENT',
  CONCERN = 'CONCERN',
  /** A special cause of an indicator closest to target with no target to say which way is better (NHSRplotthedots' "neutral"). */
  NEITHER = 'NEITHER',
  COMMON_CAUSE = 'COMMON_CAUSE',
}

export enum SpcAssurance {
  CONSISTENTLY_PASS = 'CONSISTENTLY_PASS',
  CONSISTENTLY_FAIL = 'CONSISTENTLY_FAIL',
  HIT_AND_MISS = 'HIT_AND_MISS',
}

registerEnumType(Rag, {
  name: 'Rag',
  description:
    'Green: equal to or better than target. Amber: worse by at most the tolerance (default 5%, relative to the target). Red: worse by more.',
});
registerEnumType(Direction, {
  name: 'Direction',
  description: 'Improving or worsening follows the indicator polarity; stable means no change.',
});
registerEnumType(ExceptionRule, {
  name: 'ExceptionRule',
  description:
    'Why an indicator is an exception: the latest value is Red; the latest three period-on-period changes are all deteriorations; or the latest three periods are all Amber.',
});
registerEnumType(SpcSignal, {
  name: 'SpcSignal',
  description:
    'XmR special-cause rules in priority order: a point outside the process limits; 7 points each higher (or lower) than the one before; 2 of 3 points in the near-limit band on one side; 7 points on one side of the mean. Otherwise common cause.',
});
registerEnumType(SpcVariation, {
  name: 'SpcVariation',
  description:
    'Whether a special cause is an improvement or a concern, by polarity (towards or away from the target for an indicator closest to target).',
  valuesConfig: {
    NEITHER: {
      description:
        'A special cause of an indicator closest to target that has no target to say which way is better.',
    },
  },
});
registerEnumType(SpcAssurance, {
  name: 'SpcAssurance',
  description:
    'Target outside the process limits: the process will consistently pass (or fail) it; inside: it will sometimes hit and sometimes miss.',
});

export enum MilestoneStatus {
  COMPLETE = 'COMPLETE',
  ON_TRACK = 'ON_TRACK',
  AT_RISK = 'AT_RISK',
  LATE = 'LATE',
}

export enum DcaScale {
  FIVE_POINT = 'FIVE_POINT',
  THREE_POINT = 'THREE_POINT',
}

export enum DcaRating {
  GREEN = 'GREEN',
  AMBER_GREEN = 'AMBER_GREEN',
  AMBER = 'AMBER',
  AMBER_RED = 'AMBER_RED',
  RED = 'RED',
  EXEMPT = 'EXEMPT',
  RESET = 'RESET',
}

export enum Assessor {
  IPA = 'IPA',
  SRO = 'SRO',
}

export enum DcaChange {
  IMPROVED = 'IMPROVED',
  UNCHANGED = 'UNCHANGED',
  WORSENED = 'WORSENED',
  NOT_COMPARABLE = 'NOT_COMPARABLE',
  FIRST = 'FIRST',
}

export enum ReturnStatus {
  RECEIVED = 'RECEIVED',
  LATE = 'LATE',
  OUTSTANDING = 'OUTSTANDING',
  MISSING = 'MISSING',
  NOT_DUE = 'NOT_DUE',
}

registerEnumType(MilestoneStatus, {
  name: 'MilestoneStatus',
  description:
    'Derived, never typed in. First rule that holds: COMPLETE when an actual date is recorded; LATE when the forecast (or baseline) span has ended with no actual date, or when the forecast span starts after the baseline span ends; AT_RISK when the forecast span ends after the baseline span ends, or the milestone falls due within 90 days with no forecast returned in the last 120; ON_TRACK otherwise.',
});
registerEnumType(DcaScale, {
  name: 'DcaScale',
  description:
    "The IPA's five-point delivery confidence scale (used until the three-point scale replaced it) or the three-point one.",
});
registerEnumType(DcaRating, {
  name: 'DcaRating',
  description:
    'A delivery confidence rating; AMBER_GREEN and AMBER_RED exist only on the five-point scale. EXEMPT and RESET occur in published data and are not comparable.',
});
registerEnumType(Assessor, {
  name: 'Assessor',
  description:
    'Who assessed delivery confidence: the Infrastructure and Projects Authority or the senior responsible owner.',
});
registerEnumType(DcaChange, {
  name: 'DcaChange',
  description:
    "An assessment against the same assessor's previous one, on a common Green (1) to Red (5) axis across both scales.",
});
registerEnumType(ReturnStatus, {
  name: 'ReturnStatus',
  description:
    'RECEIVED by its due date; LATE: received after it; OUTSTANDING: past its due date and not yet received, within the tolerance (one more grace of its cadence: monthly 30 days, quarterly 45, annual 90); MISSING: not received by the end of the tolerance; NOT_DUE: its due date has not passed.',
});
