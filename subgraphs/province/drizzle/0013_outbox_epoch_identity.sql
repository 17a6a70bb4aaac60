-- Backups and recovery (#18.5): the outbox epoch remembers which database it was drawn in.
-- A restore of this province's database to an earlier point restarts its event sequence; the
-- province compares this identity (Postgres system identifier, WAL timeline, database oid, the
-- outbox table's oid) with the running database at start-up and draws a new epoch when they
-- differ (a pg_restore recreates the tables, a PITR moves to a new timeline). Null until the
-- first start-up after this migration records it. Additive: an older version ignores it.
ALTER TABLE "outbox_epoch" ADD COLUMN "database_identity" jsonb;
