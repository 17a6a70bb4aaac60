/**
 * The latest events of the outbox, read ONCE per advance of the feed's head for every
 * subscription of the process, and filtered in memory. Without it, each subscription ran its own
 * filtered read after every commit: with the gateway's ~300 destination filters a province ran
 * ~300 statements per event on its pool (#17.4).
 *
 * The tail holds the events of (`from`, `to`] — every event of the subscription topics in that
 * range, none missing — at most `capacity` of them, the oldest dropped first. A stream whose
 * position lies inside it is served from memory; one below it (a replay from an older cursor),
 * of another epoch or while the tail cannot read, reads the outbox itself (`event-stream.ts`),
 * with its retention check.
 *
 * Why none is missing: the tail reads only up to the feed's head (every event up to it is
 * committed), from where its last read stopped, and reads in the same snapshot the epoch and
 * how far retention pruned. A read that finds the epoch changed starts an empty tail of the new
 * epoch at that head; one that finds events pruned above `to` starts the tail above them.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { safeError } from '@p2p/runtime';
import type { Db } from '../db/database.js';
import { EVENT_TOPICS, type EventTopic, type TopicFields } from '../event-topics.js';
import { rowsOf } from '../db/sql-rows.js';
import { currentEpochSql } from '../relay/outbox-epoch.js';
import {
  OUTBOX_EVENT_COLUMNS,
  outboxEventOf,
  type OutboxEventRecord,
  type OutboxEventRow,
} from './outbox-event.js';
import type { OutboxFeed } from './outbox-feed.js';

/** Options of {@link EventTail}. */
export interface EventTailOptions {
  db: Db;
  feed: OutboxFeed;
  log: Logger;
  /** Events held at most (the oldest are dropped; ~1 KB each). @default 20_000 */
  capacity?: number;
  /** Events read per statement. @default 5_000 */
  readBatch?: number;
}

/** The events of one stream's step: matching ones in seq order, and the position read through. */
export interface TailStep {
  events: OutboxEventRecord[];
  /** Every event up to here was considered. */
  through: number;
}

/** An event held by the tail: what a subscription delivers, and what topics filter on. */
interface TailEvent extends TopicFields {
  record: OutboxEventRecord;
}

interface TailRow extends OutboxEventRow {
  epoch: string | null;
  pruned: number | string;
  origin: string;
  destination: string;
  enterprise_id: string | null;
  target: string | null;
  home_regions: string[] | null;
  stops: string[] | null;
}

/** The topics a subscription follows (RELAY events are read by the relay alone, and stay out). */
const HELD_TOPICS: readonly EventTopic[] = (Object.keys(EVENT_TOPICS) as EventTopic[]).filter(
  (t) => t !== 'relay',
);
const NOT_HELD = EVENT_TOPICS.relay.kinds;

/** The shared in-memory tail of the outbox; one per process, beside the {@link OutboxFeed}. */
export class EventTail {
  private events: TailEvent[] = [];
  private fromSeq: number;
  private toSeq: number;
  private epochValue: string;
  private reading: Promise<boolean> | undefined;
  private readonly capacity: number;
  private readonly readBatch: number;

  /** Starts empty at the feed's head (call after `feed.start()`). */
  constructor(private readonly options: EventTailOptions) {
    this.fromSeq = this.toSeq = options.feed.head;
    this.epochValue = options.feed.epoch;
    this.capacity = options.capacity ?? 20_000;
    this.readBatch = options.readBatch ?? 5_000;
  }

  /** The range held: every event of the subscription topics with `from` < seq ≤ `to`. */
  get range(): { from: number; to: number; epoch: string; size: number } {
    return { from: this.fromSeq, to: this.toSeq, epoch: this.epochValue, size: this.events.length };
  }

  /**
   * The events of `topic` that `matches` (the stream's `topicMatcher`, built once per stream)
   * with `after` < seq ≤ `head`, at most `limit` (then
   * `through` is the last one's seq). Reads the outbox first when the tail is short of `head` (one
   * read shared by every caller). Undefined when the tail cannot answer: `after` below what it
   * holds, another epoch, a topic it does not hold, or a failed read; the caller reads the outbox.
   */
  async step(
    topic: EventTopic,
    matches: (event: TopicFields) => boolean,
    after: number,
    head: number,
    epoch: string,
    limit: number,
  ): Promise<TailStep | undefined> {
    if (!HELD_TOPICS.includes(topic) || after < this.fromSeq) return undefined;
    if (this.toSeq < head && !(await this.extend(head))) return undefined;
    if (epoch !== this.epochValue || after < this.fromSeq || this.toSeq < head) return undefined;
    const events: OutboxEventRecord[] = [];
    for (let i = this.firstAfter(after); i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.record.seq > head) break;
      if (!matches(event)) continue;
      events.push(event.record);
      if (events.length === limit) return { events, through: event.record.seq };
    }
    return { events, through: head };
  }

  /** Reads up to the feed's head unless a read is running; true once `to` ≥ `head`. */
  private async extend(head: number): Promise<boolean> {
    while (this.toSeq < head) {
      this.reading ??= this.readToHead().finally(() => {
        this.reading = undefined;
      });
      if (!(await this.reading)) return false;
    }
    return true;
  }

  /** One pass from `to` to the feed's head, batch by batch; false when a read failed or made no progress. */
  private async readToHead(): Promise<boolean> {
    const target = this.options.feed.head;
    try {
      while (this.toSeq < target) {
        const from = this.toSeq;
        const rows = rowsOf<TailRow>(
          await this.options.db.execute(sql`
            SELECT ${currentEpochSql} AS epoch,
                   (SELECT coalesce(max(pruned_through), 0) FROM outbox_retention) AS pruned, e.*
              FROM (SELECT 1) AS one LEFT JOIN LATERAL (
                SELECT ${sql.raw(OUTBOX_EVENT_COLUMNS)}, o.origin, o.destination, o.enterprise_id,
                       o.target, o.home_regions,
                       CASE WHEN o.trip_id IS NULL THEN NULL
                            ELSE ARRAY(SELECT region FROM trip_stops s WHERE s.trip_id = o.trip_id) END AS stops
                  FROM outbox o
                 WHERE o.seq > ${from} AND o.seq <= ${target}
                   AND o.kind NOT IN (${sql.join(
                     NOT_HELD.map((k) => sql`${k}`),
                     sql`, `,
                   )})
                 ORDER BY o.seq
                 LIMIT ${this.readBatch}) AS e ON true`),
        );
        const first = rows[0];
        const epoch = first?.epoch ?? this.epochValue;
        if (epoch !== this.epochValue) {
          // The sequence restarted: nothing held continues it. Streams of the old epoch read the
          // outbox (and are refused there); new ones start at the head.
          this.restart(target, epoch);
          return true;
        }
        const pruned = Number(first?.pruned ?? 0);
        if (pruned > from) {
          // Retention deleted events above what the tail held: it may not know them all.
          this.restart(Math.max(pruned, from), epoch);
          continue;
        }
        const read = rows.filter((r) => r.seq !== null).map(toTailEvent);
        this.events.push(...read);
        this.toSeq = read.length === this.readBatch ? read[read.length - 1]!.record.seq : target;
        this.trim();
      }
      return true;
    } catch (err) {
      this.options.log.warn({ err: safeError(err) }, 'event tail read failed; streams read the outbox');
      return false;
    }
  }

  /** Drops everything held and holds (`at`, `at`] of `epoch` from now on. */
  private restart(at: number, epoch: string): void {
    this.events = [];
    this.fromSeq = this.toSeq = at;
    this.epochValue = epoch;
  }

  /** Drops the oldest events beyond `capacity`; `from` moves to the last one dropped. */
  private trim(): void {
    const excess = this.events.length - this.capacity;
    if (excess <= 0) return;
    this.fromSeq = this.events[excess - 1]!.record.seq;
    this.events.splice(0, excess);
  }

  /** The index of the first held event with seq > `after` (binary search). */
  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.record.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function toTailEvent(r: TailRow): TailEvent {
  return {
    kind: r.kind,
    origin: r.origin,
    destination: r.destination,
    enterpriseId: r.enterprise_id,
    target: r.target,
    homeRegions: r.home_regions,
    stops: r.stops ?? [],
    record: outboxEventOf(r),
  };
}
