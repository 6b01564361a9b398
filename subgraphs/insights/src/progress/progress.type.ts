import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DcaChange, DcaRating, OrganisationKind } from '@crossgov/schema';

@ObjectType('ProgressFigures', {
  description:
    'Milestones and returns counted the same way for an organisation or the whole strategy.',
})
export class ProgressFigures {
  @Field(() => Int)
  milestones!: number;

  @Field(() => Int, {
    description: 'Milestones whose baseline date has come, or that are already done.',
  })
  milestonesDue!: number;

  @Field(() => Int)
  milestonesDone!: number;

  @Field(() => Int, { description: 'Milestones whose derived status is LATE.' })
  milestonesLate!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Median of each milestone's central slippage estimate, in days.",
  })
  medianSlippageDays!: number | null;

  @Field(() => Int, {
    description: 'Returns due in the last 365 days of due dates: received + outstanding + missing.',
  })
  expectedReturns!: number;

  @Field(() => Int, { description: 'Of those, received on time or late.' })
  receivedReturns!: number;

  @Field(() => Int, { description: 'Of those received, how many came after their due date.' })
  lateReturns!: number;

  @Field(() => Int, {
    description:
      'Past their due date, not yet received, within the tolerance (one more grace of their cadence).',
  })
  outstandingReturns!: number;

  @Field(() => Int, {
    description:
      'Not received by the end of the tolerance: as many as overdueReturns lists for these organisations.',
  })
  missingReturns!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Returns received over returns due in the last 365 days (ratio of sums); null when none was due.',
  })
  completeness!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Completeness in words, naming the window of due dates; null when no organisation answered.',
  })
  completenessRule!: string | null;
}

@ObjectType('OrganisationProgress', { description: "One organisation's strategy progress." })
export class OrganisationProgressView extends ProgressFigures {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => DcaRating, {
    nullable: true,
    description: 'The latest IPA delivery confidence across its programmes.',
  })
  latestConfidence!: DcaRating | null;

  @Field(() => String, { nullable: true })
  confidenceAssessedOn!: string | null;

  @Field(() => DcaChange, { nullable: true })
  confidenceChange!: DcaChange | null;

  @Field(() => Boolean, {
    description: 'False when its subgraph did not answer: its figures are unknown, not zero.',
  })
  answered!: boolean;
}

@ObjectType('OverdueReturn', {
  description:
    'A return not received by the end of its tolerance (MISSING), due in the window the figures count.',
})
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

@ObjectType('StrategyProgress', {
  description: 'Progress of the strategy: each cluster and supporting programme, and the roll-up.',
})
export class StrategyProgress {
  @Field(() => [OrganisationProgressView])
  organisations!: OrganisationProgressView[];

  @Field(() => ProgressFigures)
  overall!: ProgressFigures;

  @Field(() => [OverdueReturn], {
    description:
      'The missing returns of the organisations counted, due in the same window as the figures, most overdue first.',
  })
  overdueReturns!: OverdueReturn[];

  @Field(() => String, { description: 'The date the figures were judged on.' })
  asOf!: string;
}
