-- Epidemic control (#14): health records that travel, the boarding gate, stops and arrival checks
-- per person, observation at the receiving place. Statistics of safety: migration 0009.

-- Health records (DESIGN.md "Health"): `health_tested_at` becomes the nucleic-acid test's time,
-- `health_checked_at` the time the code was checked; both take the old testedAt. A record made
-- before names the worker's own province as issuer and was valid for a day after its check.
ALTER TABLE "workers" ADD COLUMN "health_issued_by" text;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "health_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "health_valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "health_institution" text;--> statement-breakpoint
UPDATE "workers" SET "health_issued_by" = left("home_region", 2) || '0000',
  "health_checked_at" = "health_tested_at", "health_valid_until" = "health_tested_at" + interval '1 day'
  WHERE "health_tested_at" IS NOT NULL;--> statement-breakpoint
-- The observation he is under, or the last one (kept by the province where it happens).
ALTER TABLE "workers" ADD COLUMN "observation_id" text COLLATE "C";--> statement-breakpoint
-- The home side's record of a refusal at a boarding gate, and where he alights.
ALTER TABLE "worker_trips" ADD COLUMN "refusal" text;--> statement-breakpoint
ALTER TABLE "worker_trips" ADD COLUMN "refused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "worker_trips" ADD COLUMN "alight_at" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "worker_trips_refused_idx" ON "worker_trips" USING btree ("refused_at","worker_id","trip_id") WHERE "worker_trips"."refusal" IS NOT NULL;--> statement-breakpoint

-- Copies of other provinces' workers' health records, relayed by their home province to the
-- organiser of a trip they are on (the boarding gate reads them; never shown through GraphQL).
CREATE TABLE "health_copies" (
  "worker_id" text COLLATE "C" PRIMARY KEY NOT NULL,
  "code" text NOT NULL,
  "issued_by" text COLLATE "C" NOT NULL,
  "checked_at" timestamp with time zone NOT NULL,
  "valid_until" timestamp with time zone NOT NULL,
  "nucleic_acid" text,
  "tested_at" timestamp with time zone,
  "source" text NOT NULL,
  -- when the home province read the record (a copy is replaced only by a later one)
  "as_of" timestamp with time zone NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint

-- Stops: every trip has at least one (its destination, the last); intermediate ones come first.
CREATE TABLE "trip_stops" (
  "trip_id" text COLLATE "C" NOT NULL REFERENCES "trips"("id"),
  "seq" integer NOT NULL,
  "region" text COLLATE "C" NOT NULL,
  "status" text DEFAULT 'PENDING' NOT NULL,
  "arrived_at" timestamp with time zone,
  "headcount" integer,
  -- the arrival was confirmed with checks per person (then the boarded who were not checked are missing)
  "checked" boolean DEFAULT false NOT NULL,
  "handed_over_to" text,
  "handed_over_enterprise" text COLLATE "C",
  CONSTRAINT "trip_stops_pk" PRIMARY KEY ("trip_id", "seq"),
  CONSTRAINT "trip_stops_status_check" CHECK ("status" IN ('PENDING', 'ARRIVED', 'HANDED_OVER'))
);--> statement-breakpoint
CREATE INDEX "trip_stops_region_idx" ON "trip_stops" USING btree ("region");--> statement-breakpoint
INSERT INTO "trip_stops" ("trip_id", "seq", "region", "status", "arrived_at", "headcount", "handed_over_to")
  SELECT "id", 1, "destination",
    CASE "status" WHEN 'ARRIVED' THEN 'ARRIVED' WHEN 'HANDED_OVER' THEN 'HANDED_OVER' ELSE 'PENDING' END,
    "arrived_at", "headcount", "handed_over_to"
  FROM "trips";--> statement-breakpoint
ALTER TABLE "trips" ADD COLUMN "handed_over_enterprise" text COLLATE "C";--> statement-breakpoint
-- Per passenger: why he stayed off at the gate, where he alights (null: the destination), his
-- carriage, and his arrival check (`arrival_fever`: at or above the threshold of the check).
ALTER TABLE "trip_passengers" ADD COLUMN "refusal" text;--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD COLUMN "alight_at" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD COLUMN "carriage" text;--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD COLUMN "arrival_temperature" double precision;--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD COLUMN "arrival_fever" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD CONSTRAINT "trip_passengers_refusal_check" CHECK ("refusal" IN ('FEVER', 'HEALTH_CODE', 'NO_HEALTH_RECORD', 'ABSENT'));--> statement-breakpoint
-- Relayed copies of trips carry their stops and receiving enterprise too.
ALTER TABLE "trip_copies" ADD COLUMN "stops" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "trip_copies" ADD COLUMN "handed_over_enterprise" text COLLATE "C";--> statement-breakpoint

-- Observations in this province (logical subgraph `health`), of workers of any province.
CREATE TABLE "observations" (
  "id" text COLLATE "C" PRIMARY KEY NOT NULL,
  "worker_id" text COLLATE "C" NOT NULL,
  "region" text COLLATE "C" NOT NULL,
  "kind" text NOT NULL,
  "site" text NOT NULL,
  "reason" text NOT NULL,
  "trip_id" text COLLATE "C",
  "started_at" timestamp with time zone NOT NULL,
  "days" integer NOT NULL,
  "ended_at" timestamp with time zone,
  "outcome" text,
  -- the worker's home region, once his home province confirmed it through the relay (its
  -- officers may then read the observation)
  "home_region" text COLLATE "C",
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "observations_kind_check" CHECK ("kind" IN ('HOME', 'CENTRALISED')),
  CONSTRAINT "observations_reason_check" CHECK ("reason" IN ('FEVER_AT_ARRIVAL', 'ORDERED')),
  CONSTRAINT "observations_outcome_check" CHECK ("outcome" IN ('RELEASED', 'TRANSFERRED_TO_HOSPITAL')),
  CONSTRAINT "observations_days_check" CHECK ("days" BETWEEN 1 AND 60)
);--> statement-breakpoint
CREATE INDEX "observations_region_idx" ON "observations" USING btree ("region", "started_at", "id");--> statement-breakpoint
CREATE INDEX "observations_started_idx" ON "observations" USING btree ("started_at", "id");--> statement-breakpoint
-- One observation at a time per worker in a province; one per fever of a trip's passenger.
CREATE UNIQUE INDEX "observations_active_worker_idx" ON "observations" USING btree ("worker_id") WHERE "ended_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "observations_fever_idx" ON "observations" USING btree ("trip_id", "worker_id") WHERE "reason" = 'FEVER_AT_ARRIVAL';
