import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Polarity, Rag, Unit } from '@crossgov/schema';
import { FunnelPosition } from './funnel.ts';

registerEnumType(FunnelPosition, {
  name: 'FunnelPosition',
  description: "Where an organisation's rate lies on the funnel plot: within the 95% limits, or beyond the 95% or 99.8% limits above or below the overall rate.",
});

@ObjectType('FunnelPoint', { description: 'Funnel-plot limits (Spiegelhalter) for this organisation\'s volume: overall rate +/- z * sqrt(p(1-p)/n), in the indicator\'s unit.' })
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

  @Field(() => Int, { description: 'Best first by polarity; ties share the best rank and the next rank skips (1, 2, 2, 4).' })
  rank!: number;

  @Field(() => Boolean)
  tied!: boolean;

  @Field(() => Float)
  value!: number;

  @Field(() => Float, { nullable: true })
  numerator!: number | null;

  @Field(() => Float, { nullable: true })
  denominator!: number | null;

  @Field(() => Rag, { nullable: true, description: 'Against the organisation\'s own target for the period; null without one.' })
  rag!: Rag | null;

  @Field(() => FunnelPoint, { nullable: true, description: 'Null unless the indicator is a percentage reported with numerator and denominator by every organisation.' })
  funnel!: FunnelPoint | null;
}

@ObjectType('OverallRate', { description: 'The rate across government: the ratio of the sums, never the mean of the rates.' })
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

@ObjectType('MissingReturn', { description: 'An organisation that reports the indicator but has no figure for the period.' })
export class MissingReturn {
  @Field(() => ID)
  organisationId!: string;

  @Field(() => String)
  organisationName!: string;

  @Field(() => String, { description: 'Why: no figure for the period, or its subgraph did not answer.' })
  reason!: string;
}

@ObjectType('League', { description: 'Organisations compared on one standard indicator for one period.' })
export class League {
  @Field(() => String)
  indicator!: string;

  @Field(() => String, { nullable: true, description: 'The peer group compared within, when one was asked for; null for everyone.' })
  peerGroup!: string | null;

  @Field(() => String, { description: 'The period compared: as asked, or the latest any organisation reported.' })
  period!: string;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => Int, { description: 'How many organisations reported a figure for the period.' })
  reported!: number;

  @Field(() => Int, { description: 'How many organisations report this indicator at all.' })
  expected!: number;

  @Field(() => OverallRateView, { nullable: true, description: 'Null unless every reporter gave numerator and denominator.' })
  overall!: OverallRateView | null;

  @Field(() => [LeagueRow])
  rows!: LeagueRow[];

  @Field(() => [MissingReturn])
  notReported!: MissingReturn[];
}
