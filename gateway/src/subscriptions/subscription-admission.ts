/**
 * What a graphql-ws `subscribe` message must pass before the gateway parses it, in order: the
 * connection's token has not expired (UNAUTHENTICATED); the caller's rate limit, the SAME
 * limiter and key as its HTTP operations, one token per subscribe (RATE_LIMITED); the cap of
 * subscriptions open on the connection (QUERY_TOO_COMPLEX, `extensions.limit`
 * 'subscriptionsPerConnection'); then `admitOperation`, where the query limits of the HTTP path
 * (size at parse time, depth, cost) apply to subscriptions. A refusal is sent as the
 * subscription's `error` message; nothing reaches a province.
 */
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import type { RateLimiter } from '../limits/rate-limit.js';
import type { ConnectionState } from './connections.js';
import { tokenExpired } from './token-expiry.js';

/** Subscriptions a connection may have open at once. @default 20 */
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** Connections a caller may have open to one gateway process. @default 10 */
export const DEFAULT_MAX_CONNECTIONS_PER_CALLER = 10;

/** A `subscribe` message's payload, as the client sent it (not parsed yet). */
export interface SubscribeOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * A further check of each `subscribe` message, before graphql-ws parses and validates it
 * (the query limits plug in here): errors refuse the subscription; undefined or none admit it.
 */
export type OperationAdmission = (
  operation: SubscribeOperation,
  connection: ConnectionState,
) => readonly GraphQLError[] | undefined | Promise<readonly GraphQLError[] | undefined>;

/** What {@link admitSubscription} checks against. */
export interface SubscriptionAdmissionOptions {
  /** 0 turns the cap off. @default DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION */
  maxSubscriptionsPerConnection: number;
  /** The gateway's per-caller rate limiter (the one of HTTP); absent: not rate limited. */
  limiter?: RateLimiter;
  /** See {@link OperationAdmission}. */
  admitOperation?: OperationAdmission;
}

/** One `subscribe` message to admit. */
export interface SubscribeRequest {
  connection: ConnectionState;
  /** Subscriptions of the connection counted when the message arrived, this one included. */
  open: number;
  operation: SubscribeOperation;
}

/** The errors refusing the subscription, or undefined to admit it (see the module comment). */
export async function admitSubscription(
  request: SubscribeRequest,
  options: SubscriptionAdmissionOptions,
): Promise<GraphQLError[] | undefined> {
  const { connection, open, operation } = request;
  if (connection.expired) return [tokenExpired(connection.expiresAt)];
  const decision = await options.limiter?.take(connection.callerKey, 1);
  if (decision && !decision.allowed)
    return [
      hubError(
        'RATE_LIMITED',
        `too many operations from this caller (subscriptions and HTTP requests count together); retry in ${decision.retryAfterSeconds} s`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      ),
    ];
  const max = options.maxSubscriptionsPerConnection;
  if (max > 0 && open > max)
    return [
      hubError(
        'QUERY_TOO_COMPLEX',
        `at most ${max} subscriptions may be open on one connection; complete one first, or follow a wider region with one subscription`,
        { limit: 'subscriptionsPerConnection' },
      ),
    ];
  const refused = await options.admitOperation?.(operation, connection);
  return refused?.length ? [...refused] : undefined;
}
