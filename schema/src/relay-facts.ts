/**
 * The facts one province tells another through the relay (#13, DESIGN.md "Provinces act on each
 * other's events"): the wire format between provinces, so it lives in the contract package.
 * A fact is written by the source province as an outbox event of kind RELAY with a `target`
 * province, in the same transaction as the change it reports; the target applies it in one
 * transaction with its inbox position. Facts carry ids, places, times and statuses: never a
 * name, a resident ID or a phone number. Health data travels in two facts only, each to the one
 * province that needs it for epidemic control: a health record to the organiser of a trip the
 * worker is on (its boarding gate, {@link HealthCopyFact}), and a fever found at an arrival check
 * to the province of the stop ({@link ArrivalFeverFact}).
 */

/** Why a passenger stayed off at the boarding gate (`BoardingRefusal` of the contract). */
export type BoardingRefusalReason = 'FEVER' | 'HEALTH_CODE' | 'NO_HEALTH_RECORD' | 'ABSENT';

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
  /** Every stop in order, the destination last (absent from sources before #14: the destination alone). */
  stops?: string[];
}

/** One worker of the target province as a {@link TripFact} names him. */
export interface TripFactWorker {
  id: string;
  boarded: boolean;
  /** DEPARTED: why he stayed off at the gate (absent or null when he boarded). */
  refusal?: BoardingRefusalReason | null;
  /** The stop where he alights (absent or null: the destination). */
  alightAt?: string | null;
}

/**
 * Organiser → the home province of workers on the trip: what happened to the trip and to them.
 * `workers`: the target province's workers concerned (for ASSIGNED/REMOVED the ones added or
 * taken off; for ARRIVED/HANDED_OVER at an intermediate `stop` those alighting there; otherwise
 * every one of them on the manifest), with whether each boarded.
 */
export interface TripFact {
  fact: 'TRIP';
  event: 'ASSIGNED' | 'REMOVED' | 'DEPARTED' | 'ETA_CHANGED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
  trip: RelayedTrip;
  workers: TripFactWorker[];
  /** ARRIVED, HANDED_OVER: the stop where it happened (absent: the destination). */
  stop?: string | null;
}

/**
 * Organiser → every other province holding the trip's origin, destination or a stop (#17.2; the
 * origin's province alone before): the whole trip as it is now, manifest included. The origin's
 * province serves it in `trips(origin:)`; every keeper counts it in its own province's statistics
 * (never the nation's), so a province's Summary is answered by that province alone.
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
    passengers: {
      workerId: string;
      boarded: boolean;
      temperature: number | null;
      refusal?: BoardingRefusalReason | null;
      alightAt?: string | null;
      carriage?: string | null;
      arrivalTemperature?: number | null;
      /**
       * His arrival check found a fever (at or above the organiser's threshold). Absent (a source
       * of the previous release): the keeper judges `arrivalTemperature` by its own threshold.
       */
      arrivalFever?: boolean;
    }[];
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

/** A health record as the home province holds it (`HealthStatus` of the contract). */
export interface RelayedHealthRecord {
  code: 'GREEN' | 'YELLOW' | 'RED';
  /** The issuing province, six digits. */
  issuedBy: string;
  /** ISO 8601 */
  checkedAt: string;
  validUntil: string;
  nucleicAcid: 'NEGATIVE' | 'POSITIVE' | 'PENDING' | 'NOT_TESTED' | null;
  testedAt: string | null;
  source: 'SELF' | 'OFFICER' | 'PLATFORM';
}

/**
 * Worker's home province → the organiser of a trip he is on (another province): his health record
 * as it is, for the boarding gate, sent when he is put on the trip and whenever a newer record
 * is recorded while he is on it. `record` null: he has none.
 */
export interface HealthCopyFact {
  fact: 'HEALTH_COPY';
  workerId: string;
  record: RelayedHealthRecord | null;
  /** When the home province read the record (a copy is replaced only by a later one). ISO 8601 */
  asOf: string;
}

/**
 * Organiser → the province of a stop: an arrival check there found a fever; that province starts
 * the observation (its own record, reason FEVER_AT_ARRIVAL).
 */
export interface ArrivalFeverFact {
  fact: 'ARRIVAL_FEVER';
  tripId: string;
  /** The stop's region. */
  stop: string;
  workerId: string;
  temperature: number;
  /** The arrival time of the stop. ISO 8601 */
  checkedAt: string;
}

/** An observation as the relay tells it. */
export interface RelayedObservation {
  id: string;
  workerId: string;
  region: string;
  kind: 'HOME' | 'CENTRALISED';
  reason: 'FEVER_AT_ARRIVAL' | 'ORDERED';
  tripId: string | null;
  /** ISO 8601 */
  startedAt: string;
  days: number;
  endedAt: string | null;
  outcome: 'RELEASED' | 'TRANSFERRED_TO_HOSPITAL' | null;
}

/** The observation's province → the worker's home province: he is under observation, or no longer. */
export interface ObservationFact {
  fact: 'OBSERVATION';
  event: 'STARTED' | 'ENDED';
  observation: RelayedObservation;
}

/**
 * The worker's home province → the observation's province, answering a STARTED
 * {@link ObservationFact}: his home region (its officers may then read the observation), or null
 * when the home side does not place him there (then his home record did not change).
 */
export interface ObservationHomeFact {
  fact: 'OBSERVATION_HOME';
  observationId: string;
  workerId: string;
  homeRegion: string | null;
}

/** Every fact the relay carries. */
/** A job post as the relay tells it. */
export interface RelayedJob {
  id: string;
  enterpriseId: string;
  title: string;
  /** Where the work is. */
  region: string;
  openings: number;
  /** Lower-cased; empty: any worker. */
  skills: string[];
  /** The exporting regions it recruits from. */
  from: string[];
  /** ISO 8601 */
  postedAt: string;
}

/**
 * The enterprise's province → the province of every region a job post recruits from (#15): a
 * copy of the post, so the home province can answer `matchWorkers` from its own workers.
 */
export interface JobPostFact {
  fact: 'JOB_POST';
  job: RelayedJob;
}

export type RelayFact =
  | JobPostFact
  | TripFact
  | TripCopyFact
  | ReturnRequestFact
  | ReturnRequestAnswerFact
  | StaffFact
  | HealthCopyFact
  | ArrivalFeverFact
  | ObservationFact
  | ObservationHomeFact;

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
