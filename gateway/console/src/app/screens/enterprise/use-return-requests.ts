import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription, type CombinedError } from 'urql';
import {
  EnterpriseReturnRequestsDocument,
  EnterpriseReturnRequestUpdatesDocument,
  type EnterpriseRequestRowFragment,
  type EnterpriseReturnRequestUpdatesSubscription,
} from '../../generated/graphql';
import { useHubClients } from '../../graphql/hub-clients-context';
import { foldRequests, newestFiledFirst, type RequestsById } from './request-merge';
import { eventsSince, receiveEvent, type ReceivedEvents } from './update-feed';

/** A return request as the screen shows it. */
export type RequestRow = EnterpriseRequestRowFragment;

/** One event of `returnRequestUpdates`. */
export type RequestUpdate = EnterpriseReturnRequestUpdatesSubscription['returnRequestUpdates'];

/** Whether the live feed's socket is up: unknown until it first connects or closes. */
export type LiveState = 'unknown' | 'live' | 'reconnecting';

/** The enterprise's return requests, live. */
export interface EnterpriseRequests {
  /** Newest filed first. */
  rows: RequestRow[];
  /** As the list query counts them (undefined before its first answer). */
  totalCount: number | undefined;
  fetching: boolean;
  hasMore: boolean;
  loadMore(): void;
  errors: (CombinedError | undefined)[];
  live: LiveState;
  /** The last event received (to refresh what it changes, e.g. the filled openings). */
  lastEvent: RequestUpdate | undefined;
  /** Folds records the screen got otherwise (a mutation's answer). */
  add(rows: readonly RequestRow[]): void;
}

const EMPTY: RequestsById<RequestRow> = new Map();

/** Events kept between two renders; should more arrive at once, the list is read again. */
const RECENT_UPDATES = 100;

/**
 * The return requests `enterpriseId` filed (`returnRequests(destination:)`, which shows an
 * enterprise only its own), followed live through `returnRequestUpdates`. The list is read again
 * whenever the socket (re)connects, so what changed while it was down is not missed.
 */
export function useEnterpriseReturnRequests(enterpriseId: string, destination: string): EnterpriseRequests {
  const [after, setAfter] = useState<string | undefined>(undefined);
  const [list, reexecuteList] = useQuery({
    query: EnterpriseReturnRequestsDocument,
    variables: { destination, ...(after ? { after } : {}) },
  });
  const [feed] = useSubscription(
    { query: EnterpriseReturnRequestUpdatesDocument, variables: { enterpriseId } },
    (received: ReceivedEvents<RequestUpdate> | undefined, data: EnterpriseReturnRequestUpdatesSubscription) =>
      receiveEvent(received, data.returnRequestUpdates, RECENT_UPDATES),
  );
  const [held, setHeld] = useState(EMPTY);
  const add = useCallback((rows: readonly RequestRow[]) => setHeld((h) => foldRequests(h, rows)), []);

  useEffect(() => {
    const edges = list.data?.returnRequests.edges ?? [];
    add(edges.map((e) => e.node).filter((node) => node.enterprise.id === enterpriseId));
  }, [list.data, add, enterpriseId]);

  const applied = useRef(0);
  useEffect(() => {
    if (!feed.data) return;
    const { fresh, missed } = eventsSince(feed.data, applied.current);
    applied.current = feed.data.count;
    if (missed) reexecuteList({ requestPolicy: 'network-only' });
    if (fresh.length) add(fresh.map((e) => e.returnRequest));
  }, [feed.data, add, reexecuteList]);

  const { ws } = useHubClients();
  const [live, setLive] = useState<LiveState>('unknown');
  useEffect(() => {
    const offConnected = ws.on('connected', () => {
      setLive('live');
      // what changed before the subscription was (re)established
      setAfter(undefined);
      reexecuteList({ requestPolicy: 'network-only' });
    });
    const offClosed = ws.on('closed', () => setLive('reconnecting'));
    return () => {
      offConnected();
      offClosed();
    };
  }, [ws, reexecuteList]);

  const page = list.data?.returnRequests;
  const endCursor = page?.pageInfo.endCursor;
  const loadMore = useCallback(() => {
    if (endCursor) setAfter(endCursor);
  }, [endCursor]);
  const rows = useMemo(() => newestFiledFirst(held), [held]);
  return {
    rows,
    totalCount: page?.totalCount,
    fetching: list.fetching,
    hasMore: !!page?.pageInfo.hasNextPage,
    loadMore,
    errors: [list.error, feed.error],
    live,
    lastEvent: feed.data?.recent.at(-1),
    add,
  };
}
