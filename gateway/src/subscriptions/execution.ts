/**
 * graphql-js execution of the gateway's subscriptions over its API schema (no resolvers of its
 * own): the subscribe resolver turns `arrivals(destination:, after:)` into a merged client
 * stream, and the field resolver serves each event from what the stream resolved: the event's
 * own fields, then the entity's data by response key, with the federated errors put back at
 * their paths.
 *
 * Routing (#13): `arrivals` and `returnRequestsFiled` follow every connected province; `departures`
 * and `returnRequestUpdates` only the one province their filter names (`topicProvinces`), and
 * their cursor carries that province's position alone.
 *
 * Access (#11.2): a subscription follows the rule of its list. Who may follow which filter is
 * decided up front (`follow-rules.ts`); then, for a topic whose records are not open to every
 * person (`returnRequestsFiled`, `returnRequestUpdates`), each event's record is read as the client through
 * `returnRequest(id)`, where the province applies its record rule, and an event whose record the
 * client may not read is withheld (an enterprise gets only its own requests' events), whatever
 * the client selected.
 */
import { hubError } from '@p2p/schema';
import {
  GraphQLError,
  Kind,
  parse,
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from 'graphql';
import { callerOfContext } from '../auth/gateway-context.js';
import type { ClientBacklog } from './client-backlog.js';
import { ClientEventStream, type ClientEvent } from './client-stream.js';
import type { ConnectionState } from './connections.js';
import { entitySelection, type EntitySelection } from './event-selection.js';
import type { EventResolver, EventResolvers, FederatedExecutor, ResolvedEntity } from './event-resolver.js';
import { assertFollowsSubscriptions, assertMayFollow } from './follow-rules.js';
import {
  TOPICS,
  stopOf,
  topicFilter,
  topicProvinces,
  type SubscriptionTopic,
  type TopicName,
  type UpstreamEvent,
} from './topics.js';
import type { UpstreamFeed } from './upstream-feed.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import { decodeVectorCursorWithEpochs } from './vector-cursor.js';
import { assertCursorEpochs } from './epoch-check.js';
import { assertCursorsRetained } from './retention-check.js';
import { assertCursorsReached } from './head-check.js';
import { SharedExecution, mapEvents } from './shared-execution.js';

/** The context of a subscription operation. */
export interface SubscriptionContext {
  connection: ConnectionState;
}

/** What the subscribe resolver needs. */
export interface SubscriptionDeps {
  feeds: UpstreamFeeds;
  resolvers: EventResolvers;
  /** Runs the up-front lookups of the access rules (an enterprise's region) through the federated pipeline. */
  execute: FederatedExecutor;
  /** Events a client may have waiting before it is cut off. */
  maxBufferedEvents: number;
  /** Where the live client streams are counted for `/metrics`. */
  backlog?: ClientBacklog;
}

/** A resolved event; `withheld` when its record is one the client may not read. */
type Checked = ResolvedEntity & { withheld?: boolean };
type Event = ClientEvent<Checked>;
const EVENT_TYPES = new Set(Object.values(TOPICS).map((t) => t.eventType));

/** Topics whose events are checked one by one against the record rule (their list is not open to every person). */
const CHECKED_TOPICS: ReadonlySet<TopicName> = new Set(['returnRequestsFiled', 'returnRequestUpdates']);

/** The access check's selection of a topic's record: its id alone. */
function idSelection(topic: SubscriptionTopic): EntitySelection {
  const operation = parse('{ id }').definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('unreachable');
  return {
    topic,
    byResponseKey: new Map([[topic.entityField, [operation.selectionSet]]]),
    fragments: [],
    variableDefinitions: [],
    variables: {},
    key: `${topic.name}|access-check|id`,
  };
}

/**
 * True when the record came back null for a reason other than its province being unavailable
 * (the province refused it, FORBIDDEN, or does not have it): the event is withheld. A record
 * whose province did not answer is delivered as before (null, with PROVINCE_UNAVAILABLE): it
 * carries nothing of the record.
 */
function withheldUnlessReadable(check: ResolvedEntity, key: string): boolean {
  if (check.data[key] != null) return false;
  return !check.errors.some((e) => e.extensions?.code === 'PROVINCE_UNAVAILABLE');
}

/**
 * An enterprise's region read as the caller through the federated pipeline: null when there is
 * no such enterprise, undefined when its province did not answer.
 */
async function enterpriseRegion(
  execute: FederatedExecutor,
  context: Record<string, unknown>,
  enterpriseId: string,
): Promise<string | null | undefined> {
  const answer = await execute(
    'query EnterpriseRegion($id: ID!) { enterprise(id: $id) { region { code } } }',
    { id: enterpriseId },
    context,
  );
  const enterprise = answer.data?.enterprise as { region?: { code?: string } } | null | undefined;
  if (enterprise?.region?.code) return enterprise.region.code;
  return answer.errors?.some((e) => e.extensions?.code === 'PROVINCE_UNAVAILABLE') ? undefined : null;
}

/** The stops of trip events (undefined for an event without one: its `stop` is null). */
async function resolveStops(
  stops: EventResolver,
  events: readonly UpstreamEvent[],
): Promise<(ResolvedEntity | undefined)[]> {
  const withStop = events.filter((e) => e.stop !== undefined);
  const resolved = await stops.resolve(withStop.map((e) => ({ ...e, entityId: e.stop! })));
  const byEvent = new Map(withStop.map((e, i) => [e, resolved[i]]));
  return events.map((e) => byEvent.get(e));
}

/** `Subscription.<field>` → a {@link ClientEventStream} over the provinces that hold its events. */
export function subscribeResolver(
  deps: SubscriptionDeps,
): GraphQLFieldResolver<unknown, SubscriptionContext> {
  return async (_root, args, ctx, info) => {
    const topic = TOPICS[info.fieldName as TopicName];
    if (!topic) throw hubError('BAD_USER_INPUT', `${info.fieldName} is not a subscription of this gateway`);
    const region = topicFilter(topic, args[topic.filterArgument]);
    // every admitted connection carries its caller (auth/subscription-auth.ts); test fakes may not
    const caller = callerOfContext(ctx.connection.context);
    if (caller) assertFollowsSubscriptions(caller);
    if (caller)
      await assertMayFollow(topic, caller, region, (id) =>
        enterpriseRegion(deps.execute, ctx.connection.context, id),
      );
    const provinces = topicProvinces(topic, region, deps.feeds.provinces);
    const unknown = provinces.find((province) => !deps.feeds.provinces.includes(province));
    if (unknown)
      throw hubError(
        'PROVINCE_UNAVAILABLE',
        `${topic.name}: ${topic.filterArgument} ${region} belongs to province ${unknown}, which is not connected to the hub`,
        { province: unknown },
      );
    // A province the gateway does not route to (its contract, its conformance report) gets no feed:
    // a subscription to it alone is refused; one over several follows the others. A position the
    // client holds for it stays in the cursors it is given, so once the province is routed to again
    // a client resuming from its last cursor gets its events from there, none missed or repeated.
    const refused = provinces.filter((province) => deps.feeds.refusal(province));
    if (refused.length && refused.length === provinces.length) {
      const reason = deps.feeds.refusal(refused[0]!);
      throw hubError(
        'PROVINCE_INCOMPATIBLE',
        `${topic.name}: province ${refused[0]} is not routed to (${
          reason === 'conformance'
            ? 'it has no passing conformance kit report'
            : 'it does not keep the contract'
        }); see /health`,
        { province: refused[0], reason },
      );
    }
    // A position of a province this subscription does not follow is not part of its cursor.
    const cursor =
      args.after == null
        ? { positions: new Map<string, number>(), epochs: new Map<string, string>() }
        : decodeVectorCursorWithEpochs(String(args.after), 'after');
    const start = new Map([...cursor.positions].filter(([province]) => provinces.includes(province)));
    const epochs = new Map([...cursor.epochs].filter(([province]) => provinces.includes(province)));
    // Only the followed provinces' positions are checked (a refused province is not asked anything:
    // its head, epoch and retention are read once it is routed to again and a client resumes);
    // `start` and `epochs` keep every position, so the cursors the client is given carry them.
    const followed = <T>(positions: Map<string, T>) =>
      new Map([...positions].filter(([province]) => !refused.includes(province)));
    // The epoch first: a position of a restarted sequence says nothing of its retention or head.
    await assertCursorEpochs(deps.feeds, topic, followed(epochs));
    await assertCursorsRetained(deps.feeds, topic, region, followed(start));
    await assertCursorsReached(deps.feeds, topic, followed(start));
    const selection = entitySelection(topic, info);
    const { connection } = ctx;
    const resolver = deps.resolvers.acquire(selection, connection.principal, connection.context);
    const check: EventResolver | undefined =
      caller && CHECKED_TOPICS.has(topic.name)
        ? deps.resolvers.acquire(idSelection(topic), connection.principal, connection.context)
        : undefined;
    // A trip event's stop (a Region) is resolved the same way when the client selects it.
    const stopTopic = stopOf(topic);
    const stopSelection = stopTopic && entitySelection(stopTopic, info);
    const stops =
      stopSelection && stopSelection.byResponseKey.size > 0
        ? deps.resolvers.acquire(stopSelection, connection.principal, connection.context)
        : undefined;
    const feeds: UpstreamFeed[] = [];
    const stream: ClientEventStream<Checked> = new ClientEventStream<Checked>({
      start,
      epochs,
      resolve: async (events) => {
        const [resolved, checks, stopped] = await Promise.all([
          resolver.resolve(events),
          check?.resolve(events),
          stops ? resolveStops(stops, events) : undefined,
        ]);
        return resolved.map((resolvedEntity, i) => {
          const entity = stopped?.[i]
            ? {
                data: { ...resolvedEntity.data, ...stopped[i].data },
                errors: [...resolvedEntity.errors, ...stopped[i].errors],
              }
            : resolvedEntity;
          return checks && withheldUnlessReadable(checks[i]!, topic.entityField)
            ? { ...entity, withheld: true }
            : entity;
        });
      },
      maxBuffered: deps.maxBufferedEvents,
      onOverflow: () => {
        deps.backlog?.slowConsumerClosed();
        connection.closeSlowConsumer();
      },
      onEnd: () => {
        deps.backlog?.remove(stream);
        for (const feed of feeds) {
          feed.detach(stream);
          deps.feeds.release(feed);
        }
        deps.resolvers.release(resolver);
        if (check) deps.resolvers.release(check);
        if (stops) deps.resolvers.release(stops);
      },
    });
    deps.backlog?.add(stream);
    for (const province of provinces) {
      if (refused.includes(province)) continue;
      const feed = deps.feeds.acquire(province, topic, region);
      feeds.push(feed);
      feed.attach(stream, start.get(province), epochs.get(province));
    }
    return stream;
  };
}

/**
 * The client's events without those withheld: the next delivered event's cursor covers a
 * withheld one, so a client resuming from it does not see it again either.
 */
function readableOnly(events: AsyncIterableIterator<Event>): AsyncIterableIterator<Event> {
  const iterator: AsyncIterableIterator<Event> = {
    async next() {
      for (;;) {
        const next = await events.next();
        if (next.done || !next.value.resolved.withheld) return next;
      }
    },
    async return() {
      await events.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** The path below the subscription field, e.g. `['trip', 'passengers', 0, 'worker']`. */
function eventPath(info: GraphQLResolveInfo): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) keys.unshift(p.key);
  return keys.slice(1);
}

/** The federated error met at `path`, rebuilt so graphql-js reports it there. */
function errorAt(event: Event, path: (string | number)[]): GraphQLError | undefined {
  const found = event.resolved.errors.find(
    (e) => e.path?.length === path.length && e.path.every((k, i) => k === path[i]),
  );
  return found ? new GraphQLError(found.message, { extensions: found.extensions ?? {} }) : undefined;
}

/** Serves an event's selection from the resolved event (see the module comment). */
export const eventFieldResolver: GraphQLFieldResolver<unknown, SubscriptionContext> = (
  source,
  _args,
  _ctx,
  info,
) => {
  if (!info.path.prev) return source; // the subscription field itself: the event
  const event = info.rootValue as Event;
  if (EVENT_TYPES.has(info.parentType.name as never)) {
    const e = source as Event;
    if (info.fieldName === 'cursor') return e.cursor;
    if (info.fieldName === 'kind') return e.kind;
    if (info.fieldName === 'status') return e.status;
    if (info.fieldName === 'at') return e.at;
    const value = e.resolved.data[String(info.path.key)];
    return value ?? errorAt(event, eventPath(info)) ?? value;
  }
  const value = (source as Record<string, unknown> | null)?.[String(info.path.key)];
  if (value === null || value === undefined) return errorAt(event, eventPath(info)) ?? value;
  return value;
};

/** Abstract types inside a selection are told by the `__typename` the federated answer carries. */
export const eventTypeResolver: GraphQLTypeResolver<unknown, SubscriptionContext> = (value) =>
  (value as { __typename?: string } | null)?.__typename;

/**
 * The graphql-ws server's `subscribe`: graphql-js's source event stream with the resolvers above,
 * each event executed and serialised once for every client of the same operation and principal
 * (see shared-execution.ts): the results carry their serialised payload, which ws-server.ts sends
 * as it is.
 */
export function subscribeWith(deps: SubscriptionDeps) {
  const subscribeFieldResolver = subscribeResolver(deps);
  const shared = new SharedExecution();
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const execArgs = {
      ...args,
      subscribeFieldResolver,
      fieldResolver: eventFieldResolver,
      typeResolver: eventTypeResolver,
    };
    const stream = await createSourceEventStream(execArgs);
    if (!(Symbol.asyncIterator in stream)) return stream;
    const { principal } = (args.contextValue as SubscriptionContext).connection;
    const operation = shared.acquire(execArgs, principal);
    return mapEvents(
      readableOnly(stream as AsyncIterableIterator<Event>),
      (event) => operation.run(event),
      () => shared.release(operation),
    );
  };
}
