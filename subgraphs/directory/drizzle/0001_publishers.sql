CREATE TABLE "publishers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type_name" text NOT NULL,
	"own" text
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "publisher_id" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "publishers"("id") ON DELETE no action ON UPDATE no action;