import { decodeId, provinceOf, scalarResolvers } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { TripRow } from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { type runMutation, runOneRecord } from '../mutation.js';
import { summaryScope, type SummaryKey, type SummaryScope } from '../summary/scope.js';
import { corridors } from '../summary/corridors.js';
import { transportStats, type ScopedTransportStats } from '../summary/transport.js';
import { cancelTrip, departTrip, updateEta, type BoardingInput } from './movement.js';
import {
  confirmStopArrival,
  copiedStops,
  handOverStop,
  servedStops,
  type ConfirmArrivalInput,
  type PassengerAssignmentInput,
} from './stops.js';
import { alightingAt, stopsLoader } from './stop-records.js';
import { assignPassengers, planTrip, removePassengers, type PlanTripInput } from './planning.js';
import {
  findTrips,
  passengersLoader,
  tripLoader,
  tripOfWorkerLoader,
  tripPage,
  type TripFilter,
} from './records.js';
import { runsOf } from './shuttles.js';
import { isTripCopy, type ServedTrip } from './trip-copies.js';

type Keyed = { idempotencyKey?: string | null };

/** A `Passenger` as `Trip.passengers` serves it; `trip`: his own trip's row (null for a relayed copy). */
interface ServedPassenger {
  boarded: boolean;
  alightAt: { code: string };
  arrivalTemperature: number | null;
  trip: TripRow | null;
}

/** Runs a trip mutation and returns the trip as it is after the commit. */
async function oneTrip(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Parameters<typeof runMutation>[2],
): Promise<TripRow> {
  return runOneRecord(ctx, operation, args, work, (ids) => findTrips(ctx.db, ids));
}

/** The transport subgraph's view of a return request: the keys and the @requires fields. */
interface ReturnRequestRepresentation {
  id: string;
  departureRegion?: { code?: string | null } | null;
  worker?: { id?: string | null } | null;
}

/** Resolvers of the `transport` logical subgraph. */
export const transportResolvers: ResolverMap = {
  ...scalarResolvers,
  Query: {
    trip: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'Trip');
      return tripLoader(ctx).load(args.id);
    },
    trips: (_: unknown, args: TripFilter, ctx: ProvinceContext) => tripPage(ctx, args),
  },
  Mutation: {
    planTrip: (_: unknown, args: Keyed & { input: PlanTripInput }, ctx: ProvinceContext) =>
      oneTrip(ctx, 'planTrip', args, (tx, events) => planTrip(ctx, tx, args.input, events)),
    assignPassengers: (
      _: unknown,
      args: Keyed & { tripId: string; workerIds: string[]; assignments?: PassengerAssignmentInput[] | null },
      ctx: ProvinceContext,
    ) =>
      oneTrip(ctx, 'assignPassengers', args, (tx, events) =>
        assignPassengers(ctx, tx, args.tripId, args.workerIds, events, args.assignments ?? []),
      ),
    removePassengers: (
      _: unknown,
      args: Keyed & { tripId: string; workerIds: string[] },
      ctx: ProvinceContext,
    ) =>
      oneTrip(ctx, 'removePassengers', args, (tx, events) =>
        removePassengers(ctx, tx, args.tripId, args.workerIds, events),
      ),
    departTrip: (
      _: unknown,
      args: Keyed & { tripId: string; boarded: BoardingInput[] },
      ctx: ProvinceContext,
    ) =>
      oneTrip(ctx, 'departTrip', args, (tx, events) =>
        departTrip(ctx, tx, args.tripId, args.boarded, events),
      ),
    updateEta: (
      _: unknown,
      args: Keyed & { tripId: string; expectedArrivalAt: Date },
      ctx: ProvinceContext,
    ) =>
      oneTrip(ctx, 'updateEta', args, (tx, events) =>
        updateEta(ctx, tx, args.tripId, args.expectedArrivalAt, events),
      ),
    confirmArrival: (
      _: unknown,
      args: Keyed & { tripId: string; input: ConfirmArrivalInput },
      ctx: ProvinceContext,
    ) =>
      oneTrip(ctx, 'confirmArrival', args, (tx, events) =>
        confirmStopArrival(ctx, tx, args.tripId, args.input, events),
      ),
    handOverTrip: (
      _: unknown,
      args: Keyed & {
        tripId: string;
        handedOverTo?: string | null;
        enterpriseId?: string | null;
        stop?: string | null;
      },
      ctx: ProvinceContext,
    ) => oneTrip(ctx, 'handOverTrip', args, (tx, events) => handOverStop(ctx, tx, args.tripId, args, events)),
    cancelTrip: (_: unknown, args: Keyed & { tripId: string; reason: string }, ctx: ProvinceContext) =>
      oneTrip(ctx, 'cancelTrip', args, (tx, events) => cancelTrip(ctx, tx, args.tripId, args.reason, events)),
  },
  Trip: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => tripLoader(ctx).load(ref.id),
    organizer: (t: ServedTrip) => regionRef(t.organizer),
    origin: (t: ServedTrip) => regionRef(t.origin),
    destination: (t: ServedTrip) => regionRef(t.destination),
    handedOverToEnterprise: (t: ServedTrip) => entityRef('Enterprise', t.handedOverEnterprise),
    // Every run of its shuttle (one statement per tick; a relayed copy: the copies planned with it).
    runs: (t: ServedTrip, _: unknown, ctx: ProvinceContext) => runsOf(ctx, t),
    // Stops and manifest: one statement each per tick; a relayed copy carries both (its stops coarse).
    stops: async (t: ServedTrip, _: unknown, ctx: ProvinceContext) => {
      if (isTripCopy(t)) return copiedStops(t);
      const [stops, passengers] = await Promise.all([
        stopsLoader(ctx).load(t.id),
        passengersLoader(ctx).load(t.id),
      ]);
      return servedStops(t.destination, stops, passengers);
    },
    // A relayed copy carries its manifest as last relayed; an own trip reads it (one statement per tick).
    passengers: async (t: ServedTrip, _: unknown, ctx: ProvinceContext) =>
      (isTripCopy(t) ? t.passengers : await passengersLoader(ctx).load(t.id)).map((p) => ({
        worker: entityRef('Worker', p.workerId),
        boarded: p.boarded,
        temperature: p.temperature,
        alightAt: regionRef(alightingAt(p, t.destination)),
        carriage: p.carriage ?? null,
        arrivalTemperature: p.arrivalTemperature ?? null,
        // read only when asked (the stops: one more statement per tick)
        trip: isTripCopy(t) ? null : t,
        boardingRefusal: p.refusal ?? null,
      })),
  },
  Passenger: {
    // His stop's arrival was confirmed with checks and he was not among them (a copy: never known).
    missingAtArrival: async (p: ServedPassenger, _: unknown, ctx: ProvinceContext) => {
      if (!p.trip || !p.boarded || p.arrivalTemperature != null) return false;
      const stops = await stopsLoader(ctx).load(p.trip.id);
      return stops.some((s) => s.checked && s.region === p.alightAt.code);
    },
  },
  ReturnRequest: {
    __resolveReference: (ref: ReturnRequestRepresentation) => ref,
    trip: (ref: ReturnRequestRepresentation, _: unknown, ctx: ProvinceContext) => {
      const region = ref.departureRegion?.code;
      const workerId = ref.worker?.id;
      if (!region || !workerId || provinceOf(region) !== ctx.province) return null;
      return tripOfWorkerLoader(ctx).load(workerId);
    },
  },
  Summary: {
    __resolveReference: (ref: SummaryKey) => summaryScope(ref),
    transport: (scope: SummaryScope, _: unknown, ctx: ProvinceContext) => transportStats(ctx, scope),
  },
  TransportStats: {
    corridors: (stats: ScopedTransportStats, _: unknown, ctx: ProvinceContext) => corridors(ctx, stats.scope),
  },
};
