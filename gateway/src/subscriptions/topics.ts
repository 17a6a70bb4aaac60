/**
 * The gateway's two subscription fields and how each maps to the provinces: which logical
 * subgraph serves it over graphql-ws, its region argument, the event's entity field and the
 * query field that resolves that entity by id through the federated pipeline.
 */

/** A subscription field of the contract. */
export type TopicName = 'arrivals' | 'returnRequestsFiled';

/** What the gateway needs to know about one subscription field. */
export interface SubscriptionTopic {
  name: TopicName;
  /** Logical subgraph whose provinces serve it (`ws://…/<subgraph>/graphql`). */
  subgraph: 'transport' | 'employment';
  /** The RegionCode argument that filters it. */
  regionArgument: 'destination' | 'origin';
  /** The event type. */
  eventType: 'TripEvent' | 'ReturnRequestEvent';
  /** The event field that holds the entity (resolved through the federated pipeline). */
  entityField: 'trip' | 'returnRequest';
  /** The entity type. */
  entityType: 'Trip' | 'ReturnRequest';
  /** `Query.<field>(id: ID!)` that reads one entity. */
  queryField: 'trip' | 'returnRequest';
  /** The subscription sent to each province (only ids: the rest comes from the federated query). */
  upstreamQuery: string;
}

/** The subscription fields, by name. */
export const TOPICS: Record<TopicName, SubscriptionTopic> = {
  arrivals: {
    name: 'arrivals',
    subgraph: 'transport',
    regionArgument: 'destination',
    eventType: 'TripEvent',
    entityField: 'trip',
    entityType: 'Trip',
    queryField: 'trip',
    upstreamQuery:
      'subscription Arrivals($region: RegionCode!, $after: String) { arrivals(destination: $region, after: $after) { cursor kind at trip { id } } }',
  },
  returnRequestsFiled: {
    name: 'returnRequestsFiled',
    subgraph: 'employment',
    regionArgument: 'origin',
    eventType: 'ReturnRequestEvent',
    entityField: 'returnRequest',
    entityType: 'ReturnRequest',
    queryField: 'returnRequest',
    upstreamQuery:
      'subscription ReturnRequestsFiled($region: RegionCode!, $after: String) { returnRequestsFiled(origin: $region, after: $after) { cursor at returnRequest { id } } }',
  },
};

/** One event as a province sent it. */
export interface UpstreamEvent {
  /** The province it came from. */
  province: string;
  /** Its seq in that province's outbox. */
  seq: number;
  /** TripEvent kind (absent for ReturnRequestEvent). */
  kind?: string;
  at: string;
  /** The id of the trip or return request. */
  entityId: string;
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
  const seq = Number(event?.cursor);
  if (!event || !Number.isSafeInteger(seq) || typeof entity?.id !== 'string' || typeof event.at !== 'string')
    return undefined;
  return {
    province,
    seq,
    at: event.at,
    entityId: entity.id,
    ...(typeof event.kind === 'string' ? { kind: event.kind } : {}),
  };
}
