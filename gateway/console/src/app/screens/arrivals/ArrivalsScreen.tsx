/**
 * The receiving city's arrivals board (#16.3): the trips into the officer's region, seeded by a
 * query and then followed over graphql-ws (`arrivals-feed.ts`), resumed after a reconnect or a
 * reload from the last cursor kept in the browser, so each event shows once; an arriving bus
 * stands out; arrival (with checks) and hand-over from the board; the region's active observations.
 */
import type { GraphQLFormattedError } from 'graphql';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useQuery } from 'urql';
import {
  ArrivalsBoardDocument,
  ArrivalsFeedDocument,
  type ArrivalsFeedSubscriptionVariables,
  type ArrivalTripFragment,
} from '../../generated/graphql';
import { useHubClients } from '../../graphql/hub-clients-context';
import { useT } from '../../i18n/language';
import { useSignedIn } from '../../session/session';
import { followArrivals, type FeedState } from './arrivals-feed';
import './arrivals.css';
import {
  boardRows,
  emptyBoard,
  reloadedTrips,
  withEvent,
  withTrips,
  type ArrivalEvent,
  type BoardState,
} from './board-state';
import { EventLog } from './EventLog';
import { GraphqlErrorAlert } from '../../graphql/GraphqlErrorAlert';
import { ARRIVALS_MESSAGES } from './messages';
import { ObservationsPanel } from './ObservationsPanel';
import { resumeStore } from './resume-store';
import { TripBoard } from './TripBoard';
import { wsPayloadOf } from './ws-payload';

/** How many current trips the board reads at first (each with its manifest's boarding flags: the query's cost). */
const BOARD_SIZE = 20;
/** The list is read once the feed is live (so nothing falls between), or after this wait. */
const SEED_WAIT_MS = 2_000;

type Action =
  | { type: 'event'; event: ArrivalEvent; receivedAt: string }
  | { type: 'trips'; trips: readonly ArrivalTripFragment[]; replace: boolean };

function reduce(state: BoardState, action: Action): BoardState {
  if (action.type === 'event') return withEvent(state, action.event, action.receivedAt);
  return action.replace ? reloadedTrips(state, action.trips) : withTrips(state, action.trips);
}

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/** The arrivals screen of a city or province officer. */
export function ArrivalsScreen() {
  const t = useT(ARRIVALS_MESSAGES);
  const { caller } = useSignedIn();
  if (!caller.region)
    return (
      <section data-testid="arrivals-screen">
        <h2>{t('title')}</h2>
        <p role="alert">{t('noRegion')}</p>
      </section>
    );
  return <ArrivalsBoard role={caller.role} region={caller.region} />;
}

function ArrivalsBoard({ role, region }: { role: string; region: string }) {
  const t = useT(ARRIVALS_MESSAGES);
  const { config } = useSignedIn();
  const { ws } = useHubClients();
  const store = useMemo(() => resumeStore(storage(), role, region), [role, region]);
  const [board, dispatch] = useReducer(reduce, undefined, () => emptyBoard(store.log()));
  const [openedAt] = useState(() => new Date().toISOString());
  const [feedState, setFeedState] = useState<FeedState>('connecting');
  const [feedErrors, setFeedErrors] = useState<readonly GraphQLFormattedError[]>([]);
  const [expired, setExpired] = useState<readonly GraphQLFormattedError[] | null>(null);
  const [seedReady, setSeedReady] = useState(false);
  const [openTripId, setOpenTripId] = useState<string | null>(null);
  const [arrivals, setArrivals] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const replaceNext = useRef(false);

  const [seed, reseed] = useQuery({
    query: ArrivalsBoardDocument,
    variables: { destination: region, first: BOARD_SIZE },
    pause: !seedReady,
  });

  // urql gives a new `reseed` when `pause` flips: the feed reads it through a ref, never restarts for it.
  const reseedRef = useRef(reseed);
  reseedRef.current = reseed;

  useEffect(() => {
    const trips = seed.data?.trips.edges.map((e) => e.node);
    if (!trips) return;
    dispatch({ type: 'trips', trips, replace: replaceNext.current });
    replaceNext.current = false;
  }, [seed.data]);

  useEffect(() => {
    const wait = setTimeout(() => setSeedReady(true), SEED_WAIT_MS);
    const safelist = config.trustedDocuments === 'safelist';
    const payloadOf = (variables: ArrivalsFeedSubscriptionVariables) =>
      wsPayloadOf(ArrivalsFeedDocument, variables, safelist);
    const stop = followArrivals(ws, region, store, payloadOf, {
      event(event) {
        dispatch({ type: 'event', event, receivedAt: new Date().toISOString() });
        if (event.kind === 'ARRIVED') setArrivals((n) => n + 1);
      },
      state(state) {
        setFeedState(state);
        if (state === 'live') {
          setSeedReady(true);
          setFeedErrors([]);
        }
      },
      cursorExpired(errors) {
        setExpired(errors);
        replaceNext.current = true;
        reseedRef.current({ requestPolicy: 'network-only' });
      },
      errors: setFeedErrors,
    });
    return () => {
      clearTimeout(wait);
      stop();
    };
  }, [ws, region, store, config.trustedDocuments]);

  useEffect(() => store.saveLog(board.log), [store, board.log]);

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(tick);
  }, []);

  const onTrip = useCallback((trip: ArrivalTripFragment) => {
    dispatch({ type: 'trips', trips: [trip], replace: false });
    setArrivals((n) => n + 1);
  }, []);
  const onToggle = useCallback((id: string) => setOpenTripId((open) => (open === id ? null : id)), []);

  const rows = boardRows(board);
  return (
    <section className="arrivals" data-testid="arrivals-screen">
      <header className="arrivals-header">
        <div>
          <h2>{t('title')}</h2>
          <p className="arrivals-muted">
            {t('intro')} {t('region')}: <span data-testid="arrivals-region">{region}</span>
          </p>
        </div>
        <p
          className={`arrivals-live arrivals-live-${feedState}`}
          role="status"
          data-testid="arrivals-live"
          data-state={feedState}
        >
          <span className="arrivals-live-dot" aria-hidden="true" />
          <span className="visually-hidden">{t('connection')}: </span>
          {t(feedState)}
        </p>
      </header>
      {expired ? (
        <div role="alert" className="arrivals-notice" data-testid="arrivals-cursor-expired">
          <p>
            <code>{String(expired[0]?.extensions?.code ?? 'CURSOR_EXPIRED')}</code> {t('cursorExpired')}
          </p>
          <button type="button" onClick={() => setExpired(null)}>
            {t('dismiss')}
          </button>
        </div>
      ) : null}
      <GraphqlErrorAlert errors={[...feedErrors, seed.error]} />
      <div className="arrivals-layout">
        <div className="arrivals-main">
          {!seed.data && seed.fetching ? <p>{t('loading')}</p> : null}
          {seed.data && seed.data.trips.totalCount > seed.data.trips.edges.length ? (
            <p className="arrivals-muted">
              {t('moreTrips', { shown: seed.data.trips.edges.length, total: seed.data.trips.totalCount })}
            </p>
          ) : null}
          {seed.data || rows.length ? (
            <TripBoard trips={rows} now={now} openTripId={openTripId} onToggle={onToggle} onTrip={onTrip} />
          ) : null}
          <ObservationsPanel region={region} refresh={arrivals} />
        </div>
        <aside className="arrivals-side">
          <EventLog log={board.log} openedAt={openedAt} />
        </aside>
      </div>
    </section>
  );
}
