CREATE TABLE "imports" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text,
	"actor" text NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "min_value" double precision;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "max_value" double precision;