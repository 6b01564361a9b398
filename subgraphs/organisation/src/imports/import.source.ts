import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { RequestError } from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import type { OrganisationDb } from '../db/client.ts';
import type { SubmissionProblem } from '../problems.ts';
import type { NotTaken, Repair, Source, SourceFile, SourceRead } from '../sources/source.ts';
import {
  type ImportOptions,
  type ImportResult,
  type ImportScope,
  importBatch,
} from './import.store.ts';

// A published data set imported in its publisher's own format (src/sources): its adapter reads the
// files into one batch, which goes through the same rules and the same one-transaction write as
// any CSV or JSON file. Its figures are published figures, so they are written published. The
// answer adds the adapter's report: every cell it did not take and every repair it made.

/** What a published data set's import wrote, and the adapter's report. */
export interface SourceImportResult extends ImportResult {
  source: string;
  files: string[];
  notTaken: NotTaken[];
  repairs: Repair[];
  notes: string[];
}

/** Files in one upload at most: a data set's publications (GMPP has 10, the Transactions Explorer 12). */
export const MAX_SOURCE_FILES = 64;

/**
 * The files of a `multipart/form-data` upload (`curl -F file=@uk_2014.csv -F file=@uk_2015.csv`),
 * each named by the file name its part gives. The upload's own byte limit applies to the whole body.
 */
export async function readSourceFiles(
  chunks: AsyncIterable<Buffer>,
  contentType: string | undefined,
): Promise<SourceFile[]> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw new RequestError(
      'BAD_REQUEST',
      `send a published data set's files as multipart/form-data, one part per file (curl -F file=@uk_2014.csv -F file=@uk_2015.csv); content-type ${JSON.stringify(contentType ?? null)} is not; nothing was imported`,
      { reason: 'UNSUPPORTED_MEDIA_TYPE' },
    );
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { files: MAX_SOURCE_FILES, fields: 0 },
      preservePath: true,
    });
  } catch (error) {
    throw new RequestError(
      'BAD_REQUEST',
      `the multipart upload cannot be read: ${(error as Error).message}; nothing was imported`,
    );
  }
  const files: Promise<SourceFile>[] = [];
  let tooMany = false;
  parser.on('file', (_field, stream, info) => {
    files.push(
      (async () => {
        const parts: Buffer[] = [];
        for await (const part of stream as AsyncIterable<Buffer>) parts.push(part);
        return { name: info.filename || `part ${files.length + 1}`, bytes: Buffer.concat(parts) };
      })(),
    );
  });
  parser.on('filesLimit', () => {
    tooMany = true;
  });
  try {
    await pipeline(Readable.from(chunks), parser);
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw new RequestError(
      'BAD_REQUEST',
      `the multipart upload cannot be read: ${(error as Error).message}; nothing was imported`,
    );
  }
  if (tooMany)
    throw new RequestError(
      'BAD_REQUEST',
      `a data set is imported in at most ${MAX_SOURCE_FILES} files at once; nothing was imported`,
    );
  const read = await Promise.all(files);
  if (read.length === 0)
    throw new RequestError(
      'BAD_REQUEST',
      "the upload holds no file: send each of the data set's files as a part (curl -F file=@uk_2014.csv); nothing was imported",
    );
  return read;
}

/**
 * Imports a published data set: reads its files with its adapter, then imports the batch in one
 * transaction (published), refusing the whole of it when any record breaks a rule, each problem
 * named by its file and line.
 */
export async function importSource(
  db: OrganisationDb,
  principal: Principal,
  scope: ImportScope,
  source: Source,
  files: readonly SourceFile[],
  options: Omit<ImportOptions, 'publish' | 'locate'>,
): Promise<SourceImportResult> {
  const read = source.read(files, { today: options.today });
  return importRead(
    db,
    principal,
    scope,
    read,
    files.map((f) => f.name),
    options,
  );
}

/** Imports what an adapter read (the start-up seed reads once and imports what it read). */
export async function importRead(
  db: OrganisationDb,
  principal: Principal,
  scope: ImportScope,
  read: SourceRead,
  files: string[],
  options: Omit<ImportOptions, 'publish' | 'locate'>,
): Promise<SourceImportResult> {
  const locate = (problem: SubmissionProblem) => read.origins.locate(problem);
  const result = await importBatch(db, principal, scope, read.batch, {
    ...options,
    publish: true,
    locate,
    report: {
      source: read.source,
      files,
      notTaken: read.notTaken,
      repairs: read.repairs,
      notes: read.notes,
    },
  });
  return result as SourceImportResult;
}
