-- contract-step after 0.x: drops 0005's non-unique index workers_intent_destination_idx, which no
-- statement names; the previous release's queries keep working, served by the wider new index
-- (only plans change). Safe under a rolling upgrade too.
-- Bulk work and the worker himself (#13 items 5-7).
-- Where a health record came from: an officer, a health-code platform, or the worker's own
-- report (SELF, never enough to board: DESIGN.md, "Health"). Records made before are officers'.
ALTER TABLE "workers" ADD COLUMN "health_source" text;--> statement-breakpoint
UPDATE "workers" SET "health_source" = 'OFFICER' WHERE "health_tested_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_health_source_check" CHECK ("workers"."health_source" IN ('OFFICER', 'PLATFORM', 'SELF'));--> statement-breakpoint
-- Grouping by intent, workers(homeRegion:, intent: { destination, from, to }): the destination
-- prefix is the range, the intent's dates are filtered inside the index; only workers who declared
-- an intent are in it. It replaces the single-column index of 0005.
DROP INDEX IF EXISTS "workers_intent_destination_idx";--> statement-breakpoint
CREATE INDEX "workers_intent_idx" ON "workers" USING btree ("intent_destination","intent_latest_date","intent_earliest_date") WHERE "workers"."intent_destination" IS NOT NULL;
