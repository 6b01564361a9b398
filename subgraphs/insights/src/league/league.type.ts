import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Polarity, Rag, Unit } from '@crossgov/schema';
import { FunnelPosition } from './funnel.ts';

registerEnumType(FunnelPosition, {
  name: 'FunnelPosition',
  description:
    "Where an organisation's rate lies on the funnel plot: within the 95% limits, or beyond the 95% or 99.8% limits above or below the overall rate.",
});

@ObjectType('FunnelPoint', {
  description:
    "Funnel-plot limits (Spiegelhalter) for this organisation's volume: overall rate +/- z * sqrt(p(1-p)/n), in the indicator's unit.",
})
export class FunnelPoint {
  @Field(() => Float, { description: 'The denominator: how many cases the rate is over.' })
  volume!: number;

  @Field(() => Float)
  lower95!: number;

  @Field(() => Float)
  upper95!: number;

  @Field(() => Float)
  lower998!: number;

  @Field(() => Float)
  upper998!: number;

  @Field(() => FunnelPosition)
  position!: FunnelPosition;
}

@ObjectType('LeagueRow', { description: 'One organisation in a league table.' })
export class LeagueRow {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => Int, {
    description:
      'Best first by polarity; ties share the best rank and the next rank skips (1, 2, 2, 4).',
  })
  rank!: number;

  @Field(() => Boolean)
  tied!: boolean;

  @Field(() => Float)
  value!: number;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Rag, {
    nullable: true,
    description: "Against the organisation's own target for the period; null without one.",
  })
  rag!: Rag | null;

  @Field(() => Boolean, {
    description:
      "True when the organisation's figures for this indicator were generated for demonstration, not published.",
  })
  synthetic!: boolean;

  @Field(() => FunnelPoint, {
    nullable: true,
    description:
      "Null unless the league's funnel plot is drawn (League.funnel) and this organisation's denominator is above zero.",
  })
  funnel!: FunnelPoint | null;
}

@ObjectType('OverallRate', {
  description: 'The rate across government: the ratio of the sums, never the mean of the rates.',
})
export class OverallRateView {
  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  numerator!: number;

  @Field(() => Float)
  denominator!: number;

  @Field(() => String)
  rule!: string;
}

@ObjectType('MissingReturn', {
  description: 'An organisation that reports the indicator but has no figure for the period.',
})
export class MissingReturn {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => String, {
    description: 'Why: no figure for the period, or its subgraph did not answer.',
  })
  reason!: string;
}

@ObjectType('LeaguePeriod', {
  description: 'A period some of the expected organisations have a figure for.',
})
export class LeaguePeriod {
  @Field(() => String)
  period!: string;

  @Field(() => String, {
    description:
      'The first day of the period (ISO): periods are ordered by it, then by when they end.',
  })
  start!: string;

  @Field(() => Int, { description: 'How many of the expected organisations have a figure for it.' })
  reported!: number;
}

@ObjectType('LeagueFunnel', {
  description: 'Whether the league has a funnel plot, and why or why not.',
})
export class LeagueFunnel {
  @Field(() => Boolean, {
    description:
      'True for a proportion (a percentage with every numerator and denominator) reported by at least two organisations.',
  })
  drawn!: boolean;

  @Field(() => String, {
    description:
      'What is plotted, or why nothing is: "A funnel plot compares proportions; this indicator is an amount of money, not a proportion."',
  })
  rule!: string;
}

@ObjectType('League', {
  description: 'Organisations compared on one standard indicator for one period.',
})
export class League {
  @Field(() => String)
  indicator!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The peer group compared within, when one was asked for; null for everyone.',
  })
  peerGroup!: string | null;

  @Field(() => String, {
    description:
      'The period compared: as asked, or by periodRule: the latest at least half of the expected organisations reported; if none reaches half, the one reported by the most (the later of any tied).',
  })
  period!: string;

  @Field(() => String, {
    description:
      'Which rule chose the period, with the counts: "2026-08: the latest period at least half of the 5 expected organisations reported (5 of 5); 2026-09, the latest anyone reported, has 1 of 5".',
  })
  periodRule!: string;

  @Field(() => [LeaguePeriod], {
    description:
      'Every period the expected organisations have figures for (their latest 24 periods each), newest first, with how many reported it.',
  })
  periods!: LeaguePeriod[];

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => Int, { description: 'How many organisations reported a figure for the period.' })
  reported!: number;

  @Field(() => Int, { description: 'How many organisations report this indicator at all.' })
  expected!: number;

  @Field(() => OverallRateView, {
    nullable: true,
    description: 'Null unless every reporter gave numerator and denominator.',
  })
  overall!: OverallRateView | null;

  @Field(() => [LeagueRow])
  rows!: LeagueRow[];

  @Field(() => LeagueFunnel)
  funnel!: LeagueFunnel;

  @Field(() => [MissingReturn])
  notReported!: MissingReturn[];
}
