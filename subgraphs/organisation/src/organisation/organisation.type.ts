import { Arg, Field, ID, Int, InterfaceType } from 'type-graphql';
import { FactBreakdown, FactPage, Indicator, IndicatorFigures, Milestone, Programme, ReturnsSummary, PeriodType, ScorecardEntry, Service } from '@crossgov/schema';

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
  description: 'A body that reports performance: a cluster, department, local authority or supporting programme.',
})
export abstract class OrganisationData {
  @Field(() => ID)
  id!: string;

  @Field(() => [Service], { nullable: true, description: 'Services the organisation runs. Null when its subgraph did not answer.' })
  services?: Service[] | null;

  @Field(() => [Indicator], { nullable: true, description: 'Indicators it reports, with measurements and targets. Null when its subgraph did not answer.' })
  indicators?: Indicator[] | null;

  @Field(() => [Programme], { nullable: true, description: 'Programmes it delivers. Null when its subgraph did not answer.' })
  programmes?: Programme[] | null;

  @Field(() => [Milestone], { nullable: true, description: 'Every milestone of every programme, in programme order. Null when its subgraph did not answer.' })
  milestones?: Milestone[] | null;

  @Field(() => ReturnsSummary, {
    nullable: true,
    description: 'The returns it owes (each indicator at its frequency, and the quarterly milestone return): completeness and what is overdue. Null when its subgraph did not answer.',
  })
  returns?: ReturnsSummary | null;

  // Declared here with its arguments so a query through the interface can pass them; each
  // organisation's entity resolver answers it.
  @Field(() => [ScorecardEntry], {
    nullable: true,
    description: 'Each indicator judged by the same rules for everyone: RAG, direction of travel, exceptions and SPC. Null when its subgraph did not answer.',
  })
  scorecard(
    @Arg('periods', () => Int, { defaultValue: 24, description: 'How many periods of series to return (1-120).' }) _periods: number,
    @Arg('periodType', () => PeriodType, { nullable: true, description: 'Judge longer periods than reported (months into quarters, financial quarters or years; quarters into years): ratio of sums of whole periods.' }) _periodType?: PeriodType | null,
    @Arg('indicators', () => [String], { nullable: true, description: 'Only these indicator codes.' }) _indicators?: string[] | null,
  ): ScorecardEntry[] | null {
    throw new Error('resolved by the organisation entity resolver');
  }

  @Field(() => [IndicatorFigures], {
    nullable: true,
    description:
      "Each indicator's figures over the latest periods as columns, rated against target: what comparisons across organisations (leagues, funnel plots) read. Null when its subgraph did not answer.",
  })
  figures(
    @Arg('periods', () => Int, { defaultValue: 24, description: 'How many of the latest periods, gaps counted (1-120).' }) _periods: number,
    @Arg('indicators', () => [String], { nullable: true, description: 'Only these indicator codes.' }) _indicators?: string[] | null,
  ): IndicatorFigures[] | null {
    throw new Error('resolved by the organisation entity resolver');
  }

  @Field(() => FactPage, {
    nullable: true,
    description:
      'Flat facts for BI tools: one row per indicator and period (and per service and department with breakdown ALL), with target, RAG, SPC signal, status and when it last changed, a page at a time. Null when its subgraph did not answer.',
  })
  facts(
    @Arg('indicators', () => [String], { nullable: true, description: 'Only these indicator codes.' }) _indicators?: string[] | null,
    @Arg('from', () => String, { nullable: true, description: "Only periods starting on or after this period starts ('2024-04', '2024-Q2', '2024/25')." }) _from?: string | null,
    @Arg('to', () => String, { nullable: true, description: 'Only periods starting on or before this period ends.' }) _to?: string | null,
    @Arg('updatedSince', () => String, { nullable: true, description: 'Only figures changed after this ISO 8601 instant (a date alone means its midnight UTC): for incremental refresh.' })
    _updatedSince?: string | null,
    @Arg('breakdown', () => FactBreakdown, { defaultValue: FactBreakdown.ORGANISATION }) _breakdown?: FactBreakdown,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'Rows per page (1-10000).' }) _first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The nextCursor of the previous page.' }) _after?: string | null,
  ): FactPage | null {
    throw new Error('resolved by the organisation entity resolver');
  }
}
