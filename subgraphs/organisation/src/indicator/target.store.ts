import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  PERIOD_FORMATS,
  type Period,
  type RegistryEntry,
  parsePeriod,
  valueRule,
} from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import { type ChangeEntry, appendChanges } from '../changes/change.store.ts';
import type { OrganisationDb } from '../db/client.ts';
import { type TargetRow, indicators, targets } from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK, caller, writeWhole } from '../writes.ts';
import type { PendingIndicator } from './definition.store.ts';

/** A target as an organisation sends it, naming its indicator by code. */
export interface TargetSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  indicatorCode: string;
  /** The first period it applies to: 2019-02, 2024-Q3, 2024/25-Q1, 2024 or 2024/25. */
  fromPeriod: string;
  value: number;
  /** The row to name in problems (a file's line number); the 1-based position when absent. */
  row?: number;
}

/** A target that passed every rule, ready to write. */
export interface CheckedTarget {
  organisationId: string;
  indicatorId: string;
  indicatorCode: string;
  period: Period;
  value: number;
}

/** The change log's key of a target: indicator code and first period, '608@2019-02'. */
export const targetKey = (code: string, fromPeriod: string) => `${code}@${fromPeriod}`;

const keyOf = (indicatorId: string, fromPeriod: string, organisationId = '') =>
  JSON.stringify([organisationId, indicatorId, fromPeriod]);

/**
 * Checks targets against the rules every write path shares (mutation, CSV and JSON import) and
 * returns what is valid and every problem found; the caller refuses the whole submission if any.
 * The same target twice in one submission: the later row wins, as if it were sent again.
 */
export async function validateTargets(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly TargetSubmission[],
  /** Indicators the same submission defines, not written yet. */
  pending: readonly PendingIndicator[] = [],
): Promise<{ records: CheckedTarget[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const [indicatorRows, targetRows] = await Promise.all([
    db
      .select({
        id: indicators.id,
        code: indicators.code,
        unit: indicators.unit,
        minValue: indicators.minValue,
        maxValue: indicators.maxValue,
      })
      .from(indicators)
      .where(eq(indicators.organisationId, organisation.id)),
    db
      .select({
        indicatorId: targets.indicatorId,
        fromPeriod: targets.fromPeriod,
        fromDate: targets.fromDate,
      })
      .from(targets)
      .where(eq(targets.organisationId, organisation.id)),
  ]);
  const byCode = new Map([...indicatorRows, ...pending].map((row) => [row.code, row]));
  // Which period each indicator's targets start on, to spot two periods starting the same day.
  const starts = new Map(
    targetRows.map((t) => [JSON.stringify([t.indicatorId, t.fromDate]), t.fromPeriod]),
  );
  const problems: SubmissionProblem[] = [];
  const byKey = new Map<string, CheckedTarget>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const context = `indicator ${input.indicatorCode}, from ${input.fromPeriod}`;
    const found = problems.length;
    const problem = (field: string, value: unknown, rule: string) =>
      problems.push({ row, context, field, value, rule });
    const indicator = byCode.get(input.indicatorCode);
    if (!indicator)
      problem('indicatorCode', input.indicatorCode, `is not an indicator of ${organisation.id}`);
    let period: Period | undefined;
    try {
      period = parsePeriod(input.fromPeriod);
    } catch {
      problem('fromPeriod', input.fromPeriod, `must be a period: ${PERIOD_FORMATS}`);
    }
    // A target obeys the range its figures do (docs/domain.md, "Measurements"): RAG compares them.
    if (typeof input.value !== 'number' || !Number.isFinite(input.value))
      problem('value', input.value, 'must be a finite number');
    else if (indicator) {
      const rule = valueRule(input.value, indicator.unit, indicator, false);
      if (rule) problem('value', input.value, rule);
    }
    if (!indicator || !period || problems.length > found) return;
    // A target applies from its period's first day; two targets of one indicator starting the same
    // day (2019-01 and 2019-Q1) would leave it undefined which one is in force.
    const startKey = JSON.stringify([indicator.id, period.start]);
    const other = starts.get(startKey);
    if (other !== undefined && other !== period.label) {
      problem(
        'fromPeriod',
        input.fromPeriod,
        `starts on ${period.start}, as indicator ${indicator.code}'s target from ${other} does: send ${other} to replace that target`,
      );
      return;
    }
    starts.set(startKey, period.label);
    byKey.set(keyOf(indicator.id, period.label), {
      organisationId: organisation.id,
      indicatorId: indicator.id,
      indicatorCode: indicator.code,
      period,
      value: input.value,
    });
  });
  return { records: [...byKey.values()], problems };
}

const snapshot = (row: TargetRow) => ({
  organisationId: row.organisationId,
  indicatorId: row.indicatorId,
  fromPeriod: row.fromPeriod,
  fromDate: row.fromDate,
  value: row.value,
});

/**
 * Stores checked targets, each replacing the target of the same indicator and first period, and
 * appends one change log entry for each. Run it inside a transaction.
 */
export async function writeTargets(
  tx: Pick<OrganisationDb, 'insert' | 'select'>,
  actor: string,
  records: readonly CheckedTarget[],
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = records.slice(i, i + INSERT_CHUNK);
    const existing = await tx
      .select()
      .from(targets)
      .where(
        and(
          inArray(targets.organisationId, [...new Set(chunk.map((r) => r.organisationId))]),
          inArray(targets.indicatorId, [...new Set(chunk.map((r) => r.indicatorId))]),
        ),
      );
    const before = new Map(
      existing.map((row) => [keyOf(row.indicatorId, row.fromPeriod, row.organisationId), row]),
    );
    const written = await tx
      .insert(targets)
      .values(
        chunk.map((r) => ({
          organisationId: r.organisationId,
          indicatorId: r.indicatorId,
          fromPeriod: r.period.label,
          fromDate: r.period.start,
          value: r.value,
        })),
      )
      .onConflictDoUpdate({
        target: [targets.organisationId, targets.indicatorId, targets.fromPeriod],
        set: { fromDate: sql`excluded.from_date`, value: sql`excluded.value` },
      })
      .returning();
    const after = new Map(
      written.map((row) => [keyOf(row.indicatorId, row.fromPeriod, row.organisationId), row]),
    );
    const entries: ChangeEntry[] = chunk.map((r) => {
      const key = keyOf(r.indicatorId, r.period.label, r.organisationId);
      const previous = before.get(key);
      return {
        organisationId: r.organisationId,
        record: 'target',
        key: targetKey(r.indicatorCode, r.period.label),
        previous: previous ? snapshot(previous) : null,
        current: snapshot(after.get(key)!),
        actor,
      };
    });
    await appendChanges(tx, entries);
  }
}

/**
 * Sets targets of this organisation's indicators: each applies from its period until a later
 * target; sending one again (same indicator and period) replaces it. All of it or none: one
 * transaction, with a change log entry per target.
 */
export function setTargets(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  inputs: readonly TargetSubmission[],
): Promise<{ accepted: number }> {
  return writeWhole(
    db,
    caller(principal, organisation),
    () => validateTargets(db, organisation, inputs),
    writeTargets,
  );
}
