import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { Polarity, Rag, Unit } from './enums.ts';

/**
 * One indicator's organisation-wide figures over its latest periods, as columns. This is what
 * comparisons across organisations read (leagues, funnel plots, overall rates): for a thousand
 * organisations a column of numbers costs a small fraction of a scorecard's objects to build, send
 * and merge (docs/architecture.md, "Cross-organisation analytics").
 */
@Directive('@shareable')
@ObjectType('IndicatorFigures', {
  description:
    "One indicator's organisation-wide figures over its latest periods, as columns with one entry per period that has a figure, oldest first: what comparisons across organisations read.",
})
export class IndicatorFigures {
  @Field(() => String, { description: 'The indicator code.' })
  indicator!: string;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => [String], { description: 'Period labels: 2026-03, 2026-Q1, 2025/26.' })
  periods!: string[];

  @Field(() => [String], { description: 'First day of each period (ISO).' })
  periodStarts!: string[];

  @Field(() => [Float])
  values!: number[];

  @Field(() => [Float], { nullable: 'items' })
  numerators!: (number | null)[];

  @Field(() => [Float], { nullable: 'items' })
  denominators!: (number | null)[];

  @Field(() => [Float], { nullable: 'items', description: 'The target in force for each period; null without one.' })
  targets!: (number | null)[];

  @Field(() => [Rag], { nullable: 'items', description: 'Each figure against its target; null without one.' })
  rags!: (Rag | null)[];
}
