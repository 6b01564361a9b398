import { Arg, Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import { OrganisationKind } from '@crossgov/schema';

@ObjectType('Department', {
  description: 'A government department (or other body) that can belong to a cluster.',
})
export class Department {
  @Field(() => ID, { description: 'Short code, e.g. DWP.' })
  code!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType('Membership', {
  description:
    'A department belonging to a cluster over a span of dates; machinery-of-government changes end one and start another.',
})
export class Membership {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => ID)
  departmentCode!: string;

  @Field(() => String, { description: 'ISO date the membership started.' })
  from!: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO date of the last day of membership; null while it lasts.',
  })
  to!: string | null;
}

@ObjectType('Publisher', {
  description:
    "A subgraph that publishes organisations' data from its own database: an organisation's own (a department or cluster running its own subgraph) or a sector body's, serving many (NHS England for trusts).",
})
export class Publisher {
  @Field(() => ID, { description: 'Registry id, e.g. nhs-england; also its subgraph name.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    description: 'The GraphQL type of every organisation it serves, e.g. NhsTrust.',
  })
  typeName!: string;

  @Field(() => Boolean, { description: "True when it is one organisation's own subgraph." })
  own!: boolean;
}

@ObjectType('Succession', {
  description:
    'An organisation that took over from another on a day: a rename, a merger or a split (machinery-of-government changes, NHS mergers).',
})
export class Succession {
  @Field(() => ID, { description: 'Registry id of the other organisation.' })
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => String, { description: 'ISO date the successor took over.' })
  from!: string;
}

/**
 * The directory half of the `Organisation` interface: who an organisation is. Each organisation's
 * subgraph adds the data half (services, indicators, programmes).
 */
@InterfaceType('Organisation', {
  autoRegisterImplementations: false,
  resolveType: (value: { __typename?: string }) => value.__typename,
  description:
    'A body that reports performance: a cluster, department, local authority or supporting programme.',
})
export abstract class OrganisationDirectory {
  @Field(() => ID, { description: 'Registry id, e.g. synergy.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => Department, {
    nullable: true,
    description: 'The lead department, for clusters and departments.',
  })
  lead?: Department | null;

  @Field(() => Publisher, {
    description: "The subgraph that publishes its data: its own, or a sector body's.",
  })
  publisher?: Publisher;

  // A method so the argument is on the interface too: `organisations { members(asOf: ...) }` works
  // without naming each organisation's type. Each entity's resolver answers it.
  @Field(() => [Membership], {
    description:
      'Member departments on a date (default today). Empty for bodies that are not clusters.',
  })
  members(
    @Arg('asOf', () => String, { nullable: true, description: 'ISO date; default today.' })
    _asOf?: string | null,
  ): Membership[] {
    throw new Error('resolved by the directory entity resolver');
  }

  @Field(() => [Membership], {
    description: 'Every membership there has been, including ended ones.',
  })
  membershipHistory?: Membership[];

  @Field(() => [String], {
    description:
      'Groups it is compared within, e.g. an LGBF family group; a league can be asked for one (`league(peerGroup:)`).',
  })
  peerGroups!: string[];

  @Field(() => [Succession], {
    description:
      'What it became and from when: a department renamed, merged or split by machinery-of-government changes. Empty while it exists as it is.',
  })
  successors?: Succession[];

  @Field(() => [Succession], { description: 'What it took over from, and from when.' })
  predecessors?: Succession[];

  @Field(() => String, {
    nullable: true,
    description:
      'What a reader should know about it, e.g. that its data set names it by code only.',
  })
  note?: string | null;
}
