import {
  type Measurement,
  type Period,
  type PeriodType,
  type Polarity,
  SpcSignal,
  SpcVariation,
  type ScorecardEntry,
  type ScorecardPoint,
  type Unit,
  nextPeriod,
  parsePeriod,
  shiftPeriod,
} from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { type Unreadable, screenRows, screenSeries, screenTargets } from '../indicator/readable.ts';
import { organisationSeries } from '../indicator/series.ts';
import { directionOfTravel } from './direction.ts';
import { findExceptions } from './exceptions.ts';
import { rateRag } from './rag.ts';
import { rollUp } from './rollup.ts';
import { spc } from './spc.ts';
import { staleness } from './staleness.ts';

export interface ScorecardOptions {
  /** How many periods of series to return, up to the latest. */
  periods: number;
  /** Judge longer periods than the indicator is reported in (ratio of sums of whole periods). */
  periodType?: PeriodType | null;
  /** Today's date (ISO), to judge whether the latest figure is stale; without it `staleness` is null. */
  today?: string;
}

/** Every period from the first to the last reported, with an explicit gap where nothing was reported. */
export function withGaps(
  series: readonly Measurement[],
): { period: Period; measurement: Measurement | null }[] {
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last) return [];
  const byLabel = new Map(series.map((m) => [m.period, m]));
  const out: { period: Period; measurement: Measurement | null }[] = [];
  // Periods of one indicator share a type; a mixed history keeps each reported period and fills
  // gaps only between periods of the latest type.
  for (
    let period: Period = parsePeriod(first.period);
    period.start <= last.periodStart;
    period = nextPeriod(period)
  ) {
    out.push({ period, measurement: byLabel.get(period.label) ?? null });
    if (out.length > 10_000) break; // a guard against a malformed history, never reached by real data
  }
  return out;
}

/** The target in force for a period: the latest one that starts on or before it. */
export function targetFor(targets: readonly TargetRow[], periodStart: string): number | null {
  let value: number | null = null;
  for (const target of targets) if (target.fromDate <= periodStart) value = target.value;
  return value;
}

/** The same period one year before (12 months, 4 quarters or 1 year earlier). */
export function yearEarlier(period: Period): Period {
  return shiftPeriod(period, -12);
}

/** Builds one indicator's scorecard from its own rows: every rule of docs/domain.md, each saying which fired. */
export function buildScorecard(
  indicator: IndicatorRow,
  storedRows: readonly MeasurementRow[],
  storedTargets: readonly TargetRow[],
  options: ScorecardOptions,
): ScorecardEntry {
  const polarity = indicator.polarity as Polarity;
  const unit = indicator.unit as Unit;
  // A stored figure or target that breaks the value rules is left out and named, never computed
  // with: one Infinity would make every mean, limit and comparison of the series Infinity or NaN.
  const { series: native, unreadable } = readableSeries(indicator, storedRows);
  const screenedTargets = screenTargets(indicator, storedTargets);
  const targets = screenedTargets.targets;
  const rolledUp = options.periodType
    ? rollUp(native, options.periodType, unit)
    : { series: native, notes: [] };
  const rolledScreened = options.periodType
    ? screenSeries(
        indicator,
        rolledUp.series,
        `the ratio of sums rolled up into ${options.periodType.toLowerCase().replaceAll('_', ' ')}s`,
      )
    : null;
  const rolled = { series: rolledScreened?.series ?? rolledUp.series, notes: rolledUp.notes };
  const filled = withGaps(rolled.series);
  const values = filled.map((p) => p.measurement?.value ?? null);
  const rebaseAt = (indicator.spcRebasePeriods ?? [])
    .map((label) => filled.findIndex((p) => p.period.label === label))
    .filter((index) => index > 0);
  const latestTarget = targetFor(targets, filled.at(-1)?.period.start ?? '9999-12-31');
  // Limits fixed after more points than can be read (figures left out) come from every point, said
  // in a warning: a misconfiguration is still refused, but a figure left out must not sink the card.
  const fixAfter = indicator.spcFixAfterPoints ?? undefined;
  const unfixed = fixAfter !== undefined && fixAfter > values.length && unreadable.length > 0;
  const chart = spc(values, {
    polarity,
    target: latestTarget,
    fixAfterPoints: unfixed ? undefined : fixAfter,
    rebaseAt,
    screenOutliers: true,
  });
  if (unfixed)
    chart.warnings.push(
      `Limits are fixed after ${fixAfter} points, but only ${values.length} can be read: they come from every point.`,
    );

  const points: ScorecardPoint[] = filled.map(({ period, measurement }, index) => {
    const target = targetFor(targets, period.start);
    const value = measurement?.value ?? null;
    const gap = value === null;
    const spcPoint = chart.points[index];
    return {
      period: period.label,
      periodType: period.type as PeriodType,
      periodStart: period.start,
      periodEnd: period.end,
      gap,
      value,
      numerator: measurement?.numerator ?? null,
      denominator: measurement?.denominator ?? null,
      target,
      rag:
        value !== null && target !== null
          ? rateRag(value, target, polarity, indicator.tolerance, unit)
          : null,
      spc:
        value !== null && spcPoint
          ? {
              signal: spcPoint.signal ?? SpcSignal.COMMON_CAUSE,
              signals: spcPoint.signals,
              variation: spcPoint.variation ?? SpcVariation.COMMON_CAUSE,
              mean: spcPoint.mean,
              upperLimit: spcPoint.upperLimit,
              lowerLimit: spcPoint.lowerLimit,
              upperNearLimit: spcPoint.upperNearLimit,
              lowerNearLimit: spcPoint.lowerNearLimit,
            }
          : null,
      synthetic: measurement?.synthetic ?? false,
    };
  });

  const latest = [...points].reverse().find((p) => !p.gap) ?? null;
  const byLabel = new Map(points.map((p) => [p.period, p]));
  const earlier = (period: Period | null) => {
    const point = period ? byLabel.get(period.label) : undefined;
    return point && point.value !== null ? { period: point.period, value: point.value } : null;
  };
  const latestPeriod = latest ? parsePeriod(latest.period) : null;
  const latestIndex = latest ? points.indexOf(latest) : -1;
  const previous = latestIndex > 0 ? earlier(parsePeriod(points[latestIndex - 1]!.period)) : null;
  const yearAgo = latestPeriod ? earlier(yearEarlier(latestPeriod)) : null;

  return {
    indicatorId: indicator.id,
    indicator: indicator.code,
    name: indicator.name,
    unit,
    polarity,
    tolerance: indicator.tolerance,
    latest,
    staleness:
      latest && options.today ? staleness(latest.period, indicator.frequency, options.today) : null,
    sincePreviousPeriod:
      latest?.value != null && previous
        ? directionOfTravel(latest.value, previous, polarity, latest.target, unit)
        : null,
    sinceYearEarlier:
      latest?.value != null && yearAgo
        ? directionOfTravel(latest.value, yearAgo, polarity, latest.target, unit)
        : null,
    exceptions: findExceptions(
      points.slice(0, latestIndex + 1).map((p) => ({
        period: p.period,
        value: p.value,
        rag: p.rag?.status ?? null,
        target: p.target,
      })),
      polarity,
      unit,
    ),
    spc: {
      phases: chart.phases.map((phase) => ({
        fromPeriod: points[phase.from]?.period ?? '',
        toPeriod: points[phase.to]?.period ?? '',
        mean: phase.mean,
        averageMovingRange: phase.averageMovingRange,
        upperLimit: phase.upperLimit,
        lowerLimit: phase.lowerLimit,
        pointsUsed: phase.pointsUsed,
      })),
      assurance: chart.assurance,
      warnings: chart.warnings,
    },
    series: points.slice(Math.max(0, points.length - options.periods)),
    notes: rolled.notes,
    unreadable: [
      ...unreadable,
      ...screenedTargets.unreadable,
      ...(rolledScreened?.unreadable ?? []),
    ],
  };
}

/**
 * The organisation-wide series of an indicator from stored rows, leaving out (and naming) every
 * row and every computed figure that breaks the value rules.
 */
export function readableSeries(
  indicator: Pick<IndicatorRow, 'organisationId' | 'code' | 'unit'>,
  rows: readonly MeasurementRow[],
): { series: Measurement[]; unreadable: Unreadable[] } {
  const screened = screenRows(indicator, rows);
  const computed = screenSeries(
    indicator,
    organisationSeries(screened.organisationRows, indicator.unit as Unit),
    'the organisation-wide figure from its parts',
  );
  return { series: computed.series, unreadable: [...screened.unreadable, ...computed.unreadable] };
}
