/**
 * Resolvers of the province's subgraph subscriptions: `arrivals`, `departures` (transport) and
 * `Subscription.returnRequestsFiled` (employment), their event types, and the WebSocket-only
 * `Query.outboxHead` the gateway reads to start a subscription exactly "from now" (and
 * `Query.outboxPrunedThrough`, below which a cursor is refused: retention/retention.ts).
 */
import { assertRegionCode, badInput, notFound } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import { findEnterprises, returnRequestLoader } from '../employment/records.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { filterPrunedThrough } from '../retention/retention.js';
import { tripLoader } from '../transport/records.js';
import { topicKey, type EventTopic } from '../event-topics.js';
import { ownId } from '../validation/ownership.js';
import { assertCurrentEpoch, parseEpochCursor } from './epoch-cursor.js';
import { followEvents, type OutboxEventRecord } from './event-stream.js';
import type { OutboxFeed } from './outbox-feed.js';
import type { EventTail } from './event-tail.js';

/** What the subscription resolvers need besides the request context. */
export interface SubscriptionSource {
  feed: OutboxFeed;
  /** The shared tail of the outbox the streams read from (one read per advance of the head for all). */
  tail: EventTail;
  /** Events read per statement. @default 500 */
  batchSize?: number;
}

/** SDL of the WebSocket-only fields, added to the schemas served over graphql-ws (not part of the contract). */
export const WS_ONLY_TYPE_DEFS = `
  extend type Query {
    "This province's event high-water mark: subscribe with after set to it to follow from now on."
    outboxHead: String!
    "This province's event sequence epoch: it changes when the sequence restarts (a restore from a backup). A subscription's after may be <epoch>:<seq>; another epoch's is refused with CURSOR_EXPIRED."
    outboxEpoch: String!
    "The highest pruned seq (retention) of an event the subscription field of this subgraph (default: its first) with this filter value (a region, or an enterprise id for returnRequestUpdates) would deliver: a cursor below it is refused with CURSOR_EXPIRED. 0: none."
    outboxPrunedThrough(region: String!, field: String): String!
  }
`;

/**
 * Refuses a cursor ahead of the province's head: no event of this province has that seq yet, so
 * it can only be forged (a position of another epoch is refused before, `epoch-cursor.ts`).
 * @throws BAD_USER_INPUT (`extensions.field` = 'after')
 */
export async function assertCursorReached(feed: OutboxFeed, after: number): Promise<void> {
  if (await feed.reaches(after)) return;
  throw badInput(
    `after: #${after} is ahead of this province's latest event (#${feed.head}); pass the cursor of the last event received, or omit after to start from now`,
    'after',
  );
}

/** A subscription field: the topic it follows and its filter argument, validated by `parse`. */
interface SubscriptionFilter {
  topic: EventTopic;
  argument: string;
  /** Validates the filter value (throws the input's error), e.g. a region code or an enterprise id. */
  parse(value: unknown, ctx: ProvinceContext): string | Promise<string>;
}

/**
 * An enterprise of this province, by its id (`returnRequestUpdates(enterpriseId:)`).
 * @throws BAD_USER_INPUT when malformed, WRONG_PROVINCE when of another province, NOT_FOUND when unknown.
 */
async function ownEnterpriseId(value: unknown, ctx: ProvinceContext): Promise<string> {
  if (typeof value !== 'string') throw badInput('enterpriseId: an Enterprise id is required', 'enterpriseId');
  ownId(value, 'Enterprise', ctx.province, 'enterpriseId');
  if (!(await findEnterprises(ctx.db, [value]))[0]) throw notFound('Enterprise', value);
  return value;
}

/** Each subscription field the province serves, by name. */
export const SUBSCRIPTION_FILTERS: Readonly<Record<string, SubscriptionFilter>> = Object.freeze({
  arrivals: { topic: 'arrivals', argument: 'destination', parse: (v) => assertRegionCode(v, 'destination') },
  returnRequestsFiled: {
    topic: 'returnRequestsFiled',
    argument: 'origin',
    parse: (v) => assertRegionCode(v, 'origin'),
  },
  returnRequestUpdates: { topic: 'returnRequestUpdates', argument: 'enterpriseId', parse: ownEnterpriseId },
  departures: {
    topic: 'departures',
    argument: 'homeRegion',
    parse: (v) => assertRegionCode(v, 'homeRegion'),
  },
});

function subscribeTo(source: SubscriptionSource, field: keyof typeof SUBSCRIPTION_FILTERS) {
  const { topic, argument, parse } = SUBSCRIPTION_FILTERS[field]!;
  return async (_: unknown, args: Record<string, unknown>, ctx: ProvinceContext) => {
    const region = await parse(args[argument], ctx);
    const cursor = parseEpochCursor(args.after);
    // The epoch first: a position of a restarted sequence may well be ahead of the new head.
    if (cursor) assertCurrentEpoch(cursor, source.feed.epoch);
    if (cursor) await assertCursorReached(source.feed, cursor.seq);
    ctx.log.debug({ topic, region, after: cursor?.seq ?? 'head' }, 'subscription started');
    return followEvents({
      db: ctx.db,
      feed: source.feed,
      tail: source.tail,
      topic,
      region,
      ...(cursor ? { after: cursor.seq, epoch: cursor.epoch ?? source.feed.epoch } : {}),
      ...(source.batchSize ? { batchSize: source.batchSize } : {}),
    });
  };
}

/** Each event is resolved with fresh loaders: a trip read for one event must not be reused for the next. */
function freshEvent(event: OutboxEventRecord, _: unknown, ctx: ProvinceContext): OutboxEventRecord {
  ctx.loaders.clear();
  return event;
}

const eventFields = {
  cursor: (e: OutboxEventRecord) => String(e.seq),
  at: (e: OutboxEventRecord) => e.at,
};

/** The subscription resolvers of `transport`, to merge into its resolver map. */
export function transportSubscriptionResolvers(source: SubscriptionSource): ResolverMap {
  return {
    Subscription: {
      arrivals: { subscribe: subscribeTo(source, 'arrivals'), resolve: freshEvent },
      departures: { subscribe: subscribeTo(source, 'departures'), resolve: freshEvent },
    },
    TripEvent: {
      ...eventFields,
      // A DEPARTURE (the home side's event, relay/departure-events.ts) says which TripEvent it is,
      // and when the organiser recorded it.
      kind: (e: OutboxEventRecord) => (e.kind === 'DEPARTURE' ? e.payload.kind : e.kind),
      at: (e: OutboxEventRecord) =>
        e.kind === 'DEPARTURE' && typeof e.payload.at === 'string' ? new Date(e.payload.at) : e.at,
      // ARRIVED, HANDED_OVER: the stop where it happened (transport/stops.ts; a DEPARTURE carries the fact's).
      stop: (e: OutboxEventRecord) =>
        typeof e.payload.stop === 'string' &&
        (e.kind === 'ARRIVED' || e.kind === 'HANDED_OVER' || e.kind === 'DEPARTURE')
          ? { code: e.payload.stop }
          : null,
      // A departure's trip may be organised by another province: a reference the gateway resolves
      // there (only the gateway subscribes, and it reads the trip's id alone).
      trip: async (e: OutboxEventRecord, _: unknown, ctx: ProvinceContext) =>
        (await tripLoader(ctx).load(e.tripId!)) ?? (e.kind === 'DEPARTURE' ? { id: e.tripId } : null),
    },
  } as ResolverMap;
}

/** The subscription resolvers of `employment`, to merge into its resolver map. */
export function employmentSubscriptionResolvers(source: SubscriptionSource): ResolverMap {
  return {
    Subscription: {
      returnRequestsFiled: { subscribe: subscribeTo(source, 'returnRequestsFiled'), resolve: freshEvent },
      returnRequestUpdates: { subscribe: subscribeTo(source, 'returnRequestUpdates'), resolve: freshEvent },
    },
    ReturnRequestEvent: {
      ...eventFields,
      returnRequest: (e: OutboxEventRecord, _: unknown, ctx: ProvinceContext) =>
        returnRequestLoader(ctx).load(e.returnRequestId!),
    },
    ReturnRequestUpdate: {
      ...eventFields,
      // The status the request changed to (it may have changed again since: `returnRequest { status }`).
      status: (e: OutboxEventRecord) => e.payload.status,
      returnRequest: (e: OutboxEventRecord, _: unknown, ctx: ProvinceContext) =>
        returnRequestLoader(ctx).load(e.returnRequestId!),
    },
  } as ResolverMap;
}

/**
 * `Query.outboxHead`, `Query.outboxEpoch` and `Query.outboxPrunedThrough`, served over graphql-ws only. `subscriptions`
 * are the subgraph's subscription fields; the first is the one `outboxPrunedThrough` answers for
 * when its `field` argument is not given.
 */
export function outboxHeadResolvers(
  source: SubscriptionSource,
  subscriptions: readonly string[],
): ResolverMap {
  return {
    Query: {
      outboxHead: () => String(source.feed.head),
      outboxEpoch: () => source.feed.epoch,
      outboxPrunedThrough: async (
        _: unknown,
        args: { region: unknown; field?: string | null },
        ctx: ProvinceContext,
      ) => {
        const field = args.field ?? subscriptions[0]!;
        if (!subscriptions.includes(field))
          throw badInput(
            `field: ${field} is not a subscription of this subgraph (${subscriptions.join(', ')})`,
            'field',
          );
        const { topic, parse } = SUBSCRIPTION_FILTERS[field]!;
        return String(
          await filterPrunedThrough(ctx.db, topic, topicKey(topic, await parse(args.region, ctx))),
        );
      },
    },
  } as ResolverMap;
}
