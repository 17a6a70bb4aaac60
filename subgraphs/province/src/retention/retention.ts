/**
 * Retention of the province's bookkeeping tables, which every mutation appends to and nothing
 * else ever shrinks:
 * - `outbox`: events older than `outboxDays` are deleted, oldest seq first, and the highest seq
 *   deleted is recorded in `outbox_retention.pruned_through`; a subscription cursor below it is
 *   refused with CURSOR_EXPIRED (see {@link assertCursorRetained}), never silently skipped;
 * - `idempotency_keys`: keys older than `idempotencyKeyDays` are deleted (a retry with such a key
 *   runs the mutation again, as a first call would).
 * One pass is a few short transactions of at most `batchSize` rows each, under an advisory lock
 * (several processes on one database: one prunes, the others skip).
 */
import { hubError } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { idempotencyKeys, outbox, outboxRetention } from '../db/schema/index.js';
import { rowsOf } from '../subscriptions/sql-rows.js';

/** The advisory lock that lets one retention pass at a time run on a database. */
export const RETENTION_LOCK = 4_502_022;

/** How long records are kept; 0 keeps them for ever. */
export interface RetentionPolicy {
  /** Days an outbox event stays replayable. @default 30 */
  outboxDays: number;
  /** Days an idempotency key is remembered. @default 7 */
  idempotencyKeyDays: number;
}

/** The defaults of {@link RetentionPolicy}. */
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({ outboxDays: 30, idempotencyKeyDays: 7 });

/** What one pass deleted. */
export interface RetentionResult {
  outboxEvents: number;
  idempotencyKeys: number;
  /** `outbox_retention.pruned_through` after the pass. */
  prunedThrough: number;
  /** False when another process held the lock: nothing was done. */
  locked: boolean;
}

/** Rows deleted per transaction. @default 10_000 */
const DEFAULT_BATCH = 10_000;

/** The highest outbox seq that may have been pruned (0: none). */
export async function outboxPrunedThrough(db: Db): Promise<number> {
  const [row] = rowsOf<{ through: string | number | null }>(await db.execute(sql`SELECT max(pruned_through) AS through FROM ${outboxRetention}`));
  return Number(row?.through ?? 0);
}

/**
 * Refuses a cursor whose next events may have been pruned.
 * @throws CURSOR_EXPIRED when `after` < `prunedThrough`.
 */
export function assertCursorRetained(after: number, prunedThrough: number, field = 'after'): void {
  if (after >= prunedThrough) return;
  throw hubError('CURSOR_EXPIRED', `${field}: the events after this cursor are no longer kept (pruned through #${prunedThrough}); subscribe again without ${field} and re-read the current state`, { field, prunedThrough: String(prunedThrough) });
}

/** One batch of the outbox older than `days`, in one transaction. */
async function pruneOutboxBatch(db: Db, days: number, batch: number): Promise<{ deleted: number; through: number; locked: boolean }> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`));
    if (!lock?.locked) return { deleted: 0, through: 0, locked: false };
    // seq order is commit order give or take a few running transactions; walking the oldest seqs
    // (primary key) finds the old ones without an index on `at`.
    const [row] = rowsOf<{ deleted: number; through: string | number | null }>(await tx.execute(sql`
      WITH cutoff AS (
        SELECT max(seq) AS seq FROM (SELECT seq, at FROM ${outbox} ORDER BY seq LIMIT ${batch}) AS oldest
        WHERE at < now() - make_interval(days => ${days})
      ),
      gone AS (DELETE FROM ${outbox} WHERE seq <= (SELECT seq FROM cutoff) RETURNING seq),
      mark AS (
        INSERT INTO ${outboxRetention} AS r (id, pruned_through)
        SELECT 1, max(seq) FROM gone HAVING count(*) > 0
        ON CONFLICT (id) DO UPDATE SET pruned_through = greatest(r.pruned_through, excluded.pruned_through), pruned_at = now()
        RETURNING pruned_through
      )
      SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT pruned_through FROM mark) AS through`));
    return { deleted: Number(row?.deleted ?? 0), through: Number(row?.through ?? 0), locked: true };
  });
}

/** One batch of idempotency keys older than `days`. */
async function pruneKeysBatch(db: Db, days: number, batch: number): Promise<number> {
  const [row] = rowsOf<{ deleted: number }>(await db.execute(sql`
    WITH gone AS (
      DELETE FROM ${idempotencyKeys} WHERE key IN (
        SELECT key FROM ${idempotencyKeys} WHERE created_at < now() - make_interval(days => ${days}) LIMIT ${batch})
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM gone`));
  return Number(row?.deleted ?? 0);
}

/** Deletes what the policy no longer keeps, batch by batch, until nothing old is left. */
export async function pruneOnce(db: Db, policy: RetentionPolicy = DEFAULT_RETENTION, batch = DEFAULT_BATCH): Promise<RetentionResult> {
  const result: RetentionResult = { outboxEvents: 0, idempotencyKeys: 0, prunedThrough: 0, locked: true };
  if (policy.outboxDays > 0) {
    for (;;) {
      const step = await pruneOutboxBatch(db, policy.outboxDays, batch);
      if (!step.locked) return { ...result, locked: false };
      result.outboxEvents += step.deleted;
      if (step.deleted === 0) break;
    }
  }
  if (policy.idempotencyKeyDays > 0) {
    for (let deleted = batch; deleted === batch; ) {
      deleted = await pruneKeysBatch(db, policy.idempotencyKeyDays, batch);
      result.idempotencyKeys += deleted;
    }
  }
  result.prunedThrough = await outboxPrunedThrough(db);
  return result;
}

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  policy?: RetentionPolicy;
  /** Pause between passes. @default 3_600_000 (hourly) */
  intervalMs?: number;
  log?: Logger;
}

/** The background retention task. */
export interface RetentionTask {
  /** Runs a pass now (after a running one); works after `stop()` too. */
  pruneNow(): Promise<RetentionResult>;
  /** Stops the timer and waits for a running pass. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs {@link pruneOnce} shortly after start and then every `intervalMs`. Failures (database
 * down) are logged and retried at the next interval. The timer does not keep the process alive.
 */
export function startRetention(db: Db, options: RetentionOptions = {}): RetentionTask {
  const policy = options.policy ?? DEFAULT_RETENTION;
  const intervalMs = options.intervalMs ?? 3_600_000;
  let running: Promise<RetentionResult | undefined> = Promise.resolve(undefined);
  const pruneNow = (): Promise<RetentionResult> => {
    const pass = running.catch(() => undefined).then(() => pruneOnce(db, policy));
    running = pass;
    return pass;
  };
  const tick = () => {
    pruneNow().then(
      (result) => {
        if (result.outboxEvents > 0 || result.idempotencyKeys > 0) options.log?.info(result, 'retention: old outbox events and idempotency keys deleted');
      },
      (err: unknown) => options.log?.warn({ err: { message: (err as Error).message } }, 'retention pass failed; retrying at the next interval'),
    );
  };
  const first = setTimeout(tick, Math.min(60_000, intervalMs));
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    pruneNow,
    stop() {
      stopping ??= (async () => {
        clearTimeout(first);
        clearInterval(timer);
        await running.catch(() => undefined);
      })();
      return stopping;
    },
  };
}
