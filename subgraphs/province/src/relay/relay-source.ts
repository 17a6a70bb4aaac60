/**
 * The source side of the relay: reads the RELAY events this province wrote for other provinces
 * (its outbox rows with a `target`), for several targets at once, each after the position its
 * target has applied. Gap-safe: never beyond the shared outbox feed's head, so an event committed
 * late with a lower seq is never skipped. A long poll: with nothing to read it waits on the feed
 * (bounded) instead of being called again and again. Each read records the positions the targets
 * reported (`relay_consumers`), which retention never prunes beyond.
 */
import type {
  RelayConsumerBatch,
  RelayConsumerPosition,
  RelayedEvent,
  RelayEventsAnswer,
  RelayFact,
  RelayRefusal,
} from '@p2p/schema';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { outboxPruned, relayConsumers } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import { topicEqualsSql, type EventTopic } from '../event-topics.js';
import type { OutboxFeed } from '../subscriptions/outbox-feed.js';
import { currentEpoch, currentEpochSql } from './outbox-epoch.js';

/** Where one target stands: the position its inbox holds for this source. */
export type ConsumerPosition = RelayConsumerPosition;
/** Why a target's position is refused (the other targets are still served). */
export type ConsumerRefusal = RelayRefusal;
/** The answer for one target. */
export type ConsumerBatch = RelayConsumerBatch;

/** A read of the relay events for several targets. */
export interface RelayReadRequest {
  consumers: readonly ConsumerPosition[];
  /** Events per target at most (0: only heads and backlogs). */
  limit: number;
  /** How long to wait for a first event when there is none (0: answer at once). */
  waitMs: number;
  /** How many days this province keeps its events (0: for ever), told to the relay. */
  retentionDays: number;
  /** Ends the wait early (the caller went away). */
  signal?: AbortSignal;
}

/** Pending events are counted up to this many (a count past it would cost every read of a far-behind target). */
export const MAX_COUNTED = 100_000;

/** Payload bytes per target per answer, about (at least one event is always sent). @default 2 MiB */
export const MAX_BATCH_BYTES = 2 * 1024 * 1024;

interface EventRow {
  target: string;
  seq: number | string;
  at_ms: number | string;
  payload: unknown;
}

/** The highest pruned seq of each target's events (retention's marks), one statement. */
async function prunedThrough(db: Db, targets: readonly string[]): Promise<Map<string, number>> {
  const rows = rowsOf<{ target: string; through: number | string }>(
    await db.execute(sql`
      SELECT region AS target, max(through) AS through FROM ${outboxPruned}
       WHERE topic = ${'relay' satisfies EventTopic} AND region = ANY(${sql.param([...targets])}::text[])
       GROUP BY region`),
  );
  return new Map(rows.map((r) => [r.target, Number(r.through)]));
}

/** What one target may read, or why not (`pruned`: the highest pruned seq of its events). */
async function judgePosition(
  feed: OutboxFeed,
  epoch: string,
  consumer: ConsumerPosition,
  pruned: number,
): Promise<ConsumerRefusal | undefined> {
  if (consumer.epoch === null && consumer.after !== 0)
    return {
      code: 'BAD_USER_INPUT',
      message: `position ${consumer.after} of ${consumer.target} carries no epoch; a target without one starts at 0`,
    };
  if (consumer.epoch !== null && consumer.epoch !== epoch)
    return {
      code: 'CURSOR_EXPIRED',
      message: `position of ${consumer.target} belongs to another epoch of this province's events (${consumer.epoch}; now ${epoch}): the sequence was restarted, an operator must decide what the target missed`,
    };
  if (!(await feed.reaches(consumer.after)))
    return {
      code: 'BAD_USER_INPUT',
      message: `position ${consumer.after} of ${consumer.target} is ahead of this province's events (head ${feed.head})`,
    };
  if (consumer.after < pruned)
    return {
      code: 'CURSOR_EXPIRED',
      message: `events for ${consumer.target} after position ${consumer.after} were pruned (through #${pruned}); an operator must decide what the target missed`,
    };
  return undefined;
}

/** Records the positions the targets reported (forward only within an epoch), for retention. */
async function recordPositions(db: Db, epoch: string, consumers: readonly ConsumerPosition[]): Promise<void> {
  if (consumers.length === 0) return;
  await db.execute(sql`
    INSERT INTO ${relayConsumers} AS c (target, epoch, position, seen_at)
    SELECT t, ${epoch}, p, now()
      FROM unnest(${sql.param(consumers.map((c) => c.target))}::text[], ${sql.param(consumers.map((c) => c.after))}::bigint[]) AS v(t, p)
    ON CONFLICT (target) DO UPDATE SET
      position = CASE WHEN c.epoch = excluded.epoch THEN greatest(c.position, excluded.position) ELSE excluded.position END,
      epoch = excluded.epoch,
      seen_at = now()
    WHERE c.epoch <> excluded.epoch OR c.position < excluded.position OR c.seen_at < now() - interval '1 minute'`);
}

/**
 * The targets and their positions as the relation `v(t, a)`: one array parameter per column, so
 * a read for 30 targets is planned once, not as 30 unions of their own (planning those was most
 * of the relay's cost at 31 provinces).
 */
const positionsOf = (consumers: readonly ConsumerPosition[]): SQL =>
  sql`unnest(${sql.param(consumers.map((c) => c.target))}::text[], ${sql.param(consumers.map((c) => c.after))}::bigint[]) AS v(t, a)`;

/** The RELAY events for the target in `v.t`. */
const forTarget = topicEqualsSql('relay', sql`v.t`);

/** SQL expression: how many RELAY events for `target` lie after `after`, counted up to `cap`. */
const pendingSql = (target: SQL, after: SQL, cap: number): SQL =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM outbox WHERE ${topicEqualsSql('relay', target)} AND seq > ${after} LIMIT ${cap}) AS p)`;

/** One statement: the next events of every target after its position, up to `head`. */
async function readEvents(
  db: Db,
  consumers: readonly ConsumerPosition[],
  head: number,
  limit: number,
): Promise<Map<string, RelayedEvent[]>> {
  const rows = rowsOf<EventRow>(
    await db.execute(sql`
      SELECT v.t AS target, e.seq, e.at_ms, e.payload FROM ${positionsOf(consumers)}
      CROSS JOIN LATERAL (
        SELECT seq, (extract(epoch FROM at) * 1000)::float8 AS at_ms, payload FROM outbox
         WHERE ${forTarget} AND seq > v.a AND seq <= ${head} ORDER BY seq LIMIT ${limit}) AS e`),
  );
  const byTarget = new Map<string, RelayedEvent[]>(consumers.map((c) => [c.target, []]));
  const bytes = new Map<string, number>();
  /** Targets whose batch is full: their later events wait for the next read, in order. */
  const full = new Set<string>();
  for (const row of rows.sort((a, b) => Number(a.seq) - Number(b.seq))) {
    if (full.has(row.target)) continue;
    const events = byTarget.get(row.target)!;
    const size = (bytes.get(row.target) ?? 0) + JSON.stringify(row.payload).length;
    if (events.length > 0 && size > MAX_BATCH_BYTES) {
      full.add(row.target);
      continue;
    }
    bytes.set(row.target, size);
    const fact = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as RelayFact;
    events.push({ seq: Number(row.seq), at: new Date(Number(row.at_ms)).toISOString(), fact });
  }
  return byTarget;
}

/** One statement: each target's head and the number of its events after its position. */
async function backlogs(
  db: Db,
  consumers: readonly ConsumerPosition[],
): Promise<Map<string, { head: number; pending: number }>> {
  const rows = rowsOf<{ target: string; head: number | string; pending: number | string }>(
    await db.execute(sql`
      SELECT v.t AS target,
        (SELECT coalesce(max(seq), 0) FROM outbox WHERE ${forTarget}) AS head,
        ${pendingSql(sql`v.t`, sql`v.a`, MAX_COUNTED)} AS pending
        FROM ${positionsOf(consumers)}`),
  );
  return new Map(rows.map((r) => [r.target, { head: Number(r.head), pending: Number(r.pending) }]));
}

/**
 * The largest number of RELAY events a target that read within `activeWithinSeconds` has not
 * applied yet (counted up to `cap`), from the positions the targets last reported
 * (`relay_consumers`, this epoch's); 0 when none is behind. What a producer of bulk facts
 * (`transport/copy-retelling.ts`) waits on, so live facts never queue behind a burst of its own; a
 * target that stopped reading does not hold it (its events wait in the outbox anyway).
 */
export async function largestRelayBacklog(
  db: Db,
  options: { activeWithinSeconds: number; cap: number },
): Promise<number> {
  const rows = rowsOf<{ pending: number | string | null }>(
    await db.execute(sql`
      SELECT max(${pendingSql(sql`c.target`, sql`c.position`, options.cap)}) AS pending
        FROM ${relayConsumers} AS c
       WHERE c.seen_at > now() - make_interval(secs => ${options.activeWithinSeconds})
         AND c.epoch = ${currentEpochSql}`),
  );
  return Number(rows[0]?.pending ?? 0);
}

/**
 * Reads the RELAY events for each target after its position (see the module comment). Targets
 * whose position is refused get `refused` and nothing else; the others get their events, waiting
 * up to `waitMs` on the feed while none of them has any.
 */
export async function readRelayEvents(
  db: Db,
  feed: OutboxFeed,
  request: RelayReadRequest,
): Promise<RelayEventsAnswer> {
  const epoch = await currentEpoch(db);
  const refusals = new Map<string, ConsumerRefusal>();
  const pruned = await prunedThrough(
    db,
    request.consumers.map((c) => c.target),
  );
  for (const consumer of request.consumers) {
    const refused = await judgePosition(feed, epoch, consumer, pruned.get(consumer.target) ?? 0);
    if (refused) refusals.set(consumer.target, refused);
  }
  const served = request.consumers.filter((c) => !refusals.has(c.target));
  await recordPositions(db, epoch, served);
  let events = new Map<string, RelayedEvent[]>();
  if (served.length > 0 && request.limit > 0) {
    const deadline = Date.now() + request.waitMs;
    for (;;) {
      const head = feed.head;
      events = await readEvents(db, served, head, request.limit);
      const remaining = deadline - Date.now();
      if (
        [...events.values()].some((e) => e.length > 0) ||
        remaining <= 0 ||
        request.signal?.aborted ||
        feed.isClosed
      )
        break;
      const wait = AbortSignal.timeout(remaining);
      await feed.waitBeyond(head, request.signal ? AbortSignal.any([wait, request.signal]) : wait);
    }
  }
  const heads = served.length > 0 ? await backlogs(db, served) : new Map();
  return {
    epoch,
    retentionDays: request.retentionDays,
    consumers: request.consumers.map((c) => {
      const refused = refusals.get(c.target);
      if (refused) return { target: c.target, events: [], head: 0, pending: 0, refused };
      const { head, pending } = heads.get(c.target) ?? { head: 0, pending: 0 };
      return { target: c.target, events: events.get(c.target) ?? [], head, pending };
    }),
  };
}
