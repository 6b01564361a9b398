import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Frequency, Polarity, SEED_DATA_DIR, Unit, parsePeriod } from '@crossgov/schema';
import { checkMeasurement, describeProblem, type Problem } from '../indicator/measurement.rules.ts';
import type { SeedIndicator, SeedMeasurement, SeedTarget } from './seed.types.ts';

export const NORFOLK_CSV = join(SEED_DATA_DIR, 'norfolk-vital-signs.csv');

/**
 * The council's report cards as published (seed data like the vital signs, copied from
 * ../shared/data with its provenance in the file's `source`), so an image built from the
 * repository alone seeds them too.
 */
export const NORFOLK_REPORT_CARDS = join(SEED_DATA_DIR, 'norfolk-report-cards.json');

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
  /** Why the report cards carry no text (their file is not there); null when they were read. */
  cardsNotRead: string | null;
}

/** One card as the council published it: lists are its bullet points, in order; an empty list or null is a blank section. */
export interface PublishedCard {
  title: string;
  whyItMatters: string | null;
  /** "How is it measured?", which only some cards give. */
  measure?: string | null;
  background: string[];
  whatSuccessLooksLike: string[];
  actions: string[];
  leadOfficer: string | null;
  dataOwner: string | null;
}

/** The fields of an indicator a report card fills. */
export type CardText = Pick<
  SeedIndicator,
  | 'definition'
  | 'whyItMatters'
  | 'background'
  | 'whatSuccessLooksLike'
  | 'actions'
  | 'leadOfficer'
  | 'dataOwner'
>;

const UNITS: Record<string, Unit> = {
  count: Unit.COUNT,
  percent: Unit.PERCENT,
  ratio: Unit.RATIO,
  score: Unit.SCORE,
  currency: Unit.CURRENCY,
};
const POLARITIES: Record<string, Polarity> = {
  bigger: Polarity.BIGGER_IS_BETTER,
  smaller: Polarity.SMALLER_IS_BETTER,
};

const number = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/**
 * A published list as report-card text (a line a paragraph, '- ' a bullet: the ReportCard type):
 * one point is a paragraph, several are bullets, none is null (a blank section stays blank).
 */
export function listText(items: readonly string[]): string | null {
  if (items.length === 0) return null;
  return items.length === 1 ? items[0]! : items.map((item) => `- ${item}`).join('\n');
}

/** A published card's sections as the indicator's fields: "How is it measured?" is its definition; a blank section is null. */
export function cardText(card: PublishedCard): CardText {
  return {
    definition: card.measure ?? null,
    whyItMatters: card.whyItMatters,
    background: listText(card.background),
    whatSuccessLooksLike: listText(card.whatSuccessLooksLike),
    actions: listText(card.actions),
    leadOfficer: card.leadOfficer,
    dataOwner: card.dataOwner,
  };
}

const TEXTS = ['title', 'whyItMatters', 'measure', 'leadOfficer', 'dataOwner'] as const;
const LISTS = ['background', 'whatSuccessLooksLike', 'actions'] as const;

/** The cards of the council's file by indicator code, each checked for the shape `PublishedCard` says; a card out of shape names its field, value and rule. */
export function readNorfolkReportCards(path = NORFOLK_REPORT_CARDS): Map<string, CardText> {
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    cards?: Record<string, Record<string, unknown>>;
  };
  if (typeof file.cards !== 'object' || file.cards === null)
    throw new Error(
      `${path}: cards ${JSON.stringify(file.cards ?? null)} must be an object of report cards by indicator code`,
    );
  const cards = new Map<string, CardText>();
  for (const [code, card] of Object.entries(file.cards)) {
    const wrong = (field: string, rule: string) =>
      new Error(`${path}: card ${code}, ${field} ${JSON.stringify(card[field] ?? null)} ${rule}`);
    for (const field of TEXTS)
      if (card[field] !== undefined && card[field] !== null && typeof card[field] !== 'string')
        throw wrong(field, 'must be text or null');
    for (const field of LISTS)
      if (
        !Array.isArray(card[field]) ||
        !(card[field] as unknown[]).every((item) => typeof item === 'string')
      )
        throw wrong(field, 'must be a list of text');
    cards.set(code, cardText(card as unknown as PublishedCard));
  }
  return cards;
}

/**
 * Reads the Norfolk vital signs as published. Valid rows become measurements; an invalid row (the
 * published 323 / January 2019 has a numerator above its denominator) is reported, not loaded.
 * Each indicator carries the text of its published report card, keyed by the council's code.
 */
export function readNorfolkVitalSigns(
  path = NORFOLK_CSV,
  cardsPath = NORFOLK_REPORT_CARDS,
): NorfolkSeed {
  const cardsNotRead = existsSync(cardsPath)
    ? null
    : `Norfolk's report cards: ${cardsPath} is not there, so its indicators carry no report-card text`;
  const cards = cardsNotRead ? new Map<string, CardText>() : readNorfolkReportCards(cardsPath);
  // The parser's own line count: a row's index + 2 is wrong once a blank line has been skipped.
  const rows = parse(readFileSync(path, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
  }) as { record: CsvRow; info: { lines: number } }[];
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
        problems: [
          !unit
            ? {
                field: 'unit',
                value: row.unit,
                rule: `must be one of ${Object.keys(UNITS).join(', ')}`,
              }
            : { field: 'polarity', value: row.polarity, rule: 'must be bigger or smaller' },
        ],
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
        background: null,
        // The council's published card, where it gave one: a card the file lacks keeps the fields null.
        ...cards.get(row.indicator_ref),
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
    const input = {
      indicatorId: row.indicator_ref,
      period: row.period,
      value: number(row.value),
      numerator: number(row.numerator),
      denominator: number(row.denominator),
    };
    const checked = checkMeasurement(input, unit);
    if (!checked.ok) {
      rejected.push({
        line,
        indicator: row.indicator_ref,
        period: row.period,
        problems: checked.problems,
      });
      return;
    }
    measurements.push({
      ...input,
      serviceId: null,
      period: checked.period,
      value: checked.value,
      synthetic: false,
    });
    const target = number(row.target);
    if (target !== null)
      targets.push({
        indicatorId: row.indicator_ref,
        fromPeriod: row.period,
        fromDate: parsePeriod(row.period).start,
        value: target,
      });
  });
  return { indicators: [...indicators.values()], measurements, targets, rejected, cardsNotRead };
}

export function describeRejected(row: RejectedRow): string {
  return `line ${row.line}, indicator ${row.indicator}, period ${row.period}: ${row.problems.map(describeProblem).join('; ')}`;
}
