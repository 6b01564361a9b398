import { gmppSource } from './gmpp-ipa-annual/read.ts';
import { transactionsExplorerSource } from './gov-transactions-explorer/read.ts';
import { aeAttendancesSource } from './nhs-ae-attendances/read.ts';
import { lgbfSource } from './scotland-lgbf/read.ts';
import { SOURCE_IDS, type Source, type SourceId } from './source.ts';

export * from './source.ts';
export { DEPARTMENTS, departmentByCode, departmentId, successorsOf } from './departments.ts';

/** Every published data set the hub reads, by id. */
export const SOURCES: Readonly<Record<SourceId, Source>> = {
  'gmpp-ipa-annual': gmppSource,
  'gov-transactions-explorer': transactionsExplorerSource,
  'nhs-ae-attendances': aeAttendancesSource,
  'scotland-lgbf': lgbfSource,
};

/** The source of an id; throws naming the known ones. */
export function sourceOf(id: string): Source {
  if (!(SOURCE_IDS as readonly string[]).includes(id))
    throw new Error(
      `"${id}" is not a published data set the hub reads (known: ${SOURCE_IDS.join(', ')})`,
    );
  return SOURCES[id as SourceId];
}
