-- contract-step after 0.x: trips.organizer becomes NOT NULL after its backfill; a release before
-- the relay inserts trips without it and would fail. Shipped before contract versions, when an
-- upgrade stopped every province. Under the rolling rule: add it nullable with the backfill
-- (expand), write it everywhere, SET NOT NULL a release later (contract).
-- The relay (#13): provinces act on each other's events.
-- Source side: RELAY events carry a target province; DEPARTURE and RETURN_REQUEST_UPDATED events
-- carry their own filters; the outbox has an epoch; the relay's consumers are remembered so that
-- retention never prunes what one has not applied.
ALTER TABLE "outbox" ADD COLUMN "target" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "enterprise_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "home_regions" text[] COLLATE "C";--> statement-breakpoint
CREATE INDEX "outbox_target_idx" ON "outbox" USING btree ("target","seq") WHERE "outbox"."target" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_enterprise_idx" ON "outbox" USING btree ("enterprise_id","seq") WHERE "outbox"."enterprise_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE "outbox_epoch" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"epoch" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_epoch_one_row" CHECK ("outbox_epoch"."id" = 1)
);--> statement-breakpoint
INSERT INTO "outbox_epoch" ("id", "epoch") VALUES (1, md5(random()::text || clock_timestamp()::text));--> statement-breakpoint
CREATE TABLE "relay_inbox" (
	"source" text COLLATE "C" PRIMARY KEY NOT NULL,
	"epoch" text NOT NULL,
	"position" bigint NOT NULL,
	"applied" bigint DEFAULT 0 NOT NULL,
	"last_event_at" timestamp with time zone,
	"applied_at" timestamp with time zone
);--> statement-breakpoint
CREATE TABLE "relay_consumers" (
	"target" text COLLATE "C" PRIMARY KEY NOT NULL,
	"epoch" text NOT NULL,
	"position" bigint NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
-- Home side: where its workers travel and who asked for them back.
ALTER TABLE "workers" ADD COLUMN "current_trip_id" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "workers_intent_destination_idx" ON "workers" USING btree ("intent_destination");--> statement-breakpoint
CREATE TABLE "worker_trips" (
	"worker_id" text COLLATE "C" NOT NULL,
	"trip_id" text COLLATE "C" NOT NULL,
	"origin" text COLLATE "C" NOT NULL,
	"destination" text COLLATE "C" NOT NULL,
	"mode" text NOT NULL,
	"departure_at" timestamp with time zone NOT NULL,
	"expected_arrival_at" timestamp with time zone NOT NULL,
	"trip_status" text NOT NULL,
	"on_manifest" boolean DEFAULT true NOT NULL,
	"boarded" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_trips_worker_id_trip_id_pk" PRIMARY KEY("worker_id","trip_id")
);--> statement-breakpoint
CREATE INDEX "worker_trips_trip_idx" ON "worker_trips" USING btree ("trip_id");--> statement-breakpoint
CREATE TABLE "worker_return_requests" (
	"return_request_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"worker_id" text COLLATE "C" NOT NULL,
	"enterprise_id" text COLLATE "C" NOT NULL,
	"destination_region" text COLLATE "C" NOT NULL,
	"departure_region" text COLLATE "C" NOT NULL,
	"planned_return_date" date NOT NULL,
	"status" text NOT NULL,
	"trip_id" text COLLATE "C",
	"reason" text,
	"filed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "worker_return_requests_worker_idx" ON "worker_return_requests" USING btree ("worker_id");--> statement-breakpoint
-- Employment side: the request's life, and the enterprise's own staff reports.
ALTER TABLE "return_requests" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "return_requests" SET "updated_at" = coalesce("on_post_at", "filed_at");--> statement-breakpoint
ALTER TABLE "return_requests" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "return_requests" ADD COLUMN "trip_id" text COLLATE "C";--> statement-breakpoint
CREATE TABLE "staff" (
	"enterprise_id" text COLLATE "C" NOT NULL REFERENCES "enterprises"("id"),
	"worker_id" text COLLATE "C" NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_enterprise_id_worker_id_pk" PRIMARY KEY("enterprise_id","worker_id")
);--> statement-breakpoint
-- Transport side: the organiser (today's trips were organised by their origin), and relayed
-- copies of trips organised elsewhere whose origin is here (never counted in the statistics).
ALTER TABLE "trips" ADD COLUMN "organizer" text COLLATE "C";--> statement-breakpoint
UPDATE "trips" SET "organizer" = "origin";--> statement-breakpoint
ALTER TABLE "trips" ALTER COLUMN "organizer" SET NOT NULL;--> statement-breakpoint
CREATE TABLE "trip_copies" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"organizer" text COLLATE "C" NOT NULL,
	"mode" text NOT NULL,
	"vehicle_code" text NOT NULL,
	"origin" text COLLATE "C" NOT NULL,
	"destination" text COLLATE "C" NOT NULL,
	"departure_at" timestamp with time zone NOT NULL,
	"expected_arrival_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"capacity" integer NOT NULL,
	"status" text NOT NULL,
	"headcount" integer,
	"handed_over_to" text,
	"cancel_reason" text,
	"passengers" jsonb NOT NULL,
	"planned_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "trip_copies_departure_idx" ON "trip_copies" USING btree ("departure_at","id");--> statement-breakpoint
CREATE INDEX "trip_copies_origin_idx" ON "trip_copies" USING btree ("origin");
