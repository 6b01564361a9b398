-- Published data sets (src/sources): programmes' category and how they were followed across
-- publications, each publication's return of a programme (name, department, whole-life cost and
-- benefits as published then), and how far a published value may differ from its parts.
CREATE TABLE "programme_returns" (
	"organisation_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"return_date" date NOT NULL,
	"published_name" text NOT NULL,
	"published_department" text NOT NULL,
	"category" text,
	"whole_life_cost" double precision,
	"benefits" double precision,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_returns_organisation_id_programme_id_return_date_pk" PRIMARY KEY("organisation_id","programme_id","return_date")
);
--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "agreement_tolerance" double precision;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "matched_by" text;--> statement-breakpoint
ALTER TABLE "programme_returns" ADD CONSTRAINT "programme_returns_programme_fk" FOREIGN KEY ("organisation_id","programme_id") REFERENCES "programmes"("organisation_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TRIGGER "programme_returns_insert_version" AFTER INSERT ON "programme_returns" REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_versions"();
--> statement-breakpoint
CREATE TRIGGER "programme_returns_update_version" AFTER UPDATE ON "programme_returns" REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_versions"();
--> statement-breakpoint
CREATE TRIGGER "programme_returns_delete_version" AFTER DELETE ON "programme_returns" REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_versions"();
