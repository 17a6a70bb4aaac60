/**
 * The GraphQL operations the scenarios send, as a client of the hub would: fixed operation texts
 * (so plan and parse caches can do their job) with the varying parts in variables. Reads are sent
 * as the ministry, changes as the officer of the province that owns the record.
 */
import type { Operation } from './graphql-client.js';
import type { WorkerIdentity } from './population.js';

/** Trips to a destination (optionally from one origin) with their passengers' names and home regions. */
export const TRIPS_TO_DESTINATION = `query TripsToDestination($destination: RegionCode!, $origin: RegionCode, $first: Int) {
  trips(destination: $destination, origin: $origin, first: $first) {
    edges { node {
      id mode vehicleCode status departureAt
      origin { code name } destination { code name }
      passengers { boarded worker { id name homeRegion { code name } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** How many workers {@link WORKERS_BY_ID} asks for. */
export const WORKERS_PER_BATCH = 100;

/** One operation asking for 100 workers by id (aliases w0…w99), with their home region names. */
export const WORKERS_BY_ID = `query WorkersById(${Array.from({ length: WORKERS_PER_BATCH }, (_, i) => `$id${i}: ID!`).join(', ')}) {
${Array.from({ length: WORKERS_PER_BATCH }, (_, i) => `  w${i}: worker(id: $id${i}) { id name status homeRegion { code } }`).join('\n')}
}`;

const WORKER = `query Worker($id: ID!) { worker(id: $id) { id name phone status homeRegion { code name } workRegion { code name } health { code checkedAt } } }`;
const WORKERS_PAGE = `query WorkersPage($homeRegion: RegionCode!) { workers(homeRegion: $homeRegion, first: 20) { edges { node { id name status } } pageInfo { hasNextPage endCursor } } }`;
const RETURN_REQUESTS = `query ReturnRequests($destination: RegionCode!) {
  returnRequests(destination: $destination, first: 10) { edges { node { id plannedReturnDate status enterprise { name } worker { name homeRegion { name } } } } }
}`;
const SUMMARY = `query Summary($scope: RegionCode) { summary(scope: $scope) { workers { registered atHome travelling atWork priority } } }`;

/** The selection of a registration: just the id, as a bulk importer would ask. */
export const REGISTER_WORKERS = `mutation RegisterWorkers($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`;
const REGISTER_WORKER = `mutation RegisterWorker($input: RegisterWorkerInput!) { registerWorker(input: $input) { id status } }`;
const HEALTH_CHECK = `mutation HealthCheck($workerId: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $workerId, input: $input) { id health { code } } }`;
const HEALTH_CHECKS = `mutation HealthChecks($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { index error { message } } } }`;
const EMPLOYMENT = `mutation Employment($workerId: ID!, $workRegion: RegionCode!) { reportEmployment(workerId: $workerId, workRegion: $workRegion) { id status } }`;
const TRAVEL_INTENT = `mutation TravelIntent($workerId: ID!, $input: TravelIntentInput!) { reportTravelIntent(workerId: $workerId, input: $input) { id travelIntent { destination { code } } } }`;

/** `trips(destination, origin?)`, the first `first` by departure. */
export function tripsToDestination(destination: string, origin?: string, first = 10): Operation {
  return {
    name: origin ? 'tripsToDestination (one origin)' : 'tripsToDestination',
    query: TRIPS_TO_DESTINATION,
    variables: { destination, origin: origin ?? null, first },
  };
}

/** 100 workers by id in one operation. */
export function workersById(ids: readonly string[]): Operation {
  if (ids.length !== WORKERS_PER_BATCH) throw new Error(`workersById takes exactly ${WORKERS_PER_BATCH} ids`);
  return {
    name: 'workersById',
    query: WORKERS_BY_ID,
    variables: Object.fromEntries(ids.map((id, i) => [`id${i}`, id])),
  };
}

/** One worker by id. */
export function workerById(id: string): Operation {
  return { name: 'worker', query: WORKER, variables: { id } };
}

/** A page of the workers whose home is inside a region. */
export function workersPage(homeRegion: string): Operation {
  return { name: 'workers page', query: WORKERS_PAGE, variables: { homeRegion } };
}

/** Return requests to a destination with their enterprises and workers. */
export function returnRequestsTo(destination: string): Operation {
  return { name: 'returnRequests', query: RETURN_REQUESTS, variables: { destination } };
}

/** The worker summary of a scope. */
export function workerSummary(scope: string): Operation {
  return { name: 'summary', query: SUMMARY, variables: { scope } };
}

/** `RegisterWorkerInput` of a generated person. */
export function registrationInput(worker: WorkerIdentity) {
  return {
    name: worker.name,
    idNumber: worker.idNumber,
    phone: worker.phone,
    homeRegion: worker.homeRegion,
    povertyStatus: worker.povertyStatus,
    skills: worker.skills,
  };
}

/** The province a worker id belongs to (its officer sends the worker's changes). */
const homeOf = (workerId: string) => `${workerId.slice(1, 3)}0000`;

/** `registerWorkers` of people of one province, sent by its officer. */
export function registerWorkers(province: string, workers: readonly WorkerIdentity[]): Operation {
  return {
    name: 'registerWorkers',
    query: REGISTER_WORKERS,
    variables: { inputs: workers.map(registrationInput) },
    as: province,
  };
}

/** `registerWorker` of one person, sent by his province's officer. */
export function registerWorker(province: string, worker: WorkerIdentity): Operation {
  return {
    name: 'registerWorker',
    query: REGISTER_WORKER,
    variables: { input: registrationInput(worker) },
    as: province,
  };
}

/** A green health code checked a minute ago on the home province's platform (valid 7 days), a negative test. */
export function recordHealthCheck(workerId: string): Operation {
  return {
    name: 'recordHealthCheck',
    query: HEALTH_CHECK,
    variables: {
      workerId,
      input: {
        code: 'GREEN',
        issuedBy: homeOf(workerId),
        checkedAt: new Date(Date.now() - 60_000).toISOString(),
        validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        nucleicAcid: 'NEGATIVE',
        testedAt: new Date(Date.now() - 60_000).toISOString(),
      },
    },
    as: homeOf(workerId),
  };
}

/**
 * GREEN codes of workers of one province checked at `checkedAt` on its platform (valid 7 days
 * from then), with a negative test taken then, sent by its officer (at most 1,000).
 */
export function recordHealthChecks(
  province: string,
  workerIds: readonly string[],
  checkedAt: Date,
): Operation {
  const input = {
    code: 'GREEN',
    issuedBy: province,
    checkedAt: checkedAt.toISOString(),
    validUntil: new Date(checkedAt.getTime() + 7 * 86_400_000).toISOString(),
    nucleicAcid: 'NEGATIVE',
    testedAt: checkedAt.toISOString(),
  };
  return {
    name: 'recordHealthChecks',
    query: HEALTH_CHECKS,
    variables: { items: workerIds.map((workerId) => ({ workerId, input })) },
    as: province,
  };
}

/** The worker now works in `workRegion`. */
export function reportEmployment(workerId: string, workRegion: string): Operation {
  return {
    name: 'reportEmployment',
    query: EMPLOYMENT,
    variables: { workerId, workRegion },
    as: homeOf(workerId),
  };
}

/** The worker wants to travel to `destination` within the next days. */
export function reportTravelIntent(workerId: string, destination: string): Operation {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    name: 'reportTravelIntent',
    query: TRAVEL_INTENT,
    variables: { workerId, input: { earliestDate: day(2), latestDate: day(9), destination, mode: 'BUS' } },
    as: homeOf(workerId),
  };
}

const PLAN_TRIP = `mutation PlanTrip($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const ASSIGN_PASSENGERS = `mutation AssignPassengers($tripId: ID!, $workerIds: [ID!]!) { assignPassengers(tripId: $tripId, workerIds: $workerIds) { id } }`;
const DEPART_TRIP = `mutation DepartTrip($tripId: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $tripId, boarded: $boarded) { id status stops { expected } } }`;
const CONFIRM_ARRIVAL = `mutation ConfirmArrival($tripId: ID!, $input: ConfirmArrivalInput!) { confirmArrival(tripId: $tripId, input: $input) { id status } }`;
const CANCEL_TRIP = `mutation CancelTrip($tripId: ID!, $reason: String!) { cancelTrip(tripId: $tripId, reason: $reason) { id status } }`;

/** What a bus trip looks like when planned. */
export interface TripPlan {
  /** The organising province (its officer plans, assigns and departs). */
  organizer: string;
  vehicleCode: string;
  origin: string;
  destination: string;
  capacity: number;
  /** @default 'BUS' */
  mode?: 'BUS' | 'TRAIN' | 'FLIGHT';
}

/** A bus (or `plan.mode`) that left an hour ago and arrives in an hour, planned by the organiser's officer. */
export function planTrip(plan: TripPlan): Operation {
  return {
    name: 'planTrip',
    query: PLAN_TRIP,
    variables: {
      input: {
        mode: plan.mode ?? 'BUS',
        vehicleCode: plan.vehicleCode,
        origin: plan.origin,
        destination: plan.destination,
        departureAt: new Date(Date.now() - 3_600_000).toISOString(),
        expectedArrivalAt: new Date(Date.now() + 3_600_000).toISOString(),
        capacity: plan.capacity,
      },
    },
    as: plan.organizer,
  };
}

/** Puts workers (of any province) on a trip's manifest, sent by the organiser's officer. */
export function assignPassengers(organizer: string, tripId: string, workerIds: readonly string[]): Operation {
  return {
    name: 'assignPassengers',
    query: ASSIGN_PASSENGERS,
    variables: { tripId, workerIds },
    as: organizer,
  };
}

/** The trip leaves with every worker given on board, sent by the organiser's officer. */
export function departTrip(organizer: string, tripId: string, workerIds: readonly string[]): Operation {
  return {
    name: 'departTrip',
    query: DEPART_TRIP,
    variables: { tripId, boarded: workerIds.map((workerId) => ({ workerId, temperature: 36.5 })) },
    as: organizer,
  };
}

/**
 * The destination met the trip a second ago and took `headcount` workers over (ARRIVED and
 * HANDED_OVER in one transaction), sent by the officer of the destination's province.
 */
export function confirmArrival(tripId: string, destination: string, headcount: number): Operation {
  return {
    name: 'confirmArrival',
    query: CONFIRM_ARRIVAL,
    variables: {
      tripId,
      input: { arrivedAt: new Date(Date.now() - 1_000).toISOString(), headcount, handedOverTo: '人社局' },
    },
    as: `${destination.slice(0, 2)}0000`,
  };
}

/** Cancels a trip, sent by the organiser's officer. */
export function cancelTrip(organizer: string, tripId: string, reason: string): Operation {
  return { name: 'cancelTrip', query: CANCEL_TRIP, variables: { tripId, reason }, as: organizer };
}
