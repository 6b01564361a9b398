import type { IndicatorFigures, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorRow, MeasurementRow, TargetRow } from '../db/schema.ts';
import { screenTargets } from '../indicator/readable.ts';
import { rateRag } from './rag.ts';
import { readableSeries, targetFor, withGaps } from './scorecard.ts';

/**
 * An indicator's figures over the same window a scorecard of `periods` shows (the latest periods,
 * gaps counted), as columns, each figure rated against the target in force: no SPC, no exceptions,
 * no sentences. What a league needs of every organisation, and nothing more.
 */
export function indicatorFigures(
  indicator: IndicatorRow,
  rows: readonly MeasurementRow[],
  storedTargets: readonly TargetRow[],
  periods: number,
): IndicatorFigures {
  const unit = indicator.unit as Unit;
  const polarity = indicator.polarity as Polarity;
  // Figures that break the value rules are left out and named, so one cannot sink a league.
  const { series, unreadable } = readableSeries(indicator, rows);
  const { targets, unreadable: badTargets } = screenTargets(indicator, storedTargets);
  const window = withGaps(series).slice(-periods);
  const from = window[0]?.period.start ?? '';
  const figures: IndicatorFigures = {
    indicator: indicator.code,
    unit,
    polarity,
    periods: [],
    periodStarts: [],
    values: [],
    numerators: [],
    denominators: [],
    targets: [],
    rags: [],
    synthetic: indicator.synthetic,
    unreadable: [...unreadable, ...badTargets]
      .filter((u) => u.periodStart >= from)
      .map(({ periodStart: _, ...u }) => u),
  };
  for (const { period, measurement } of window) {
    const value = measurement?.value ?? null;
    if (value === null) continue;
    const target = targetFor(targets, period.start);
    figures.periods.push(period.label);
    figures.periodStarts.push(period.start);
    figures.values.push(value);
    figures.numerators.push(measurement!.numerator);
    figures.denominators.push(measurement!.denominator);
    figures.targets.push(target);
    figures.rags.push(
      target === null ? null : rateRag(value, target, polarity, indicator.tolerance).status,
    );
  }
  return figures;
}
