import type {
  ConfidenceAssessmentRow,
  IndicatorRow,
  MilestoneForecastRow,
  MilestoneRow,
  ProgrammeRow,
  ReturnRow,
  ServiceRow,
  TargetRow,
  Unowned,
} from '../db/schema.ts';
import type { MeasurementRecord } from '../indicator/measurement.store.ts';

// Seeds describe one organisation's data without naming it; seeding an organisation gives every
// row its owner, so the same generator serves any organisation of any publisher.

export type SeedService = Unowned<ServiceRow>;
export type SeedIndicator = Unowned<IndicatorRow>;
export type SeedTarget = Unowned<TargetRow>;
export type SeedMeasurement = Unowned<MeasurementRecord>;
export type SeedProgramme = Unowned<ProgrammeRow>;
export type SeedMilestone = Unowned<MilestoneRow>;
export type SeedForecast = Unowned<MilestoneForecastRow>;
export type SeedAssessment = Unowned<ConfidenceAssessmentRow>;
export type SeedReturn = Unowned<ReturnRow>;
