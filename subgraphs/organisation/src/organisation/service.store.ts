import { sql } from 'drizzle-orm';
import type { RegistryEntry } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import { services } from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';

// Services as a publisher defines them in an import: the transactional services of a department.

/** A service as an import defines it. Sending its id again changes its name, agency and link. */
export interface ServiceSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  /** Stable key, e.g. the Transactions Explorer's slug. */
  id: string;
  name: string;
  /** The agency or body that runs it for its department (DVLA, HMCTS), when not the department itself. */
  department?: string | null;
  link?: string | null;
  row?: number;
}

/** A service id: the publisher's key for it (a slug), never a wall of text. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const MAX_TEXT = 2_000;

export interface CheckedService {
  organisationId: string;
  id: string;
  name: string;
  department: string | null;
  link: string | null;
}

/** Checks service definitions: an id of letters, digits and punctuation, a name, each id once per organisation and submission. */
export function validateServices(
  organisation: Pick<RegistryEntry, 'id'>,
  inputs: readonly ServiceSubmission[],
): { records: CheckedService[]; problems: SubmissionProblem[] } {
  const problems: SubmissionProblem[] = [];
  const records: CheckedService[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const found = problems.length;
    const problem = (field: string, value: unknown, rule: string) =>
      problems.push({ row, context: `service ${input.id}`, field, value, rule });
    if (typeof input.id !== 'string' || !ID.test(input.id))
      problem(
        'id',
        input.id ?? null,
        'must be 1-200 letters, digits, full stops, hyphens or underscores, starting with a letter or digit',
      );
    const earlier = seen.get(input.id);
    if (earlier !== undefined)
      problem('id', input.id, `repeats row ${earlier}: define each service once per submission`);
    seen.set(input.id, row);
    if (typeof input.name !== 'string' || input.name.trim() === '')
      problem('name', input.name ?? null, 'is required');
    for (const field of ['name', 'department', 'link'] as const) {
      const value = input[field];
      if (typeof value === 'string' && value.length > MAX_TEXT)
        problem(
          field,
          `${value.slice(0, 40)}...`,
          `is ${value.length} characters: at most ${MAX_TEXT}`,
        );
    }
    if (problems.length === found)
      records.push({
        organisationId: organisation.id,
        id: input.id,
        name: input.name,
        department: input.department ?? null,
        link: input.link ?? null,
      });
  });
  return { records, problems };
}

/** Stores services, each replacing the name, agency and link of the same id (its phase stays). Run inside a transaction. */
export async function writeServices(
  tx: Pick<OrganisationDb, 'insert'>,
  records: readonly CheckedService[],
): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) {
    await tx
      .insert(services)
      .values(records.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [services.organisationId, services.id],
        set: {
          name: sql`excluded.name`,
          department: sql`excluded.department`,
          link: sql`excluded.link`,
        },
      });
  }
}
