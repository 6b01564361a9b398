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

  @Field(() => DatePrecision, { description: 'The coarser precision of the two dates: slippage is not known more finely.' })
  precision!: DatePrecision;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'ACTUAL when the milestone is done, else FORECAST.' })
  comparedWith!: string;
}

@Directive('@shareable')
@ObjectType('MilestoneForecastSnapshot', { description: 'The forecast as one return gave it. New returns add snapshots; none is overwritten.' })
export class MilestoneForecastSnapshot {
  @Field(() => String, { description: 'ISO date of the return.' })
  returnDate!: string;

  @Field(() => DateWithPrecision)
  forecast!: DateWithPrecision;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@Directive('@shareable')
@ObjectType('ConfidenceAssessment', { description: 'A dated delivery confidence assessment (DCA).' })
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
@ObjectType('DeliveryConfidence', { description: "An assessor's latest assessment and how it changed since their previous one." })
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
@ObjectType('ReturnLine', { description: 'One period of one data set an organisation owes, and whether its return came.' })
export class ReturnLine {
  @Field(() => String, { description: 'The data set: indicator:<code> or milestones.' })
  dataset!: string;

  @Field(() => String)
  period!: string;

  @Field(() => String, { description: 'ISO date the return was due: period end plus the grace for its cadence (monthly 30, quarterly 45, annual 90 days).' })
  dueOn!: string;

  @Field(() => ReturnStatus)
  status!: ReturnStatus;

  @Field(() => String, { nullable: true })
  receivedOn!: string | null;

  @Field(() => Int, { nullable: true, description: 'Days after the due date it arrived (LATE), or has been overdue so far (MISSING).' })
  daysLate!: number | null;
}

@Directive('@shareable')
@ObjectType('Completeness', { description: 'Returns received (on time or late) over returns expected, for returns due in the last 365 days.' })
export class Completeness {
  @Field(() => Int)
  expected!: number;

  @Field(() => Int)
  received!: number;

  @Field(() => Int)
  late!: number;

  @Field(() => Int)
  missing!: number;

  @Field(() => Float, { nullable: true, description: 'received / expected; null when nothing was due.' })
  ratio!: number | null;

  @Field(() => String)
  rule!: string;
}

@Directive('@shareable')
@ObjectType('ReturnsSummary', { description: "An organisation's returns: how complete, and which are overdue." })
export class ReturnsSummary {
  @Field(() => Boolean, {
    description: "False for an organisation whose figures are imported from a published data set (docs/public-data.md): it owes the hub no returns, and its completeness rule says so.",
  })
  chased!: boolean;

  @Field(() => Completeness)
  completeness!: Completeness;

  @Field(() => [ReturnLine], { description: 'Missing returns, most overdue first.' })
  overdue!: ReturnLine[];

  @Field(() => [ReturnLine], { description: 'Every expected return of every data set, oldest first.' })
  lines!: ReturnLine[];
}
