CREATE TABLE "workers" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"id_number" text NOT NULL,
	"phone" text NOT NULL,
	"home_region" text COLLATE "C" NOT NULL,
	"work_region" text COLLATE "C",
	"employer_id" text COLLATE "C",
	"status" text DEFAULT 'AT_HOME' NOT NULL,
	"poverty_status" text DEFAULT 'NONE' NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"health_code" text,
	"health_tested_at" timestamp with time zone,
	"health_nucleic_acid" text,
	"intent_earliest_date" date,
	"intent_latest_date" date,
	"intent_destination" text COLLATE "C",
	"intent_mode" text,
	"intent_declared_at" timestamp with time zone,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"sector" text NOT NULL,
	"key" boolean DEFAULT false NOT NULL,
	"openings" integer DEFAULT 0 NOT NULL,
	"filled" integer DEFAULT 0 NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "return_requests" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"enterprise_id" text COLLATE "C" NOT NULL,
	"destination_region" text COLLATE "C" NOT NULL,
	"worker_id" text COLLATE "C" NOT NULL,
	"worker_name" text NOT NULL,
	"worker_id_number" text NOT NULL,
	"worker_phone" text NOT NULL,
	"worker_home_region" text COLLATE "C" NOT NULL,
	"departure_region" text COLLATE "C" NOT NULL,
	"planned_return_date" date NOT NULL,
	"status" text DEFAULT 'FILED' NOT NULL,
	"filed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"on_post_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "trip_passengers" (
	"trip_id" text COLLATE "C" NOT NULL,
	"worker_id" text COLLATE "C" NOT NULL,
	"boarded" boolean DEFAULT false NOT NULL,
	"temperature" double precision,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trip_passengers_trip_id_worker_id_pk" PRIMARY KEY("trip_id","worker_id")
);
--> statement-breakpoint
CREATE TABLE "trips" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"vehicle_code" text NOT NULL,
	"origin" text COLLATE "C" NOT NULL,
	"destination" text COLLATE "C" NOT NULL,
	"departure_at" timestamp with time zone NOT NULL,
	"expected_arrival_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"capacity" integer NOT NULL,
	"status" text DEFAULT 'PLANNED' NOT NULL,
	"headcount" integer,
	"handed_over_to" text,
	"cancel_reason" text,
	"planned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"origin" text COLLATE "C" NOT NULL,
	"destination" text COLLATE "C" NOT NULL,
	"trip_id" text COLLATE "C",
	"return_request_id" text COLLATE "C",
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_passengers" ADD CONSTRAINT "trip_passengers_trip_id_trips_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trips"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workers_home_region_idx" ON "workers" USING btree ("home_region","id");--> statement-breakpoint
CREATE INDEX "enterprises_region_idx" ON "enterprises" USING btree ("region","id");--> statement-breakpoint
CREATE INDEX "return_requests_planned_idx" ON "return_requests" USING btree ("planned_return_date","id");--> statement-breakpoint
CREATE INDEX "return_requests_destination_idx" ON "return_requests" USING btree ("destination_region");--> statement-breakpoint
CREATE INDEX "return_requests_origin_idx" ON "return_requests" USING btree ("worker_home_region");--> statement-breakpoint
CREATE INDEX "return_requests_enterprise_idx" ON "return_requests" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "trip_passengers_worker_idx" ON "trip_passengers" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "trips_departure_idx" ON "trips" USING btree ("departure_at","id");--> statement-breakpoint
CREATE INDEX "trips_origin_idx" ON "trips" USING btree ("origin");--> statement-breakpoint
CREATE INDEX "trips_destination_idx" ON "trips" USING btree ("destination");--> statement-breakpoint
CREATE INDEX "outbox_destination_idx" ON "outbox" USING btree ("destination","seq");--> statement-breakpoint
CREATE INDEX "outbox_origin_idx" ON "outbox" USING btree ("origin","seq");