import { ArgsType, Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Polarity, Rag, Unit } from './enums.ts';

/**
 * A stored figure or target the hub leaves out of what it computes and shows, because it breaks
 * the value rules (docs/domain.md, "Measurements"): not a finite number, or outside what its unit
 * can be. Such a row was written before the rules, or straight into the database; one row must
 * never take an organisation's whole answer, let alone everyone's, down with it.
 */
@Directive('@shareable')
@ObjectType('UnreadableFigure', {
  description:
    "A stored figure or target left out because it is not a finite number or is outside what its unit can be (written before the hub's value rules, or outside them). Everything else is computed without it.",
})
export class UnreadableFigure {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String, { description: 'The indicator code.' })
  indicator!: string;

  @Field(() => String, { description: "The figure's period, or the first period of a target." })
  period!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The service whose figure it is; null for the organisation's own or a department's.",
  })
  serviceId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The member department whose figure it is (clusters); null otherwise.',
  })
  department!: string | null;

  @Field(() => String, { description: 'value, numerator, denominator or target.' })
  field!: string;

  @Field(() => String, {
    description:
      'The stored number as text (Infinity, NaN and 1.7e+308 included, which JSON cannot carry as numbers).',
  })
  value!: string;

  @Field(() => String, {
    description:
      'The rule it breaks: "must be a finite number", "must be between -1,000,000,000 and 1,000,000,000 for a score".',
  })
  rule!: string;

  @Field(() => String, {
    description:
      'One sentence naming the organisation, indicator, period, field, value and rule, and what was left out.',
  })
  message!: string;
}

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

  @Field(() => [Float], {
    nullable: 'items',
    description: 'The target in force for each period; null without one.',
  })
  targets!: (number | null)[];

  @Field(() => [Rag], {
    nullable: 'items',
    description: 'Each figure against its target; null without one.',
  })
  rags!: (Rag | null)[];

  @Field(() => Boolean, {
    description:
      'True when the series was generated for demonstration, not published by the organisation (as Indicator.synthetic).',
  })
  synthetic!: boolean;

  @Field(() => [UnreadableFigure], {
    description:
      'Stored figures and targets of the window left out of these columns because they break the value rules, each saying why.',
  })
  unreadable!: UnreadableFigure[];
}

/**
 * The arguments of `Organisation.figures`, declared once: the interface, each publisher's resolver
 * and insights' view of the interface take this class, so the field insights requires is the one
 * publishers serve. Fields are in the order the published schema has always listed them.
 */
@ArgsType()
export class FiguresArgs {
  @Field(() => [String], { nullable: true, description: 'Only these indicator codes.' })
  indicators?: string[] | null;

  @Field(() => Int, {
    defaultValue: 24,
    description: 'How many of the latest periods, gaps counted (1-120).',
  })
  periods!: number;
}
