import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import {
  Indicator,
  Measurement,
  MeasurementRevision,
  type RevisionStatus,
  Target,
  parsePeriod,
  parsedOrBadInput,
} from '@crossgov/schema';
import type { OrganisationContext } from '../context.ts';
import type { IndicatorValue } from './indicator.mapper.ts';
import { screenTargets } from './readable.ts';
import { organisationSeries, toMeasurement } from './series.ts';

function periodStartArg(field: string, label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  return parsedOrBadInput(field, label, parsePeriod).start;
}

const key = (indicator: IndicatorValue) => ({
  organisationId: indicator.organisationId,
  id: indicator.id,
});

@Resolver(() => Indicator)
export class IndicatorResolver {
  @FieldResolver(() => [Measurement], {
    description:
      'The organisation-wide series, oldest first. Over several services or member departments a rate is the ratio of the sums.',
  })
  async measurements(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
    @Arg('from', () => String, {
      nullable: true,
      description: 'First period to include, e.g. 2018-04.',
    })
    from?: string,
    @Arg('to', () => String, { nullable: true, description: 'Last period to include.' })
    to?: string,
  ): Promise<Measurement[]> {
    const fromStart = periodStartArg('from', from);
    const toStart = periodStartArg('to', to);
    const series = organisationSeries(
      await ctx.loaders.measurementsByIndicator.load(key(indicator)),
      indicator.unit,
    );
    return series.filter(
      (m) =>
        (fromStart === undefined || m.periodStart >= fromStart) &&
        (toStart === undefined || m.periodStart <= toStart),
    );
  }

  @FieldResolver(() => Measurement, {
    nullable: true,
    description: 'The most recent organisation-wide measurement.',
  })
  async latest(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<Measurement | null> {
    const series = organisationSeries(
      await ctx.loaders.latestMeasurementsByIndicator.load(key(indicator)),
      indicator.unit,
    );
    return series.at(-1) ?? null;
  }

  @FieldResolver(() => [Measurement], {
    description: 'Measurements of each service, oldest first.',
  })
  async serviceMeasurements(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<Measurement[]> {
    const rows = await ctx.loaders.measurementsByIndicator.load(key(indicator));
    return rows.filter((row) => row.serviceId !== null).map(toMeasurement);
  }

  @FieldResolver(() => [Measurement], {
    description: "Each member department's own figures (clusters), oldest first.",
  })
  async departmentMeasurements(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<Measurement[]> {
    const rows = await ctx.loaders.measurementsByIndicator.load(key(indicator));
    return rows.filter((row) => row.department !== null).map(toMeasurement);
  }

  @FieldResolver(() => [MeasurementRevision], {
    description:
      'Every version of one figure, oldest first: drafts (for callers who may read them) and publications.',
  })
  async history(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
    @Arg('period', () => String) period: string,
    @Arg('serviceId', () => ID, {
      nullable: true,
      description: 'The service; omit for the organisation-wide figure.',
    })
    serviceId?: string | null,
    @Arg('department', () => String, {
      nullable: true,
      description: 'The member department (clusters).',
    })
    department?: string | null,
  ): Promise<MeasurementRevision[]> {
    const { label } = parsedOrBadInput('period', period, parsePeriod);
    const rows = await ctx.loaders.historyOf.load({
      organisationId: indicator.organisationId,
      indicatorId: indicator.id,
      period: label,
      serviceId: serviceId ?? null,
      department: department ?? null,
    });
    return rows.map((row) => ({
      value: row.value,
      numerator: row.numerator,
      denominator: row.denominator,
      status: row.status as RevisionStatus,
      // Who sent a figure names a person: only for those who may read the organisation's drafts.
      actor: ctx.drafts(indicator.organisationId) ? row.actor : null,
      at: row.at.toISOString(),
    }));
  }

  @FieldResolver(() => [Target], {
    description:
      'Targets over time, each applying from its period until the next; one stored that breaks the value rules (Infinity, NaN) is left out, as the scorecard names it.',
  })
  async targets(
    @Root() indicator: IndicatorValue,
    @Ctx() ctx: OrganisationContext,
  ): Promise<Target[]> {
    // A target is a non-null Float: one that cannot be one would null every indicator of the organisation.
    const { targets } = screenTargets(
      indicator,
      await ctx.loaders.targetsByIndicator.load(key(indicator)),
    );
    return targets.map((row) => ({
      fromPeriod: row.fromPeriod,
      fromDate: row.fromDate,
      value: row.value,
    }));
  }
}
