/**
 * Every WebSocket close code the gateway's subscriptions use, in one place. Codes 44xx are
 * graphql-ws's own (`CloseCode` of graphql-ws), repeated here so that clients find them all;
 * 46xx are the hub's. A client that gets any code but Forbidden/Unauthorized reconnects and
 * subscribes again with the last cursor it received: it misses nothing and sees nothing twice.
 */
export enum SubscriptionCloseCode {
  /** The gateway is shutting down (or restarting): reconnect, to any replica, with the last cursor. */
  GoingAway = 1001,
  /**
   * graphql-ws: `connection_init` was refused by the `onConnect` hook (no token, a bad or expired
   * one); also sent when the token of an open connection expires (reason {@link TOKEN_EXPIRED_REASON},
   * after each subscription got an UNAUTHENTICATED error). Reconnect only with a new token.
   */
  Forbidden = 4403,
  /** graphql-ws: a subscribe message came before `connection_init` was acknowledged. */
  Unauthorized = 4401,
  /** graphql-ws: no `connection_init` within the wait time. */
  ConnectionInitialisationTimeout = 4408,
  /**
   * The client read its events too slowly: more than `maxBufferedEvents` events waited for it.
   * Its connection is closed so it never slows anyone else; reconnect with the last cursor to
   * get the rest (nothing is lost: the cursor only moves with what was sent).
   */
  SlowConsumer = 4600,
  /**
   * The caller already has `maxConnectionsPerCaller` connections open to this gateway process:
   * the new one is closed right after `connection_init` (RATE_LIMITED). Subscribe on an open
   * connection (up to `maxSubscriptionsPerConnection` each) or close one first.
   */
  TooManyConnections = 4629,
}

/** The reason text sent with each hub close code (at most 123 bytes). */
export const CLOSE_REASONS: Partial<Record<SubscriptionCloseCode, string>> = {
  [SubscriptionCloseCode.SlowConsumer]: 'Slow consumer: event buffer full; reconnect with your last cursor',
  [SubscriptionCloseCode.GoingAway]: 'Going away',
  [SubscriptionCloseCode.TooManyConnections]:
    'RATE_LIMITED: too many connections for this caller; use an open one (several subscriptions each)',
};

/** The reason sent with {@link SubscriptionCloseCode.Forbidden} when a connection's token expires. */
export const TOKEN_EXPIRED_REASON = 'UNAUTHENTICATED: the token expired; reconnect with a new token';
