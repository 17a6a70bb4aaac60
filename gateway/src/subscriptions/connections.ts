/**
 * Per-connection state of the gateway's graphql-ws server, owned by this module alone: who the
 * client is (from the `onConnect` hook), until when its credentials hold, and how to close its
 * socket. Keyed by graphql-ws's per-connection context object, in a WeakMap, so nothing outlives
 * the connection.
 */
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { CLOSE_REASONS, SubscriptionCloseCode } from './close-codes.js';

/**
 * What the authentication hook says about a connection (`SubscriptionOptions.onConnect`).
 * `false` refuses it (graphql-ws closes with 4403 Forbidden).
 */
export interface ConnectionIdentity {
  /**
   * Who the caller is, as far as reading records goes: connections with the same principal share
   * the federated resolution of their events; different principals never do.
   * @default 'anonymous'
   */
  principal?: string;
  /** The context the caller's events are resolved with (passed to the federated pipeline). @default {} */
  context?: Record<string, unknown>;
  /**
   * Who counts for the caps and the rate limit: the HTTP rate limiter's key of the caller, so
   * subscribe messages and HTTP operations draw on one allowance.
   * @default `address:<remote address>` (as the HTTP limiter keys anonymous callers)
   */
  callerKey?: string;
  /** When the credentials expire (epoch milliseconds, the token's `exp`): the connection ends then. @default never */
  expiresAt?: number;
}

/** The authentication hook of `connection_init` (the auth module plugs in here). */
export type SubscriptionConnectHook = (init: {
  /** The `connection_init` payload (e.g. `{ authorization: 'Bearer …' }`). */
  connectionParams: Readonly<Record<string, unknown>>;
  /** The HTTP upgrade request (headers, remote address). */
  request: IncomingMessage;
}) => Promise<ConnectionIdentity | false> | ConnectionIdentity | false;

/** One client connection. */
export interface ConnectionState {
  principal: string;
  context: Record<string, unknown>;
  /** See {@link ConnectionIdentity.callerKey}. */
  callerKey: string;
  /** See {@link ConnectionIdentity.expiresAt}. */
  expiresAt?: number;
  /** True once the credentials expired: nothing more is served on the connection. */
  readonly expired: boolean;
  /**
   * Calls `listener` once when the credentials expire (never without `expiresAt`; in a microtask
   * when they already have). Returns what removes it: call it when the subscription ends, or the
   * connection keeps the subscription until its token expires.
   */
  onExpiry(listener: () => void): () => void;
  /** Marks the credentials expired (the expiry timer calls it). */
  expire(): void;
  /** Closes the connection because the client reads too slowly (SubscriptionCloseCode.SlowConsumer). */
  closeSlowConsumer(): void;
}

const states = new WeakMap<object, ConnectionState>();

/** Records a connection admitted by the hook. */
export function admitConnection(
  key: object,
  socket: WebSocket,
  identity: ConnectionIdentity,
  request: IncomingMessage,
): ConnectionState {
  let expired = false;
  /** The live subscriptions' expiry listeners (one each, removed when the subscription ends). */
  const listeners = new Set<() => void>();
  const state: ConnectionState = {
    principal: identity.principal ?? 'anonymous',
    context: identity.context ?? {},
    callerKey: identity.callerKey ?? `address:${request.socket?.remoteAddress ?? 'unknown'}`,
    ...(identity.expiresAt !== undefined ? { expiresAt: identity.expiresAt } : {}),
    get expired() {
      return expired;
    },
    onExpiry: (listener) => {
      if (expired) {
        queueMicrotask(listener);
        return () => {};
      }
      // Its own entry: the same function given twice is called twice, each removed on its own.
      const entry = () => listener();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    expire: () => {
      if (expired) return;
      expired = true;
      const called = [...listeners];
      listeners.clear();
      for (const listener of called) listener();
    },
    closeSlowConsumer: () => {
      const code = SubscriptionCloseCode.SlowConsumer;
      socket.close(code, CLOSE_REASONS[code]);
      // A client that does not read will not answer the close handshake either.
      setTimeout(() => socket.terminate(), 5_000).unref();
    },
  };
  states.set(key, state);
  return state;
}

/** The state of an admitted connection. */
export function connectionState(key: object): ConnectionState | undefined {
  return states.get(key);
}
