import { eq, sql } from 'drizzle-orm';
import {
  DATE_FORMATS,
  DatePrecision,
  type PreciseDate,
  type RegistryEntry,
  parsePreciseDate,
} from '@crossgov/schema';
import { textArray } from '../db/arrays.ts';
import type { OrganisationDb } from '../db/client.ts';
import { milestones, programmeReturns, programmes } from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK } from '../writes.ts';

// Programmes and their milestones as a publisher defines them in an import, and each publication's
// return of a programme: the name and department it was published under, its whole-life cost and
// benefits at that date. Returns are history: a new publication adds one, nothing is overwritten.

/** A programme as an import defines it. Sending its id again changes its name, description and category. */
export interface ProgrammeSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  id: string;
  name: string;
  description?: string | null;
  /** The published category, e.g. the GMPP's "Infrastructure and Construction". */
  category?: string | null;
  /** How the programme was followed across publications: "GMPP ID DFT_0022_1415-Q4", "same name as in the 2019 publication". */
  matchedBy?: string | null;
  row?: number;
}

/** A milestone as an import defines it (its forecasts come as milestone returns). */
export interface MilestoneSubmission {
  organisation?: string | null;
  id: string;
  programmeId: string;
  title: string;
  position?: number | null;
  /** The baseline date at its precision (2026-03-15, 2026-03, 2026-Q1, 2026), or null when none was published. */
  baseline?: string | null;
  row?: number;
}

/** What one publication said of a programme, as at its return date. */
export interface ProgrammeReturnSubmission {
  organisation?: string | null;
  programmeId: string;
  /** The day the publication's data is as at (YYYY-MM-DD). */
  returnDate: string;
  /** The name it was published under then. */
  publishedName: string;
  /** The department code it was published under then, as written (DECC, DoH Capital). */
  publishedDepartment: string;
  category?: string | null;
  /** Whole-life cost in GBP million, as published then; null when withheld or not published. */
  wholeLifeCost?: number | null;
  /** Monetised benefits in GBP million, as published then; null when not published. */
  benefits?: number | null;
  note?: string | null;
  row?: number;
}

/** Ids of programmes, milestones and services: what a publisher's keys look like (GMPP ids, slugs), never a wall of text. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;
const ID_RULE =
  'must be 1-120 letters, digits, full stops, hyphens or underscores, starting with a letter or digit';
/** Names and free text: a line a person reads, not a file. */
const MAX_TEXT = 20_000;

export interface CheckedProgramme {
  organisationId: string;
  id: string;
  name: string;
  description: string | null;
  category: string | null;
  matchedBy: string | null;
}

export interface CheckedMilestone {
  organisationId: string;
  id: string;
  programmeId: string;
  title: string;
  position: number;
  baselineDate: string | null;
  baselinePrecision: string | null;
}

export interface CheckedProgrammeReturn {
  organisationId: string;
  programmeId: string;
  returnDate: string;
  publishedName: string;
  publishedDepartment: string;
  category: string | null;
  wholeLifeCost: number | null;
  benefits: number | null;
  note: string | null;
}

type Problem = (field: string, value: unknown, rule: string) => void;

function text(
  problem: Problem,
  field: string,
  value: string | null | undefined,
  required: boolean,
): string | null {
  if (value === null || value === undefined || value.trim() === '') {
    if (required) problem(field, value ?? null, 'is required');
    return null;
  }
  if (typeof value !== 'string') {
    problem(field, value, 'must be text');
    return null;
  }
  if (value.length > MAX_TEXT)
    problem(
      field,
      `${value.slice(0, 40)}...`,
      `is ${value.length} characters: at most ${MAX_TEXT}`,
    );
  return value;
}

function id(problem: Problem, field: string, value: unknown): string | null {
  if (typeof value !== 'string' || !ID.test(value)) {
    problem(field, value ?? null, ID_RULE);
    return null;
  }
  return value;
}

/** A sum of GBP million as published: finite, not negative, no larger than any programme (GBP 10 trillion). */
function money(problem: Problem, field: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    problem(field, value, 'must be a finite number of GBP million');
  else if (value < 0)
    problem(field, value, 'must not be negative: a whole-life cost or benefit is an amount');
  else if (value > 1e7)
    problem(
      field,
      value,
      'must be at most 10,000,000 (GBP 10 trillion): is it in pounds rather than GBP million?',
    );
  else return value;
  return null;
}

const rowOf = (input: { row?: number }, index: number) => input.row ?? index + 1;

/** Checks programme definitions: ids, names, each id once per submission. */
export function validateProgrammes(
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly ProgrammeSubmission[],
): { records: CheckedProgramme[]; problems: SubmissionProblem[] } {
  const problems: SubmissionProblem[] = [];
  const seen = new Map<string, number>();
  const records: CheckedProgramme[] = [];
  inputs.forEach((input, index) => {
    const row = rowOf(input, index);
    const found = problems.length;
    const problem: Problem = (field, value, rule) =>
      problems.push({ row, context: `programme ${input.id}`, field, value, rule });
    const key = id(problem, 'id', input.id);
    const earlier = key ? seen.get(key) : undefined;
    if (key && earlier !== undefined)
      problem('id', key, `repeats row ${earlier}: define each programme once per submission`);
    if (key) seen.set(key, row);
    const name = text(problem, 'name', input.name, true);
    const description = text(problem, 'description', input.description, false);
    const category = text(problem, 'category', input.category, false);
    const matchedBy = text(problem, 'matchedBy', input.matchedBy, false);
    if (problems.length === found)
      records.push({
        organisationId: organisation.id,
        id: key!,
        name: name!,
        description,
        category,
        matchedBy,
      });
  });
  return { records, problems };
}

/** Checks milestone definitions: each names a programme of this organisation (stored or in `programmes`) and a baseline date at its precision. */
export async function validateMilestones(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly MilestoneSubmission[],
  programmesPending: ReadonlySet<string>,
): Promise<{ records: CheckedMilestone[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const known = new Set([
    ...(
      await db
        .select({ id: programmes.id })
        .from(programmes)
        .where(eq(programmes.organisationId, organisation.id))
    ).map((p) => p.id),
    ...programmesPending,
  ]);
  const problems: SubmissionProblem[] = [];
  const seen = new Map<string, number>();
  const records: CheckedMilestone[] = [];
  inputs.forEach((input, index) => {
    const row = rowOf(input, index);
    const found = problems.length;
    const problem: Problem = (field, value, rule) =>
      problems.push({ row, context: `milestone ${input.id}`, field, value, rule });
    const key = id(problem, 'id', input.id);
    const earlier = key ? seen.get(key) : undefined;
    if (key && earlier !== undefined)
      problem('id', key, `repeats row ${earlier}: define each milestone once per submission`);
    if (key) seen.set(key, row);
    if (!known.has(input.programmeId))
      problem('programmeId', input.programmeId, `is not a programme of ${organisation.id}`);
    const title = text(problem, 'title', input.title, true);
    let baseline: PreciseDate | null = null;
    if (input.baseline !== null && input.baseline !== undefined) {
      try {
        baseline = parsePreciseDate(input.baseline);
      } catch {
        problem('baseline', input.baseline, `must be a date: ${DATE_FORMATS}`);
      }
    }
    const position = input.position ?? index;
    if (!Number.isInteger(position) || position < 0 || position > 100_000)
      problem('position', position, 'must be a whole number from 0 to 100000');
    if (problems.length === found) {
      records.push({
        organisationId: organisation.id,
        id: key!,
        programmeId: input.programmeId,
        title: title!,
        position,
        baselineDate: baseline?.date ?? null,
        baselinePrecision: baseline?.precision ?? null,
      });
    }
  });
  return { records, problems };
}

/** Checks programme returns: a programme of this organisation, a return day not after today, published name and department, amounts in GBP million. */
export async function validateProgrammeReturns(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly ProgrammeReturnSubmission[],
  programmesPending: ReadonlySet<string>,
  today: string,
): Promise<{ records: CheckedProgrammeReturn[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const known = new Set([
    ...(
      await db
        .select({ id: programmes.id })
        .from(programmes)
        .where(eq(programmes.organisationId, organisation.id))
    ).map((p) => p.id),
    ...programmesPending,
  ]);
  const problems: SubmissionProblem[] = [];
  const byKey = new Map<string, CheckedProgrammeReturn>();
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const row = rowOf(input, index);
    const found = problems.length;
    const problem: Problem = (field, value, rule) =>
      problems.push({
        row,
        context: `programme ${input.programmeId}, return ${input.returnDate}`,
        field,
        value,
        rule,
      });
    if (!known.has(input.programmeId))
      problem('programmeId', input.programmeId, `is not a programme of ${organisation.id}`);
    let day: string | null = null;
    try {
      const parsed = parsePreciseDate(input.returnDate);
      if (parsed.precision !== DatePrecision.DAY)
        problem(
          'returnDate',
          input.returnDate,
          'must be a full date (YYYY-MM-DD): a publication is as at a day',
        );
      else if (parsed.date > today)
        problem(
          'returnDate',
          input.returnDate,
          `is after today (${today}): a return cannot be as at a day still to come`,
        );
      else day = parsed.date;
    } catch {
      problem('returnDate', input.returnDate, 'must be a full date (YYYY-MM-DD)');
    }
    const key = JSON.stringify([input.programmeId, day]);
    const earlier = seen.get(key);
    if (day && earlier !== undefined)
      problem(
        'returnDate',
        input.returnDate,
        `repeats row ${earlier}: one return per programme and day`,
      );
    seen.set(key, row);
    const publishedName = text(problem, 'publishedName', input.publishedName, true);
    const publishedDepartment = text(
      problem,
      'publishedDepartment',
      input.publishedDepartment,
      true,
    );
    const category = text(problem, 'category', input.category, false);
    const note = text(problem, 'note', input.note, false);
    const wholeLifeCost = money(problem, 'wholeLifeCost', input.wholeLifeCost);
    const benefits = money(problem, 'benefits', input.benefits);
    if (problems.length === found && day) {
      byKey.set(key, {
        organisationId: organisation.id,
        programmeId: input.programmeId,
        returnDate: day,
        publishedName: publishedName!,
        publishedDepartment: publishedDepartment!,
        category,
        wholeLifeCost,
        benefits,
        note,
      });
    }
  });
  return { records: [...byKey.values()], problems };
}

/** Stores programme definitions, each replacing the name, description, category and match of the same id. Run inside a transaction. */
export async function writeProgrammes(
  tx: Pick<OrganisationDb, 'insert'>,
  records: readonly CheckedProgramme[],
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    await tx
      .insert(programmes)
      .values(records.slice(i, i + INSERT_CHUNK))
      .onConflictDoUpdate({
        target: [programmes.organisationId, programmes.id],
        set: {
          name: sql`excluded.name`,
          description: sql`excluded.description`,
          category: sql`excluded.category`,
          matchedBy: sql`excluded.matched_by`,
        },
      });
  }
}

/** Stores milestone definitions; a milestone's forecast and actual dates come from its returns and are left as they are. Run inside a transaction. */
export async function writeMilestones(
  tx: Pick<OrganisationDb, 'insert'>,
  records: readonly CheckedMilestone[],
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    await tx
      .insert(milestones)
      .values(records.slice(i, i + INSERT_CHUNK))
      .onConflictDoUpdate({
        target: [milestones.organisationId, milestones.id],
        set: {
          programmeId: sql`excluded.programme_id`,
          title: sql`excluded.title`,
          position: sql`excluded.position`,
          baselineDate: sql`excluded.baseline_date`,
          baselinePrecision: sql`excluded.baseline_precision`,
        },
      });
  }
}

/**
 * Stores programme returns, each replacing the return of the same programme and day (a corrected
 * publication); other days stay as history. The programme's forecast whole-life cost becomes its
 * latest return's, and its baseline the earliest's. Run inside a transaction.
 */
export async function writeProgrammeReturns(
  tx: Pick<OrganisationDb, 'insert' | 'execute'>,
  records: readonly CheckedProgrammeReturn[],
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    await tx
      .insert(programmeReturns)
      .values(records.slice(i, i + INSERT_CHUNK))
      .onConflictDoUpdate({
        target: [
          programmeReturns.organisationId,
          programmeReturns.programmeId,
          programmeReturns.returnDate,
        ],
        set: {
          publishedName: sql`excluded.published_name`,
          publishedDepartment: sql`excluded.published_department`,
          category: sql`excluded.category`,
          wholeLifeCost: sql`excluded.whole_life_cost`,
          benefits: sql`excluded.benefits`,
          note: sql`excluded.note`,
          recordedAt: sql`now()`,
        },
      });
  }
  const organisations = [...new Set(records.map((r) => r.organisationId))];
  if (organisations.length === 0) return;
  // Costs in GBP million as published; the programme's own columns are in GBP.
  await tx.execute(sql`
    UPDATE programmes p SET
      baseline_whole_life_cost = (SELECT r.whole_life_cost * 1e6 FROM programme_returns r
        WHERE r.organisation_id = p.organisation_id AND r.programme_id = p.id AND r.whole_life_cost IS NOT NULL ORDER BY r.return_date LIMIT 1),
      forecast_whole_life_cost = (SELECT r.whole_life_cost * 1e6 FROM programme_returns r
        WHERE r.organisation_id = p.organisation_id AND r.programme_id = p.id AND r.whole_life_cost IS NOT NULL ORDER BY r.return_date DESC LIMIT 1)
    WHERE p.organisation_id = ANY(${textArray(organisations)}::text[])
      AND EXISTS (SELECT 1 FROM programme_returns r WHERE r.organisation_id = p.organisation_id AND r.programme_id = p.id)`);
}
