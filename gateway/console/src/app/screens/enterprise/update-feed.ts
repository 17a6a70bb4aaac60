/**
 * The live feed as urql's `useSubscription` keeps it between renders: how many events came and
 * the last few of them, so memory stays bounded however long the page stays open.
 */

/** What the subscription keeps. */
export interface ReceivedEvents<E> {
  count: number;
  recent: E[];
}

/** The subscription's reducer: one more event, keeping at most `keep`. */
export function receiveEvent<E>(
  received: ReceivedEvents<E> | undefined,
  event: E,
  keep: number,
): ReceivedEvents<E> {
  return {
    count: (received?.count ?? 0) + 1,
    recent: [
      ...(received?.recent ?? []).slice(Math.max(0, (received?.recent.length ?? 0) - keep + 1)),
      event,
    ],
  };
}

/**
 * The events that came since `applied` were counted, oldest first; `missed` when more came than
 * were kept (the caller reads the list again).
 */
export function eventsSince<E>(
  received: ReceivedEvents<E>,
  applied: number,
): { fresh: E[]; missed: boolean } {
  const arrived = received.count - applied;
  return {
    fresh: arrived > 0 ? received.recent.slice(Math.max(0, received.recent.length - arrived)) : [],
    missed: arrived > received.recent.length,
  };
}
