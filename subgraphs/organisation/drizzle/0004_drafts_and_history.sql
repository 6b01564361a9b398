CREATE TABLE "measurement_drafts" (
	"indicator_id" text NOT NULL,
	"service_id" text,
	"department" text,
	"period" text NOT NULL,
	"period_type" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"value" double precision,
	"numerator" double precision,
	"denominator" double precision,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measurement_drafts_natural_key" UNIQUE NULLS NOT DISTINCT("indicator_id","service_id","department","period")
);
--> statement-breakpoint
CREATE TABLE "measurement_revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "measurement_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"indicator_id" text NOT NULL,
	"service_id" text,
	"department" text,
	"period" text NOT NULL,
	"value" double precision,
	"numerator" double precision,
	"denominator" double precision,
	"status" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD CONSTRAINT "measurement_drafts_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurement_drafts" ADD CONSTRAINT "measurement_drafts_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD CONSTRAINT "measurement_revisions_indicator_id_indicators_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "indicators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurement_revisions" ADD CONSTRAINT "measurement_revisions_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measurement_drafts_period" ON "measurement_drafts" USING btree ("period");--> statement-breakpoint
CREATE INDEX "measurement_revisions_key" ON "measurement_revisions" USING btree ("indicator_id","period");