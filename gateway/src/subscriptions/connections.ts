/**
 * Per-connection state of the gateway's graphql-ws server, owned by this module alone: who the
 * client is (from the `onConnect` hook) and how to close its socket. Keyed by graphql-ws's
 * per-connection context object, in a WeakMap, so nothing outlives the connection.
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
  /** Closes the connection because the client reads too slowly (SubscriptionCloseCode.SlowConsumer). */
  closeSlowConsumer(): void;
}

const states = new WeakMap<object, ConnectionState>();

/** Records a connection admitted by the hook. */
export function admitConnection(
  key: object,
  socket: WebSocket,
  identity: ConnectionIdentity,
): ConnectionState {
  const state: ConnectionState = {
    principal: identity.principal ?? 'anonymous',
    context: identity.context ?? {},
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
