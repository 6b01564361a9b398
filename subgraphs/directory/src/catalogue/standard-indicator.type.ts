import { Field, ID, ObjectType } from 'type-graphql';
import { Frequency, Polarity, Unit } from '@crossgov/schema';

@ObjectType('StandardIndicator', {
  description:
    'An indicator every organisation of a kind reports the same way, so that they can be compared.',
})
export class StandardIndicator {
  @Field(() => ID, { description: 'The code organisations use for it, e.g. gds-completion-rate.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => Frequency)
  frequency!: Frequency;

  @Field(() => String)
  definition!: string;

  @Field(() => String, { nullable: true, description: 'For a ratio: what is counted on top.' })
  numerator!: string | null;

  @Field(() => String, { nullable: true, description: 'For a ratio: what it is divided by.' })
  denominator!: string | null;

  @Field(() => String, { description: 'GDS (the four Service Standard KPIs) or SHARED_SERVICES.' })
  family!: string;

  @Field(() => Boolean, {
    description:
      'False where the definition warns against comparing different services (cost per transaction).',
  })
  comparableAcrossServices!: boolean;

  @Field(() => String)
  source!: string;
}
