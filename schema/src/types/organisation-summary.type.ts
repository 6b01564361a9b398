import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { OrganisationKind } from './enums.ts';

/**
 * Who is registered, as plain values from the directory. Insights requires it beside the
 * organisations themselves: when an organisation's subgraph fails, the planner drops that
 * organisation from the representation, and this list is how insights can still name it.
 */
@Directive('@shareable')
@ObjectType('OrganisationSummary', {
  description: 'A registered organisation, as the directory knows it.',
})
export class OrganisationSummary {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => [String], { description: 'Groups it is compared within (LGBF family groups).' })
  peerGroups!: string[];
}
