/**
 * The outbox feed of a province process: its high-water mark (`head`), the sequence number up to
 * which the outbox can be read WITHOUT ever missing an event later, and the wake-ups of the
 * event streams waiting beyond it. One per process, shared by every subscription.
 *
 * Why a high-water mark: `seq` is taken from an identity sequence when a row is inserted, but
 * transactions commit in any order. With two writers, seq 8 can be visible while seq 7 is still
 * being written; a reader that moved its cursor to 8 would never see 7. So the feed walks the
 * sequence from its head and stops at the first hole. A hole is either a transaction still in
 * progress or a rolled-back one (a number the sequence never gives again). The read that finds
 * a hole also records its snapshot's `xmax`: once the snapshot `xmin` of a later read reaches
 * it, every transaction that was running has finished, so whatever is still missing up to the
 * highest seq of that first read is gone for good and the head moves past it.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { safeError } from '@p2p/runtime';
import { outboxPrunedThrough } from '../retention/retention.js';
import { rowsOf } from '../db/sql-rows.js';
import { currentEpoch, currentEpochSql } from '../relay/outbox-epoch.js';

/** Options of {@link OutboxFeed}. */
export interface OutboxFeedOptions {
  db: Db;
  log: Logger;
  /** A re-read without any notification, in case one was lost. Not a poll: ~2 per minute. @default 30_000 */
  safetyIntervalMs?: number;
  /** First re-read delay while a hole in the sequence is unresolved (doubles up to 1 s). @default 20 */
  holeRetryMs?: number;
  /** Sequence numbers read per step of the walk. @default 5_000 */
  walkBatch?: number;
}

interface Hole {
  /** The highest seq seen by the read that found the hole: holes up to it resolve together. */
  upTo: number;
  /** That read's snapshot xmax. */
  xmax: bigint;
}

interface Waiter {
  seq: number;
  resolve: () => void;
}

/** The gap-safe high-water mark of the outbox, advanced on wake-ups. */
export class OutboxFeed {
  private headSeq = 0;
  private epochValue = '';
  private hole: Hole | undefined;
  private holeDelay: number;
  private holeTimer: NodeJS.Timeout | undefined;
  private readonly safetyTimer: NodeJS.Timeout;
  private readonly waiters = new Set<Waiter>();
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly options: OutboxFeedOptions) {
    this.holeDelay = options.holeRetryMs ?? 20;
    this.safetyTimer = setInterval(() => this.wake(), options.safetyIntervalMs ?? 30_000);
    this.safetyTimer.unref();
  }

  /** Every event with a seq up to this one is committed and readable; none will appear below it. */
  get head(): number {
    return this.headSeq;
  }

  /**
   * The epoch of the sequence the head belongs to (`relay/outbox-epoch.ts`), read at start and
   * on every walk: an operator's `p2p-renew-epoch` on a running province ends the streams of the
   * old one (CURSOR_EXPIRED) at their next read.
   */
  get epoch(): string {
    return this.epochValue;
  }

  /** True once {@link close} was called: waiters are released and the head stays put. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Reads the outbox up to its current head (call once before serving); the walk starts above what retention pruned. */
  async start(): Promise<void> {
    this.headSeq = Math.max(this.headSeq, await outboxPrunedThrough(this.options.db));
    this.epochValue = await currentEpoch(this.options.db);
    this.wake();
    await this.running;
  }

  /** Advances the head soon (coalesced: one walk at a time, one more if woken meanwhile). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.walk()
      .catch((err: unknown) => {
        this.options.log.warn({ err: safeError(err) }, 'outbox read failed; retrying on the next wake-up');
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once the head is beyond `seq`, or when `signal` aborts or the feed closes. */
  waitBeyond(seq: number, signal?: AbortSignal): Promise<void> {
    if (this.headSeq > seq || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        seq,
        resolve: () => {
          this.waiters.delete(waiter);
          signal?.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', waiter.resolve, { once: true });
    });
  }

  /**
   * Whether `seq` is a position this province's database has given out: at once when the head is
   * there, else after one more read of the outbox and at most `waitMs` for the head to get there
   * (a position another process of this province delivered, or this one before a restart, is
   * reached as soon as the holes below it are settled). A head still below it then (a long
   * transaction holds a hole open) is no refusal while the outbox's sequence has allocated `seq`:
   * sequence values are never handed out twice, even by rolled-back transactions, so only a
   * database restored to an earlier point (its sequence restored with it) or a made-up position
   * lies beyond it. False: `seq` lies beyond every event this database has allocated.
   */
  async reaches(seq: number, waitMs = 1_000): Promise<boolean> {
    if (this.headSeq >= seq) return true;
    this.wake();
    await this.waitBeyond(seq - 1, AbortSignal.timeout(waitMs));
    if (this.headSeq >= seq) return true;
    return (await this.allocatedThrough()) >= seq;
  }

  /** The highest seq the outbox's sequence has handed out (0 when none): one statement. */
  private async allocatedThrough(): Promise<number> {
    const [row] = rowsOf<{ n: number | string }>(
      await this.options.db.execute(
        sql`SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('outbox', 'seq')::regclass), 0) AS n`,
      ),
    );
    return Number(row?.n ?? 0);
  }

  /** Stops the timers and releases every waiter. */
  close(): void {
    this.closed = true;
    clearInterval(this.safetyTimer);
    clearTimeout(this.holeTimer);
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  private async walk(): Promise<void> {
    const batch = this.options.walkBatch ?? 5_000;
    for (;;) {
      const result = await this.options.db.execute(sql`
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
               pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
               ${currentEpochSql} AS epoch,
               (SELECT coalesce(json_agg(s.seq ORDER BY s.seq), '[]'::json)
                  FROM (SELECT seq FROM outbox WHERE seq > ${this.headSeq} ORDER BY seq LIMIT ${batch}) s) AS seqs`);
      const row = rowsOf<{ xmin: string; xmax: string; epoch: string | null; seqs: unknown }>(result)[0];
      if (!row) return;
      if (row.epoch) this.epochValue = row.epoch;
      const seqs = (typeof row.seqs === 'string' ? JSON.parse(row.seqs) : row.seqs) as (number | string)[];
      const before = this.headSeq;
      const full = seqs.length === batch;
      this.advance(seqs.map(Number), BigInt(row.xmin), BigInt(row.xmax));
      if (this.headSeq > before) this.release();
      if (!full || this.headSeq === before) break;
    }
    if (this.hole) this.retryHoleSoon();
    else this.holeDelay = this.options.holeRetryMs ?? 20;
  }

  /** Moves the head along `seqs` (ascending, all above the head) as far as no hole stops it. */
  private advance(seqs: number[], xmin: bigint, xmax: bigint): void {
    const settled = this.hole && xmin >= this.hole.xmax ? this.hole : undefined;
    let next = this.headSeq + 1;
    for (const seq of seqs) {
      if (seq !== next && !(settled && seq <= settled.upTo + 1)) {
        // A hole below `seq`: wait for the transactions running now.
        if (!this.hole || settled) this.hole = { upTo: seqs[seqs.length - 1]!, xmax };
        return;
      }
      this.headSeq = seq;
      next = seq + 1;
    }
    if (settled) {
      // Everything up to the settled read's highest seq is either here or gone for good.
      this.headSeq = Math.max(this.headSeq, settled.upTo);
      this.hole = undefined;
    }
  }

  private retryHoleSoon(): void {
    if (this.holeTimer || this.closed) return;
    this.holeTimer = setTimeout(() => {
      this.holeTimer = undefined;
      this.wake();
    }, this.holeDelay);
    this.holeDelay = Math.min(this.holeDelay * 2, 1_000);
  }

  private release(): void {
    for (const waiter of [...this.waiters]) if (this.headSeq > waiter.seq) waiter.resolve();
  }
}
