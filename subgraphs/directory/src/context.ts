import type { Principal } from '@crossgov/schema/auth';
import type { Loaders } from './loaders.ts';

export interface DirectoryContext {
  loaders: Loaders;
  /** Today's date (ISO), fixed per request so every field agrees; tests fix it. */
  today: string;
  /** The caller, from the token this subgraph verified itself (anonymous without one). */
  principal: Principal;
}
