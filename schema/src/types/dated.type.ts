import { Directive, Field, ObjectType } from 'type-graphql';
import { DatePrecision } from './enums.ts';

@Directive('@shareable')
@ObjectType('DateWithPrecision', {
  description:
    'A date known to a day, a month, a quarter or a year; `date` is the first day of that span.',
})
export class DateWithPrecision {
  @Field(() => String, {
    description: 'ISO 8601 date: the first day of the span the precision allows.',
  })
  date!: string;

  @Field(() => DatePrecision)
  precision!: DatePrecision;

  @Field(() => String, {
    description:
      'The date as written at its precision, e.g. "2028", "2026-Q1", "2023-06", "2024-08-30".',
  })
  label!: string;
}
