export interface InsightsContext {
  /** Today's date (ISO), fixed per request; tests fix it. */
  today: string;
}
