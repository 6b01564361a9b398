import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrganisationKindName } from '@crossgov/schema';
import type { SubmissionProblem } from '../problems.ts';
import { type ImportBatch, emptyBatch } from '../imports/import.parse.ts';

// A published data set read in the format its publisher releases it: its files become one import
// batch (the same sections, rules and one-transaction write as any file a department sends), with
// a report of every cell it did not take and every repair it made. An adapter is a pure function
// of the files' bytes: no database, no clock but `today`, so a test can compare what it reads with
// totals computed from the raw files on their own (docs/public-data.md).

/** One file of a data set as given: its name (relative to the data set's folder, or as the user named it) and its bytes. */
export interface SourceFile {
  name: string;
  bytes: Buffer;
}

/** Where a record came from: a file and its line (1-based, as a spreadsheet or editor shows it). */
export interface Origin {
  file: string;
  line: number;
}

/** A cell or row the adapter did not take, because the publisher marked it as not a figure or the data set's documented problems make it unusable. */
export interface NotTaken extends Origin {
  field: string;
  value: unknown;
  /** Why, in a sentence: "is the publisher's marker for not applicable (-)". */
  rule: string;
}

/** A value the adapter read differently from how it was written, and what it read it as. */
export interface Repair extends Origin {
  field: string;
  value: unknown;
  repaired: unknown;
  /** What was done and why: "two-digit year read as 20yy (the 2018 file writes dd/mm/yy)". */
  rule: string;
}

/** An organisation the data set reports on, as the registry will list it. */
export interface SourceOrganisation {
  /** Registry id: lower-case words of letters and digits joined by hyphens. */
  id: string;
  name: string;
  kind: OrganisationKindName;
  /** The code or name the publisher writes for it (DECC, RJF, Edinburgh City). */
  code: string;
  /** Groups it is compared within, e.g. "LGBF family group 2 (people)". */
  peerGroups?: string[];
  /** The organisations it became and the day each took over (machinery-of-government changes, mergers). */
  successors?: { id: string; from: string }[];
  /** Anything a reader should know about it: "no organisation names in this data set: named by ODS code". */
  note?: string;
}

/** Everything a data set's files say, ready for the one-transaction import. */
export interface SourceRead {
  source: SourceId;
  /** Every organisation with at least one record in the batch, and any the data set names without one. */
  organisations: SourceOrganisation[];
  /**
   * The records, each `row` an index into `origins` (1-based) so a problem names its file and line.
   * `batch.problems` holds rows that break a rule the adapter cannot repair: the import refuses the whole batch.
   */
  batch: ImportBatch;
  origins: Origins;
  notTaken: NotTaken[];
  repairs: Repair[];
  /** Findings about the data set as a whole: organisations that stop reporting, how projects were matched. */
  notes: string[];
}

export interface ReadOptions {
  /** Today's date (YYYY-MM-DD): a period or return after it is refused. */
  today: string;
}

export const SOURCE_IDS = [
  'gmpp-ipa-annual',
  'gov-transactions-explorer',
  'nhs-ae-attendances',
  'scotland-lgbf',
] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** The publisher (sector body) whose subgraph serves a data set's organisations. */
export interface SourcePublisher {
  id: string;
  name: string;
  /** The GraphQL entity type of its organisations. */
  typeName: string;
}

export interface Source {
  id: SourceId;
  title: string;
  publisher: SourcePublisher;
  /** The data set's files in its folder under the public data directory, relative to that folder, in the order they are read. */
  files(folder: string): string[];
  read(files: readonly SourceFile[], options: ReadOptions): SourceRead;
}

/**
 * Record rows to file lines: an adapter reads several files, while a batch's records carry one row
 * number each. `add` gives the row number for a file and line; `of` turns it back.
 */
export class Origins {
  private readonly list: Origin[] = [];

  add(file: string, line: number): number {
    this.list.push({ file, line });
    return this.list.length;
  }

  of(row: number): Origin | undefined {
    return this.list[row - 1];
  }

  get size(): number {
    return this.list.length;
  }

  /** A problem of the batch named by its file and line rather than its row number. */
  locate(problem: SubmissionProblem): SubmissionProblem & { file?: string; line?: number } {
    const origin = this.of(problem.row);
    return origin
      ? {
          ...problem,
          file: origin.file,
          line: origin.line,
          context: [`${origin.file} line ${origin.line}`, problem.context]
            .filter(Boolean)
            .join(', '),
        }
      : problem;
  }
}

/** A new, empty read of a source. */
export function emptyRead(source: SourceId): SourceRead {
  return {
    source,
    organisations: [],
    batch: emptyBatch('csv'),
    origins: new Origins(),
    notTaken: [],
    repairs: [],
    notes: [],
  };
}

/**
 * The folder of the published data sets: `CROSSGOV_PUBLIC_DATA`, else `../shared/data/public` beside
 * the project (as the project is checked out here). Tests and benchmarks read the files from there;
 * copies are never committed.
 */
export function publicDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CROSSGOV_PUBLIC_DATA) return resolve(env.CROSSGOV_PUBLIC_DATA);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return join(root, '..', 'shared', 'data', 'public');
}

/** Whether the published data sets are where `publicDataDir` says (tests of them are skipped with a reason when not). */
export const hasPublicData = (dir = publicDataDir()) => existsSync(join(dir, 'README.md'));
