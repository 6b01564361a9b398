import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateWithPrecision } from './dated.type.ts';

@Directive('@shareable')
@ObjectType('Milestone', { description: 'A dated step of a programme. Slippage is forecast (or actual) minus baseline.' })
export class Milestone {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  programmeId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => DateWithPrecision, { nullable: true, description: 'The date set when the plan was approved.' })
  baseline!: DateWithPrecision | null;

  @Field(() => DateWithPrecision, { nullable: true, description: 'The date expected in the latest return.' })
  forecast!: DateWithPrecision | null;

  @Field(() => DateWithPrecision, { nullable: true, description: 'When it was done; null until then.' })
  actual!: DateWithPrecision | null;

  @Field(() => String, { nullable: true, description: 'Where the dates come from, when the source is weaker than an official return.' })
  sourceNote!: string | null;
}

@Directive('@shareable')
@ObjectType('Programme', { description: 'A programme an organisation delivers, with its milestones.' })
export class Programme {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Senior responsible owner.' })
  seniorResponsibleOwner!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}
