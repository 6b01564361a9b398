import type { RegistryEntry } from '@crossgov/schema';
import type { Principal } from '@crossgov/schema/auth';
import { authoriseWrite } from './access.ts';
import type { OrganisationDb } from './db/client.ts';
import { type SubmissionProblem, refuse } from './problems.ts';

// Every write of an organisation's data goes one way (docs/architecture.md, "Data"): the writer is
// authorised before a row is read, every row is checked and every problem named, and only a
// submission with none is written, whole, in one transaction. The write appends its change log
// entries in that transaction and the data version moves with it (a trigger, migration 0007), so a
// reader sees all of a write or none of it.

/**
 * Rows per INSERT built with drizzle's query builder, which sends each value as its own bind
 * parameter: PostgreSQL takes at most 65,535 in one statement (the protocol counts them in 16 bits).
 * The widest table written this way, indicators, has 23 columns: 1,000 of its rows are 23,000
 * parameters, about a third of the limit. Bulk writes of figures send a column as one array
 * parameter instead and take larger chunks (BULK_CHUNK, db/arrays.ts).
 */
export const INSERT_CHUNK = 1000;

/** The transaction a write runs in. */
export type Transaction = Parameters<Parameters<OrganisationDb['transaction']>[0]>[0];

/** What a validation gives: the rows that passed every rule, ready to write, and every problem found. */
export interface Checked<R> {
  records: R[];
  problems: SubmissionProblem[];
}

/** Who writes: checked before a row is read, and named in every change log entry. */
export interface Writer {
  /** Throws UNAUTHENTICATED or FORBIDDEN when this writer may not make the write. */
  authorise(): void;
  actor: string;
}

/** Who the change log names for a caller: the token's subject, else the organisation it speaks for. */
export const actorOf = (principal: Principal) =>
  principal.subject ?? principal.organisation ?? 'unknown';

/** A caller writing one organisation's data, as its token allows (access.ts). */
export function caller(principal: Principal, organisation: RegistryEntry): Writer {
  return { authorise: () => authoriseWrite(principal, organisation), actor: actorOf(principal) };
}

/**
 * Authorises the writer, validates the submission and writes it, all of it or none: any problem
 * refuses the whole submission with every problem listed (BAD_USER_INPUT) before anything is
 * written, and the write runs in one transaction.
 */
export async function writeWhole<R>(
  db: OrganisationDb,
  writer: Writer,
  validate: () => Promise<Checked<R>>,
  write: (tx: Transaction, actor: string, records: readonly R[]) => Promise<void>,
): Promise<{ accepted: number }> {
  writer.authorise();
  const { records, problems } = await validate();
  if (problems.length > 0) refuse(problems);
  await db.transaction((tx) => write(tx, writer.actor, records));
  return { accepted: records.length };
}
