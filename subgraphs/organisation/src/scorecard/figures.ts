import type { IndicatorFigures, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { organisationSeries } from '../indicator/series.ts';
import { rateRag } from './rag.ts';
import { targetFor, withGaps } from './scorecard.ts';

/**
 * An indicator's figures over the same window a scorecard of `periods` shows (the latest periods,
 * gaps counted), as columns, each figure rated against the target in force: no SPC, no exceptions,
 * no sentences. What a league needs of every organisation, and nothing more.
 */
export function indicatorFigures(indicator: IndicatorRow, rows: readonly MeasurementRow[], targets: readonly TargetRow[], periods: number): IndicatorFigures {
  const unit = indicator.unit as Unit;
  const polarity = indicator.polarity as Polarity;
  const figures: IndicatorFigures = { indicator: indicator.code, unit, polarity, periods: [], periodStarts: [], values: [], numerators: [], denominators: [], targets: [], rags: [] };
  for (const { period, measurement } of withGaps(organisationSeries(rows, unit)).slice(-periods)) {
    const value = measurement?.value ?? null;
    if (value === null) continue;
    const target = targetFor(targets, period.start);
    figures.periods.push(period.label);
    figures.periodStarts.push(period.start);
    figures.values.push(value);
    figures.numerators.push(measurement!.numerator);
    figures.denominators.push(measurement!.denominator);
    figures.targets.push(target);
    figures.rags.push(target === null ? null : rateRag(value, target, polarity, indicator.tolerance).status);
  }
  return figures;
}
