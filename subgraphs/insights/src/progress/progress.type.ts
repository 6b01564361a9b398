import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DcaChange, DcaRating, OrganisationKind } from '@crossgov/schema';

@ObjectType('ProgressFigures', { description: 'Milestones and returns counted the same way for an organisation or the whole strategy.' })
export class ProgressFigures {
  @Field(() => Int)
  milestones!: number;

  @Field(() => Int, { description: 'Milestones whose baseline date has come, or that are already done.' })
  milestonesDue!: number;

  @Field(() => Int)
  milestonesDone!: number;

  @Field(() => Int, { description: 'Milestones whose derived status is LATE.' })
  milestonesLate!: number;

  @Field(() => Float, { nullable: true, description: "Median of each milestone's central slippage estimate, in days." })
  medianSlippageDays!: number | null;

  @Field(() => Int)
  expectedReturns!: number;

  @Field(() => Int)
  receivedReturns!: number;

  @Field(() => Int)
  lateReturns!: number;

  @Field(() => Int)
  missingReturns!: number;

  @Field(() => Float, { nullable: true, description: 'Returns received over returns due in the last 365 days (ratio of sums); null when none was due.' })
  completeness!: number | null;
}

@ObjectType('OrganisationProgress', { description: "One organisation's strategy progress." })
export class OrganisationProgressView extends ProgressFigures {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => DcaRating, { nullable: true, description: 'The latest IPA delivery confidence across its programmes.' })
  latestConfidence!: DcaRating | null;

  @Field(() => String, { nullable: true })
  confidenceAssessedOn!: string | null;

  @Field(() => DcaChange, { nullable: true })
  confidenceChange!: DcaChange | null;

  @Field(() => Boolean, { description: 'False when its subgraph did not answer: its figures are unknown, not zero.' })
  answered!: boolean;
}

@ObjectType('OverdueReturn', { description: 'A return that was due and has not come.' })
export class OverdueReturn {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => String)
  dataset!: string;

  @Field(() => String)
  period!: string;

  @Field(() => String)
  dueOn!: string;

  @Field(() => Int)
  daysOverdue!: number;
}

@ObjectType('StrategyProgress', { description: 'Progress of the strategy: each cluster and supporting programme, and the roll-up.' })
export class StrategyProgress {
  @Field(() => [OrganisationProgressView])
  organisations!: OrganisationProgressView[];

  @Field(() => ProgressFigures)
  overall!: ProgressFigures;

  @Field(() => [OverdueReturn], { description: 'Every missing return of the organisations counted, most overdue first.' })
  overdueReturns!: OverdueReturn[];

  @Field(() => String, { description: 'The date the figures were judged on.' })
  asOf!: string;
}
