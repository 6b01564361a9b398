import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import {
  Assessor,
  ConfidenceAssessment,
  DeliveryConfidence,
  Milestone,
  Programme,
  ProgrammePublication,
  preciseDate,
} from '@crossgov/schema';
import type { ConfidenceAssessmentRow } from '../db/schema.ts';
import { type Assessment, latestConfidence } from './confidence.rules.ts';
import type { OrganisationContext } from '../context.ts';
import { type ProgrammeValue, toMilestone, toPublication } from './programme.mapper.ts';

@Resolver(() => Programme)
export class ProgrammeResolver {
  @FieldResolver(() => [Milestone])
  async milestones(
    @Root() programme: ProgrammeValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<Milestone[]> {
    return (
      await ctx.loaders.milestonesByProgramme.load({
        organisationId: programme.organisationId,
        id: programme.id,
      })
    ).map(toMilestone);
  }

  @FieldResolver(() => [ProgrammePublication])
  async publications(
    @Root() programme: ProgrammeValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<ProgrammePublication[]> {
    return (
      await ctx.loaders.publicationsByProgramme.load({
        organisationId: programme.organisationId,
        id: programme.id,
      })
    ).map(toPublication);
  }

  @FieldResolver(() => [ConfidenceAssessment], {
    description:
      "Every delivery confidence assessment, the IPA's and the SRO's, oldest first; none is ever overwritten.",
  })
  async confidenceHistory(
    @Root() programme: ProgrammeValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<ConfidenceAssessment[]> {
    return (
      await ctx.loaders.assessmentsByProgramme.load({
        organisationId: programme.organisationId,
        id: programme.id,
      })
    ).map(toAssessment);
  }

  @FieldResolver(() => DeliveryConfidence, { nullable: true })
  async latestConfidence(
    @Root() programme: ProgrammeValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<DeliveryConfidence | null> {
    return this.latest(programme, ctx, Assessor.IPA);
  }

  @FieldResolver(() => DeliveryConfidence, { nullable: true })
  async latestSroConfidence(
    @Root() programme: ProgrammeValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<DeliveryConfidence | null> {
    return this.latest(programme, ctx, Assessor.SRO);
  }

  private async latest(
    programme: ProgrammeValue,
    ctx: OrganisationContext,
    assessor: Assessor,
  ): Promise<DeliveryConfidence | null> {
    const rows = await ctx.loaders.assessmentsByProgramme.load({
      organisationId: programme.organisationId,
      id: programme.id,
    });
    const byDate = new Map(rows.map((row) => [`${row.assessor}|${row.assessedOn}`, row]));
    const result = latestConfidence(rows.map(toRule), assessor);
    if (!result) return null;
    const view = (a: Assessment) => toAssessment(byDate.get(`${a.assessor}|${a.assessedOn}`)!);
    return {
      latest: view(result.latest),
      previous: result.previous ? view(result.previous) : null,
      change: result.change,
      rule: result.rule,
    };
  }
}

function toRule(row: ConfidenceAssessmentRow): Assessment {
  return {
    assessor: row.assessor as Assessment['assessor'],
    scale: row.scale as Assessment['scale'],
    rating: row.rating as Assessment['rating'],
    assessedOn: row.assessedOn,
  };
}

function toAssessment(row: ConfidenceAssessmentRow): ConfidenceAssessment {
  return {
    assessor: row.assessor as ConfidenceAssessment['assessor'],
    scale: row.scale as ConfidenceAssessment['scale'],
    rating: row.rating as ConfidenceAssessment['rating'],
    assessedOn: preciseDate(row.assessedOn, row.assessedPrecision)!,
    sourceNote: row.sourceNote,
  };
}
