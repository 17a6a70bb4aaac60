/**
 * The arrivals board's state: the trips by id and the log of trip events received, applied so
 * that an event seen twice (a replay after a reconnect) changes nothing and the log keeps each
 * cursor once. Pure: the screen keeps it in a reducer and persists the log (no personal data).
 */
import type { ArrivalTripFragment, TripEventKind } from '../../generated/graphql.js';

/** One line of the event log: what happened, never who was on board. */
export interface LoggedEvent {
  cursor: string;
  kind: TripEventKind;
  at: string;
  tripId: string;
  vehicleCode: string;
  /** The stop's name for ARRIVED and HANDED_OVER. */
  stopName: string | null;
  /** When this page received it (ISO). */
  receivedAt: string;
}

/** A trip event as the `arrivals` subscription delivers it. */
export interface ArrivalEvent {
  cursor: string;
  kind: TripEventKind;
  at: string;
  stop: { code: string; name: string } | null;
  trip: ArrivalTripFragment;
}

/** The board: trips by id and the event log, newest first. */
export interface BoardState {
  trips: ReadonlyMap<string, ArrivalTripFragment>;
  log: readonly LoggedEvent[];
}

/** How many log lines the board keeps. */
export const LOG_LIMIT = 200;

/** An empty board, or one that starts with a log kept from before. */
export function emptyBoard(log: readonly LoggedEvent[] = []): BoardState {
  return { trips: new Map(), log };
}

/** Puts trips on the board (a query's or a mutation's answer): each replaces the one with its id. */
export function withTrips(state: BoardState, trips: readonly ArrivalTripFragment[]): BoardState {
  if (trips.length === 0) return state;
  const next = new Map(state.trips);
  for (const trip of trips) next.set(trip.id, trip);
  return { ...state, trips: next };
}

/** Replaces the board's trips by `trips` (a reload of the list), keeping the log. */
export function reloadedTrips(state: BoardState, trips: readonly ArrivalTripFragment[]): BoardState {
  return { ...state, trips: new Map(trips.map((t) => [t.id, t])) };
}

/**
 * Applies one event: its trip (as it is now) replaces the one with the same id; the log gains a
 * line unless it has the cursor already.
 */
export function withEvent(state: BoardState, event: ArrivalEvent, receivedAt: string): BoardState {
  const trips = new Map(state.trips);
  trips.set(event.trip.id, event.trip);
  if (state.log.some((e) => e.cursor === event.cursor)) return { ...state, trips };
  const line: LoggedEvent = {
    cursor: event.cursor,
    kind: event.kind,
    at: event.at,
    tripId: event.trip.id,
    vehicleCode: event.trip.vehicleCode,
    stopName: event.stop?.name ?? null,
    receivedAt,
  };
  return { trips, log: [line, ...state.log].slice(0, LOG_LIMIT) };
}

const STATUS_ORDER: Record<ArrivalTripFragment['status'], number> = {
  DEPARTED: 0,
  PLANNED: 1,
  ARRIVED: 2,
  HANDED_OVER: 3,
  CANCELLED: 4,
};

/** The board's rows: on the road first, then planned, then arrived and done; each by ETA. */
export function boardRows(state: BoardState): ArrivalTripFragment[] {
  return [...state.trips.values()].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.expectedArrivalAt.localeCompare(b.expectedArrivalAt) ||
      a.id.localeCompare(b.id),
  );
}
