CREATE TABLE "indicators" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"definition" text,
	"unit" text NOT NULL,
	"polarity" text NOT NULL,
	"frequency" text NOT NULL,
	"tolerance" double precision DEFAULT 0.05 NOT NULL,
	"lead_officer" text,
	"data_owner" text,
	"why_it_matters" text,
	"what_success_looks_like" text,
	"actions" text,
	"synthetic" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "measurements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"indicator_id" text NOT NULL,
	"service_id" text,
	"period" text NOT NULL,
	"period_type" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision,
	"numerator" double precision,
	"denominator" double precision,
	"synthetic" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measurements_natural_key" UNIQUE NULLS NOT DISTINCT("indicator_id","service_id","period")
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"title" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"baseline_date" date,
	"baseline_precision" text,
	"forecast_date" date,
	"forecast_precision" text,
	"actual_date" date,
	"actual_precision" text,
	"source_note" text
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"senior_responsible_owner" text,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text,
	"phase" text DEFAULT 'LIVE' NOT NULL,
	"link" text
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"indicator_id" text NOT NULL,
	"from_period" text NOT NULL,
	"from_date" date NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "targets_indicator_id_from_period_pk" PRIMARY KEY("indicator_id","from_period")
);
--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measurements_indicator_start" ON "measurements" USING btree ("indicator_id","period_start");--> statement-breakpoint
CREATE INDEX "milestones_programme" ON "milestones" USING btree ("programme_id");