import { and, eq, inArray, sql } from 'drizzle-orm';
import { DatePrecision, type RegistryEntry } from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import { type ChangeEntry, appendChanges } from '../changes/change.store.ts';
import type { OrganisationDb } from '../db/client.ts';
import { type ConfidenceAssessmentRow, confidenceAssessments, programmes } from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK, caller, writeWhole } from '../writes.ts';
import {
  type Assessor,
  type DcaRating,
  type DcaScale,
  checkAssessment,
} from './confidence.rules.ts';

/** A delivery confidence assessment as an organisation sends it. */
export interface ConfidenceAssessmentSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  programmeId: string;
  assessor: Assessor;
  /** The day it was assessed (YYYY-MM-DD). */
  assessedOn: string;
  scale: DcaScale;
  rating: DcaRating;
  sourceNote?: string | null;
  /** The row to name in problems (a file's line number); the 1-based position when absent. */
  row?: number;
}

/** An assessment that passed every rule, ready to write. */
export interface CheckedConfidenceAssessment {
  organisationId: string;
  programmeId: string;
  assessor: Assessor;
  assessedOn: string;
  scale: DcaScale;
  rating: DcaRating;
  sourceNote: string | null;
}

/** The change log's key of an assessment: programme, assessor and day, 'synergy-programme/IPA/2023-07-01'. */
export const assessmentKey = (programmeId: string, assessor: string, assessedOn: string) =>
  `${programmeId}/${assessor}/${assessedOn}`;

const keyOf = (organisationId: string, programmeId: string, assessor: string, assessedOn: string) =>
  JSON.stringify([organisationId, programmeId, assessor, assessedOn]);

/**
 * Checks assessments against the rules every write path shares (mutation, CSV and JSON import):
 * the programme is this organisation's, and `checkAssessment`'s rules on assessor, scale, rating
 * and date. Returns what is valid and every problem found; the caller refuses the whole submission
 * if any. The same programme, assessor and day twice: the later row wins.
 */
export async function validateConfidenceAssessments(
  db: Pick<OrganisationDb, 'select'>,
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly ConfidenceAssessmentSubmission[],
  /** Programmes the same submission defines, written before its assessments. */
  pending: ReadonlySet<string> = new Set(),
): Promise<{ records: CheckedConfidenceAssessment[]; problems: SubmissionProblem[] }> {
  if (inputs.length === 0) return { records: [], problems: [] };
  const known = new Set(
    (
      await db
        .select({ id: programmes.id })
        .from(programmes)
        .where(eq(programmes.organisationId, organisation.id))
    ).map((p) => p.id),
  );
  for (const id of pending) known.add(id);
  const problems: SubmissionProblem[] = [];
  const byKey = new Map<string, CheckedConfidenceAssessment>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const context = `programme ${input.programmeId}, ${input.assessor} assessment of ${input.assessedOn}`;
    const found = problems.length;
    if (!known.has(input.programmeId))
      problems.push({
        row,
        context,
        field: 'programmeId',
        value: input.programmeId,
        rule: `is not a programme of ${organisation.id}`,
      });
    problems.push(...checkAssessment(input).map((p) => ({ row, context, ...p })));
    if (problems.length > found) return;
    const record = {
      organisationId: organisation.id,
      programmeId: input.programmeId,
      assessor: input.assessor,
      assessedOn: input.assessedOn,
      scale: input.scale,
      rating: input.rating,
      sourceNote: input.sourceNote ?? null,
    };
    byKey.set(
      keyOf(record.organisationId, record.programmeId, record.assessor, record.assessedOn),
      record,
    );
  });
  return { records: [...byKey.values()], problems };
}

const snapshot = (row: ConfidenceAssessmentRow) => ({
  organisationId: row.organisationId,
  programmeId: row.programmeId,
  assessor: row.assessor,
  assessedOn: row.assessedOn,
  assessedPrecision: row.assessedPrecision,
  scale: row.scale,
  rating: row.rating,
  sourceNote: row.sourceNote,
});

/**
 * Stores checked assessments, each replacing the assessment of the same programme, assessor and
 * day (other days are history and stay), and appends one change log entry for each. Run it inside
 * a transaction.
 */
export async function writeConfidenceAssessments(
  tx: Pick<OrganisationDb, 'insert' | 'select'>,
  actor: string,
  records: readonly CheckedConfidenceAssessment[],
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = records.slice(i, i + INSERT_CHUNK);
    const existing = await tx
      .select()
      .from(confidenceAssessments)
      .where(
        and(
          inArray(confidenceAssessments.organisationId, [
            ...new Set(chunk.map((r) => r.organisationId)),
          ]),
          inArray(confidenceAssessments.programmeId, [...new Set(chunk.map((r) => r.programmeId))]),
        ),
      );
    const before = new Map(
      existing.map((row) => [
        keyOf(row.organisationId, row.programmeId, row.assessor, row.assessedOn),
        row,
      ]),
    );
    const written = await tx
      .insert(confidenceAssessments)
      .values(chunk.map((r) => ({ ...r, assessedPrecision: DatePrecision.DAY })))
      .onConflictDoUpdate({
        target: [
          confidenceAssessments.organisationId,
          confidenceAssessments.programmeId,
          confidenceAssessments.assessor,
          confidenceAssessments.assessedOn,
        ],
        set: {
          assessedPrecision: sql`excluded.assessed_precision`,
          scale: sql`excluded.scale`,
          rating: sql`excluded.rating`,
          sourceNote: sql`excluded.source_note`,
          recordedAt: sql`now()`,
        },
      })
      .returning();
    const after = new Map(
      written.map((row) => [
        keyOf(row.organisationId, row.programmeId, row.assessor, row.assessedOn),
        row,
      ]),
    );
    const entries: ChangeEntry[] = chunk.map((r) => {
      const key = keyOf(r.organisationId, r.programmeId, r.assessor, r.assessedOn);
      const previous = before.get(key);
      return {
        organisationId: r.organisationId,
        record: 'confidence-assessment',
        key: assessmentKey(r.programmeId, r.assessor, r.assessedOn),
        previous: previous ? snapshot(previous) : null,
        current: snapshot(after.get(key)!),
        actor,
      };
    });
    await appendChanges(tx, entries);
  }
}

/**
 * Records delivery confidence assessments of this organisation's programmes: each is dated and
 * kept as history; sending the same programme, assessor and day again replaces it. All of it or
 * none: one transaction, with a change log entry per assessment.
 */
export function recordConfidenceAssessments(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  inputs: readonly ConfidenceAssessmentSubmission[],
): Promise<{ accepted: number }> {
  return writeWhole(
    db,
    caller(principal, organisation),
    () => validateConfidenceAssessments(db, organisation, inputs),
    writeConfidenceAssessments,
  );
}
