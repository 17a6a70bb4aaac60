/**
 * The gateway's subscription fields and how each maps to the provinces: which logical subgraph
 * serves it over graphql-ws, the argument that filters it, which provinces hold its events, the
 * event's entity field and the query field that resolves that entity by id through the federated
 * pipeline.
 */
import { assertRegionCode, badInput, provinceOf, tryDecodeId } from '@p2p/schema';

/** A subscription field of the contract. */
export type TopicName = 'arrivals' | 'returnRequestsFiled' | 'departures' | 'returnRequestUpdates';

/** What the gateway needs to know about one subscription field. */
export interface SubscriptionTopic {
  name: TopicName;
  /** Logical subgraph whose provinces serve it (`ws://…/<subgraph>/graphql`). */
  subgraph: 'transport' | 'employment';
  /** The argument that filters it: a RegionCode, or for `returnRequestUpdates` an enterprise id. */
  filterArgument: 'destination' | 'origin' | 'homeRegion' | 'enterpriseId';
  /**
   * Which provinces hold its events: `every` connected province (any may organise a trip into a
   * region, or file a request for its people), or only the `one` the filter names (the home
   * province of `homeRegion`, the enterprise's province encoded in its id).
   */
  routing: 'every' | 'one';
  /** The event type. */
  eventType: 'TripEvent' | 'ReturnRequestEvent' | 'ReturnRequestUpdate';
  /** The event field that holds the entity (resolved through the federated pipeline). */
  entityField: 'trip' | 'returnRequest' | 'stop';
  /** The entity type. */
  entityType: 'Trip' | 'ReturnRequest' | 'Region';
  /** `Query.<field>(id: ID!)` that reads one entity. */
  queryField: 'trip' | 'returnRequest' | 'region';
  /** The argument of `queryField` and its type. @default { name: 'id', type: 'ID!' } */
  queryArgument?: { name: string; type: string };
  /** The subscription sent to each province (only ids: the rest comes from the federated query); `$region` is the filter value. */
  upstreamQuery: string;
}

/** The subscription fields, by name. */
export const TOPICS: Record<TopicName, SubscriptionTopic> = {
  arrivals: {
    name: 'arrivals',
    subgraph: 'transport',
    filterArgument: 'destination',
    routing: 'every',
    eventType: 'TripEvent',
    entityField: 'trip',
    entityType: 'Trip',
    queryField: 'trip',
    upstreamQuery:
      'subscription Arrivals($region: RegionCode!, $after: String) { arrivals(destination: $region, after: $after) { cursor kind at trip { id } stop { code } } }',
  },
  returnRequestsFiled: {
    name: 'returnRequestsFiled',
    subgraph: 'employment',
    filterArgument: 'origin',
    routing: 'every',
    eventType: 'ReturnRequestEvent',
    entityField: 'returnRequest',
    entityType: 'ReturnRequest',
    queryField: 'returnRequest',
    upstreamQuery:
      'subscription ReturnRequestsFiled($region: RegionCode!, $after: String) { returnRequestsFiled(origin: $region, after: $after) { cursor at returnRequest { id } } }',
  },
  departures: {
    name: 'departures',
    subgraph: 'transport',
    filterArgument: 'homeRegion',
    routing: 'one',
    eventType: 'TripEvent',
    entityField: 'trip',
    entityType: 'Trip',
    queryField: 'trip',
    upstreamQuery:
      'subscription Departures($region: RegionCode!, $after: String) { departures(homeRegion: $region, after: $after) { cursor kind at trip { id } stop { code } } }',
  },
  returnRequestUpdates: {
    name: 'returnRequestUpdates',
    subgraph: 'employment',
    filterArgument: 'enterpriseId',
    routing: 'one',
    eventType: 'ReturnRequestUpdate',
    entityField: 'returnRequest',
    entityType: 'ReturnRequest',
    queryField: 'returnRequest',
    upstreamQuery:
      'subscription ReturnRequestUpdates($region: ID!, $after: String) { returnRequestUpdates(enterpriseId: $region, after: $after) { cursor at status returnRequest { id } } }',
  },
};

/**
 * A trip event's `stop` (#14: ARRIVED and HANDED_OVER at one stop of a trip), resolved like an
 * entity through the federated pipeline by `region(code:)`, so a client selects any Region field.
 */
export function stopOf(topic: SubscriptionTopic): SubscriptionTopic | undefined {
  if (topic.eventType !== 'TripEvent') return undefined;
  return {
    ...topic,
    entityField: 'stop',
    entityType: 'Region',
    queryField: 'region',
    queryArgument: { name: 'code', type: 'RegionCode!' },
  };
}

/**
 * The subscription's filter value, validated: a region code (BAD_USER_INPUT otherwise), or for
 * `returnRequestUpdates` an enterprise id.
 * @throws BAD_USER_INPUT naming the argument.
 */
export function topicFilter(topic: SubscriptionTopic, value: unknown): string {
  if (topic.filterArgument !== 'enterpriseId') return assertRegionCode(value, topic.filterArgument);
  if (typeof value === 'string' && tryDecodeId(value)?.kind === 'Enterprise') return value;
  throw badInput(
    `${topic.filterArgument}: "${String(value).slice(0, 80)}" is not an Enterprise id`,
    topic.filterArgument,
  );
}

/**
 * The provinces whose events a subscription with this filter follows: every connected one, or the
 * one province the filter names (`routing: 'one'`), connected or not.
 */
export function topicProvinces(
  topic: SubscriptionTopic,
  filter: string,
  connected: readonly string[],
): string[] {
  if (topic.routing === 'every') return [...connected];
  return [topic.filterArgument === 'enterpriseId' ? tryDecodeId(filter)!.province : provinceOf(filter)];
}

/** One event as a province sent it. */
export interface UpstreamEvent {
  /** The province it came from. */
  province: string;
  /** Its seq in that province's outbox. */
  seq: number;
  /** TripEvent kind (absent for the return-request events). */
  kind?: string;
  /** ReturnRequestUpdate status (absent for the other events). */
  status?: string;
  at: string;
  /** The id of the trip or return request. */
  entityId: string;
  /** TripEvent ARRIVED, HANDED_OVER: the stop's region code. */
  stop?: string;
  /** The epoch of the province's sequence `seq` belongs to (set by the feed; absent: not known). */
  epoch?: string;
}

/** Reads a province's `next` payload; undefined when it is not an event of `topic`. */
export function readUpstreamEvent(
  topic: SubscriptionTopic,
  province: string,
  data: unknown,
): UpstreamEvent | undefined {
  const event = (data as Record<string, Record<string, unknown> | undefined> | null | undefined)?.[
    topic.name
  ];
  const entity = event?.[topic.entityField] as { id?: unknown } | undefined;
  const stop = (event?.stop as { code?: unknown } | null | undefined)?.code;
  const seq = Number(event?.cursor);
  if (!event || !Number.isSafeInteger(seq) || typeof entity?.id !== 'string' || typeof event.at !== 'string')
    return undefined;
  return {
    province,
    seq,
    at: event.at,
    entityId: entity.id,
    ...(typeof event.kind === 'string' ? { kind: event.kind } : {}),
    ...(typeof event.status === 'string' ? { status: event.status } : {}),
    ...(typeof stop === 'string' ? { stop } : {}),
  };
}
