import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Pool, PoolClient } from 'pg';
import { queryRows } from '@crossgov/schema/db';
import type { Executor } from '../indicator/submission.store.ts';
import type { OrganisationDb } from '../db/client.ts';
import { imports } from '../db/schema.ts';

// What became of an import, asked afterwards by a client that never got its answer (the gateway
// gave up, the connection broke). "Committed" is the `imports` row, written in the import's own
// transaction. "Not committed" must be final, so an import claims its id before it reads a byte of
// the file and keeps the claim until its transaction has ended: a PostgreSQL advisory lock, seen by
// every process of the publisher, held on one connection this process keeps while it has imports
// running. A status question takes the same lock for a moment: if it gets it and there is no row,
// no import of that id is running anywhere, and none that ran committed.

/**
 * An import id: the publisher's id, a dot, then 16 to 64 letters, digits, hyphens or underscores
 * (`nhs-england.4fK...`). The publisher in it tells the gateway where to ask about it.
 */
export const IMPORT_ID = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\.([A-Za-z0-9_-]{16,64})$/;

/** A new import id for a publisher. */
export const newImportId = (publisher: string) =>
  `${publisher}.${randomBytes(16).toString('base64url')}`;

/** The publisher an import id names, or null when it is not an import id. */
export const publisherOfImportId = (id: string) => IMPORT_ID.exec(id)?.[1] ?? null;

/** The advisory lock key of an import id: a 64-bit hash, namespaced so no other lock can share it. */
const lockKey = (id: string) => sql`hashtextextended(${`crossgov-import:${id}`}, 0)`;

export type ImportState = 'COMMITTED' | 'RUNNING' | 'NOT_COMMITTED';

export interface ImportStatus {
  importId: string;
  status: ImportState;
  /** When it committed (COMMITTED only). */
  committedAt?: string;
  /** Who imported it (COMMITTED only). */
  actor?: string;
  /** What it wrote, as its answer said (COMMITTED only). */
  result?: Record<string, unknown>;
}

/**
 * Whether an import committed, is still running (in any process of this publisher), or did not
 * commit and never will under this id's running claim. Read under the claim's lock, so "not
 * committed" cannot be overtaken by a commit that was in flight.
 */
export async function importStatus(db: OrganisationDb, importId: string): Promise<ImportStatus> {
  return db.transaction(async (tx) => {
    const [{ free }] = (await queryRows<{ free: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${lockKey(importId)}) AS free`,
    )) as [{ free: boolean }];
    const [row] = await tx.select().from(imports).where(eq(imports.id, importId));
    if (row)
      return {
        importId,
        status: 'COMMITTED',
        committedAt: row.committedAt.toISOString(),
        actor: row.actor,
        result: row.result as Record<string, unknown>,
      };
    return { importId, status: free ? 'NOT_COMMITTED' : 'RUNNING' };
  });
}

/**
 * The imports this process is running, each holding its id's advisory lock on one shared
 * connection. The connection is taken from the pool when the first import starts and given back
 * when the last ends, so a publisher with no import running holds nothing.
 */
export class ImportClaims {
  readonly #pool: Pool;
  readonly #running = new Set<string>();
  #session: Promise<PoolClient> | null = null;
  #onError: (() => void) | null = null;
  /** Lock and unlock one at a time: the session is taken and given back between them. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: OrganisationDb) {
    this.#pool = (db as unknown as { $client: Pool }).$client;
  }

  /**
   * Claims an id for an import: false when an import of that id is already running, here or in
   * another process. A claim is released with {@link release}, after the import's transaction ended.
   */
  claim(importId: string): Promise<boolean> {
    return this.#serial(async () => {
      if (this.#running.has(importId)) return false;
      const session = await this.#connect();
      const { rows } = await session.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [`crossgov-import:${importId}`],
      );
      if (!rows[0]?.locked) {
        await this.#disconnectIfIdle();
        return false;
      }
      this.#running.add(importId);
      return true;
    });
  }

  release(importId: string): Promise<void> {
    return this.#serial(async () => {
      if (!this.#running.delete(importId)) return;
      const session = await this.#session?.catch(() => null);
      await session
        ?.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
          `crossgov-import:${importId}`,
        ])
        .catch(() => undefined);
      await this.#disconnectIfIdle();
    });
  }

  /**
   * Inside the import's transaction, just before it commits: refuses to commit if the claim was lost
   * (its connection broke), since a status question could then have been told "not committed".
   */
  static async confirm(tx: Executor, importId: string): Promise<void> {
    // From another session, the lock is free only if this import's claim no longer holds it.
    const [{ free }] = (await queryRows<{ free: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${lockKey(importId)}) AS free`,
    )) as [{ free: boolean }];
    if (free)
      throw new Error(
        `import ${importId} lost its claim (its lock connection broke), so it was rolled back rather than committed unseen`,
      );
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #connect(): Promise<PoolClient> {
    this.#session ??= this.#pool.connect().then((client) => {
      // A broken lock connection must not crash the process: its locks are gone with it, and the
      // imports that held them refuse to commit (confirm).
      const onError = () => {
        client.off('error', onError);
        if (this.#onError === onError) {
          this.#session = null;
          this.#onError = null;
        }
        client.release(true);
      };
      this.#onError = onError;
      client.on('error', onError);
      return client;
    });
    const session = this.#session;
    session.catch(() => {
      if (this.#session === session) this.#session = null;
    });
    return session;
  }

  async #disconnectIfIdle(): Promise<void> {
    if (this.#running.size > 0 || !this.#session) return;
    const session = this.#session;
    const onError = this.#onError;
    this.#session = null;
    this.#onError = null;
    const client = await session.catch(() => null);
    if (onError) client?.off('error', onError);
    client?.release();
  }
}
