import { Arg, Field, ID, Int, InterfaceType } from 'type-graphql';
import { Indicator, Milestone, Programme, ReturnsSummary, PeriodType, ScorecardEntry, Service } from '@crossgov/schema';

/**
 * The data half of the `Organisation` interface. The directory declares the other half (name,
 * kind, membership); composition merges them. Every field here is nullable: one organisation's
 * subgraph being down must not null out everybody else's answer (ARCHITECTURE section 6).
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
}
