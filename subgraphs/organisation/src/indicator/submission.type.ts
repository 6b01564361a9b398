import { Directive, Field, Int, ObjectType } from 'type-graphql';

// Shareable: every organisation subgraph defines the same result types.
@Directive('@shareable')
@ObjectType('SubmissionResult', {
  description: 'What a submission stored: drafts, until their period is published.',
})
export class SubmissionResult {
  @Field(() => Int, {
    description: 'Figures stored as drafts (a figure sent twice in one submission counts once).',
  })
  accepted!: number;
}

@Directive('@shareable')
@ObjectType('PublicationResult', { description: 'What publishing a period made public.' })
export class PublicationResult {
  @Field(() => Int, { description: 'Drafts that became published figures.' })
  published!: number;
}
