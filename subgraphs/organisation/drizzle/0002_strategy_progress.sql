CREATE TABLE "confidence_assessments" (
	"programme_id" text NOT NULL,
	"assessor" text NOT NULL,
	"assessed_on" date NOT NULL,
	"assessed_precision" text NOT NULL,
	"scale" text NOT NULL,
	"rating" text NOT NULL,
	"source_note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "confidence_assessments_programme_id_assessor_assessed_on_pk" PRIMARY KEY("programme_id","assessor","assessed_on")
);
--> statement-breakpoint
CREATE TABLE "milestone_forecasts" (
	"milestone_id" text NOT NULL,
	"return_date" date NOT NULL,
	"forecast_date" date NOT NULL,
	"forecast_precision" text NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "milestone_forecasts_milestone_id_return_date_pk" PRIMARY KEY("milestone_id","return_date")
);
--> statement-breakpoint
CREATE TABLE "returns" (
	"dataset" text NOT NULL,
	"period" text NOT NULL,
	"received_on" date NOT NULL,
	CONSTRAINT "returns_dataset_period_pk" PRIMARY KEY("dataset","period")
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "baseline_whole_life_cost" double precision;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "forecast_whole_life_cost" double precision;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "cost_note" text;--> statement-breakpoint
ALTER TABLE "confidence_assessments" ADD CONSTRAINT "confidence_assessments_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestone_forecasts" ADD CONSTRAINT "milestone_forecasts_milestone_id_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "milestones"("id") ON DELETE cascade ON UPDATE no action;