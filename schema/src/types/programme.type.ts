import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { DateWithPrecision } from './dated.type.ts';
import { MilestoneStatus } from './enums.ts';
import {
  ConfidenceAssessment,
  DeliveryConfidence,
  MilestoneForecastSnapshot,
  Slippage,
} from './progress.type.ts';

@Directive('@shareable')
@ObjectType('Milestone', {
  description: 'A dated step of a programme. Slippage is forecast (or actual) minus baseline.',
})
export class Milestone {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  programmeId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => DateWithPrecision, {
    nullable: true,
    description: 'The date set when the plan was approved.',
  })
  baseline!: DateWithPrecision | null;

  @Field(() => DateWithPrecision, {
    nullable: true,
    description: 'The date expected in the latest return.',
  })
  forecast!: DateWithPrecision | null;

  @Field(() => DateWithPrecision, {
    nullable: true,
    description: 'When it was done; null until then.',
  })
  actual!: DateWithPrecision | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where the dates come from, when the source is weaker than an official return.',
  })
  sourceNote!: string | null;

  // Derived fields, declared on the shared type so every subgraph sees the same shape; the
  // organisation subgraph's MilestoneResolver computes them.
  @Field(() => Slippage, {
    nullable: true,
    description:
      'Actual (or forecast) against baseline; null without a baseline or without either date.',
  })
  slippage?: Slippage | null;

  @Field(() => MilestoneStatus)
  status?: MilestoneStatus;

  @Field(() => String, { description: 'The status rule that fired, with the dates it compared.' })
  statusRule?: string;

  @Field(() => [MilestoneForecastSnapshot], {
    description: 'The forecast as each return gave it, oldest first.',
  })
  forecastHistory?: MilestoneForecastSnapshot[];
}

@Directive('@shareable')
@ObjectType('ProgrammePublication', {
  description:
    'What one publication said of a programme as at its date (a GMPP annual report): the name and department it was published under then, its whole-life cost and benefits.',
})
export class ProgrammePublication {
  @Field(() => String, { description: "ISO date the publication's data is as at." })
  asAt!: string;

  @Field(() => String, { description: 'The name it was published under.' })
  name!: string;

  @Field(() => String, {
    description:
      'The department code it was published under, as written then (DECC, DoH Capital): departments are renamed, merged and split, and the publication keeps the one it named.',
  })
  department!: string;

  @Field(() => String, { nullable: true })
  category!: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Whole-life cost in GBP million as published then; null when withheld or not published.',
  })
  wholeLifeCost!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Monetised benefits in GBP million as published then; null when not published.',
  })
  benefits!: number | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@Directive('@shareable')
@ObjectType('Programme', {
  description: 'A programme an organisation delivers, with its milestones.',
})
export class Programme {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Senior responsible owner.' })
  seniorResponsibleOwner!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Whole-life cost in GBP when the plan was approved.',
  })
  baselineWholeLifeCost!: number | null;

  @Field(() => Float, { nullable: true, description: 'Whole-life cost in GBP as last forecast.' })
  forecastWholeLifeCost!: number | null;

  @Field(() => String, { nullable: true, description: 'Where the cost figures come from.' })
  costNote!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The category it is published under, e.g. the GMPP\'s "Infrastructure and Construction".',
  })
  category!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'How a published programme was followed across publications: by GMPP ID, or by name (and which); null for one entered here.',
  })
  matchedBy!: string | null;

  @Field(() => [ProgrammePublication], {
    description:
      'What each publication said of it, oldest first: name and department as published then, whole-life cost and benefits.',
  })
  publications?: ProgrammePublication[];

  @Field(() => [ConfidenceAssessment], {
    description:
      "Every delivery confidence assessment, the IPA's and the SRO's, oldest first; none is ever overwritten.",
  })
  confidenceHistory?: ConfidenceAssessment[];

  @Field(() => DeliveryConfidence, {
    nullable: true,
    description: "The IPA's latest assessment and its change; null when it has made none.",
  })
  latestConfidence?: DeliveryConfidence | null;

  @Field(() => DeliveryConfidence, {
    nullable: true,
    description:
      "The senior responsible owner's latest assessment and its change; null when they have made none.",
  })
  latestSroConfidence?: DeliveryConfidence | null;
}
