/**
 * The facts one province tells another through the relay (#13, DESIGN.md "Provinces act on each
 * other's events"): the wire format between provinces, so it lives in the contract package.
 * A fact is written by the source province as an outbox event of kind RELAY with a `target`
 * province, in the same transaction as the change it reports; the target applies it in one
 * transaction with its inbox position. Facts carry ids, places, times and statuses: never a
 * name, a resident ID, a phone number or health data.
 */

/** A trip as the relay tells it (no manifest). */
export interface RelayedTrip {
  id: string;
  /** The region whose officer planned it. */
  organizer: string;
  mode: 'BUS' | 'TRAIN' | 'FLIGHT';
  vehicleCode: string;
  origin: string;
  destination: string;
  /** ISO 8601 */
  departureAt: string;
  expectedArrivalAt: string;
  arrivedAt: string | null;
  status: 'PLANNED' | 'DEPARTED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
}

/**
 * Organiser → the home province of workers on the trip: what happened to the trip and to them.
 * `workers`: the target province's workers concerned (for ASSIGNED/REMOVED the ones added or
 * taken off; otherwise every one of them on the manifest), with whether each boarded.
 */
export interface TripFact {
  fact: 'TRIP';
  event: 'ASSIGNED' | 'REMOVED' | 'DEPARTED' | 'ETA_CHANGED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
  trip: RelayedTrip;
  workers: { id: string; boarded: boolean }[];
}

/**
 * Organiser → the origin's province, for a trip organised outside its origin's province: the
 * whole trip as it is now, manifest included, so `trips(origin:)` finds it there.
 */
export interface TripCopyFact {
  fact: 'TRIP_COPY';
  trip: RelayedTrip & {
    capacity: number;
    headcount: number | null;
    handedOverTo: string | null;
    cancelReason: string | null;
    plannedAt: string;
    /**
     * When the organiser read the trip in this state (its database clock, under the trip's row
     * lock, so later states of one trip always carry later times): a copy is replaced only by one
     * as of the same time or later. Absent: the source's commit time stands for it.
     */
    asOf?: string;
    passengers: { workerId: string; boarded: boolean; temperature: number | null }[];
  };
}

/** A return request as the relay tells it. */
export interface RelayedReturnRequest {
  id: string;
  enterpriseId: string;
  workerId: string;
  /** The enterprise's region. */
  destinationRegion: string;
  departureRegion: string;
  /** YYYY-MM-DD */
  plannedReturnDate: string;
  filedAt: string;
}

/** Enterprise's province → the worker's home province: the request was filed, withdrawn or he is on post. */
export interface ReturnRequestFact {
  fact: 'RETURN_REQUEST';
  status: 'FILED' | 'WITHDRAWN' | 'ON_POST';
  request: RelayedReturnRequest;
  reason?: string | null;
}

/** Worker's home province → the enterprise's province: seen, arranged on a trip, or declined. */
export interface ReturnRequestAnswerFact {
  fact: 'RETURN_REQUEST_ANSWER';
  returnRequestId: string;
  status: 'ACKNOWLEDGED' | 'ARRANGED' | 'DECLINED';
  tripId?: string | null;
  reason?: string | null;
}

/** Enterprise's province → the worker's home province: the enterprise reported him on post or gone. */
export interface StaffFact {
  fact: 'STAFF';
  enterpriseId: string;
  /** The enterprise's region (where he works). */
  workRegion: string;
  workerId: string;
  change: 'ON_POST' | 'LEFT';
}

/** Every fact the relay carries. */
export type RelayFact = TripFact | TripCopyFact | ReturnRequestFact | ReturnRequestAnswerFact | StaffFact;

/** The kind of a fact. */
export type RelayFactKind = RelayFact['fact'];

/** One relayed event as the target receives it. */
export interface RelayedEvent {
  /** The source's outbox seq. */
  seq: number;
  /** The source's commit time, ISO 8601. */
  at: string;
  fact: RelayFact;
}

/** What happened to a trip, as its organiser announces it: planned, or a {@link TripFact} event. */
export type TripNews = 'PLANNED' | TripFact['event'];
