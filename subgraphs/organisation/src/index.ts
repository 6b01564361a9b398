// The package's API (`@crossgov/organisation`): re-exports only. The process is src/main.ts; the
// published data sets are `@crossgov/organisation/sources` (src/sources/index.ts).
export {
  createOrganisationServer,
  type ImportLimits,
  type OrganisationServerOptions,
} from './server.ts';
export {
  startOrganisationSubgraph,
  type RunningOrganisation,
  type StartOrganisationOptions,
} from './start.ts';
export { buildOrganisationSchema } from './schema.ts';
export { openOrganisationDatabase, type OrganisationDatabase } from './db/client.ts';
export { seedOrganisation, seedOrganisations, type SeedReport } from './seed/seed.ts';
export {
  recordMilestoneForecast,
  type MilestoneForecastInput,
} from './programme/milestone.store.ts';
export { importBatch, type ImportResult, type ImportProgress } from './imports/import.store.ts';
export { importRead, importSource, type SourceImportResult } from './imports/import.source.ts';
export { parseCsvImport } from './imports/import.csv.ts';
export { parseJsonImport, type ImportBatch } from './imports/import.parse.ts';
export {
  submitMeasurements,
  publishPeriod,
  type MeasurementSubmission,
  type SubmissionProblem,
} from './indicator/submission.store.ts';
export {
  setTargets,
  validateTargets,
  writeTargets,
  type TargetSubmission,
  type CheckedTarget,
} from './indicator/target.store.ts';
export {
  recordMilestoneReturns,
  validateMilestoneReturns,
  writeMilestoneReturns,
  type MilestoneReturnSubmission,
  type CheckedMilestoneReturn,
} from './programme/milestone.store.ts';
export {
  recordConfidenceAssessments,
  validateConfidenceAssessments,
  writeConfidenceAssessments,
  type ConfidenceAssessmentSubmission,
  type CheckedConfidenceAssessment,
} from './programme/confidence.store.ts';
export {
  appendChanges,
  readChanges,
  type ChangeEntry,
  type ChangeKind,
} from './changes/change.store.ts';
