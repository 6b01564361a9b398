import type { Principal, RegistryEntry } from '@crossgov/schema';
import type { OrganisationDb } from './db/client.ts';
import type { Loaders } from './loaders.ts';

export interface OrganisationContext {
  /** The organisation this subgraph serves. */
  organisation: RegistryEntry;
  loaders: Loaders;
  /** This organisation's database, for writes; reads go through `loaders`. */
  db: OrganisationDb;
  /** Whether the caller sees this organisation's drafts laid over its published figures. */
  drafts: boolean;
  /** Today's date (ISO), fixed per request so every status and return agrees; tests fix it. */
  today: string;
  /** The caller, from the token this subgraph verified itself (anonymous without one). */
  principal: Principal;
}
