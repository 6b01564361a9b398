import type { Publisher, RegistryEntry } from '@crossgov/schema';
import type { Principal } from '@crossgov/schema/auth';
import type { VersionedCache } from './cache.ts';
import type { OrganisationDb } from './db/client.ts';
import type { Loaders } from './loaders.ts';

export interface OrganisationContext {
  /** The publisher this subgraph is. */
  publisher: Publisher;
  /** The organisations it serves, by id: the only ones whose rows it reads or writes. */
  organisations: ReadonlyMap<string, RegistryEntry>;
  loaders: Loaders;
  /** What is kept of each organisation between requests, keyed by its data version. */
  cache: VersionedCache;
  /** The publisher's database, for writes; reads go through `loaders`. */
  db: OrganisationDb;
  /** Whether the caller sees this organisation's drafts laid over its published figures. */
  drafts(organisationId: string): boolean;
  /** Today's date (ISO), fixed per request so every status and return agrees; tests fix it. */
  today: string;
  /** The caller, from the token this subgraph verified itself (anonymous without one). */
  principal: Principal;
}
