import type { Principal } from '@crossgov/schema/auth';

export interface InsightsContext {
  /** Today's date (ISO), fixed per request; tests fix it. */
  today: string;
  /** The caller, from the token this subgraph verified itself (anonymous without one). */
  principal: Principal;
}
