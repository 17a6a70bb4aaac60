-- contract-step after 0.x: the primary key moves from (key) to (scope, key). A release before it
-- (ON CONFLICT DO NOTHING, then reading the row by key alone) would still run but could replay
-- another caller's key, the hole #11.5 closed; it shipped before contract versions, when an
-- upgrade stopped every province. Under the rolling rule it would be two steps: add the scoped key
-- and write it (expand), drop the old key a release later (contract).
-- Idempotency keys are scoped per caller (#11.5): one caller's key never affects another's call.
-- Keys stored before this migration belong to no caller (scope ''), so no caller replays them.
ALTER TABLE "idempotency_keys" ADD COLUMN "scope" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_scope_key_pk" PRIMARY KEY("scope","key");
