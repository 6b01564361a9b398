/**
 * The queries the benchmarks time, as strategy teams send them: every organisation's holdings (the
 * uniform query), every organisation's judgements (scorecard) and one indicator's league table.
 */
export const QUERIES = {
  uniform: `query Uniform { organisations { id name kind
    services { id name department phase }
    indicators { id code name unit polarity latest { period value numerator denominator synthetic } }
    milestones { id title baseline { date precision label } forecast { label } actual { label } } } }`,
  scorecard: `query Scorecard { organisations { id name
    scorecard(periods: 12) { indicator latest { period value target rag { status } spc { signal variation } } sincePreviousPeriod { direction } exceptions { rule } } } }`,
  league: `query League { government { league(indicator: "gds-completion-rate") {
    period reported expected overall { value } rows { rank organisationName value rag funnel { position } } notReported { organisationId } } } }`,
} as const;
