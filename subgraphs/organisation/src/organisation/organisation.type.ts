import { Args, Field, ID, InterfaceType } from 'type-graphql';
import {
  FactPage,
  FactsArgs,
  FiguresArgs,
  Indicator,
  IndicatorFigures,
  Milestone,
  Programme,
  ReturnsSummary,
  ScorecardArgs,
  ScorecardEntry,
  Service,
} from '@crossgov/schema';

/**
 * The data half of the `Organisation` interface. The directory declares the other half (name,
 * kind, membership); composition merges them. Every field here is nullable: one organisation's
 * subgraph being down must not null out everybody else's answer (docs/architecture.md, "Resilience").
 *
 * `autoRegisterImplementations: false` keeps each schema to its own organisation's type when
 * several are built in one process (composition, end-to-end tests).
 */
@InterfaceType('Organisation', {
  autoRegisterImplementations: false,
  description:
    'A body that reports performance: a cluster, department, local authority or supporting programme.',
})
export abstract class OrganisationData {
  @Field(() => ID)
  id!: string;

  @Field(() => [Service], {
    nullable: true,
    description: 'Services the organisation runs. Null when its subgraph did not answer.',
  })
  services?: Service[] | null;

  @Field(() => [Indicator], {
    nullable: true,
    description:
      'Indicators it reports, with measurements and targets. Null when its subgraph did not answer.',
  })
  indicators?: Indicator[] | null;

  @Field(() => [Programme], {
    nullable: true,
    description: 'Programmes it delivers. Null when its subgraph did not answer.',
  })
  programmes?: Programme[] | null;

  @Field(() => [Milestone], {
    nullable: true,
    description:
      'Every milestone of every programme, in programme order. Null when its subgraph did not answer.',
  })
  milestones?: Milestone[] | null;

  @Field(() => ReturnsSummary, {
    nullable: true,
    description:
      'The returns it owes (each indicator at its frequency, and the quarterly milestone return): completeness and what is overdue. Null when its subgraph did not answer.',
  })
  returns?: ReturnsSummary | null;

  // Declared here with its arguments so a query through the interface can pass them; each
  // organisation's entity resolver answers it.
  @Field(() => [ScorecardEntry], {
    nullable: true,
    description:
      'Each indicator judged by the same rules for everyone: RAG, direction of travel, exceptions and SPC. Null when its subgraph did not answer.',
  })
  scorecard(@Args(() => ScorecardArgs) _args: ScorecardArgs): ScorecardEntry[] | null {
    throw new Error('resolved by the organisation entity resolver');
  }

  @Field(() => [IndicatorFigures], {
    nullable: true,
    description:
      "Each indicator's figures over the latest periods as columns, rated against target: what comparisons across organisations (leagues, funnel plots) read. Null when its subgraph did not answer.",
  })
  figures(@Args(() => FiguresArgs) _args: FiguresArgs): IndicatorFigures[] | null {
    throw new Error('resolved by the organisation entity resolver');
  }

  @Field(() => FactPage, {
    nullable: true,
    description:
      'Flat facts for BI tools: one row per indicator and period (and per service and department with breakdown ALL), with target, RAG, SPC signal, status and when it last changed, a page at a time. Null when its subgraph did not answer.',
  })
  facts(@Args(() => FactsArgs) _args: FactsArgs): FactPage | null {
    throw new Error('resolved by the organisation entity resolver');
  }
}
