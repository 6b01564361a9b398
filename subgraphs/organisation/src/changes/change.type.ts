import { Directive, Field, ObjectType } from 'type-graphql';

// Shareable: every organisation subgraph defines the same type.
@Directive('@shareable')
@ObjectType('ChangeRecord', {
  description:
    'One change to a target, milestone return or delivery confidence assessment: the record before and after, who made it and when.',
})
export class ChangeRecord {
  @Field(() => String, {
    description: "What changed: 'target', 'milestone-return' or 'confidence-assessment'.",
  })
  record!: string;

  @Field(() => String, {
    description:
      "The record's natural key: indicator code and period for a target ('608@2019-02'), milestone id and return date for a milestone return, programme id, assessor and date for an assessment ('synergy-programme/IPA/2023-07-01').",
  })
  key!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The record before the change, as JSON text; null when the change added it.',
  })
  previous!: string | null;

  @Field(() => String, { description: 'The record after the change, as JSON text.' })
  current!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Who made the change (the token's subject); null unless the caller may read the organisation's drafts.",
  })
  actor!: string | null;

  @Field(() => String, { description: 'When, as an ISO timestamp.' })
  at!: string;
}
