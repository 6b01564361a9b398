import { Field, Float, InputType } from 'type-graphql';
import type { TargetSubmission } from './target.store.ts';

@InputType('TargetInput', {
  description:
    'One target to set. Its natural key is indicator and first period: sending it again replaces it.',
})
export class TargetInput implements TargetSubmission {
  @Field(() => String, { description: "The indicator's code, e.g. 608." })
  indicatorCode!: string;

  @Field(() => String, {
    description:
      'The first period the target applies to, until a later target: 2019-02, 2024-Q3, 2024/25-Q1, 2024 or 2024/25.',
  })
  fromPeriod!: string;

  @Field(() => Float, {
    description: "The target, in the indicator's unit (0-100 for a percentage).",
  })
  value!: number;
}
