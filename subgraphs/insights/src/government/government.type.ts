import { Args, Directive, Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import {
  FiguresArgs,
  IndicatorFigures,
  Milestone,
  OrganisationKind,
  OrganisationSummary,
  Programme,
  ReturnsSummary,
} from '@crossgov/schema';

/**
 * What insights needs to know of an organisation: its id and name from the directory and its
 * figures, milestones, programmes and returns from its publisher's subgraph. Insights never stores
 * any of it: the gateway's query planner fetches these fields for every organisation (one call per
 * publisher, in parallel) and hands them over through @requires.
 */
@InterfaceType('Organisation', { autoRegisterImplementations: false })
export abstract class OrganisationView {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => [Milestone], { nullable: true })
  milestones?: Milestone[] | null;

  @Field(() => [Programme], { nullable: true })
  programmes?: Programme[] | null;

  @Field(() => ReturnsSummary, { nullable: true })
  returns?: ReturnsSummary | null;

  @Field(() => [IndicatorFigures], { nullable: true })
  figures(@Args(() => FiguresArgs) _args: FiguresArgs): IndicatorFigures[] | null {
    throw new Error('provided by the organisation subgraphs through @requires');
  }
}

/** The organisations as they arrive in the entity representation. */
export interface OrganisationRepresentation {
  __typename?: string;
  id: string;
  name: string;
  kind: OrganisationKind;
  figures?: IndicatorFigures[] | null;
  milestones: Milestone[] | null;
  programmes: Programme[] | null;
  returns: ReturnsSummary | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Government')
export class GovernmentInsights {
  @Field(() => ID)
  id!: string;

  /** Null items are organisations whose subgraph failed: the planner drops them whole. */
  @Directive('@external')
  @Field(() => [OrganisationView])
  organisations!: (OrganisationRepresentation | null)[];

  @Directive('@external')
  @Field(() => [OrganisationSummary])
  organisationSummaries!: OrganisationSummary[];
}

/**
 * Every registered organisation with what its subgraph returned, or null when it did not answer:
 * the summaries come from the directory alone, so nobody disappears from an answer unnamed.
 */
export function registered(
  government: GovernmentInsights,
): { summary: OrganisationSummary; data: OrganisationRepresentation | null }[] {
  const byId = new Map(
    government.organisations
      .filter((o): o is OrganisationRepresentation => o !== null)
      .map((o) => [o.id, o]),
  );
  return government.organisationSummaries.map((summary) => ({
    summary,
    data: byId.get(summary.id) ?? null,
  }));
}
