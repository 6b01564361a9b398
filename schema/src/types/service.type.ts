import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ServicePhase } from './enums.ts';

@Directive('@shareable')
@ObjectType('Service', {
  description:
    'A service an organisation runs: a transactional service or a shared back-office service.',
})
export class Service {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    description: 'Code of the department that runs the service (e.g. HMRC).',
    nullable: true,
  })
  department!: string | null;

  @Field(() => ServicePhase)
  phase!: ServicePhase;

  @Field(() => String, { nullable: true, description: 'Where users find the service.' })
  link!: string | null;
}
