-- Past trips told to every province they touch (#17.2): since 0015 each province counts the copies
-- of the trips other provinces organise into, out of or through it, but an organiser told a copy
-- only when the trip changed, so a trip that stopped changing before the upgrade (arrived, handed
-- over, cancelled) was never told to its destination's or stops' provinces. At start-up a province
-- that had trips before it walks them once, in id order, a batch per transaction, and tells each one's copy again to
-- every other province it touches (`transport/copy-retelling.ts`); this row is how far it got, so
-- a restart resumes. A copy told twice is counted once (the keeper's upsert appends new − old).
-- Additive: a new table; the previous release ignores it.
CREATE TABLE "trip_copy_retelling" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"after_trip" text COLLATE "C",
	"finished_at" timestamp with time zone,
	CONSTRAINT "trip_copy_retelling_one_row" CHECK ("trip_copy_retelling"."id" = 1)
);
--> statement-breakpoint
-- A database without trips (a new province) has nothing to re-tell: finished at once.
INSERT INTO "trip_copy_retelling" ("id", "finished_at")
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM "trips") THEN NULL ELSE now() END;
