import {
  bigint,
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

// One publisher's data: the organisations it serves, each row owned by one of them
// (`organisation_id`). Every key starts with the organisation, so two trusts of one publisher may
// both have an indicator 'ae-4-hours' or a service 'web' without meeting, and every read and write
// names the organisations it is for. Tables are unqualified: the connection's search_path puts
// them in this publisher's own PostgreSQL schema, so publishers sharing a server never see each other.

const organisationId = () => text('organisation_id').notNull();

export const services = pgTable(
  'services',
  {
    organisationId: organisationId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    department: text('department'),
    phase: text('phase').notNull().default('LIVE'),
    link: text('link'),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.id] })],
);

export const indicators = pgTable(
  'indicators',
  {
    organisationId: organisationId(),
    id: text('id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    definition: text('definition'),
    unit: text('unit').notNull(),
    polarity: text('polarity').notNull(),
    frequency: text('frequency').notNull(),
    tolerance: doublePrecision('tolerance').notNull().default(0.05),
    leadOfficer: text('lead_officer'),
    dataOwner: text('data_owner'),
    whyItMatters: text('why_it_matters'),
    /** Report card: the background to current performance (what the latest figures show, and why), as a council's card gives it. */
    background: text('background'),
    whatSuccessLooksLike: text('what_success_looks_like'),
    actions: text('actions'),
    synthetic: boolean('synthetic').notNull().default(false),
    position: integer('position').notNull().default(0),
    // SPC settings (NHSRplotthedots' fix_after_n_points and rebase): null means every point, one phase.
    spcFixAfterPoints: integer('spc_fix_after_points'),
    spcRebasePeriods: text('spc_rebase_periods').array(),
    /** The catalogue indicator this one adopts (its code); null for the organisation's own definition. */
    standard: text('standard'),
    /** The lowest and highest value a figure may take; null: the range its unit allows (docs/domain.md, "Measurements"). */
    minValue: doublePrecision('min_value'),
    maxValue: doublePrecision('max_value'),
    /**
     * How far, relatively, a published value may differ from its numerator / denominator and still agree
     * with them: for a publisher whose values are computed from parts more precise than it publishes
     * (LGBF's real-terms figures, 2%). Null: only the rounding of the figures as written (docs/domain.md, "Measurements").
     */
    agreementTolerance: doublePrecision('agreement_tolerance'),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    unique('indicators_code').on(t.organisationId, t.code),
  ],
);

/** The indicator and service a figure row belongs to, both within its own organisation. */
const figureKeys = <T extends { organisationId: never; indicatorId: never; serviceId: never }>(
  t: T,
  name: string,
) => [
  foreignKey({
    name: `${name}_indicator_fk`,
    columns: [t.organisationId, t.indicatorId],
    foreignColumns: [indicators.organisationId, indicators.id],
  }).onDelete('cascade'),
  foreignKey({
    name: `${name}_service_fk`,
    columns: [t.organisationId, t.serviceId],
    foreignColumns: [services.organisationId, services.id],
  }).onDelete('cascade'),
];

export const measurements = pgTable(
  'measurements',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    organisationId: organisationId(),
    indicatorId: text('indicator_id').notNull(),
    serviceId: text('service_id'),
    /** A member department's own figure, for a cluster reporting per department; null otherwise. */
    department: text('department'),
    period: text('period').notNull(),
    periodType: text('period_type').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    value: doublePrecision('value'),
    numerator: doublePrecision('numerator'),
    denominator: doublePrecision('denominator'),
    synthetic: boolean('synthetic').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    ...figureKeys(t as never, 'measurements'),
    // The natural key: sending the same record again replaces it instead of double counting.
    unique('measurements_natural_key')
      .on(t.organisationId, t.indicatorId, t.serviceId, t.department, t.period)
      .nullsNotDistinct(),
    index('measurements_indicator_start').on(t.organisationId, t.indicatorId, t.periodStart),
  ],
);

// Submitted figures not yet published: one row per natural key, replaced when sent again. Readers
// without the draft scope never see these; publishing a period moves them into `measurements`.
export const measurementDrafts = pgTable(
  'measurement_drafts',
  {
    organisationId: organisationId(),
    indicatorId: text('indicator_id').notNull(),
    serviceId: text('service_id'),
    department: text('department'),
    period: text('period').notNull(),
    periodType: text('period_type').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    value: doublePrecision('value'),
    numerator: doublePrecision('numerator'),
    denominator: doublePrecision('denominator'),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    ...figureKeys(t as never, 'measurement_drafts'),
    unique('measurement_drafts_natural_key')
      .on(t.organisationId, t.indicatorId, t.serviceId, t.department, t.period)
      .nullsNotDistinct(),
    index('measurement_drafts_period').on(t.organisationId, t.period),
  ],
);

// Append-only: every submission adds DRAFT rows, every publication PUBLISHED rows; nothing is
// updated or deleted, so the history of a figure keeps every value, who sent it and when.
export const measurementRevisions = pgTable(
  'measurement_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    organisationId: organisationId(),
    indicatorId: text('indicator_id').notNull(),
    serviceId: text('service_id'),
    department: text('department'),
    period: text('period').notNull(),
    value: doublePrecision('value'),
    numerator: doublePrecision('numerator'),
    denominator: doublePrecision('denominator'),
    status: text('status').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    ...figureKeys(t as never, 'measurement_revisions'),
    index('measurement_revisions_key').on(t.organisationId, t.indicatorId, t.period),
  ],
);

export const targets = pgTable(
  'targets',
  {
    organisationId: organisationId(),
    indicatorId: text('indicator_id').notNull(),
    fromPeriod: text('from_period').notNull(),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.indicatorId, t.fromPeriod] }),
    foreignKey({
      name: 'targets_indicator_fk',
      columns: [t.organisationId, t.indicatorId],
      foreignColumns: [indicators.organisationId, indicators.id],
    }).onDelete('cascade'),
  ],
);

export const programmes = pgTable(
  'programmes',
  {
    organisationId: organisationId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    seniorResponsibleOwner: text('senior_responsible_owner'),
    description: text('description'),
    // Whole-life cost in GBP: the baseline when the plan was approved, and the latest forecast.
    baselineWholeLifeCost: doublePrecision('baseline_whole_life_cost'),
    forecastWholeLifeCost: doublePrecision('forecast_whole_life_cost'),
    costNote: text('cost_note'),
    /** The category it is published under (the GMPP's annual report category). */
    category: text('category'),
    /** How a published programme was followed across publications (by GMPP ID, by name); null for one entered here. */
    matchedBy: text('matched_by'),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.id] })],
);

export const milestones = pgTable(
  'milestones',
  {
    organisationId: organisationId(),
    id: text('id').notNull(),
    programmeId: text('programme_id').notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull().default(0),
    baselineDate: date('baseline_date', { mode: 'string' }),
    baselinePrecision: text('baseline_precision'),
    forecastDate: date('forecast_date', { mode: 'string' }),
    forecastPrecision: text('forecast_precision'),
    actualDate: date('actual_date', { mode: 'string' }),
    actualPrecision: text('actual_precision'),
    sourceNote: text('source_note'),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      name: 'milestones_programme_fk',
      columns: [t.organisationId, t.programmeId],
      foreignColumns: [programmes.organisationId, programmes.id],
    }).onDelete('cascade'),
    index('milestones_programme').on(t.organisationId, t.programmeId),
  ],
);

// Every return is a snapshot: a milestone's forecast as reported on a return date. New returns add
// rows; nothing is overwritten, so a user can see how a date moved return by return.
export const milestoneForecasts = pgTable(
  'milestone_forecasts',
  {
    organisationId: organisationId(),
    milestoneId: text('milestone_id').notNull(),
    returnDate: date('return_date', { mode: 'string' }).notNull(),
    forecastDate: date('forecast_date', { mode: 'string' }).notNull(),
    forecastPrecision: text('forecast_precision').notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.milestoneId, t.returnDate] }),
    foreignKey({
      name: 'milestone_forecasts_milestone_fk',
      columns: [t.organisationId, t.milestoneId],
      foreignColumns: [milestones.organisationId, milestones.id],
    }).onDelete('cascade'),
  ],
);

// Delivery confidence assessments, IPA's and the SRO's, each dated; history is never overwritten.
export const confidenceAssessments = pgTable(
  'confidence_assessments',
  {
    organisationId: organisationId(),
    programmeId: text('programme_id').notNull(),
    assessor: text('assessor').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    assessedPrecision: text('assessed_precision').notNull(),
    scale: text('scale').notNull(),
    rating: text('rating').notNull(),
    sourceNote: text('source_note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.programmeId, t.assessor, t.assessedOn] }),
    foreignKey({
      name: 'confidence_assessments_programme_fk',
      columns: [t.organisationId, t.programmeId],
      foreignColumns: [programmes.organisationId, programmes.id],
    }).onDelete('cascade'),
  ],
);

// What each publication said of a programme as at its date: the name and department it was
// published under then (departments are renamed and merged; a return keeps the one it named), and
// its whole-life cost and benefits then. A new publication adds a row; nothing is overwritten.
export const programmeReturns = pgTable(
  'programme_returns',
  {
    organisationId: organisationId(),
    programmeId: text('programme_id').notNull(),
    returnDate: date('return_date', { mode: 'string' }).notNull(),
    publishedName: text('published_name').notNull(),
    publishedDepartment: text('published_department').notNull(),
    category: text('category'),
    /** GBP million, as published. */
    wholeLifeCost: doublePrecision('whole_life_cost'),
    /** GBP million, as published. */
    benefits: doublePrecision('benefits'),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.programmeId, t.returnDate] }),
    foreignKey({
      name: 'programme_returns_programme_fk',
      columns: [t.organisationId, t.programmeId],
      foreignColumns: [programmes.organisationId, programmes.id],
    }).onDelete('cascade'),
  ],
);

// When each return arrived, per data set ('indicator:<id>' or 'milestones') and period, so the hub
// can say what is late, by how much, and what is missing.
export const returns = pgTable(
  'returns',
  {
    organisationId: organisationId(),
    dataset: text('dataset').notNull(),
    period: text('period').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.dataset, t.period] })],
);

// Append-only history of indicator definitions, targets, milestone returns and confidence
// assessments: one entry per record added or replaced, with the row before (null when new) and
// after, who changed it and when.
export const changeLog = pgTable(
  'change_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    organisationId: organisationId(),
    /** What changed: 'indicator', 'target', 'milestone-return' or 'confidence-assessment'. */
    record: text('record').notNull(),
    /** The record's natural key, readable: '608', '608@2019-02', 'synergy-programme-1@2026-10-01'. */
    key: text('key').notNull(),
    previous: jsonb('previous'),
    current: jsonb('current').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('change_log_record_key').on(t.organisationId, t.record, t.key)],
);

// One row per file import that committed, written in the import's own transaction: the row exists
// exactly when the import's writes do, so a client can ask afterwards what became of an import
// whose answer it never received (the gateway gave up, the connection broke).
export const imports = pgTable('imports', {
  id: text('id').primaryKey(),
  /** The organisation of a single organisation's file; null for a publisher's. */
  organisationId: text('organisation_id'),
  actor: text('actor').notNull(),
  committedAt: timestamp('committed_at', { withTimezone: true, mode: 'date' })
    .notNull()
    .defaultNow(),
  /** What it wrote, as the import answered it. */
  result: jsonb('result').notNull(),
});

// A counter per organisation that every write to its data moves on (every table above but the
// append-only histories), kept by triggers in the same transaction as the write (migration
// 0007_data_versions), so no write path can forget it and every process of a publisher sees it on
// its next request. What a publisher caches of an organisation is keyed by it (src/cache.ts).
export const dataVersions = pgTable('data_versions', {
  organisationId: text('organisation_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

export type ServiceRow = typeof services.$inferSelect;
export type IndicatorRow = typeof indicators.$inferSelect;
export type MeasurementRow = typeof measurements.$inferSelect;
export type MeasurementDraftRow = typeof measurementDrafts.$inferSelect;
export type MeasurementRevisionRow = typeof measurementRevisions.$inferSelect;
export type TargetRow = typeof targets.$inferSelect;
export type ProgrammeRow = typeof programmes.$inferSelect;
export type MilestoneRow = typeof milestones.$inferSelect;
export type MilestoneForecastRow = typeof milestoneForecasts.$inferSelect;
export type ConfidenceAssessmentRow = typeof confidenceAssessments.$inferSelect;
export type ReturnRow = typeof returns.$inferSelect;
export type ProgrammeReturnRow = typeof programmeReturns.$inferSelect;
export type ChangeLogRow = typeof changeLog.$inferSelect;
export type ImportRow = typeof imports.$inferSelect;

/** A row as a seed or generator makes it, before it is given to the organisation that owns it. */
export type Unowned<T> = Omit<T, 'organisationId'>;
