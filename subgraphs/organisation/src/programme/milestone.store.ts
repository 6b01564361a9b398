import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  DATE_FORMATS,
  DatePrecision,
  type PreciseDate,
  type RegistryEntry,
  parsePreciseDate,
} from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import { type ChangeEntry, appendChanges } from '../changes/change.store.ts';
import type { OrganisationDb } from '../db/client.ts';
import {
  type MilestoneForecastRow,
  milestoneForecasts,
  milestones,
  returns,
} from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK, caller, writeWhole } from '../writes.ts';

/** One milestone's line in a return, as an organisation sends it. */
export interface MilestoneReturnSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  milestoneId: string;
  /** ISO date of the return that gives this forecast (YYYY-MM-DD). */
  returnDate: string;
  /** The forecast at its precision: 2026-03-15, 2026-03, 2026-Q1 or 2026. */
  forecast: string;
  /** When the milestone was done, at its precision; sets the milestone's actual date. Omit while it is not done. */
  actual?: string | null;
  note?: string | null;
  /** The row to name in problems (a file's line number); the 1-based position when absent. */
  row?: number;
}

/** A milestone return that passed every rule, ready to write. */
export interface CheckedMilestoneReturn {
  organisationId: string;
  milestoneId: string;
  returnDate: string;
  forecast: PreciseDate;
  actual: PreciseDate | null;
  note: string | null;
}

/** What {@link recordMilestoneForecast} takes: one return line, without an actual date. */
export type MilestoneForecastInput = Omit<MilestoneReturnSubmission, 'actual' | 'row'>;

/** The change log's key of a milestone return: milestone id and return date. */
export const milestoneReturnKey = (milestoneId: string, returnDate: string) =>
  `${milestoneId}@${returnDate}`;

const keyOf = (organisationId: string, milestoneId: string, returnDate: string) =>
  JSON.stringify([organisationId, milestoneId, returnDate]);

function quarterOf(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Parses a date at its precision, or returns the rule it broke (the parser's message, less the value it repeats). */
function parseDate(value: unknown): PreciseDate | string {
  if (typeof value !== 'string') return `must be a date: ${DATE_FORMATS}`;
  try {
    return parsePreciseDate(value);
  } catch (error) {
    return (error as Error).message.replace(`date ${JSON.stringify(value)} `, '');
  }
}

/**
 * Checks milestone returns against the rules every write path shares (mutation, CSV and JSON
 * import) and returns what is valid and every problem found; the caller refuses the whole
 * submission if any. The same milestone and return date twice: the later row wins.
 */
export async function validateMilestoneReturns(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly MilestoneReturnSubmission[],
  /** Milestones the same submission defines, written before its returns. */
  pending: ReadonlySet<string> = new Set(),
): Promise<{ records: CheckedMilestoneReturn[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const known = new Set(
    (
      await db
        .select({ id: milestones.id })
        .from(milestones)
        .where(eq(milestones.organisationId, organisation.id))
    ).map((m) => m.id),
  );
  for (const id of pending) known.add(id);
  const problems: SubmissionProblem[] = [];
  const byKey = new Map<string, CheckedMilestoneReturn>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const context = `milestone ${input.milestoneId}, return ${input.returnDate}`;
    const found = problems.length;
    const problem = (field: string, value: unknown, rule: string) =>
      problems.push({ row, context, field, value, rule });
    if (!known.has(input.milestoneId))
      problem('milestoneId', input.milestoneId, `is not a milestone of ${organisation.id}`);
    const returned = parseDate(input.returnDate);
    if (typeof returned === 'string') problem('returnDate', input.returnDate, returned);
    else if (returned.precision !== DatePrecision.DAY)
      problem(
        'returnDate',
        input.returnDate,
        'must be a full date (YYYY-MM-DD): a return is made on a day',
      );
    const forecast = parseDate(input.forecast);
    if (typeof forecast === 'string') problem('forecast', input.forecast, forecast);
    const given = input.actual ?? null;
    const actual = given === null ? null : parseDate(given);
    if (typeof actual === 'string') problem('actual', given, actual);
    else if (actual && typeof returned !== 'string' && actual.date > returned.date) {
      problem(
        'actual',
        given,
        `is after the return date ${input.returnDate}: a return can only report a milestone done by the day it is made`,
      );
    }
    if (
      problems.length > found ||
      typeof returned === 'string' ||
      typeof forecast === 'string' ||
      typeof actual === 'string'
    )
      return;
    byKey.set(keyOf(organisation.id, input.milestoneId, returned.date), {
      organisationId: organisation.id,
      milestoneId: input.milestoneId,
      returnDate: returned.date,
      forecast,
      actual,
      note: input.note ?? null,
    });
  });
  return { records: [...byKey.values()], problems };
}

interface ActualDate {
  actualDate: string | null;
  actualPrecision: string | null;
}

const snapshot = (row: MilestoneForecastRow, actual: ActualDate) => ({
  organisationId: row.organisationId,
  milestoneId: row.milestoneId,
  returnDate: row.returnDate,
  forecastDate: row.forecastDate,
  forecastPrecision: row.forecastPrecision,
  note: row.note,
  actualDate: actual.actualDate,
  actualPrecision: actual.actualPrecision,
});

/**
 * Stores checked returns, each as the forecast snapshot of its milestone and return date (sending
 * one again replaces that snapshot; earlier returns stay as they were). Each milestone's current
 * forecast becomes its latest return's; a return giving an actual date sets the milestone's; the
 * quarter's milestone return is recorded as received on the return date. One change log entry per
 * return. Run it inside a transaction.
 */
export async function writeMilestoneReturns(
  tx: Pick<OrganisationDb, 'insert' | 'select' | 'selectDistinctOn' | 'update'>,
  actor: string,
  records: readonly CheckedMilestoneReturn[],
): Promise<void> {
  // Records of several organisations (a publisher's import) are written an organisation at a time.
  const byOrganisation = new Map<string, CheckedMilestoneReturn[]>();
  for (const r of records) {
    const own = byOrganisation.get(r.organisationId);
    if (own) own.push(r);
    else byOrganisation.set(r.organisationId, [r]);
  }
  for (const [organisationId, own] of byOrganisation) {
    for (let i = 0; i < own.length; i += INSERT_CHUNK)
      await writeChunk(tx, actor, organisationId, own.slice(i, i + INSERT_CHUNK));
  }
}

async function writeChunk(
  tx: Pick<OrganisationDb, 'insert' | 'select' | 'selectDistinctOn' | 'update'>,
  actor: string,
  organisationId: string,
  chunk: readonly CheckedMilestoneReturn[],
): Promise<void> {
  const ids = [...new Set(chunk.map((r) => r.milestoneId))];
  const ofOrganisation = eq(milestones.organisationId, organisationId);
  const [existing, milestoneRows] = await Promise.all([
    tx
      .select()
      .from(milestoneForecasts)
      .where(
        and(
          eq(milestoneForecasts.organisationId, organisationId),
          inArray(milestoneForecasts.milestoneId, ids),
        ),
      ),
    tx
      .select({
        id: milestones.id,
        actualDate: milestones.actualDate,
        actualPrecision: milestones.actualPrecision,
      })
      .from(milestones)
      .where(and(ofOrganisation, inArray(milestones.id, ids))),
  ]);
  const before = new Map(
    existing.map((row) => [keyOf(organisationId, row.milestoneId, row.returnDate), row]),
  );
  const actualBefore = new Map<string, ActualDate>(milestoneRows.map((m) => [m.id, m]));
  const written = await tx
    .insert(milestoneForecasts)
    .values(
      chunk.map((r) => ({
        organisationId,
        milestoneId: r.milestoneId,
        returnDate: r.returnDate,
        forecastDate: r.forecast.date,
        forecastPrecision: r.forecast.precision,
        note: r.note,
      })),
    )
    .onConflictDoUpdate({
      target: [
        milestoneForecasts.organisationId,
        milestoneForecasts.milestoneId,
        milestoneForecasts.returnDate,
      ],
      set: {
        forecastDate: sql`excluded.forecast_date`,
        forecastPrecision: sql`excluded.forecast_precision`,
        note: sql`excluded.note`,
        recordedAt: sql`now()`,
      },
    })
    .returning();
  const after = new Map(
    written.map((row) => [keyOf(organisationId, row.milestoneId, row.returnDate), row]),
  );

  // The latest return of a milestone in this chunk that reports it done decides its actual date.
  const actualAfter = new Map(actualBefore);
  const done = new Map<string, PreciseDate>();
  for (const r of [...chunk].sort((a, b) => a.returnDate.localeCompare(b.returnDate))) {
    if (r.actual) done.set(r.milestoneId, r.actual);
  }
  // One update per milestone reported done: a return names a handful, so a batched form would buy nothing.
  for (const [id, actual] of done) {
    await tx
      .update(milestones)
      .set({ actualDate: actual.date, actualPrecision: actual.precision })
      .where(and(ofOrganisation, eq(milestones.id, id)));
    actualAfter.set(id, { actualDate: actual.date, actualPrecision: actual.precision });
  }

  const latest = tx
    .selectDistinctOn([milestoneForecasts.milestoneId], {
      milestoneId: milestoneForecasts.milestoneId,
      forecastDate: milestoneForecasts.forecastDate,
      forecastPrecision: milestoneForecasts.forecastPrecision,
    })
    .from(milestoneForecasts)
    .where(
      and(
        eq(milestoneForecasts.organisationId, organisationId),
        inArray(milestoneForecasts.milestoneId, ids),
      ),
    )
    .orderBy(milestoneForecasts.milestoneId, desc(milestoneForecasts.returnDate))
    .as('latest');
  await tx
    .update(milestones)
    .set({
      forecastDate: sql`${latest.forecastDate}`,
      forecastPrecision: sql`${latest.forecastPrecision}`,
    })
    .from(latest)
    .where(and(ofOrganisation, eq(milestones.id, latest.milestoneId)));

  // A quarter's return counts as received on its earliest return date; one already recorded stays.
  const received = new Map<string, string>();
  for (const r of [...chunk].sort((a, b) => b.returnDate.localeCompare(a.returnDate)))
    received.set(quarterOf(r.returnDate), r.returnDate);
  await tx
    .insert(returns)
    .values(
      [...received].map(([period, receivedOn]) => ({
        organisationId,
        dataset: 'milestones',
        period,
        receivedOn,
      })),
    )
    .onConflictDoNothing();

  const entries: ChangeEntry[] = chunk.map((r) => {
    const key = keyOf(organisationId, r.milestoneId, r.returnDate);
    const previous = before.get(key);
    return {
      organisationId,
      record: 'milestone-return',
      key: milestoneReturnKey(r.milestoneId, r.returnDate),
      previous: previous ? snapshot(previous, actualBefore.get(r.milestoneId)!) : null,
      current: snapshot(after.get(key)!, actualAfter.get(r.milestoneId)!),
      actor,
    };
  });
  await appendChanges(tx, entries);
}

/**
 * Records milestone returns of this organisation: each is a new forecast snapshot (history is kept,
 * not overwritten), and sending the same milestone and return date again replaces that snapshot.
 * All of it or none: one transaction, with a change log entry per return.
 */
export function recordMilestoneReturns(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  inputs: readonly MilestoneReturnSubmission[],
): Promise<{ accepted: number }> {
  return writeWhole(
    db,
    caller(principal, organisation),
    () => validateMilestoneReturns(db, organisation, inputs),
    writeMilestoneReturns,
  );
}

/**
 * Records the forecast one return gives for a milestone, without a caller to authorise: for
 * scripts and tests that act as the organisation itself. Same rules and writes as
 * {@link recordMilestoneReturns}; the change log names `actor`.
 */
export async function recordMilestoneForecast(
  db: OrganisationDb,
  organisationId: string,
  input: MilestoneForecastInput,
  actor = 'system',
): Promise<void> {
  await writeWhole(
    db,
    { authorise: () => {}, actor },
    () => validateMilestoneReturns(db, { id: organisationId }, [input]),
    writeMilestoneReturns,
  );
}
