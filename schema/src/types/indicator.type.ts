import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Frequency, Polarity, Unit } from './enums.ts';

@Directive('@shareable')
@ObjectType('ReportCard', {
  description:
    "The narrative a committee report gives for an indicator, as its owner wrote it; null where none was given. Each field is text in which a line is a paragraph and a line starting '- ' is a bullet.",
})
export class ReportCard {
  @Field(() => String, { nullable: true, description: 'Why it matters.' })
  whyItMatters!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The background to current performance: what the latest figures show, and why.',
  })
  background!: string | null;

  @Field(() => String, { nullable: true, description: 'What success looks like.' })
  whatSuccessLooksLike!: string | null;

  @Field(() => String, { nullable: true, description: 'The actions being taken.' })
  actions!: string | null;
}

@Directive('@shareable')
@ObjectType('Indicator', {
  description: 'Something an organisation measures, with its measurements and targets over time.',
})
export class Indicator {
  @Field(() => ID, { description: 'Unique within the organisation.' })
  id!: string;

  @Field(() => String, {
    description:
      "The standard catalogue code (e.g. gds-completion-rate) or the organisation's own reference (e.g. Norfolk 320).",
  })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  definition!: string | null;

  @Field(() => Unit)
  unit!: Unit;

  @Field(() => Polarity)
  polarity!: Polarity;

  @Field(() => Frequency)
  frequency!: Frequency;

  @Field(() => Float, {
    description: 'RAG tolerance relative to target: 0.05 means Amber up to 5% worse than target.',
  })
  tolerance!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'The lowest value a figure or target may take; null: the lowest its unit allows (docs/domain.md, "Measurements").',
  })
  minValue!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The highest value a figure or target may take; null: the highest its unit allows.',
  })
  maxValue!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'How far, relatively, a published value may differ from its numerator / denominator and still agree with them (0.02: 2%), for a publisher whose values come from more precise parts than it publishes; null: only rounding.',
  })
  agreementTolerance!: number | null;

  @Field(() => String, { nullable: true })
  leadOfficer!: string | null;

  @Field(() => String, { nullable: true })
  dataOwner!: string | null;

  @Field(() => ReportCard)
  reportCard!: ReportCard;

  @Field(() => Boolean, {
    description:
      'True when the series was generated for demonstration, not published by the organisation.',
  })
  synthetic!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "The standard catalogue indicator it adopts (its code), whose definition organisations compare on; null for the organisation's own indicator.",
  })
  standard!: string | null;
}
