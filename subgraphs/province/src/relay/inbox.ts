/**
 * The target side of the relay: applies a batch of events relayed from one source province in
 * ONE transaction with the inbox position of that source (`relay_inbox`), so each event takes
 * effect exactly once and in order, through restarts of either side and of the relay:
 * - the source's inbox row is locked (`SELECT … FOR UPDATE`): two deliverers of the same source
 *   (two gateway replicas) run one after the other, and the second skips what the first applied;
 * - events at or below the stored position are skipped (a redelivery is harmless);
 * - a batch of another epoch than the stored one is refused (CURSOR_EXPIRED), never skipped;
 * - a batch read after a position beyond the stored one is refused (BAD_USER_INPUT): applying it
 *   would skip the events in between (an inbox restored from a backup, a confused deliverer).
 */
import { hubError, type RelayedEvent } from '@p2p/schema';
import { asc, eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { relayInbox } from '../db/schema/index.js';
import { OutboxBatch } from '../outbox.js';
import { applyFacts } from './apply-fact.js';

/** A batch of events of one source, as the relay delivers it. */
export interface RelayedBatch {
  /** The source province, six digits. */
  source: string;
  /** The source's epoch the events belong to. */
  epoch: string;
  /** The position the events were read after (the deliverer's view of this inbox). */
  after: number;
  /** In seq order, each above `after`. */
  events: readonly RelayedEvent[];
}

/** Where the inbox of one source stands. */
export interface InboxPosition {
  source: string;
  epoch: string;
  /** The seq of the last applied event. */
  position: number;
  /** Events applied in all. */
  applied: number;
  /** The source's commit time of the last applied event. */
  lastEventAt: Date | null;
  /** When the last batch was applied here. */
  appliedAt: Date | null;
}

/** The outcome of {@link applyRelayedBatch}. */
export interface AppliedBatch extends InboxPosition {
  /** Events of this batch that took effect now. */
  appliedNow: number;
  /** Events of this batch already applied before (redelivered). */
  skipped: number;
}

const positionOf = (row: typeof relayInbox.$inferSelect): InboxPosition => ({
  source: row.source,
  epoch: row.epoch,
  position: row.position,
  applied: row.applied,
  lastEventAt: row.lastEventAt,
  appliedAt: row.appliedAt,
});

/**
 * Applies a batch (see the module comment) with the fact handlers (`apply-fact.ts`: runs of
 * consecutive facts of one kind at once), flushes the events the handlers queued, moves the
 * position, commits.
 * @throws CURSOR_EXPIRED for another epoch, BAD_USER_INPUT for a position beyond the stored one;
 *   a handler's error rolls everything back (nothing applied, position unchanged).
 */
export async function applyRelayedBatch(ctx: ProvinceContext, batch: RelayedBatch): Promise<AppliedBatch> {
  const started = performance.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    await tx
      .insert(relayInbox)
      .values({ source: batch.source, epoch: batch.epoch, position: 0 })
      .onConflictDoNothing({ target: relayInbox.source });
    const [row] = await tx.select().from(relayInbox).where(eq(relayInbox.source, batch.source)).for('update');
    if (!row) throw new Error(`relay_inbox row of ${batch.source} vanished`);
    if (row.epoch !== batch.epoch)
      throw hubError(
        'CURSOR_EXPIRED',
        `events of ${batch.source} belong to epoch ${batch.epoch}, this inbox follows epoch ${row.epoch}: the source's sequence was restarted; an operator must decide what was missed (nothing is skipped)`,
        { source: batch.source, epoch: row.epoch, position: String(row.position) },
      );
    if (batch.after > row.position)
      throw hubError(
        'BAD_USER_INPUT',
        `events of ${batch.source} were read after ${batch.after}, but this inbox has applied only up to ${row.position}: read again after ${row.position}`,
        { source: batch.source, position: String(row.position) },
      );
    const fresh = batch.events.filter((e) => e.seq > row.position);
    if (fresh.length === 0) return { row, appliedNow: 0 };
    const events = new OutboxBatch();
    await applyFacts(
      ctx,
      tx,
      fresh.map((event) => ({
        fact: event.fact,
        origin: { source: batch.source, seq: event.seq, at: new Date(event.at) },
      })),
      events,
    );
    await events.flush(tx);
    const last = fresh[fresh.length - 1]!;
    const [moved] = await tx
      .update(relayInbox)
      .set({
        position: last.seq,
        applied: sql`${relayInbox.applied} + ${fresh.length}`,
        lastEventAt: new Date(last.at),
        appliedAt: sql`clock_timestamp()`,
      })
      .where(eq(relayInbox.source, batch.source))
      .returning();
    return { row: moved!, appliedNow: fresh.length };
  });
  const skipped = batch.events.length - outcome.appliedNow;
  if (outcome.appliedNow > 0 || skipped > 0)
    ctx.log.info(
      {
        source: batch.source,
        applied: outcome.appliedNow,
        skipped,
        position: outcome.row.position,
        // The transaction's time, commit included (the relay benchmark splits the lag with it).
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'relayed events applied',
    );
  return { ...positionOf(outcome.row), appliedNow: outcome.appliedNow, skipped };
}

/** Every source's inbox position, in source order. */
export async function readInbox(db: Executor): Promise<InboxPosition[]> {
  return (await db.select().from(relayInbox).orderBy(asc(relayInbox.source))).map(positionOf);
}
