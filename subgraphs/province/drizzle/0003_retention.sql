CREATE TABLE "outbox_pruned" (
	"topic" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"through" bigint NOT NULL,
	CONSTRAINT "outbox_pruned_topic_region_pk" PRIMARY KEY("topic","region")
);
--> statement-breakpoint
CREATE TABLE "outbox_retention" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"pruned_through" bigint NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_retention_one_row" CHECK ("outbox_retention"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" USING btree ("created_at");