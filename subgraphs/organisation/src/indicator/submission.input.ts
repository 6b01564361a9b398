import { Field, Float, ID, InputType } from 'type-graphql';
import type { MeasurementSubmission } from './submission.store.ts';

@InputType('MeasurementInput', {
  description:
    'One figure to submit. Its natural key is indicator, service, department and period: sending it again replaces it.',
})
export class MeasurementInput implements MeasurementSubmission {
  @Field(() => String, { description: "The indicator's code, e.g. 636." })
  indicatorCode!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The service measured; omit for an organisation-wide figure.',
  })
  serviceId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A member department's own figure (clusters); omit otherwise.",
  })
  department?: string | null;

  @Field(() => String, {
    description: 'The period: 2019-01, 2024-Q3, 2024/25-Q1, 2024 or 2024/25.',
  })
  period!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'The value; derived from numerator and denominator when omitted.',
  })
  value?: number | null;

  @Field(() => Float, { nullable: true })
  numerator?: number | null;

  @Field(() => Float, { nullable: true })
  denominator?: number | null;
}
