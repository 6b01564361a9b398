import { Field, Float, InputType } from 'type-graphql';
import { Frequency, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorDefinitionSubmission } from './definition.store.ts';

@InputType('IndicatorDefinitionInput', {
  description:
    "An indicator to define or change. A standard catalogue code (e.g. gds-completion-rate) adopts the catalogue's name, unit, polarity, frequency and definition; any other code is the organisation's own and, when new, needs name, unit, polarity and frequency. Sending a code again changes that indicator, and the change log keeps every version.",
})
export class IndicatorDefinitionInput implements IndicatorDefinitionSubmission {
  @Field(() => String, {
    description:
      "The indicator's code: a catalogue code to adopt it, or the organisation's own reference (e.g. 608).",
  })
  code!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Unit, { nullable: true })
  unit?: Unit | null;

  @Field(() => Polarity, { nullable: true })
  polarity?: Polarity | null;

  @Field(() => Frequency, { nullable: true })
  frequency?: Frequency | null;

  @Field(() => String, { nullable: true, description: 'How it is measured.' })
  definition?: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'RAG tolerance relative to the target, as a fraction: 0.05 (the default) means Amber up to 5% worse than target.',
  })
  tolerance?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The lowest value a figure or target may take, within the unit's range (a percentage 0-100, a count 0 upwards, ...). Left out: unchanged; null: the unit's own range.",
  })
  minValue?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The highest value a figure or target may take, above minValue and within the unit's range. Left out: unchanged; null: the unit's own range.",
  })
  maxValue?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'How far, relatively (0 to 0.05), a value may differ from its numerator / denominator and still agree with them, for values computed from more precise parts than are published. Left out: unchanged; null: only rounding.',
  })
  agreementTolerance?: number | null;

  @Field(() => String, { nullable: true })
  leadOfficer?: string | null;

  @Field(() => String, { nullable: true })
  dataOwner?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Report card: why it matters. In each report card field a line is a paragraph and a line starting '- ' a bullet.",
  })
  whyItMatters?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Report card: the background to current performance (what the latest figures show, and why).',
  })
  background?: string | null;

  @Field(() => String, { nullable: true, description: 'Report card: what success looks like.' })
  whatSuccessLooksLike?: string | null;

  @Field(() => String, { nullable: true, description: 'Report card: the actions being taken.' })
  actions?: string | null;
}
