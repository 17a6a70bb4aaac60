/**
 * The one topic rule of the province's event streams: which outbox events each topic delivers,
 * and which column filters them, how. The event streams (`subscriptions/event-stream.ts`), the
 * relay's reader and retention's per-filter pruning marks (`retention/retention.ts`) all build
 * their SQL from {@link EVENT_TOPICS}.
 */
import { regionPrefix } from '@p2p/schema';
import { sql, type SQL } from 'drizzle-orm';
import type { OutboxKind } from './db/schema/index.js';

/** What a stream follows. */
export type EventTopic =
  /** Trip events whose destination, or one of whose stops (`trip_stops`), lies inside the region. */
  | 'arrivals'
  /** RETURN_REQUEST_FILED events whose origin (the worker's home) lies inside the region. */
  | 'returnRequestsFiled'
  /** DEPARTURE events (trip events told to the home side) carrying workers whose home lies inside the region. */
  | 'departures'
  /** RETURN_REQUEST_UPDATED events of one enterprise (by id). */
  | 'returnRequestUpdates'
  /** RELAY events for one target province (by its six-digit code): the relay's reader. */
  | 'relay';

/** How a topic's column is compared with the stream's filter value. */
export type TopicMatch =
  /** The column holds a region code inside the filter region (`LIKE prefix%`). */
  | 'inside'
  /**
   * Trip events: the column (the destination) lies inside the filter region, or one of the
   * event's trip's stops does (`trip_stops`, which never change once the trip is planned, so an
   * event matches a filter for good: cursors and pruning marks stay exact).
   */
  | 'insideOrStop'
  /** The column holds region codes, one of which lies inside the filter region. */
  | 'anyInside'
  /** The column equals the filter value (an id, a province code). */
  | 'equals';

/** The rule of one topic. */
export interface TopicRule {
  /** The outbox event kinds the topic delivers. */
  kinds: readonly OutboxKind[];
  /** The outbox column the filter applies to. */
  column: 'origin' | 'destination' | 'home_regions' | 'enterprise_id' | 'target';
  match: TopicMatch;
}

/** The topic of each outbox kind: a Record over every kind, so a new kind cannot be left without one. */
const TOPIC_OF_KIND: Readonly<Record<OutboxKind, EventTopic>> = {
  PLANNED: 'arrivals',
  DEPARTED: 'arrivals',
  ETA_CHANGED: 'arrivals',
  ARRIVED: 'arrivals',
  HANDED_OVER: 'arrivals',
  CANCELLED: 'arrivals',
  RETURN_REQUEST_FILED: 'returnRequestsFiled',
  DEPARTURE: 'departures',
  RETURN_REQUEST_UPDATED: 'returnRequestUpdates',
  RELAY: 'relay',
};

/** The column and match of each topic. */
const FILTER_OF_TOPIC: Readonly<Record<EventTopic, Omit<TopicRule, 'kinds'>>> = {
  arrivals: { column: 'destination', match: 'insideOrStop' },
  returnRequestsFiled: { column: 'origin', match: 'inside' },
  departures: { column: 'home_regions', match: 'anyInside' },
  returnRequestUpdates: { column: 'enterprise_id', match: 'equals' },
  relay: { column: 'target', match: 'equals' },
};

const TOPICS = Object.keys(FILTER_OF_TOPIC) as EventTopic[];

/** Every topic's rule; each outbox kind belongs to exactly one topic. */
export const EVENT_TOPICS: Readonly<Record<EventTopic, TopicRule>> = Object.freeze(
  Object.fromEntries(
    TOPICS.map((topic) => [
      topic,
      {
        kinds: (Object.keys(TOPIC_OF_KIND) as OutboxKind[]).filter((kind) => TOPIC_OF_KIND[kind] === topic),
        ...FILTER_OF_TOPIC[topic],
      },
    ]),
  ) as unknown as Record<EventTopic, TopicRule>,
);

/**
 * The key of a stream's filter value, as filters and pruning marks use it: the region's prefix
 * (`regionPrefix`) for region topics, the value itself for `equals` topics.
 */
export function topicKey(topic: EventTopic, value: string): string {
  return EVENT_TOPICS[topic].match === 'equals' ? value : regionPrefix(value);
}

/**
 * The stops of trips, renamed so that inside the subquery the event row's own `trip_id` stays
 * unambiguous whatever the outer row is called (`outbox`, retention's `gone`).
 */
const STOPS = sql`(SELECT trip_id AS s_trip, region AS s_region FROM trip_stops) AS stops`;

const kindIn = (kinds: readonly OutboxKind[]): SQL =>
  sql`kind IN (${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )})`;

/** SQL condition on an `outbox` row: the events of `topic` matching `key` ({@link topicKey}). */
export function topicFilterSql(topic: EventTopic, key: string): SQL {
  const rule = EVENT_TOPICS[topic];
  const column = sql.identifier(rule.column);
  switch (rule.match) {
    case 'inside':
      return sql`${kindIn(rule.kinds)} AND ${column} LIKE ${`${key}%`}`;
    case 'insideOrStop':
      return sql`${kindIn(rule.kinds)} AND (${column} LIKE ${`${key}%`} OR EXISTS (SELECT 1 FROM ${STOPS} WHERE s_trip = trip_id AND s_region LIKE ${`${key}%`}))`;
    case 'anyInside':
      return sql`${kindIn(rule.kinds)} AND EXISTS (SELECT 1 FROM unnest(${column}) AS h WHERE h LIKE ${`${key}%`})`;
    case 'equals':
      return sql`${kindIn(rule.kinds)} AND ${column} = ${key}`;
  }
}

/**
 * SQL condition on an `outbox` row: the events of an `equals` topic whose column equals the SQL
 * expression `key` (a column of an outer relation: one plan for many keys, as the relay's reader
 * asks for every target in one statement). Region topics compare by prefix and have no such form.
 */
export function topicEqualsSql(topic: EventTopic, key: SQL): SQL {
  const rule = EVENT_TOPICS[topic];
  if (rule.match !== 'equals') throw new Error(`topic ${topic} is not compared by equality`);
  return sql`${kindIn(rule.kinds)} AND ${sql.identifier(rule.column)} = ${key}`;
}

/** SQL expression on an `outbox` row: the topic its kind belongs to. */
export function topicOfEventSql(): SQL {
  return sql`CASE ${sql.join(
    TOPICS.map((t) => sql`WHEN ${kindIn(EVENT_TOPICS[t].kinds)} THEN ${t}`),
    sql` `,
  )} END`;
}

/**
 * SQL expression on an `outbox` row: the pruning-mark keys of its topic's filter, a text[]: every
 * region prefix of each region it is filtered on (`stat_region_keys`), or the value itself for
 * `equals` topics. A stream whose key is among them has lost the event when it is pruned.
 */
export function markKeysOfEventSql(): SQL {
  return sql`CASE ${sql.join(
    TOPICS.map((t) => {
      const { column, match } = EVENT_TOPICS[t];
      const col = sql.identifier(column);
      const keys =
        match === 'equals'
          ? sql`ARRAY[${col}]`
          : match === 'inside'
            ? sql`ARRAY(SELECT stat_region_keys(${col}))`
            : match === 'insideOrStop'
              ? sql`ARRAY(SELECT DISTINCT stat_region_keys(r) FROM (SELECT ${col} AS r UNION SELECT s_region FROM ${STOPS} WHERE s_trip = trip_id) AS places)`
              : sql`ARRAY(SELECT DISTINCT stat_region_keys(h) FROM unnest(${col}) AS h)`;
      return sql`WHEN ${kindIn(EVENT_TOPICS[t].kinds)} THEN ${keys}`;
    }),
    sql` `,
  )} END`;
}

/** The columns of an outbox event that topics filter on, and its trip's stops, as held in memory. */
export interface TopicFields {
  kind: OutboxKind;
  origin: string;
  destination: string;
  enterpriseId: string | null;
  target: string | null;
  homeRegions: readonly string[] | null;
  /** The regions of the event's trip's stops (`trip_stops`; empty without a trip). */
  stops: readonly string[];
}

/** The in-memory value of each filtered column. */
const COLUMN_OF: Readonly<
  Record<TopicRule['column'], (e: TopicFields) => string | readonly string[] | null>
> = {
  origin: (e) => e.origin,
  destination: (e) => e.destination,
  home_regions: (e) => e.homeRegions,
  enterprise_id: (e) => e.enterpriseId,
  target: (e) => e.target,
};

/**
 * The same condition as {@link topicFilterSql}, on an event held in memory (the event tail,
 * `subscriptions/event-tail.ts`): true exactly for the events of `topic` matching `key`.
 */
export function topicMatcher(topic: EventTopic, key: string): (event: TopicFields) => boolean {
  const rule = EVENT_TOPICS[topic];
  const kinds = new Set<OutboxKind>(rule.kinds);
  const column = COLUMN_OF[rule.column];
  const inside = (region: string | null | undefined) => typeof region === 'string' && region.startsWith(key);
  switch (rule.match) {
    case 'inside':
      return (e) => kinds.has(e.kind) && inside(column(e) as string | null);
    case 'insideOrStop':
      return (e) => kinds.has(e.kind) && (inside(column(e) as string | null) || e.stops.some(inside));
    case 'anyInside':
      return (e) => kinds.has(e.kind) && ((column(e) as readonly string[] | null) ?? []).some(inside);
    case 'equals':
      return (e) => kinds.has(e.kind) && column(e) === key;
  }
}
