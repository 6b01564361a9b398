import { type AnyColumn, and, eq, inArray, sql } from 'drizzle-orm';
import {
  Frequency,
  Polarity,
  type RegistryEntry,
  Unit,
  formatBound,
  rangeRules,
  standardIndicator,
} from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import { type ChangeEntry, appendChanges } from '../changes/change.store.ts';
import type { OrganisationDb } from '../db/client.ts';
import {
  type IndicatorRow,
  indicators,
  measurementDrafts,
  measurements,
  targets,
} from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK, caller, writeWhole } from '../writes.ts';

/**
 * An indicator as an organisation defines it: its own (code, name, unit, polarity, frequency and the
 * rest), or a standard catalogue indicator it adopts by code, whose definition is the catalogue's so
 * that organisations compare on it. Sending a code again changes that indicator; the change log
 * keeps every version.
 */
export interface IndicatorDefinitionSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  code: string;
  name?: string | null;
  unit?: string | null;
  polarity?: string | null;
  frequency?: string | null;
  definition?: string | null;
  /** RAG tolerance relative to target, as a fraction (0.05 is 5%). */
  tolerance?: number | null;
  /** The lowest value a figure or target may take, within the unit's range; null clears it, absent keeps it. */
  minValue?: number | null;
  /** The highest value a figure or target may take, within the unit's range; null clears it, absent keeps it. */
  maxValue?: number | null;
  /**
   * How far, relatively (0 to 0.05), a published value may differ from its numerator / denominator and
   * still agree with them, for a publisher whose values come from more precise parts than it publishes; null clears it, absent keeps it.
   */
  agreementTolerance?: number | null;
  leadOfficer?: string | null;
  dataOwner?: string | null;
  whyItMatters?: string | null;
  /** Report card: the background to current performance. */
  background?: string | null;
  whatSuccessLooksLike?: string | null;
  actions?: string | null;
  /** The row to name in problems (a file's line number); the 1-based position when absent. */
  row?: number;
}

/** A definition that passed every rule, ready to write. */
export interface CheckedDefinition {
  organisationId: string;
  row: Omit<IndicatorRow, 'position' | 'synthetic' | 'spcFixAfterPoints' | 'spcRebasePeriods'>;
  /** The stored indicator it replaces; null for a new one. */
  previous: IndicatorRow | null;
}

/** What other rules need to know of an indicator a submission defines before it is written. */
/** The most a value may differ from its parts and still be their ratio: LGBF's own checks flag values more than 2% off. */
export const MAX_AGREEMENT_TOLERANCE = 0.05;

export type PendingIndicator = Pick<
  IndicatorRow,
  'id' | 'code' | 'unit' | 'frequency' | 'polarity' | 'minValue' | 'maxValue' | 'agreementTolerance'
>;

/** An indicator code: what every write path and every published data set's adapter holds a code to. */
export const INDICATOR_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CODE = INDICATOR_CODE;
const TEXT_LIMIT = 4000;

const WORDS: {
  field: 'unit' | 'polarity' | 'frequency';
  values: Record<string, string>;
  rule: string;
}[] = [
  {
    field: 'unit',
    values: {
      ...Object.fromEntries(Object.values(Unit).map((u) => [u.toLowerCase(), u])),
      percentage: Unit.PERCENT,
      '%': Unit.PERCENT,
      gbp: Unit.CURRENCY,
      '£': Unit.CURRENCY,
    },
    rule: `must be one of ${Object.values(Unit).join(', ')}`,
  },
  {
    field: 'polarity',
    values: {
      ...Object.fromEntries(Object.values(Polarity).map((p) => [p.toLowerCase(), p])),
      bigger: Polarity.BIGGER_IS_BETTER,
      higher: Polarity.BIGGER_IS_BETTER,
      smaller: Polarity.SMALLER_IS_BETTER,
      lower: Polarity.SMALLER_IS_BETTER,
      closest: Polarity.CLOSEST_TO_TARGET,
    },
    rule: `must be one of ${Object.values(Polarity).join(', ')} (or bigger, smaller, closest)`,
  },
  {
    field: 'frequency',
    values: {
      ...Object.fromEntries(Object.values(Frequency).map((f) => [f.toLowerCase(), f])),
      annually: Frequency.ANNUAL,
      yearly: Frequency.ANNUAL,
    },
    rule: `must be one of ${Object.values(Frequency).join(', ')}`,
  },
];

const wordOf = (field: 'unit' | 'polarity' | 'frequency', given: string) =>
  WORDS.find((w) => w.field === field)!.values[given.trim().toLowerCase().replace(/[\s-]/g, '_')] ??
  null;

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** A range bound as a definitions CSV gives it (a cell's text) is the number it writes; anything else is checked as it came. */
const asNumber = (value: unknown): number | null | undefined =>
  typeof value === 'string' && NUMBER_TEXT.test(value.trim())
    ? Number(value)
    : (value as number | null | undefined);

const TEXT_FIELDS = [
  'name',
  'definition',
  'leadOfficer',
  'dataOwner',
  'whyItMatters',
  'background',
  'whatSuccessLooksLike',
  'actions',
] as const;

/**
 * Checks definitions against their rules and returns what is valid and every problem found; the
 * caller refuses the whole submission if any. A catalogue code adopts the catalogue's definition
 * (its name, unit, polarity, frequency and definition may be left out, and must match if given);
 * any other code is the organisation's own, and a new one needs a name, unit, polarity and
 * frequency. An indicator with figures keeps its unit and frequency: its figures are in them.
 */
export async function validateDefinitions(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly IndicatorDefinitionSubmission[],
): Promise<{ records: CheckedDefinition[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const codes = [...new Set(inputs.map((i) => i.code).filter((c) => typeof c === 'string'))];
  const existing = await db
    .select()
    .from(indicators)
    .where(and(eq(indicators.organisationId, organisation.id), inArray(indicators.code, codes)));
  const byCode = new Map(existing.map((row) => [row.code, row]));
  const figures =
    existing.length === 0
      ? new Map<string, FigureStats>()
      : await figureStats(
          db,
          organisation.id,
          existing.map((r) => r.id),
        );
  const problems: SubmissionProblem[] = [];
  const records: CheckedDefinition[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const context = `indicator ${input.code}`;
    const found = problems.length;
    const problem = (field: string, value: unknown, rule: string) =>
      problems.push({ row, context, field, value, rule });
    if (typeof input.code !== 'string' || !CODE.test(input.code)) {
      problem(
        'code',
        input.code ?? null,
        'must be 1-64 letters, digits, full stops, hyphens or underscores, starting with a letter or digit',
      );
      return;
    }
    const earlier = seen.get(input.code);
    if (earlier !== undefined) {
      problem(
        'code',
        input.code,
        `repeats row ${earlier}: define each indicator once per submission`,
      );
      return;
    }
    seen.set(input.code, row);
    const standard = standardIndicator(input.code);
    const previous = byCode.get(input.code) ?? null;
    const words: Partial<Record<'unit' | 'polarity' | 'frequency', string>> = {};
    for (const { field, rule } of WORDS) {
      const given = input[field];
      if (given === null || given === undefined || given === '') continue;
      const value = wordOf(field, given);
      if (value) words[field] = value;
      else problem(field, given, rule);
    }
    for (const field of TEXT_FIELDS) {
      const text = input[field];
      if (
        text !== null &&
        text !== undefined &&
        (typeof text !== 'string' || text.length > TEXT_LIMIT)
      )
        problem(
          field,
          typeof text === 'string' ? `${text.length} characters` : text,
          `must be text of at most ${TEXT_LIMIT} characters`,
        );
    }
    if (input.name !== null && input.name !== undefined && input.name.trim() === '')
      problem('name', input.name, 'must not be empty');
    const tolerance = input.tolerance;
    if (
      tolerance !== null &&
      tolerance !== undefined &&
      (typeof tolerance !== 'number' ||
        !Number.isFinite(tolerance) ||
        tolerance < 0 ||
        tolerance > 1)
    ) {
      problem(
        'tolerance',
        tolerance,
        'must be a fraction from 0 to 1 of the target (0.05 means 5%)',
      );
    }
    const agreement = input.agreementTolerance;
    if (
      agreement !== null &&
      agreement !== undefined &&
      (typeof agreement !== 'number' ||
        !Number.isFinite(agreement) ||
        agreement < 0 ||
        agreement > MAX_AGREEMENT_TOLERANCE)
    ) {
      problem(
        'agreementTolerance',
        agreement,
        `must be a fraction from 0 to ${MAX_AGREEMENT_TOLERANCE} of the value (0.02 means a value may be 2% from its numerator / denominator): more is not a ratio of those parts`,
      );
    }
    if (standard) {
      // Adopted: the catalogue's definition, which is what makes organisations comparable.
      const catalogue = {
        name: standard.name,
        unit: standard.unit,
        polarity: standard.polarity,
        frequency: standard.frequency,
        definition: standard.definition,
      };
      for (const field of ['unit', 'polarity', 'frequency'] as const) {
        if (words[field] !== undefined && words[field] !== catalogue[field]) {
          problem(
            field,
            input[field],
            `must be ${catalogue[field]}: ${input.code} is the catalogue's indicator, adopted with its definition; give your own indicator another code`,
          );
        }
      }
      for (const field of ['name', 'definition'] as const) {
        const given = input[field];
        if (given !== null && given !== undefined && given !== catalogue[field]) {
          problem(
            field,
            given,
            `must be left out or be the catalogue's (${JSON.stringify(catalogue[field])}): ${input.code} is adopted with its definition; give your own indicator another code`,
          );
        }
      }
    } else if (!previous) {
      for (const field of ['name', 'unit', 'polarity', 'frequency'] as const) {
        const given = field === 'name' ? input.name : words[field];
        if (
          (given === null || given === undefined) &&
          !problems.some((p) => p.row === row && p.field === field)
        ) {
          problem(
            field,
            null,
            `is required for a new indicator of ${organisation.id}'s own (a standard catalogue code adopts the catalogue's definition instead)`,
          );
        }
      }
    }
    const unit = (standard?.unit ?? words.unit ?? previous?.unit) as string | undefined;
    const frequency = (standard?.frequency ?? words.frequency ?? previous?.frequency) as
      string | undefined;
    const stats = previous ? figures.get(previous.id) : undefined;
    const count = stats?.count ?? 0;
    if (previous && count > 0) {
      if (unit !== previous.unit)
        problem(
          'unit',
          input.unit ?? unit,
          `cannot change from ${previous.unit}: indicator ${input.code} has ${count} figures in it; give a new indicator another code`,
        );
      if (frequency !== previous.frequency) {
        problem(
          'frequency',
          input.frequency ?? frequency,
          `cannot change from ${previous.frequency}: indicator ${input.code} has ${count} figures of that cadence; give a new indicator another code`,
        );
      }
    }
    const bound = (field: 'minValue' | 'maxValue'): number | null =>
      input[field] !== undefined ? (asNumber(input[field]) ?? null) : (previous?.[field] ?? null);
    const [minValue, maxValue] = [bound('minValue'), bound('maxValue')];
    if (unit !== undefined) {
      const before = problems.length;
      for (const p of rangeRules(unit, minValue, maxValue)) problem(p.field, p.value, p.rule);
      // Figures and targets already stored stay valid: a range that would leave some outside is refused, naming them.
      if (stats && problems.length === before) {
        if (
          input.minValue !== undefined &&
          minValue !== null &&
          stats.lowest !== null &&
          stats.lowest < minValue
        ) {
          problem(
            'minValue',
            minValue,
            `is above ${stats.lowestWhat} of indicator ${input.code} (${formatBound(stats.lowest)}); correct or replace it first`,
          );
        }
        if (
          input.maxValue !== undefined &&
          maxValue !== null &&
          stats.highest !== null &&
          stats.highest > maxValue
        ) {
          problem(
            'maxValue',
            maxValue,
            `is below ${stats.highestWhat} of indicator ${input.code} (${formatBound(stats.highest)}); correct or replace it first`,
          );
        }
      }
    }
    if (problems.length > found) return;
    const pick = <K extends (typeof TEXT_FIELDS)[number]>(field: K): string | null =>
      input[field] !== undefined ? (input[field] ?? null) : (previous?.[field] ?? null);
    records.push({
      organisationId: organisation.id,
      previous,
      row: {
        organisationId: organisation.id,
        id: previous?.id ?? input.code,
        code: input.code,
        name: standard?.name ?? input.name ?? previous!.name,
        definition: standard?.definition ?? pick('definition'),
        unit: unit!,
        polarity: standard?.polarity ?? words.polarity ?? previous!.polarity,
        frequency: frequency!,
        tolerance: tolerance ?? previous?.tolerance ?? 0.05,
        leadOfficer: pick('leadOfficer'),
        dataOwner: pick('dataOwner'),
        whyItMatters: pick('whyItMatters'),
        background: pick('background'),
        whatSuccessLooksLike: pick('whatSuccessLooksLike'),
        actions: pick('actions'),
        standard: standard ? standard.code : null,
        minValue,
        maxValue,
        agreementTolerance:
          agreement !== undefined ? agreement : (previous?.agreementTolerance ?? null),
      },
    });
  });
  return { records, problems };
}

interface FigureStats {
  /** Published and draft figures. */
  count: number;
  /** The lowest and highest figure or target, and which it is. */
  lowest: number | null;
  lowestWhat: string;
  highest: number | null;
  highestWhat: string;
}

/** How many published and draft figures each of these indicators has, and its lowest and highest figure and target (one statement each). */
async function figureStats(
  db: Pick<OrganisationDb, 'select'>,
  organisationId: string,
  ids: string[],
): Promise<Map<string, FigureStats>> {
  const count = sql<number>`count(*)::int`;
  const low = (column: AnyColumn) => sql<number | null>`min(${column})`;
  const high = (column: AnyColumn) => sql<number | null>`max(${column})`;
  const [published, drafts, targetRows] = await Promise.all([
    db
      .select({
        id: measurements.indicatorId,
        n: count,
        lowest: low(measurements.value),
        highest: high(measurements.value),
      })
      .from(measurements)
      .where(
        and(
          eq(measurements.organisationId, organisationId),
          inArray(measurements.indicatorId, ids),
        ),
      )
      .groupBy(measurements.indicatorId),
    db
      .select({
        id: measurementDrafts.indicatorId,
        n: count,
        lowest: low(measurementDrafts.value),
        highest: high(measurementDrafts.value),
      })
      .from(measurementDrafts)
      .where(
        and(
          eq(measurementDrafts.organisationId, organisationId),
          inArray(measurementDrafts.indicatorId, ids),
        ),
      )
      .groupBy(measurementDrafts.indicatorId),
    db
      .select({
        id: targets.indicatorId,
        n: count,
        lowest: low(targets.value),
        highest: high(targets.value),
      })
      .from(targets)
      .where(and(eq(targets.organisationId, organisationId), inArray(targets.indicatorId, ids)))
      .groupBy(targets.indicatorId),
  ]);
  const stats = new Map<string, FigureStats>();
  const add = (
    rows: { id: string; n: number; lowest: number | null; highest: number | null }[],
    what: string,
    counts: boolean,
  ) => {
    for (const { id, n, lowest, highest } of rows) {
      const s = stats.get(id) ?? {
        count: 0,
        lowest: null,
        lowestWhat: '',
        highest: null,
        highestWhat: '',
      };
      if (counts) s.count += n;
      // PostgreSQL sorts NaN above every number: a stored NaN is no bound to keep.
      const lo = lowest === null ? null : Number(lowest);
      const hi = highest === null ? null : Number(highest);
      if (lo !== null && Number.isFinite(lo) && (s.lowest === null || lo < s.lowest))
        [s.lowest, s.lowestWhat] = [lo, `the lowest ${what}`];
      if (hi !== null && Number.isFinite(hi) && (s.highest === null || hi > s.highest))
        [s.highest, s.highestWhat] = [hi, `the highest ${what}`];
      stats.set(id, s);
    }
  };
  add(published, 'published figure', true);
  add(drafts, 'draft figure', true);
  add(targetRows, 'target', false);
  return stats;
}

/** What later rules (figures and targets in the same submission) need to know of checked definitions. */
export const pendingOf = (records: readonly CheckedDefinition[]): PendingIndicator[] =>
  records.map((r) => ({
    id: r.row.id,
    code: r.row.code,
    unit: r.row.unit,
    frequency: r.row.frequency,
    polarity: r.row.polarity,
    minValue: r.row.minValue,
    maxValue: r.row.maxValue,
    agreementTolerance: r.row.agreementTolerance,
  }));

const snapshot = (row: Partial<IndicatorRow>) => {
  const {
    organisationId: _o,
    position: _p,
    synthetic: _s,
    spcFixAfterPoints: _f,
    spcRebasePeriods: _r,
    ...rest
  } = row;
  return rest as Record<string, unknown>;
};

/**
 * Stores checked definitions: a new indicator goes after the organisation's others; a changed one
 * keeps its place, its figures and its SPC settings. One change log entry per definition that
 * changed (one sent again unchanged writes nothing). Run it inside a transaction.
 */
export async function writeDefinitions(
  tx: Pick<OrganisationDb, 'insert' | 'select'>,
  actor: string,
  records: readonly CheckedDefinition[],
): Promise<void> {
  const changed = records.filter(
    (r) => !r.previous || JSON.stringify(snapshot(r.previous)) !== JSON.stringify(snapshot(r.row)),
  );
  if (changed.length === 0) return;
  const organisations = [...new Set(changed.map((r) => r.organisationId))];
  const positions = await tx
    .select({
      organisationId: indicators.organisationId,
      last: sql<number>`max(${indicators.position})::int`,
    })
    .from(indicators)
    .where(inArray(indicators.organisationId, organisations))
    .groupBy(indicators.organisationId);
  const next = new Map(positions.map((p) => [p.organisationId, (p.last ?? -1) + 1]));
  const rows = changed.map((r) => {
    if (r.previous) return { ...r.row, position: r.previous.position };
    const position = next.get(r.organisationId) ?? 0;
    next.set(r.organisationId, position + 1);
    return { ...r.row, position };
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx
      .insert(indicators)
      .values(rows.slice(i, i + INSERT_CHUNK).map((row) => ({ ...row, synthetic: false })))
      .onConflictDoUpdate({
        target: [indicators.organisationId, indicators.id],
        set: {
          name: sql`excluded.name`,
          definition: sql`excluded.definition`,
          unit: sql`excluded.unit`,
          polarity: sql`excluded.polarity`,
          frequency: sql`excluded.frequency`,
          tolerance: sql`excluded.tolerance`,
          leadOfficer: sql`excluded.lead_officer`,
          dataOwner: sql`excluded.data_owner`,
          whyItMatters: sql`excluded.why_it_matters`,
          background: sql`excluded.background`,
          whatSuccessLooksLike: sql`excluded.what_success_looks_like`,
          actions: sql`excluded.actions`,
          standard: sql`excluded.standard`,
          minValue: sql`excluded.min_value`,
          maxValue: sql`excluded.max_value`,
          agreementTolerance: sql`excluded.agreement_tolerance`,
        },
      });
  }
  const entries: ChangeEntry[] = changed.map((r) => ({
    organisationId: r.organisationId,
    record: 'indicator',
    key: r.row.code,
    previous: r.previous ? snapshot(r.previous) : null,
    current: snapshot(r.row),
    actor,
  }));
  await appendChanges(tx, entries);
}

/**
 * Defines indicators of this organisation (its own, or catalogue indicators it adopts by code), or
 * changes them when sent again. All of it or none: one transaction, with a change log entry per
 * indicator that changed.
 */
export function defineIndicators(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  inputs: readonly IndicatorDefinitionSubmission[],
): Promise<{ accepted: number }> {
  return writeWhole(
    db,
    caller(principal, organisation),
    () => validateDefinitions(db, organisation, inputs),
    writeDefinitions,
  );
}
