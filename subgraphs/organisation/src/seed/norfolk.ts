import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Frequency, Polarity, SEED_DATA_DIR, Unit, parsePeriod } from '@crossgov/schema';
import { checkMeasurement, describeProblem, type Problem } from '../indicator/measurement.rules.ts';
import type { SeedIndicator, SeedMeasurement, SeedTarget } from './seed.types.ts';

export const NORFOLK_CSV = join(SEED_DATA_DIR, 'norfolk-vital-signs.csv');

interface CsvRow {
  indicator_ref: string;
  indicator: string;
  polarity: string;
  unit: string;
  period: string;
  value: string;
  numerator: string;
  denominator: string;
  target: string;
}

export interface RejectedRow {
  /** 1-based line in the file, counting the header as line 1 (a row whose quoted field spans lines: its last line). */
  line: number;
  indicator: string;
  period: string;
  problems: Problem[];
}

export interface NorfolkSeed {
  indicators: SeedIndicator[];
  measurements: SeedMeasurement[];
  targets: SeedTarget[];
  rejected: RejectedRow[];
}

const UNITS: Record<string, Unit> = { count: Unit.COUNT, percent: Unit.PERCENT, ratio: Unit.RATIO, score: Unit.SCORE, currency: Unit.CURRENCY };
const POLARITIES: Record<string, Polarity> = { bigger: Polarity.BIGGER_IS_BETTER, smaller: Polarity.SMALLER_IS_BETTER };

const number = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/**
 * Reads the Norfolk vital signs as published. Valid rows become measurements; an invalid row (the
 * published 323 / January 2019 has a numerator above its denominator) is reported, not loaded.
 */
export function readNorfolkVitalSigns(path = NORFOLK_CSV): NorfolkSeed {
  // The parser's own line count: a row's index + 2 is wrong once a blank line has been skipped.
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, info: true }) as { record: CsvRow; info: { lines: number } }[];
  const indicators = new Map<string, SeedIndicator>();
  const measurements: SeedMeasurement[] = [];
  const targets: SeedTarget[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach(({ record: row, info: { lines: line } }) => {
    const unit = UNITS[row.unit];
    const polarity = POLARITIES[row.polarity];
    if (!unit || !polarity) {
      rejected.push({
        line,
        indicator: row.indicator_ref,
        period: row.period,
        problems: [!unit ? { field: 'unit', value: row.unit, rule: `must be one of ${Object.keys(UNITS).join(', ')}` } : { field: 'polarity', value: row.polarity, rule: 'must be bigger or smaller' }],
      });
      return;
    }
    if (!indicators.has(row.indicator_ref)) {
      indicators.set(row.indicator_ref, {
        id: row.indicator_ref,
        code: row.indicator_ref,
        name: row.indicator,
        definition: null,
        unit,
        polarity,
        frequency: Frequency.MONTHLY,
        tolerance: 0.05,
        leadOfficer: null,
        dataOwner: null,
        whyItMatters: null,
        whatSuccessLooksLike: null,
        actions: null,
        synthetic: false,
        position: indicators.size,
        spcFixAfterPoints: null,
        spcRebasePeriods: null,
        standard: null,
        minValue: null,
        maxValue: null,
        agreementTolerance: null,
      });
    }
    const input = { indicatorId: row.indicator_ref, period: row.period, value: number(row.value), numerator: number(row.numerator), denominator: number(row.denominator) };
    const checked = checkMeasurement(input, unit);
    if (!checked.ok) {
      rejected.push({ line, indicator: row.indicator_ref, period: row.period, problems: checked.problems });
      return;
    }
    measurements.push({ ...input, serviceId: null, period: checked.period, value: checked.value, synthetic: false });
    const target = number(row.target);
    if (target !== null) targets.push({ indicatorId: row.indicator_ref, fromPeriod: row.period, fromDate: parsePeriod(row.period).start, value: target });
  });
  return { indicators: [...indicators.values()], measurements, targets, rejected };
}

export function describeRejected(row: RejectedRow): string {
  return `line ${row.line}, indicator ${row.indicator}, period ${row.period}: ${row.problems.map(describeProblem).join('; ')}`;
}
