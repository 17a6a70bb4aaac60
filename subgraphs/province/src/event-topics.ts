/**
 * The one topic rule of the province's event subscriptions: which outbox events each topic
 * delivers, and which region column (the trip's destination, the worker's home origin) filters
 * them. The event streams (`subscriptions/event-stream.ts`) and retention's per-filter pruning
 * marks (`retention/retention.ts`) both build their SQL from {@link EVENT_TOPICS}.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { OutboxKind } from './db/schema/index.js';

/** What a subscription stream follows. */
export type EventTopic =
  /** Trip events whose destination lies inside the region. */
  | 'arrivals'
  /** RETURN_REQUEST_FILED events whose origin (the worker's home) lies inside the region. */
  | 'returnRequestsFiled';

/** The rule of one topic. */
export interface TopicRule {
  /** The outbox event kinds the topic delivers. */
  kinds: readonly OutboxKind[];
  /** The outbox column whose region a subscription's region must contain. */
  column: 'origin' | 'destination';
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
};

/** The region column of each topic. */
const COLUMN_OF_TOPIC: Readonly<Record<EventTopic, TopicRule['column']>> = {
  arrivals: 'destination',
  returnRequestsFiled: 'origin',
};

/** The rule of `topic`, read off {@link TOPIC_OF_KIND} and {@link COLUMN_OF_TOPIC}. */
const ruleOf = (topic: EventTopic): TopicRule => ({
  kinds: (Object.keys(TOPIC_OF_KIND) as OutboxKind[]).filter((kind) => TOPIC_OF_KIND[kind] === topic),
  column: COLUMN_OF_TOPIC[topic],
});

/** Every topic's rule; each outbox kind belongs to exactly one topic. */
export const EVENT_TOPICS: Readonly<Record<EventTopic, TopicRule>> = Object.freeze({
  arrivals: ruleOf('arrivals'),
  returnRequestsFiled: ruleOf('returnRequestsFiled'),
});

const TOPICS = Object.keys(EVENT_TOPICS) as EventTopic[];

const kindIn = (kinds: readonly OutboxKind[]): SQL =>
  sql`kind IN (${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )})`;

/** SQL condition on an `outbox` row: the events of `topic` inside the region of `prefix` (`regionPrefix(region)`). */
export function topicFilterSql(topic: EventTopic, prefix: string): SQL {
  const rule = EVENT_TOPICS[topic];
  return sql`${kindIn(rule.kinds)} AND ${sql.identifier(rule.column)} LIKE ${`${prefix}%`}`;
}

/** SQL expression on an `outbox` row: the topic its kind belongs to. */
export function topicOfEventSql(): SQL {
  return sql`CASE ${sql.join(
    TOPICS.map((t) => sql`WHEN ${kindIn(EVENT_TOPICS[t].kinds)} THEN ${t}`),
    sql` `,
  )} END`;
}

/** SQL expression on an `outbox` row: the region its topic filters on (destination or origin). */
export function placeOfEventSql(): SQL {
  return sql`CASE ${sql.join(
    TOPICS.map(
      (t) => sql`WHEN ${kindIn(EVENT_TOPICS[t].kinds)} THEN ${sql.identifier(EVENT_TOPICS[t].column)}`,
    ),
    sql` `,
  )} END`;
}
