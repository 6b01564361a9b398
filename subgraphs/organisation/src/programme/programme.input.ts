import { Field, ID, InputType } from 'type-graphql';
import { Assessor, DcaRating, DcaScale } from '@crossgov/schema';
import type { ConfidenceAssessmentSubmission } from './confidence.store.ts';
import type { MilestoneReturnSubmission } from './milestone.store.ts';

@InputType('MilestoneReturnInput', {
  description:
    "One milestone's line in a return. Its natural key is milestone and return date: sending it again replaces that return's forecast; other returns stay as history.",
})
export class MilestoneReturnInput implements MilestoneReturnSubmission {
  @Field(() => ID, { description: "The milestone's id, as `milestones { id }` gives it." })
  milestoneId!: string;

  @Field(() => String, { description: 'The day of the return (YYYY-MM-DD).' })
  returnDate!: string;

  @Field(() => String, {
    description: 'The forecast date at its precision: 2026-03-15, 2026-03, 2026-Q1 or 2026.',
  })
  forecast!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'When the milestone was done, at its precision, on or before the return date; sets its actual date. Omit while not done.',
  })
  actual?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the forecast moved, or anything else the return says about the milestone.',
  })
  note?: string | null;
}

@InputType('ConfidenceAssessmentInput', {
  description:
    'One delivery confidence assessment. Its natural key is programme, assessor and day: sending it again replaces it; other days stay as history.',
})
export class ConfidenceAssessmentInput implements ConfidenceAssessmentSubmission {
  @Field(() => ID, { description: "The programme's id, as `programmes { id }` gives it." })
  programmeId!: string;

  @Field(() => Assessor, { description: 'Who assessed: the IPA or the senior responsible owner.' })
  assessor!: Assessor;

  @Field(() => String, { description: 'The day of the assessment (YYYY-MM-DD).' })
  assessedOn!: string;

  @Field(() => DcaScale, {
    description: 'The scale rated on: FIVE_POINT (the IPA until 2021) or THREE_POINT.',
  })
  scale!: DcaScale;

  @Field(() => DcaRating, {
    description: 'The rating; AMBER_GREEN and AMBER_RED exist only on the five-point scale.',
  })
  rating!: DcaRating;

  @Field(() => String, {
    nullable: true,
    description: 'Where the assessment was published, or a note on it.',
  })
  sourceNote?: string | null;
}
