import { ArgsType, Directive, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UnreadableFigure } from './figures.type.ts';
import { PeriodType, Polarity, Rag, RevisionStatus, SpcSignal, Unit } from './enums.ts';

/** Which figures a facts query returns besides each organisation's own. */
export enum FactBreakdown {
  ORGANISATION = 'ORGANISATION',
  ALL = 'ALL',
}

registerEnumType(FactBreakdown, {
  name: 'FactBreakdown',
  description:
    "ORGANISATION: one row per organisation, indicator and period (the organisation's figure, a ratio of sums where it reports by service or department). ALL: also each service's and each member department's own figures.",
});

/**
 * One flat row for BI tools: a figure with everything needed to read it on its own. Organisation
 * columns (name, kind, cluster) come from the directory; a row names its organisation by id.
 */
@Directive('@shareable')
@ObjectType('Fact', {
  description:
    "One indicator's figure for one period, flat: value, target, RAG and SPC signal, with when it last changed.",
})
export class Fact {
  @Field(() => String)
  indicatorCode!: string;

  @Field(() => String)
  indicatorName!: string;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => String, {
    nullable: true,
    description:
      "The service this figure is for; null for the organisation's own figure or a department's.",
  })
  serviceId!: string | null;

  @Field(() => String, { nullable: true })
  serviceName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The member department this figure is for (clusters); null otherwise.',
  })
  department!: string | null;

  @Field(() => String, {
    description: "Period label: '2024-04', '2024-Q2', '2024/25-Q1', '2024', '2024/25'.",
  })
  period!: string;

  @Field(() => PeriodType)
  periodType!: PeriodType;

  @Field(() => String, { description: 'ISO date of the first day of the period.' })
  periodStart!: string;

  @Field(() => String, { description: 'ISO date of the last day of the period.' })
  periodEnd!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The target in force for the period, if any.',
  })
  target!: number | null;

  @Field(() => Rag, {
    nullable: true,
    description: 'Against the target in force; null without a target or a value.',
  })
  rag!: Rag | null;

  @Field(() => SpcSignal, {
    nullable: true,
    description:
      "The point's highest-priority signal on the XmR chart of its whole series (not only the rows asked for).",
  })
  spcSignal!: SpcSignal | null;

  @Field(() => RevisionStatus, {
    description:
      'DRAFT only for callers who may read drafts; a figure built from any draft part is a draft.',
  })
  status!: RevisionStatus;

  @Field(() => Boolean, {
    description: 'Generated for demonstration: no series is published for this organisation.',
  })
  synthetic!: boolean;

  @Field(() => String, {
    description: 'ISO timestamp of the last change to this figure or any figure it is built from.',
  })
  updatedAt!: string;
}

@Directive('@shareable')
@ObjectType('FactPage', {
  description:
    'One page of facts in a stable order (indicator, then organisation, service, department, then period).',
})
export class FactPage {
  @Field(() => [Fact])
  rows!: Fact[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page.',
  })
  nextCursor!: string | null;

  @Field(() => [UnreadableFigure], {
    description:
      "Stored figures and targets this page's rows would have covered but that break the value rules, each saying why; their facts are left out and the rest are judged without them.",
  })
  unreadable!: UnreadableFigure[];
}

/**
 * The arguments of `Organisation.facts`, declared once: the interface, each publisher's resolver
 * and the page that reads them take this class. Fields are in the order the published schema has
 * always listed them (type-graphql printed the old `@Arg` lists last to first).
 */
@ArgsType()
export class FactsArgs {
  @Field(() => String, { nullable: true, description: 'The nextCursor of the previous page.' })
  after?: string | null;

  @Field(() => Int, { defaultValue: 1000, description: 'Rows per page (1-10000).' })
  first!: number;

  @Field(() => FactBreakdown, { defaultValue: FactBreakdown.ORGANISATION })
  breakdown!: FactBreakdown;

  @Field(() => String, {
    nullable: true,
    description:
      'Only figures changed after this ISO 8601 instant (a date alone means its midnight UTC): for incremental refresh.',
  })
  updatedSince?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only periods starting on or before this period ends.',
  })
  to?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Only periods starting on or after this period starts ('2024-04', '2024-Q2', '2024/25').",
  })
  from?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only these indicator codes.' })
  indicators?: string[] | null;
}
