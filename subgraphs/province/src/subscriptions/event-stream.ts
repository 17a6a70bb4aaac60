/**
 * One subscription's stream of outbox events: replays the events after a cursor, then follows
 * the feed's head. Takes its events from the process's shared tail of the outbox
 * (`event-tail.ts`: one read per advance of the head for every stream) while its position lies
 * inside it; below it (a replay from an older cursor), reads the outbox by cursor in batches (`WHERE seq > $1 AND seq <= head AND <filter>
 * ORDER BY seq LIMIT n`) and sleeps on the shared feed between them: no polling. Each read also
 * reads, in the same snapshot, the highest pruned seq of the filter (retention): above the
 * stream's position, events it should have delivered are gone, and the stream fails with
 * CURSOR_EXPIRED instead of skipping them; so it does when the feed's epoch changes under it.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import {
  OUTBOX_EVENT_COLUMNS,
  outboxEventOf,
  type OutboxEventRecord,
  type OutboxEventRow,
} from './outbox-event.js';
import { topicFilterSql, topicKey, topicMatcher, type EventTopic } from '../event-topics.js';
import type { OutboxFeed } from './outbox-feed.js';
import type { EventTail } from './event-tail.js';
import { assertCursorRetained, prunedThroughSql } from '../retention/retention.js';
import { rowsOf } from '../db/sql-rows.js';
import { epochExpired } from './epoch-cursor.js';

export type { OutboxEventRecord } from './outbox-event.js';

/** Options of {@link followEvents}. */
export interface FollowOptions {
  db: Db;
  feed: OutboxFeed;
  /** The process's shared tail of the outbox: each step reads from it while the stream's position lies inside it. */
  tail: EventTail;
  topic: EventTopic;
  /** The filter value, validated: a region code, or for `equals` topics an id or province code (see `topicKey`). */
  region: string;
  /** Replay after this seq; undefined: from the feed's head (only what happens from now on). */
  after?: number;
  /** The epoch `after` belongs to (checked by the caller); @default the feed's epoch now. */
  epoch?: string;
  /** Events read per statement. @default 500 */
  batchSize?: number;
}

interface EventRow extends OutboxEventRow {
  /** The filter's highest pruned seq (every row carries it; a row with a null seq carries only it). */
  pruned: number | string;
}

/**
 * An async iterator of the matching events after `after`, in seq order, without end. `return()`
 * ends it at once, even while it waits for the next event.
 */
export function followEvents(options: FollowOptions): AsyncIterableIterator<OutboxEventRecord> {
  const { db, feed } = options;
  const batchSize = options.batchSize ?? 500;
  const key = topicKey(options.topic, options.region);
  const filter = topicFilterSql(options.topic, key);
  const matches = topicMatcher(options.topic, key);
  const pruned = prunedThroughSql(options.topic, key);
  const stop = new AbortController();
  /** Every event up to here was considered. */
  let scanned = options.after ?? feed.head;
  const epoch = options.epoch ?? feed.epoch;
  let pending: OutboxEventRecord[] = [];
  const done = (): IteratorResult<OutboxEventRecord> => ({ value: undefined, done: true });

  const readBatch = async (head: number): Promise<OutboxEventRecord[]> => {
    // The sequence restarted under the stream (an operator drew a new epoch): nothing it would
    // read now continues what it delivered.
    if (feed.epoch !== epoch) throw epochExpired(`#${scanned}`, feed.epoch);
    const step = await options.tail.step(options.topic, matches, scanned, head, epoch, batchSize);
    if (step) {
      scanned = step.through;
      return step.events;
    }
    const result = await db.execute(sql`
      SELECT ${pruned} AS pruned, e.* FROM (SELECT 1) AS one LEFT JOIN LATERAL (
        SELECT ${sql.raw(OUTBOX_EVENT_COLUMNS)}
          FROM outbox o
         WHERE seq > ${scanned} AND seq <= ${head} AND ${filter}
         ORDER BY seq
         LIMIT ${batchSize}) AS e ON true`);
    const rows = rowsOf<EventRow>(result).filter((r) => r.seq !== null);
    assertCursorRetained(scanned, Number(rowsOf<EventRow>(result)[0]?.pruned ?? 0));
    scanned = rows.length === batchSize ? Number(rows[rows.length - 1]!.seq) : head;
    return rows.map(outboxEventOf);
  };

  const iterator: AsyncIterableIterator<OutboxEventRecord> = {
    async next() {
      while (!stop.signal.aborted && !feed.isClosed) {
        const event = pending.shift();
        if (event) return { value: event, done: false };
        const head = feed.head;
        if (head > scanned) {
          const batch = await readBatch(head);
          if (stop.signal.aborted) break;
          pending = batch;
          continue;
        }
        await feed.waitBeyond(scanned, stop.signal);
      }
      return done();
    },
    async return() {
      stop.abort();
      pending = [];
      return done();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
