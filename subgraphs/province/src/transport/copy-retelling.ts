/**
 * The re-telling of past trips' copies (#17.2, migration 0016). Since 0015 every province counts
 * the copies of the trips other provinces organise into, out of or through it
 * (`tell-origin.ts`), but an organiser tells a copy only when the trip changes: a trip that stopped
 * changing before the upgrade (arrived, handed over, cancelled) was never told to its
 * destination's or stops' provinces, whose figures then lack it.
 *
 * So a province walks its own trips once, in id order, a batch per transaction, and tells each
 * one's copy as it is now to every other province it touches ({@link copyKeepers}), as a trip's
 * change does; the row of `trip_copy_retelling` records how far it got in the same transaction,
 * so a restart resumes and each trip is told once per walk. The batch reads its trips `FOR SHARE`:
 * a change of one of them waits for the batch, or the batch for the change, so the copy told
 * (stamped `asOf` under that lock) is never older than one the change told. A keeper that already
 * holds the same copy counts nothing more (its upsert appends new − old); one that holds a newer
 * copy keeps it. The walk runs in the background from start-up until every trip was told, and
 * never again (the table's row says it finished).
 *
 * A walk over a large province tells tens of thousands of copies, and a target applies this
 * province's facts in order: so a batch is held while a target that reads the relay has more than
 * `maxRelayBacklog` events of this province still to apply ({@link largestRelayBacklog}), and live
 * facts (a worker's trip, a health record) never wait behind more than that.
 */
import { gt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { startBackgroundTask } from '../background-task.js';
import type { ProvinceContext } from '../context.js';
import { tripCopyRetelling, trips } from '../db/schema/index.js';
import { OutboxBatch } from '../outbox.js';
import { largestRelayBacklog } from '../relay/relay-source.js';
import { tellProvince } from '../relay/tell.js';
import { findStops, stopRegionsFrom } from './stop-records.js';
import { copyKeepers, tripCopyOf } from './tell-origin.js';

/** What one batch of the walk did. */
export interface RetellingStep {
  /** Trips read in this batch. */
  trips: number;
  /** Copies told (one per trip and other province it touches). */
  copies: number;
  /** Every trip has been told: the walk is over. */
  finished: boolean;
  /** Nothing was read: a target of the relay is too far behind (`maxRelayBacklog`). */
  held?: boolean;
}

/** Options of {@link retellCopies} and {@link startCopyRetelling}. */
export interface RetellingOptions {
  /** Trips read per transaction. @default 100 */
  batchSize?: number;
  /**
   * A batch waits while a target that read the relay in the last 5 minutes has more than this many
   * of this province's relay events to apply. @default 1_000
   */
  maxRelayBacklog?: number;
}

/**
 * One batch of the walk in one transaction: the next `batchSize` trips after the recorded one,
 * their copies told to their keepers (RELAY events of the outbox), the position moved. Nothing to
 * do once the walk finished (one statement), whatever the relay's backlog.
 */
export async function retellCopies(
  ctx: ProvinceContext,
  options: RetellingOptions = {},
): Promise<RetellingStep> {
  const batchSize = options.batchSize ?? 100;
  const maxBacklog = options.maxRelayBacklog ?? 1_000;
  const done: RetellingStep = { trips: 0, copies: 0, finished: true };
  // A finished walk is never held: it reads its row and ends.
  const [state] = await ctx.db.select().from(tripCopyRetelling);
  if (!state || state.finishedAt) return done;
  const backlog = await largestRelayBacklog(ctx.db, { activeWithinSeconds: 300, cap: maxBacklog + 1 });
  if (backlog > maxBacklog) return { trips: 0, copies: 0, finished: false, held: true };
  return ctx.db.transaction(async (tx) => {
    const [position] = await tx.select().from(tripCopyRetelling).for('update');
    if (!position || position.finishedAt) return done;
    const batch = await tx
      .select()
      .from(trips)
      .where(position.afterTrip === null ? undefined : gt(trips.id, position.afterTrip))
      .orderBy(trips.id)
      .limit(batchSize)
      .for('share');
    const stops = await findStops(
      tx,
      batch.map((t) => t.id),
    );
    const events = new OutboxBatch();
    let copies = 0;
    for (const [i, trip] of batch.entries()) {
      const regions = stopRegionsFrom(stops[i]!, trip);
      const keepers = copyKeepers(ctx.province, trip, regions);
      if (keepers.length === 0) continue;
      const copy = await tripCopyOf(tx, trip, regions);
      for (const target of keepers) tellProvince(ctx, events, target, copy);
      copies += keepers.length;
    }
    await events.flush(tx);
    const finished = batch.length < batchSize;
    await tx
      .update(tripCopyRetelling)
      .set({
        afterTrip: batch.at(-1)?.id ?? position.afterTrip,
        ...(finished ? { finishedAt: sql`now()` } : {}),
      })
      .where(sql`${tripCopyRetelling.id} = 1`);
    return { trips: batch.length, copies, finished };
  });
}

/** Totals of a walk. */
export interface RetellingTotals {
  trips: number;
  copies: number;
}

/** The background walk of {@link startCopyRetelling}. */
export interface CopyRetelling {
  /** Walks to the end now (after a running batch); what the background task does batch by batch. */
  retellNow(): Promise<RetellingTotals>;
  /** Stops the background walk and waits for a running batch. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startCopyRetelling}. */
export interface CopyRetellingOptions extends RetellingOptions {
  /** A context of the province (its code and database; no caller). */
  contextFor(): ProvinceContext;
  log: Logger;
  /** Delay before the first batch, so start-up and the first requests go first. @default 10_000 */
  firstDelayMs?: number;
  /** Pause between batches, so the relay and the requests keep up. @default 200 */
  pauseMs?: number;
  /** Pause after a batch held by the relay's backlog. @default 5_000 */
  heldPauseMs?: number;
  /** Delay before retrying a failed batch (database down). @default 60_000 */
  failureDelayMs?: number;
}

/**
 * Starts the walk in the background (see the module comment): a batch, a pause, the next batch,
 * until every trip was told; then the task ends, and the next start-up reads one row and does
 * nothing. The timer does not keep the process alive.
 */
export function startCopyRetelling(options: CopyRetellingOptions): CopyRetelling {
  const totals: RetellingTotals = { trips: 0, copies: 0 };
  const heldPauseMs = options.heldPauseMs ?? 5_000;
  const step = async (): Promise<RetellingStep> => {
    const done = await retellCopies(options.contextFor(), options);
    totals.trips += done.trips;
    totals.copies += done.copies;
    return done;
  };
  const task = startBackgroundTask({
    run: step,
    firstDelayMs: options.firstDelayMs ?? 10_000,
    nextDelayMs: (done) => (done.held ? heldPauseMs : (options.pauseMs ?? 200)),
    failureDelayMs: options.failureDelayMs ?? 60_000,
    onResult: (done) => {
      if (!done.finished) return;
      if (totals.trips > 0)
        options.log.info(totals, 'past trips re-told to the provinces they touch (copy re-telling finished)');
      void task.stop();
    },
    onFailure: (err) =>
      options.log.warn({ err: { message: err.message } }, 'copy re-telling failed; retrying later'),
  });
  return {
    async retellNow() {
      const walked: RetellingTotals = { trips: 0, copies: 0 };
      for (;;) {
        const done = await task.runNow();
        walked.trips += done.trips;
        walked.copies += done.copies;
        if (done.finished) return walked;
        if (done.held) await new Promise((r) => setTimeout(r, heldPauseMs));
      }
    },
    stop: task.stop,
  };
}
