/**
 * Follows the `arrivals` subscription on the session's graphql-ws client and resumes it exactly:
 * every event's cursor is kept (in the {@link ResumeStore}) before the event is handed on, and
 * every (re)subscription asks `after` the last one kept. The graphql-ws client retries a dropped
 * socket by itself but would re-send the FIRST payload (the cursor of when the board opened), so
 * when the socket closes the feed ends its subscription at once and subscribes again, with a
 * fresh payload, once the client reconnects. A cursor the provinces no longer honour
 * (CURSOR_EXPIRED: pruned or of another epoch; BAD_USER_INPUT on `after`: malformed or ahead)
 * is dropped and the feed starts again from now; the board reloads its list.
 */
import type { GraphQLFormattedError } from 'graphql';
import type { Client as WsClient, SubscribePayload } from 'graphql-ws';
import type { ArrivalsFeedSubscription, ArrivalsFeedSubscriptionVariables } from '../../generated/graphql.js';
import type { ArrivalEvent } from './board-state.js';
import type { ResumeStore } from './resume-store.js';

/** The state of the live connection, as the board shows it. */
export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** What the feed tells the board. */
export interface FeedListener {
  event(event: ArrivalEvent): void;
  state(state: FeedState): void;
  /** The stored cursor was refused and dropped: the board reloads its list and says so. */
  cursorExpired(errors: readonly GraphQLFormattedError[]): void;
  /** Errors that came with an event (partial) or ended the subscription. */
  errors(errors: readonly GraphQLFormattedError[]): void;
}

/** Errors after which subscribing again cannot help: the feed stops. */
const FINAL_CODES = new Set([
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'OPERATION_NOT_TRUSTED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_VALIDATION_FAILED',
]);

/** Wait before subscribing again after an error that may pass (a province unavailable, a rate limit). */
const RETRY_MS = 3_000;

/** True when the errors say the `after` cursor cannot be resumed from. */
export function refusesCursor(errors: readonly GraphQLFormattedError[]): boolean {
  return errors.some((e) => {
    const code = e.extensions?.code;
    return code === 'CURSOR_EXPIRED' || (code === 'BAD_USER_INPUT' && e.extensions?.field === 'after');
  });
}

/** True when the errors end the feed for good. */
export function isFinal(errors: readonly GraphQLFormattedError[]): boolean {
  return errors.some((e) => FINAL_CODES.has(String(e.extensions?.code ?? '')));
}

/** What a graphql-ws sink's `error` received, as GraphQL errors. */
function errorsOf(error: unknown): GraphQLFormattedError[] {
  if (Array.isArray(error)) return error as GraphQLFormattedError[];
  if (error instanceof Error) return [{ message: error.message }];
  const close = error as { code?: number; reason?: string } | null;
  return [{ message: `connection closed (${close?.code ?? '?'}) ${close?.reason ?? ''}`.trim() }];
}

/**
 * Follows the arrivals into `destination` until the returned function is called.
 * @param payloadOf the `ArrivalsFeed` subscribe payload of given variables (`ws-payload.ts`)
 */
export function followArrivals(
  ws: WsClient,
  destination: string,
  store: ResumeStore,
  payloadOf: (variables: ArrivalsFeedSubscriptionVariables) => SubscribePayload,
  listener: FeedListener,
): () => void {
  let active = true;
  let current: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(subscribe, ms);
  };

  function subscribe() {
    if (!active) return;
    current?.();
    const after = store.cursor();
    let ended = false;
    const end = () => {
      ended = true;
      current = null;
    };
    /** The subscription ended with errors: resume, start again from now, or stop. */
    const fail = (errors: readonly GraphQLFormattedError[]) => {
      end();
      if (refusesCursor(errors)) {
        store.dropCursor();
        listener.cursorExpired(errors);
        later(0);
      } else if (isFinal(errors)) {
        listener.errors(errors);
        listener.state('stopped');
      } else {
        listener.errors(errors);
        listener.state('reconnecting');
        later(RETRY_MS);
      }
    };
    const dispose = ws.subscribe<ArrivalsFeedSubscription>(payloadOf({ destination, after }), {
      next(result) {
        if (ended) return;
        const event = result.data?.arrivals;
        if (event) {
          store.saveCursor(event.cursor);
          listener.state('live');
          listener.event(event);
          if (result.errors?.length) listener.errors(result.errors);
        } else if (result.errors?.length) {
          // a refusal of the subscription itself (e.g. its `after`) comes as a result without data
          fail(result.errors);
        }
      },
      error(error) {
        if (!ended) fail(errorsOf(error));
      },
      complete() {
        if (ended) return;
        end();
        // the server ended it (a gateway going away): follow on from the last cursor
        if (active) later(RETRY_MS);
      },
    });
    current = () => {
      end();
      dispose();
    };
  }

  const unlisten = [
    ws.on('connecting', (isRetry) => active && listener.state(isRetry ? 'reconnecting' : 'connecting')),
    ws.on('connected', () => active && listener.state('live')),
    ws.on('closed', () => {
      if (!active || !current) return;
      // Ends the subscription before the client's retry re-sends its first payload; subscribes
      // again (after the client's other listeners ran) with the last cursor kept.
      current();
      listener.state('reconnecting');
      later(0);
    }),
  ];
  subscribe();
  return () => {
    active = false;
    clearTimeout(timer);
    for (const off of unlisten) off();
    current?.();
  };
}
