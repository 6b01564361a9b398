import { Polarity, Unit } from '@crossgov/schema';
import { type CsvRecord, isNumberText } from './csv.ts';
import { SCHEMES, type Scheme } from './family-groups.ts';
import { INDICATOR_CODE } from '../../indicator/definition.store.ts';

// `Indicator Information.csv`: the LGBF's 108 indicators as the copy's author catalogued them, one
// record each (its `Source` cell runs over several lines). What the adapter takes from it: title,
// polarity (`Ranking_Type`), measure type, the multipliers relating numerators and denominators to
// values, the Goldilocks mid-point, the first line of `Source` and the family-group scheme.

/** An indicator as Indicator Information.csv describes it. */
export interface LgbfIndicator {
  /** The code the publisher writes (C&L01). */
  published: string;
  /** The code the hub keeps: the published one made to meet the hub's code rule (CandL01). */
  code: string;
  line: number;
  title: string;
  measureType: string;
  reportingPeriod: string;
  polarity: Polarity;
  numeratorMultiplier: { text: string; value: number };
  denominatorMultiplier: { text: string; value: number };
  /** The published Goldilocks mid-point as written, or null. */
  midpoint: string | null;
  /** The first line of `Source`, trimmed (empty when Source is). */
  source: string;
  /** The scheme `FamilyGrouping` names, or null when it names neither. */
  scheme: Scheme | null;
  familyGrouping: string;
}

/** The hub's code for a published one: `&` is not allowed in a code, so C&L01 becomes CandL01 (no LGBF code has "and" already, so none collides). */
export const hubCode = (published: string): string => published.replaceAll('&', 'and');

const POLARITIES: Record<string, Polarity> = {
  Ascending: Polarity.SMALLER_IS_BETTER,
  Descending: Polarity.BIGGER_IS_BETTER,
  Goldilocks: Polarity.CLOSEST_TO_TARGET,
};

/** Measure types other than percentages, and the unit each is read as. */
const UNITS: Record<string, Unit> = {
  Cost: Unit.CURRENCY,
  Score: Unit.SCORE,
  Days: Unit.RATIO,
  Weeks: Unit.RATIO,
  'Rate per 1,000': Unit.RATIO,
  'Rate per 10,000': Unit.RATIO,
  'Other Measurement': Unit.RATIO,
};

export const MEASURE_TYPES = ['Percentage', ...Object.keys(UNITS)];

/** A problem with a cell of Indicator Information.csv. */
export interface CatalogueProblem {
  line: number;
  field: string;
  value: unknown;
  rule: string;
}

/** How a percentage indicator's values are written, decided from its values (read.ts): fractions of one, percentage points, or a proportion that leaves 0-1. */
export type PercentForm = 'fraction' | 'points' | 'proportion';

/**
 * The unit of an indicator: a percentage published as fractions of one (0.4305) is PERCENT, its
 * values times 100; one published in percentage points (CHN14a/b's attainment gaps, 7.5 to 38.4)
 * is PERCENT as written; one whose values leave 0-1 (a budget spent at 130%, a gender pay gap of
 * -7%) is not a share of a whole, and is a RATIO as written (1 = 100%). Costs are CURRENCY, tariff
 * scores SCORE; days, weeks, rates per 1,000 or 10,000 and tonnes of CO2 per head are RATIOs.
 */
export function unitOf(indicator: LgbfIndicator, form: PercentForm): Unit {
  if (indicator.measureType !== 'Percentage') return UNITS[indicator.measureType]!;
  return form === 'proportion' ? Unit.RATIO : Unit.PERCENT;
}

/** Reads one record of Indicator Information.csv; problems for cells the adapter cannot read. */
export function readIndicator(
  record: CsvRecord,
  cellOf: (record: CsvRecord, column: string) => string,
  problems: CatalogueProblem[],
): LgbfIndicator | null {
  const { line } = record;
  const before = problems.length;
  const raw = (field: string) => cellOf(record, field);
  const cell = (field: string) => raw(field).trim();
  const problem = (field: string, value: unknown, rule: string) =>
    problems.push({ line, field, value, rule });
  const published = cell('Code');
  const code = hubCode(published);
  if (!INDICATOR_CODE.test(code))
    problem(
      'Code',
      published,
      'must be an indicator code of letters, digits, &, full stops, hyphens or underscores (the hub writes & as "and")',
    );
  const title = cell('Title');
  if (title === '') problem('Title', raw('Title'), 'must name the indicator');
  const polarity = POLARITIES[cell('Ranking_Type')];
  if (!polarity)
    problem(
      'Ranking_Type',
      raw('Ranking_Type'),
      `must be one of ${Object.keys(POLARITIES).join(', ')}`,
    );
  const measureType = cell('MeasureType');
  if (!MEASURE_TYPES.includes(measureType))
    problem('MeasureType', raw('MeasureType'), `must be one of ${MEASURE_TYPES.join(', ')}`);
  const multiplier = (field: string) => {
    const text = cell(field);
    if (text === '') return { text: '1', value: 1 };
    if (!isNumberText(text) || !(Number(text) > 0))
      problem(field, raw(field), 'must be a positive number (or empty for 1)');
    return { text, value: Number(text) };
  };
  const numeratorMultiplier = multiplier('Numerator_Multipier');
  const denominatorMultiplier = multiplier('Denominator_Multiplier');
  const midpoint = cell('Ranking_GoldilocksMidpoint') || null;
  if (midpoint !== null && !isNumberText(midpoint))
    problem('Ranking_GoldilocksMidpoint', midpoint, 'must be a number (or empty)');
  if (polarity === Polarity.CLOSEST_TO_TARGET && midpoint === null)
    problem(
      'Ranking_GoldilocksMidpoint',
      null,
      'must give the mid-point of a Goldilocks indicator: it is the target',
    );
  const familyGrouping = cell('FamilyGrouping');
  const scheme =
    (Object.keys(SCHEMES) as Scheme[]).find((s) => SCHEMES[s].type.test(familyGrouping)) ?? null;
  if (problems.length > before) return null;
  return {
    published,
    code,
    line,
    title,
    measureType,
    reportingPeriod: cell('ReportingPeriod'),
    polarity: polarity!,
    numeratorMultiplier,
    denominatorMultiplier,
    midpoint,
    source: raw('Source').split(/\r?\n/)[0]!.trim(),
    scheme,
    familyGrouping,
  };
}

/** The indicator's definition text: the first line of its Source, how its values are written when that needs saying, and its family-group scheme. */
export function definitionOf(
  indicator: LgbfIndicator,
  form: PercentForm | null,
  scheme: Scheme | null,
  multiYear: boolean,
): string {
  const parts: string[] = [];
  if (indicator.source)
    parts.push(/[.!?:]$/.test(indicator.source) ? indicator.source : `${indicator.source}.`);
  if (form === 'proportion')
    parts.push('Published as a proportion (1 = 100%), which can leave 0-1.');
  if (form === 'points') parts.push('In percentage points.');
  if (multiYear)
    parts.push('Multi-year aggregates of the indicator: several financial years taken together.');
  else if (indicator.reportingPeriod !== '' && indicator.reportingPeriod !== 'Annual')
    parts.push(`Reported as: ${indicator.reportingPeriod}.`);
  if (scheme) parts.push(`Compared within LGBF family groups for ${SCHEMES[scheme].described}.`);
  return parts.join(' ');
}
