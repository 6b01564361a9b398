ALTER TABLE "indicators" ADD COLUMN "spc_fix_after_points" integer;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "spc_rebase_periods" text[];