/**
 * Retention of the province's bookkeeping tables, which every mutation appends to and nothing
 * else ever shrinks:
 * - `outbox`: events older than `outboxDays` are deleted, oldest seq first, but never a RELAY
 *   event its target province has not applied (`relay_consumers`: the positions the relay reported
 *   in this epoch; a target that never read counts as position 0): such events are kept, the
 *   others around them pruned, and a target further behind than `outboxDays` is an alarm (warn
 *   log, {@link RetentionResult.relayBehind}), never a skip. The highest seq
 *   deleted is recorded in `outbox_retention.pruned_through` (the feed starts above it) and, per
 *   subscription filter (topic × region-prefix key), in `outbox_pruned`: a subscription whose
 *   `after` lies below a pruned event matching its filter is refused with CURSOR_EXPIRED (see
 *   {@link assertCursorRetained}), never silently skipped; one that missed nothing is not;
 * - `idempotency_keys`: keys older than `idempotencyKeyDays` are deleted (a retry with such a key
 *   runs the mutation again, as a first call would).
 * One pass is a few short transactions of at most `batchSize` rows each, each under an advisory
 * lock (several processes on one database: one prunes, the others skip).
 */
import { hubError } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/database.js';
import {
  idempotencyKeys,
  outbox,
  outboxEpoch,
  outboxPruned,
  outboxRetention,
  relayConsumers,
} from '../db/schema/index.js';
import { markKeysOfEventSql, topicOfEventSql, type EventTopic } from '../event-topics.js';
import { startBackgroundTask } from '../background-task.js';
import { rowsOf } from '../db/sql-rows.js';

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
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({
  outboxDays: 30,
  idempotencyKeyDays: 7,
});

/** What one pass deleted. */
export interface RetentionResult {
  outboxEvents: number;
  idempotencyKeys: number;
  /** `outbox_retention.pruned_through` after the pass. */
  prunedThrough: number;
  /** False when another process held the lock: nothing was done. */
  locked: boolean;
  /**
   * Relay targets with an event older than `outboxDays` they have not applied (kept: retention
   * waits for them): the province, its first such event and when it was committed.
   */
  relayBehind: RelayConsumerBehind[];
}

/** A relay target that has not applied an event older than the outbox retention. */
export interface RelayConsumerBehind {
  target: string;
  /** The seq of its first event not applied. */
  seq: number;
  /** When that event was committed (ISO 8601). */
  since: string;
}

/** Rows deleted per transaction. @default 10_000 */
const DEFAULT_BATCH = 10_000;

/** SQL: this province's current outbox epoch (relay positions of another one count as 0). */
const currentEpochSql = sql`(SELECT epoch FROM ${outboxEpoch} WHERE id = 1)`;

/**
 * SQL condition on an outbox row `o` joined with its target's `relay_consumers` row `c` (in the
 * current epoch): a RELAY event its target has not applied (a target that never read: position 0).
 */
const unappliedSql = sql`o.target IS NOT NULL AND o.seq > coalesce(c.position, 0)`;

/** The highest outbox seq that may have been pruned, whatever it matched (0: none). */
export async function outboxPrunedThrough(db: Db): Promise<number> {
  const [row] = rowsOf<{ through: string | number | null }>(
    await db.execute(sql`SELECT max(pruned_through) AS through FROM ${outboxRetention}`),
  );
  return Number(row?.through ?? 0);
}

/** SQL of the highest pruned seq of an event matching (`topic`, `regionKey`) (0: none), for use inside a statement. */
export function prunedThroughSql(topic: EventTopic, regionKey: string) {
  return sql`(SELECT coalesce(max(through), 0) FROM ${outboxPruned} WHERE topic = ${topic} AND region = ${regionKey})`;
}

/** The highest pruned seq of an event matching the filter (`topic`, `regionKey` = `regionPrefix(region)`); 0: none. */
export async function filterPrunedThrough(db: Db, topic: EventTopic, regionKey: string): Promise<number> {
  const [row] = rowsOf<{ through: string | number }>(
    await db.execute(sql`SELECT ${prunedThroughSql(topic, regionKey)} AS through`),
  );
  return Number(row?.through ?? 0);
}

/**
 * Refuses a cursor below a pruned event of its filter.
 * @throws CURSOR_EXPIRED when `after` < `prunedThrough`.
 */
export function assertCursorRetained(after: number, prunedThrough: number, field = 'after'): void {
  if (after >= prunedThrough) return;
  throw hubError(
    'CURSOR_EXPIRED',
    `${field}: events after this cursor are no longer kept (pruned through #${prunedThrough}); subscribe again without ${field} and re-read the current state`,
    { field, prunedThrough: String(prunedThrough) },
  );
}

/** Runs `work` in a transaction under the retention lock; undefined when another process holds it. */
async function underLock<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T | undefined> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`),
    );
    return lock?.locked ? work(tx) : undefined;
  });
}

/** One batch of the outbox older than `days`, in one transaction. */
async function pruneOutboxBatch(
  db: Db,
  days: number,
  batch: number,
): Promise<{ deleted: number; locked: boolean }> {
  const deleted = await underLock(db, async (tx) => {
    // seq order is commit order give or take a few running transactions; walking the oldest seqs
    // (primary key) finds the old ones without an index on `at`.
    const [row] = rowsOf<{ deleted: number }>(
      await tx.execute(sql`
      WITH oldest AS (
        -- The relay's guard: a RELAY event its target has not applied is never taken.
        SELECT o.seq, o.at FROM ${outbox} AS o
          LEFT JOIN ${relayConsumers} AS c ON c.target = o.target AND c.epoch = ${currentEpochSql}
         WHERE NOT (${unappliedSql})
         ORDER BY o.seq LIMIT ${batch}
      ),
      cutoff AS (SELECT max(seq) AS seq FROM oldest WHERE at < now() - make_interval(days => ${days})),
      gone AS (
        DELETE FROM ${outbox} WHERE seq IN (SELECT seq FROM oldest WHERE seq <= (SELECT seq FROM cutoff))
        RETURNING seq, kind, origin, destination, trip_id, target, enterprise_id, home_regions
      ),
      mark AS (
        INSERT INTO ${outboxRetention} AS r (id, pruned_through)
        SELECT 1, max(seq) FROM gone HAVING count(*) > 0
        ON CONFLICT (id) DO UPDATE SET pruned_through = greatest(r.pruned_through, excluded.pruned_through), pruned_at = now()
        RETURNING 1
      ),
      -- Per filter: the topic rule of event-topics.ts, keyed like the streams' filters (topicKey).
      matched AS (
        INSERT INTO ${outboxPruned} AS p (topic, region, through)
        SELECT topic, key, max(seq) FROM (
          SELECT ${topicOfEventSql()} AS topic, ${markKeysOfEventSql()} AS keys, seq
          FROM gone) AS e, unnest(e.keys) AS key
        GROUP BY 1, 2
        ON CONFLICT (topic, region) DO UPDATE SET through = greatest(p.through, excluded.through)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM mark) + (SELECT count(*) FROM matched) AS marks`),
    );
    return Number(row?.deleted ?? 0);
  });
  return { deleted: deleted ?? 0, locked: deleted !== undefined };
}

/** The relay targets that have not applied an event older than `days` (among the oldest `batch` events). */
export async function relayConsumersBehind(
  db: Db,
  days: number,
  batch = DEFAULT_BATCH,
): Promise<RelayConsumerBehind[]> {
  const rows = rowsOf<{ target: string; seq: number | string; since: string | Date }>(
    await db.execute(sql`
      SELECT o.target, min(o.seq) AS seq, min(o.at) AS since
        FROM (SELECT seq, at, target FROM ${outbox} ORDER BY seq LIMIT ${batch}) AS o
        LEFT JOIN ${relayConsumers} AS c ON c.target = o.target AND c.epoch = ${currentEpochSql}
       WHERE ${unappliedSql} AND o.at < now() - make_interval(days => ${days})
       GROUP BY o.target ORDER BY o.target`),
  );
  return rows.map((r) => ({ target: r.target, seq: Number(r.seq), since: new Date(r.since).toISOString() }));
}

/** One batch of idempotency keys older than `days`, under the lock. */
async function pruneKeysBatch(
  db: Db,
  days: number,
  batch: number,
): Promise<{ deleted: number; locked: boolean }> {
  const deleted = await underLock(db, async (tx) => {
    const [row] = rowsOf<{ deleted: number }>(
      await tx.execute(sql`
      WITH gone AS (
        DELETE FROM ${idempotencyKeys} WHERE (scope, key) IN (
          SELECT scope, key FROM ${idempotencyKeys} WHERE created_at < now() - make_interval(days => ${days}) LIMIT ${batch})
        RETURNING 1)
      SELECT count(*)::int AS deleted FROM gone`),
    );
    return Number(row?.deleted ?? 0);
  });
  return { deleted: deleted ?? 0, locked: deleted !== undefined };
}

/** Deletes what the policy no longer keeps, batch by batch, until nothing old is left. */
export async function pruneOnce(
  db: Db,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  batch = DEFAULT_BATCH,
): Promise<RetentionResult> {
  const result: RetentionResult = {
    outboxEvents: 0,
    idempotencyKeys: 0,
    prunedThrough: 0,
    locked: true,
    relayBehind: [],
  };
  for (const [days, prune, counter] of [
    [policy.outboxDays, pruneOutboxBatch, 'outboxEvents'],
    [policy.idempotencyKeyDays, pruneKeysBatch, 'idempotencyKeys'],
  ] as const) {
    if (days <= 0) continue;
    for (;;) {
      const step = await prune(db, days, batch);
      if (!step.locked) return { ...result, locked: false };
      result[counter] += step.deleted;
      if (step.deleted < (counter === 'outboxEvents' ? 1 : batch)) break;
    }
  }
  result.prunedThrough = await outboxPrunedThrough(db);
  if (policy.outboxDays > 0) result.relayBehind = await relayConsumersBehind(db, policy.outboxDays, batch);
  return result;
}

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** How long what is kept. @default DEFAULT_RETENTION */
  policy?: RetentionPolicy;
  /** Pause between passes. @default 3_600_000 (hourly) */
  intervalMs?: number;
  /** Where passes that deleted something, and failures, are logged. @default none */
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
 * Runs {@link pruneOnce} a minute after start (or `intervalMs`, if shorter) and then `intervalMs`
 * after each pass. Failures (database down) are logged and retried at the next interval. The timer
 * does not keep the process alive.
 */
export function startRetention(db: Db, options: RetentionOptions = {}): RetentionTask {
  const policy = options.policy ?? DEFAULT_RETENTION;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const task = startBackgroundTask({
    run: () => pruneOnce(db, policy),
    firstDelayMs: Math.min(60_000, intervalMs),
    nextDelayMs: () => intervalMs,
    failureDelayMs: intervalMs,
    onResult: (result) => {
      const { relayBehind, ...counts } = result;
      if (result.outboxEvents > 0 || result.idempotencyKeys > 0)
        options.log?.info(counts, 'retention: old outbox events and idempotency keys deleted');
      if (relayBehind.length > 0)
        options.log?.warn(
          { relayBehind },
          'retention: relay targets have not applied events older than the outbox retention; they are kept (nothing is skipped) until the relay delivers them',
        );
    },
    onFailure: (err) =>
      options.log?.warn(
        { err: { message: err.message } },
        'retention pass failed; retrying at the next interval',
      ),
  });
  return { pruneNow: task.runNow, stop: task.stop };
}
