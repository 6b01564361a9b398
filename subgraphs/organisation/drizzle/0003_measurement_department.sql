ALTER TABLE "measurements" DROP CONSTRAINT "measurements_natural_key";--> statement-breakpoint
ALTER TABLE "measurements" ADD COLUMN "department" text;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_natural_key" UNIQUE NULLS NOT DISTINCT("indicator_id","service_id","department","period");