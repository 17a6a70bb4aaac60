-- Idempotency keys are scoped per caller (#11.5): one caller's key never affects another's call.
-- Keys stored before this migration belong to no caller (scope ''), so no caller replays them.
ALTER TABLE "idempotency_keys" ADD COLUMN "scope" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key");
