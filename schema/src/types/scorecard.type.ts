import { ArgsType, Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { UnreadableFigure } from './figures.type.ts';
import {
  Direction,
  ExceptionRule,
  PeriodType,
  Polarity,
  Rag,
  SpcAssurance,
  SpcSignal,
  SpcVariation,
  Unit,
} from './enums.ts';

@Directive('@shareable')
@ObjectType('RagRating', {
  description: 'A value rated against its target; `rule` says which rule fired, with the figures.',
})
export class RagRating {
  @Field(() => Rag)
  status!: Rag;

  @Field(() => String)
  rule!: string;

  @Field(() => Float)
  target!: number;

  @Field(() => Float, { description: 'Relative tolerance for Amber (0.05 = 5%).' })
  tolerance!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'How much worse than target, relative to it (0.04 = 4% worse); 0 when on or better; null against a target of 0.',
  })
  shortfall!: number | null;
}

@Directive('@shareable')
@ObjectType('TravelDirection', { description: 'The latest value against an earlier one.' })
export class TravelDirection {
  @Field(() => Direction)
  direction!: Direction;

  @Field(() => String, { description: 'The earlier period compared with.' })
  comparedWith!: string;

  @Field(() => Float)
  earlierValue!: number;

  @Field(() => Float)
  change!: number;

  @Field(() => String)
  rule!: string;
}

@Directive('@shareable')
@ObjectType('IndicatorException', {
  description: 'An indicator that needs attention, and the rule that says so.',
})
export class IndicatorException {
  @Field(() => ExceptionRule)
  rule!: ExceptionRule;

  @Field(() => String)
  description!: string;
}

@Directive('@shareable')
@ObjectType('SpcPoint', { description: "One point's place on the XmR chart of its series." })
export class SpcPoint {
  @Field(() => SpcSignal, { description: 'The highest-priority rule this point is part of.' })
  signal!: SpcSignal;

  @Field(() => [SpcSignal], { description: 'Every special-cause rule this point is part of.' })
  signals!: SpcSignal[];

  @Field(() => SpcVariation)
  variation!: SpcVariation;

  @Field(() => Float, { nullable: true })
  mean!: number | null;

  @Field(() => Float, { nullable: true })
  upperLimit!: number | null;

  @Field(() => Float, { nullable: true })
  lowerLimit!: number | null;

  @Field(() => Float, { nullable: true })
  upperNearLimit!: number | null;

  @Field(() => Float, { nullable: true })
  lowerNearLimit!: number | null;
}

@Directive('@shareable')
@ObjectType('ScorecardPoint', {
  description:
    'One period of an indicator: value, target, RAG and SPC. A period nobody reported is a gap, never skipped.',
})
export class ScorecardPoint {
  @Field(() => String)
  period!: string;

  @Field(() => PeriodType)
  periodType!: PeriodType;

  @Field(() => String)
  periodStart!: string;

  @Field(() => String)
  periodEnd!: string;

  @Field(() => Boolean, { description: 'True when no figure was reported for this period.' })
  gap!: boolean;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Float, { nullable: true, description: 'The target in force for this period.' })
  target!: number | null;

  @Field(() => RagRating, {
    nullable: true,
    description: 'Null for a gap or a period without a target.',
  })
  rag!: RagRating | null;

  @Field(() => SpcPoint, { nullable: true, description: 'Null for a gap.' })
  spc!: SpcPoint | null;

  @Field(() => Boolean)
  synthetic!: boolean;
}

@Directive('@shareable')
@ObjectType('Staleness', {
  description:
    "Whether an indicator's latest figure is older than its cadence allows: stale once the figure for the next period was due (that period's last day plus its frequency's grace, the rule returns are chased by) and today is past that date.",
})
export class Staleness {
  @Field(() => Boolean)
  stale!: boolean;

  @Field(() => String, {
    description: 'The period after the latest figure: the one whose figure is awaited.',
  })
  expectedPeriod!: string;

  @Field(() => String, { description: 'The date (ISO) its figure is, or was, due by.' })
  dueOn!: string;

  @Field(() => String, {
    description:
      'The rule, with the dates: "stale: the latest figure is for 2019-03; the figure for 2019-04 was due by 2019-05-30 (monthly, 30 days\' grace)".',
  })
  rule!: string;
}

@Directive('@shareable')
@ObjectType('SpcPhase', {
  description:
    'A stretch of the series with its own centre line and limits (a rebase starts a new one).',
})
export class SpcPhase {
  @Field(() => String)
  fromPeriod!: string;

  @Field(() => String)
  toPeriod!: string;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float)
  averageMovingRange!: number;

  @Field(() => Float)
  upperLimit!: number;

  @Field(() => Float)
  lowerLimit!: number;

  @Field(() => Float, {
    description: 'How many points the centre line and limits were computed from.',
  })
  pointsUsed!: number;
}

@Directive('@shareable')
@ObjectType('SpcSummary', {
  description:
    'The XmR chart of the whole series (NHS "Making Data Count" rules, as NHSRplotthedots).',
})
export class SpcSummary {
  @Field(() => [SpcPhase])
  phases!: SpcPhase[];

  @Field(() => SpcAssurance, {
    nullable: true,
    description: 'Of the latest phase against the latest target; null without a target.',
  })
  assurance!: SpcAssurance | null;

  @Field(() => [String])
  warnings!: string[];
}

@Directive('@shareable')
@ObjectType('ScorecardEntry', {
  description:
    "One indicator on an organisation's scorecard: its latest period judged by the hub's rules, and its series.",
})
export class ScorecardEntry {
  @Field(() => ID)
  indicatorId!: string;

  @Field(() => String, {
    description: 'The indicator code (standard catalogue code where there is one).',
  })
  indicator!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => Float)
  tolerance!: number;

  @Field(() => ScorecardPoint, {
    nullable: true,
    description: 'The most recent period with a figure.',
  })
  latest!: ScorecardPoint | null;

  @Field(() => Staleness, {
    nullable: true,
    description:
      "Whether the latest figure is stale, judged on the subgraph's today; null when there is no figure.",
  })
  staleness!: Staleness | null;

  @Field(() => TravelDirection, {
    nullable: true,
    description: 'Latest against the period before it; null when that period has no figure.',
  })
  sincePreviousPeriod!: TravelDirection | null;

  @Field(() => TravelDirection, {
    nullable: true,
    description: 'Latest against the same period a year earlier; null when that has no figure.',
  })
  sinceYearEarlier!: TravelDirection | null;

  @Field(() => [IndicatorException], {
    description: 'Exception rules that hold for the latest period.',
  })
  exceptions!: IndicatorException[];

  @Field(() => SpcSummary)
  spc!: SpcSummary;

  @Field(() => [ScorecardPoint], {
    description: 'The last `periods` periods up to the latest, oldest first, with gaps.',
  })
  series!: ScorecardPoint[];

  @Field(() => [String], {
    description: 'Why periods are gaps when the series was rolled up into longer periods.',
  })
  notes!: string[];

  @Field(() => [UnreadableFigure], {
    description:
      'Stored figures and targets left out of this scorecard (its series, SPC, RAG and exceptions) because they break the value rules; their periods are gaps.',
  })
  unreadable!: UnreadableFigure[];
}

/**
 * The arguments of `Organisation.scorecard`, declared once: the interface, each publisher's
 * resolver and the code that reads them all take this class. Fields are in the order the published
 * schema has always listed them (type-graphql printed the old `@Arg` lists last to first).
 */
@ArgsType()
export class ScorecardArgs {
  @Field(() => [String], { nullable: true, description: 'Only these indicator codes.' })
  indicators?: string[] | null;

  @Field(() => PeriodType, {
    nullable: true,
    description:
      'Judge longer periods than reported (months into quarters, financial quarters or years; quarters into years): ratio of sums of whole periods.',
  })
  periodType?: PeriodType | null;

  @Field(() => Int, {
    defaultValue: 24,
    description: 'How many periods of series to return (1-120).',
  })
  periods!: number;
}
