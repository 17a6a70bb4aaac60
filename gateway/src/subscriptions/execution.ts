/**
 * graphql-js execution of the gateway's subscriptions over its API schema (no resolvers of its
 * own): the subscribe resolver turns `arrivals(destination:, after:)` into a merged client
 * stream, and the field resolver serves each event from what the stream resolved: the event's
 * own fields, then the entity's data by response key, with the federated errors put back at
 * their paths.
 */
import { assertRegionCode, hubError } from '@p2p/schema';
import {
  GraphQLError,
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from 'graphql';
import { ClientEventStream, type ClientEvent } from './client-stream.js';
import type { ConnectionState } from './connections.js';
import { entitySelection } from './event-selection.js';
import type { EventResolvers, ResolvedEntity } from './event-resolver.js';
import { TOPICS, type TopicName } from './topics.js';
import type { UpstreamFeed } from './upstream-feed.js';
import type { UpstreamFeeds } from './upstream-feeds.js';
import { decodeVectorCursor } from './vector-cursor.js';
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
  /** Events a client may have waiting before it is cut off. */
  maxBufferedEvents: number;
}

type Event = ClientEvent<ResolvedEntity>;
const EVENT_TYPES = new Set(Object.values(TOPICS).map((t) => t.eventType));

/** `Subscription.<field>` → a {@link ClientEventStream} over every connected province. */
export function subscribeResolver(
  deps: SubscriptionDeps,
): GraphQLFieldResolver<unknown, SubscriptionContext> {
  return async (_root, args, ctx, info) => {
    const topic = TOPICS[info.fieldName as TopicName];
    if (!topic) throw hubError('BAD_USER_INPUT', `${info.fieldName} is not a subscription of this gateway`);
    const region = assertRegionCode(args[topic.regionArgument], topic.regionArgument);
    const start =
      args.after == null ? new Map<string, number>() : decodeVectorCursor(String(args.after), 'after');
    await assertCursorsRetained(deps.feeds, topic, region, start);
    await assertCursorsReached(deps.feeds, topic, start);
    const selection = entitySelection(topic, info);
    const { connection } = ctx;
    const resolver = deps.resolvers.acquire(selection, connection.principal, connection.context);
    const feeds: UpstreamFeed[] = [];
    const stream: ClientEventStream<ResolvedEntity> = new ClientEventStream<ResolvedEntity>({
      start,
      resolve: (events) => resolver.resolve(events),
      maxBuffered: deps.maxBufferedEvents,
      onOverflow: () => connection.closeSlowConsumer(),
      onEnd: () => {
        for (const feed of feeds) {
          feed.detach(stream);
          deps.feeds.release(feed);
        }
        deps.resolvers.release(resolver);
      },
    });
    for (const province of deps.feeds.provinces) {
      const feed = deps.feeds.acquire(province, topic, region);
      feeds.push(feed);
      feed.attach(stream, start.get(province));
    }
    return stream;
  };
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
 * each event executed once for every client of the same operation (see shared-execution.ts).
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
    return mapEvents(stream as AsyncIterableIterator<Event>, (event) =>
      shared.run(execArgs, principal, event),
    );
  };
}
