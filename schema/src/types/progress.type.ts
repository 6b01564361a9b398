import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { DateWithPrecision } from './dated.type.ts';
import { Assessor, DatePrecision, DcaChange, DcaRating, DcaScale, ReturnStatus } from './enums.ts';

@Directive('@shareable')
@ObjectType('Slippage', {
  description:
    'Forecast (or actual) against baseline, honest about precision: the central estimate compares the middles of the two spans, and min/max give every value the dates allow ("2028" against "2029" is about a year, anywhere from 1 day to 2 years).',
})
export class Slippage {
  @Field(() => Float, { description: 'Central estimate in days; negative means early.' })
  days!: number;

  @Field(() => Float)
  months!: number;

  @Field(() => Float)
  minDays!: number;

  @Field(() => Float)
  maxDays!: number;

  @Field(() => DatePrecision, {
    description: 'The coarser precision of the two dates: slippage is not known more finely.',
  })
  precision!: DatePrecision;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'ACTUAL when the milestone is done, else FORECAST.' })
  comparedWith!: string;
}

@Directive('@shareable')
@ObjectType('MilestoneForecastSnapshot', {
  description:
    'The forecast as one return gave it. New returns add snapshots; none is overwritten.',
})
export class MilestoneForecastSnapshot {
  @Field(() => String, { description: 'ISO date of the return.' })
  returnDate!: string;

  @Field(() => DateWithPrecision)
  forecast!: DateWithPrecision;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@Directive('@shareable')
@ObjectType('ConfidenceAssessment', {
  description: 'A dated delivery confidence assessment (DCA).',
})
export class ConfidenceAssessment {
  @Field(() => Assessor)
  assessor!: Assessor;

  @Field(() => DcaScale)
  scale!: DcaScale;

  @Field(() => DcaRating)
  rating!: DcaRating;

  @Field(() => DateWithPrecision)
  assessedOn!: DateWithPrecision;

  @Field(() => String, { nullable: true })
  sourceNote!: string | null;
}

@Directive('@shareable')
@ObjectType('DeliveryConfidence', {
  description: "An assessor's latest assessment and how it changed since their previous one.",
})
export class DeliveryConfidence {
  @Field(() => ConfidenceAssessment)
  latest!: ConfidenceAssessment;

  @Field(() => ConfidenceAssessment, { nullable: true })
  previous!: ConfidenceAssessment | null;

  @Field(() => DcaChange)
  change!: DcaChange;

  @Field(() => String)
  rule!: string;
}

@Directive('@shareable')
@ObjectType('ReturnLine', {
  description: 'One period of one data set an organisation owes, and whether its return came.',
})
export class ReturnLine {
  @Field(() => String, { description: 'The data set: indicator:<code> or milestones.' })
  dataset!: string;

  @Field(() => String)
  period!: string;

  @Field(() => String, {
    description:
      'ISO date the return was due: period end plus the grace for its cadence (monthly 30, quarterly 45, annual 90 days).',
  })
  dueOn!: string;

  @Field(() => ReturnStatus)
  status!: ReturnStatus;

  @Field(() => String, { nullable: true })
  receivedOn!: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Days after the due date it arrived (LATE), or has gone without it so far (OUTSTANDING, MISSING).',
  })
  daysLate!: number | null;
}

@Directive('@shareable')
@ObjectType('Completeness', {
  description:
    'Returns received (on time or late) over returns expected, for returns due in one window (the last 365 days of due dates): expected = received + outstanding + missing. Returns due before the window are in none of these figures; those never received are counted apart in olderMissing.',
})
export class Completeness {
  @Field(() => Int, {
    description:
      'Returns due in the window (their due date passed, or they came): received + outstanding + missing.',
  })
  expected!: number;

  @Field(() => Int, { description: 'Received, on time or late.' })
  received!: number;

  @Field(() => Int, { description: 'Of those received, how many came after their due date.' })
  late!: number;

  @Field(() => Int, {
    description:
      'Past their due date, not yet received, within the tolerance (status OUTSTANDING).',
  })
  outstanding!: number;

  @Field(() => Int, {
    description:
      'Not received by the end of the tolerance (status MISSING). Before the tolerance was introduced this also counted the outstanding ones.',
  })
  missing!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'received / expected; null when nothing was due.',
  })
  ratio!: number | null;

  @Field(() => String, { description: 'ISO date: the earliest due date counted.' })
  from!: string;

  @Field(() => String, {
    description: 'ISO date: the latest due date counted (the day judged on).',
  })
  to!: string;

  @Field(() => Int, {
    description:
      'Returns due before `from` and never received: counted apart, in none of the other figures.',
  })
  olderMissing!: number;

  @Field(() => String, {
    description:
      'The figures in words, with the window, the due-date rule, the tolerance and which returns are owed.',
  })
  rule!: string;
}

@Directive('@shareable')
@ObjectType('ReturnsSummary', {
  description:
    "An organisation's returns: how complete, and which are late or missing, counted over one window.",
})
export class ReturnsSummary {
  @Field(() => Boolean, {
    description:
      'False for an organisation whose figures are imported from a published data set (docs/public-data.md): it owes the hub no returns, and its completeness rule says so.',
  })
  chased!: boolean;

  @Field(() => Completeness)
  completeness!: Completeness;

  @Field(() => [ReturnLine], {
    description:
      "The window's MISSING returns (not received by the end of the tolerance), most overdue first: as many as completeness.missing.",
  })
  overdue!: ReturnLine[];

  @Field(() => [ReturnLine], {
    description:
      "The window's OUTSTANDING returns (past their due date, not yet received, within the tolerance), longest waited for first: as many as completeness.outstanding.",
  })
  outstanding!: ReturnLine[];

  @Field(() => [ReturnLine], {
    description: 'Every expected return of every data set, oldest first.',
  })
  lines!: ReturnLine[];
}
