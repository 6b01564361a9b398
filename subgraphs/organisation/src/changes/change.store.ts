import { type SQL, and, desc, eq } from 'drizzle-orm';
import type { OrganisationDb } from '../db/client.ts';
import { type ChangeLogRow, changeLog } from '../db/schema.ts';
import { INSERT_CHUNK } from '../writes.ts';

/** What the change log records. */
export type ChangeKind = 'indicator' | 'target' | 'milestone-return' | 'confidence-assessment';

/** One record added or replaced: its row before (null when new) and after, and who changed it. */
export interface ChangeEntry {
  organisationId: string;
  record: ChangeKind;
  /** The record's natural key, readable: '608@2019-02', 'synergy-programme-1@2026-10-01'. */
  key: string;
  previous: Record<string, unknown> | null;
  current: Record<string, unknown>;
  actor: string;
}

/** Appends entries to the change log; run it in the transaction that made the changes, so both or neither are kept. */
export async function appendChanges(
  tx: Pick<OrganisationDb, 'insert'>,
  entries: readonly ChangeEntry[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += INSERT_CHUNK)
    await tx.insert(changeLog).values(entries.slice(i, i + INSERT_CHUNK));
}

export interface ChangeQuery {
  /** Whose changes: one organisation's rows only. */
  organisationId: string;
  record?: string | null;
  key?: string | null;
  /** @default 100 */
  limit?: number;
}

/** Entries of the change log, newest first, optionally of one kind of record and one key. */
export async function readChanges(
  db: Pick<OrganisationDb, 'select'>,
  query: ChangeQuery,
): Promise<ChangeLogRow[]> {
  const filters: SQL[] = [eq(changeLog.organisationId, query.organisationId)];
  if (query.record) filters.push(eq(changeLog.record, query.record));
  if (query.key) filters.push(eq(changeLog.key, query.key));
  // The identity orders entries written in one transaction too, where now() is the same for all.
  return db
    .select()
    .from(changeLog)
    .where(and(...filters))
    .orderBy(desc(changeLog.id))
    .limit(query.limit ?? 100);
}
