import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { PeriodType, RevisionStatus } from './enums.ts';

@Directive('@shareable')
@ObjectType('Measurement', {
  description:
    'One value for one period. Ratio indicators keep numerator and denominator; a value over several services is the ratio of their sums.',
})
export class Measurement {
  @Field(() => String, {
    description: 'The period as users write it: 2019-01, 2024-Q3, 2024/25-Q1, 2024, 2024/25.',
  })
  period!: string;

  @Field(() => PeriodType)
  periodType!: PeriodType;

  @Field(() => String, { description: 'ISO date of the first day of the period.' })
  periodStart!: string;

  @Field(() => String, { description: 'ISO date of the last day of the period.' })
  periodEnd!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The service measured; null for an organisation-wide figure or an aggregate over services.',
  })
  serviceId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The member department measured, for a cluster's per-department figures; null otherwise.",
  })
  department!: string | null;

  @Field(() => Boolean, {
    description:
      'True when the figure was generated for demonstration, not published by the organisation.',
  })
  synthetic!: boolean;

  @Field(() => Boolean, {
    description:
      'True for a submitted figure its organisation has not published yet; only callers allowed to read drafts see these.',
  })
  draft!: boolean;
}

@Directive('@shareable')
@ObjectType('MeasurementRevision', {
  description: 'One version of a figure: what was sent or published, by whom and when.',
})
export class MeasurementRevision {
  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => RevisionStatus)
  status!: RevisionStatus;

  @Field(() => String, {
    nullable: true,
    description:
      "Who made the change (the token's subject); null unless the caller may read this organisation's drafts, as who submits figures is the owner's business.",
  })
  actor!: string | null;

  @Field(() => String, { description: 'When, as an ISO timestamp.' })
  at!: string;
}

@Directive('@shareable')
@ObjectType('Target', {
  description:
    'A target value that applies from a period onwards, until a later target replaces it.',
})
export class Target {
  @Field(() => String, { description: 'The first period the target applies to.' })
  fromPeriod!: string;

  @Field(() => String, { description: 'ISO date of the first day of that period.' })
  fromDate!: string;

  @Field(() => Float)
  value!: number;
}
