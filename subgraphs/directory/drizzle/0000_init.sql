CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"organisation_id" text NOT NULL,
	"department_code" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	CONSTRAINT "memberships_organisation_id_department_code_from_date_pk" PRIMARY KEY("organisation_id","department_code","from_date")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"type_name" text NOT NULL,
	"lead" text
);
--> statement-breakpoint
CREATE TABLE "standard_indicators" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"polarity" text NOT NULL,
	"frequency" text NOT NULL,
	"definition" text NOT NULL,
	"numerator" text,
	"denominator" text,
	"family" text NOT NULL,
	"comparable_across_services" boolean DEFAULT true NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_department_code_departments_code_fk" FOREIGN KEY ("department_code") REFERENCES "departments"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "memberships_department" ON "memberships" USING btree ("department_code");