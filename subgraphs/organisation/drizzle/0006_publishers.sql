-- Publishers: one database serves every organisation of its publisher, so every row names its
-- organisation and every key starts with it (docs/architecture.md, "Publishers"). Rows written
-- before this migration belonged to the schema's only organisation, whose id was the schema's name
-- unless DATABASE_SCHEMA said otherwise: they are given current_schema() as their organisation.
ALTER TABLE "confidence_assessments" DROP CONSTRAINT "confidence_assessments_programme_id_programmes_id_fk";
--> statement-breakpoint
ALTER TABLE "measurement_drafts" DROP CONSTRAINT "measurement_drafts_indicator_id_indicators_id_fk";
--> statement-breakpoint
ALTER TABLE "measurement_drafts" DROP CONSTRAINT "measurement_drafts_service_id_services_id_fk";
--> statement-breakpoint
ALTER TABLE "measurement_revisions" DROP CONSTRAINT "measurement_revisions_indicator_id_indicators_id_fk";
--> statement-breakpoint
ALTER TABLE "measurement_revisions" DROP CONSTRAINT "measurement_revisions_service_id_services_id_fk";
--> statement-breakpoint
ALTER TABLE "measurements" DROP CONSTRAINT "measurements_indicator_id_indicators_id_fk";
--> statement-breakpoint
ALTER TABLE "measurements" DROP CONSTRAINT "measurements_service_id_services_id_fk";
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" DROP CONSTRAINT "milestone_forecasts_milestone_id_milestones_id_fk";
--> statement-breakpoint
ALTER TABLE "milestones" DROP CONSTRAINT "milestones_programme_id_programmes_id_fk";
--> statement-breakpoint
ALTER TABLE "targets" DROP CONSTRAINT "targets_indicator_id_indicators_id_fk";
--> statement-breakpoint
ALTER TABLE "measurement_drafts" DROP CONSTRAINT "measurement_drafts_natural_key";
--> statement-breakpoint
ALTER TABLE "measurements" DROP CONSTRAINT "measurements_natural_key";
--> statement-breakpoint
DROP INDEX "change_log_record_key";
--> statement-breakpoint
DROP INDEX "measurement_drafts_period";
--> statement-breakpoint
DROP INDEX "measurement_revisions_key";
--> statement-breakpoint
DROP INDEX "measurements_indicator_start";
--> statement-breakpoint
DROP INDEX "milestones_programme";
--> statement-breakpoint
ALTER TABLE "confidence_assessments" DROP CONSTRAINT "confidence_assessments_programme_id_assessor_assessed_on_pk";
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" DROP CONSTRAINT "milestone_forecasts_milestone_id_return_date_pk";
--> statement-breakpoint
ALTER TABLE "returns" DROP CONSTRAINT "returns_dataset_period_pk";
--> statement-breakpoint
ALTER TABLE "targets" DROP CONSTRAINT "targets_indicator_id_from_period_pk";
--> statement-breakpoint
ALTER TABLE "indicators" DROP CONSTRAINT "indicators_pkey";
--> statement-breakpoint
ALTER TABLE "milestones" DROP CONSTRAINT "milestones_pkey";
--> statement-breakpoint
ALTER TABLE "programmes" DROP CONSTRAINT "programmes_pkey";
--> statement-breakpoint
ALTER TABLE "services" DROP CONSTRAINT "services_pkey";
--> statement-breakpoint
ALTER TABLE "change_log" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "change_log" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "confidence_assessments" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "confidence_assessments" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "indicators" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "standard" text;
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "measurement_revisions" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "measurements" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "measurements" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "milestones" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "milestones" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "programmes" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "returns" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "returns" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "services" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "organisation_id" text NOT NULL DEFAULT current_schema();
--> statement-breakpoint
ALTER TABLE "targets" ALTER COLUMN "organisation_id" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "confidence_assessments" ADD CONSTRAINT "confidence_assessments_organisation_id_programme_id_assessor_assessed_on_pk" PRIMARY KEY("organisation_id","programme_id","assessor","assessed_on");
--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_organisation_id_id_pk" PRIMARY KEY("organisation_id","id");
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" ADD CONSTRAINT "milestone_forecasts_organisation_id_milestone_id_return_date_pk" PRIMARY KEY("organisation_id","milestone_id","return_date");
--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_organisation_id_id_pk" PRIMARY KEY("organisation_id","id");
--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_organisation_id_id_pk" PRIMARY KEY("organisation_id","id");
--> statement-breakpoint
ALTER TABLE "returns" ADD CONSTRAINT "returns_organisation_id_dataset_period_pk" PRIMARY KEY("organisation_id","dataset","period");
--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_organisation_id_id_pk" PRIMARY KEY("organisation_id","id");
--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_organisation_id_indicator_id_from_period_pk" PRIMARY KEY("organisation_id","indicator_id","from_period");
--> statement-breakpoint
ALTER TABLE "confidence_assessments" ADD CONSTRAINT "confidence_assessments_programme_fk" FOREIGN KEY ("organisation_id","programme_id") REFERENCES "programmes"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD CONSTRAINT "measurement_drafts_indicator_fk" FOREIGN KEY ("organisation_id","indicator_id") REFERENCES "indicators"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD CONSTRAINT "measurement_drafts_service_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD CONSTRAINT "measurement_revisions_indicator_fk" FOREIGN KEY ("organisation_id","indicator_id") REFERENCES "indicators"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD CONSTRAINT "measurement_revisions_service_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_indicator_fk" FOREIGN KEY ("organisation_id","indicator_id") REFERENCES "indicators"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_service_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "milestone_forecasts" ADD CONSTRAINT "milestone_forecasts_milestone_fk" FOREIGN KEY ("organisation_id","milestone_id") REFERENCES "milestones"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_programme_fk" FOREIGN KEY ("organisation_id","programme_id") REFERENCES "programmes"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_indicator_fk" FOREIGN KEY ("organisation_id","indicator_id") REFERENCES "indicators"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_code" UNIQUE("organisation_id","code");
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD CONSTRAINT "measurement_drafts_natural_key" UNIQUE NULLS NOT DISTINCT("organisation_id","indicator_id","service_id","department","period");
--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_natural_key" UNIQUE NULLS NOT DISTINCT("organisation_id","indicator_id","service_id","department","period");
--> statement-breakpoint
CREATE INDEX "change_log_record_key" ON "change_log" USING btree ("organisation_id","record","key");
--> statement-breakpoint
CREATE INDEX "measurement_drafts_period" ON "measurement_drafts" USING btree ("organisation_id","period");
--> statement-breakpoint
CREATE INDEX "measurement_revisions_key" ON "measurement_revisions" USING btree ("organisation_id","indicator_id","period");
--> statement-breakpoint
CREATE INDEX "measurements_indicator_start" ON "measurements" USING btree ("organisation_id","indicator_id","period_start");
--> statement-breakpoint
CREATE INDEX "milestones_programme" ON "milestones" USING btree ("organisation_id","programme_id");
