import { tryDecodeId, type Caller } from '@p2p/schema';
import type { GraphQLFieldResolver } from 'graphql';
import type { ProvinceContext } from '../context.js';
import type { PassengerRow, WorkerRow } from '../db/schema/index.js';
import { findEnterprises, findReturnRequests } from '../employment/records.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import type { ServedTrip } from '../transport/trip-copies.js';
import { passengersLoader } from '../transport/records.js';
import { isOwnId } from '../validation/ownership.js';
import { workerLoader } from '../workers/records.js';
import {
  atTripEnd,
  seesFiledWorkerInFull,
  shown,
  shownName,
  workerView,
  type WorkerView,
} from './personal-data.js';
import { assertMayReadObservation, isObservationRow } from './observation-rules.js';
import {
  assertMayReadReturnRequest,
  assertMayFollowEnterprise,
  assertMayReadWorkerRequests,
  assertMaySubscribe,
  mayReadReturnRequest,
  personWhoReads,
  READ_RULES,
  returnRequestScope,
  type ReturnRequestFacts,
} from './read-rules.js';
import { callerOf, forbidden, officerCovers } from './request-access.js';
import {
  assertWorkerMayAsk,
  assertWorkerMayReference,
  assertWorkerOnTrip,
  himselfAmong,
  isWorkerHimself,
} from './worker-self.js';
import { WRITE_RULES } from './write-rules.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
type Resolver = GraphQLFieldResolver<unknown, ProvinceContext, Record<string, any>>;
type FieldMap = Record<string, unknown>;

/** Wraps every function-valued field of `fields` (other entries, e.g. scalars, are kept). */
function wrapFields(
  fields: FieldMap | undefined,
  wrap: (name: string, resolve: Resolver) => Resolver,
): FieldMap | undefined {
  if (!fields) return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      typeof value === 'function' ? wrap(name, value as Resolver) : value,
    ]),
  );
}

/** True for a resolved return request row (the employment subgraph's, not transport's stub). */
const isReturnRequestRow = (value: unknown): value is ReturnRequestFacts =>
  !!value && typeof value === 'object' && 'enterpriseId' in value && 'workerHomeRegion' in value;

/**
 * Query fields: the system caller reads nothing; lists follow READ_RULES; single records follow
 * the rule of their list (`returnRequest(id)`: {@link assertMayReadReturnRequest}); a worker asks
 * only about himself (`worker-self.ts`).
 */
const guardQuery =
  (name: string, resolve: Resolver): Resolver =>
  async (parent, args, ctx, info) => {
    const caller = callerOf(ctx);
    if (!caller) return resolve(parent, args, ctx, info);
    personWhoReads(name, caller);
    if (caller.role === 'worker') assertWorkerMayAsk(name, caller, args);
    READ_RULES[name]?.(caller, args);
    const value = await resolve(
      parent,
      name === 'returnRequests' ? { ...args, ...returnRequestScope(caller) } : args,
      ctx,
      info,
    );
    if (name === 'returnRequest' && isReturnRequestRow(value))
      assertMayReadReturnRequest(caller, value, name);
    if (name === 'observation' && isObservationRow(value)) assertMayReadObservation(caller, value, name);
    if (name === 'trip' && caller.role === 'worker' && value)
      await assertWorkerOnTrip(ctx, caller, value as { id: string }, name);
    return value;
  };

/** Mutation fields: WRITE_RULES before the transaction; a mutation without a rule is refused. */
const guardMutation =
  (name: string, resolve: Resolver): Resolver =>
  async (parent, args, ctx, info) => {
    const caller = callerOf(ctx);
    if (caller) {
      const rule = WRITE_RULES[name];
      if (!rule)
        throw forbidden(`${name}: no access rule is defined for this mutation yet, so nobody may run it`);
      await rule(ctx, caller, args);
    }
    return resolve(parent, args, ctx, info);
  };

/**
 * `__resolveReference` (the `_entities` entry, the path the gateway reads every record by): the
 * system caller reads no record, and a record follows the same rule as through its root field.
 */
function guardReference(
  typename: string,
  resolve: (ref: unknown, ctx: ProvinceContext, info: unknown) => unknown,
) {
  return async (ref: unknown, ctx: ProvinceContext, info: unknown) => {
    const caller = callerOf(ctx);
    if (caller) personWhoReads(`${typename} reference`, caller);
    if (caller?.role === 'worker') assertWorkerMayReference(typename, caller, ref);
    const value = await resolve(ref, ctx, info);
    if (caller && typename === 'ReturnRequest' && isReturnRequestRow(value))
      assertMayReadReturnRequest(caller, value, 'ReturnRequest reference');
    if (caller && typename === 'Observation' && isObservationRow(value))
      assertMayReadObservation(caller, value, 'Observation reference');
    if (caller?.role === 'worker' && typename === 'Trip' && value)
      await assertWorkerOnTrip(ctx, caller, value as { id: string }, 'Trip reference');
    return value;
  };
}

/** What the caller sees of a worker row; undefined for an unrestricted request (everything). */
async function viewOf(ctx: ProvinceContext, worker: unknown): Promise<WorkerView | undefined> {
  const caller = callerOf(ctx);
  return caller ? workerView(ctx, caller, worker as WorkerRow) : undefined;
}

/** The Worker fields guarded by `personal-data.ts`, each by its field group. */
function guardedWorkerFields(fields: FieldMap): FieldMap {
  const own = (name: string): Resolver =>
    typeof fields[name] === 'function'
      ? (fields[name] as Resolver)
      : (w) => (w as Record<string, unknown>)[name];
  /** Shows the field when the group is visible, otherwise null. */
  const orNull =
    (name: string, group: keyof WorkerView): Resolver =>
    async (w, args, ctx, info) => {
      const view = await viewOf(ctx, w);
      return !view || view[group] ? own(name)(w, args, ctx, info) : null;
    };
  const identifier =
    (name: 'idNumber' | 'phone'): Resolver =>
    async (w, _args, ctx) => {
      const view = await viewOf(ctx, w);
      return shown((w as WorkerRow)[name], !view || view.identifiers);
    };
  return {
    ...fields,
    idNumber: identifier('idNumber'),
    phone: identifier('phone'),
    name: async (w: unknown, _args: unknown, ctx: ProvinceContext) => {
      const view = await viewOf(ctx, w);
      return shownName((w as WorkerRow).name, !view || view.name);
    },
    health: orNull('health', 'health'),
    // Sensitive like health: null (not an error, which would blank the whole worker) for others.
    povertyStatus: orNull('povertyStatus', 'health'),
    workRegion: orNull('workRegion', 'whereabouts'),
    employer: orNull('employer', 'whereabouts'),
    travelIntent: orNull('travelIntent', 'whereabouts'),
    returnRequests: async (w: unknown, args: Record<string, unknown>, ctx: ProvinceContext, info: never) => {
      const caller = callerOf(ctx);
      if (caller) assertMayReadWorkerRequests(caller, w as WorkerRow);
      return own('returnRequests')(w, args, ctx, info);
    },
    currentTrip: orNull('currentTrip', 'whereabouts'),
    // the observation he is under is health data (the ministry reads it in aggregate); the record
    // itself is guarded where it is kept (`assertMayReadObservation`)
    observation: orNull('observation', 'health'),
    // A non-null list: empty (not an error, which would blank the whole worker) for others.
    trips: async (w: unknown, args: Record<string, unknown>, ctx: ProvinceContext, info: never) => {
      const view = await viewOf(ctx, w);
      return !view || view.whereabouts ? own('trips')(w, args, ctx, info) : [];
    },
  };
}

/**
 * True when `caller` sees the boarding and arrival temperatures of a passenger: the departure's
 * side (an officer whose region contains the trip's organiser or its origin, where it was taken),
 * the receiving place of his stop (`alightAt`) until hand-over, and whoever sees the worker's
 * health (`workerView`, for a worker of this province; for another province's worker, the officer
 * of his home province, the province his id encodes). The same for a relayed copy of a trip
 * organised elsewhere, and for his boarding refusal.
 */
async function seesTemperature(
  ctx: ProvinceContext,
  caller: Caller,
  trip: ServedTrip,
  workerId: string,
  alightAt: string | undefined,
): Promise<boolean> {
  if (caller.role === 'worker') return isWorkerHimself(caller, workerId);
  if (officerCovers(caller, trip.organizer) || officerCovers(caller, trip.origin)) return true;
  if (
    trip.status !== 'HANDED_OVER' &&
    trip.status !== 'CANCELLED' &&
    atTripEnd(caller, { ...trip, alightAt: alightAt ?? null })
  )
    return true;
  if (!isOwnId(workerId, 'Worker', ctx.province)) {
    // another province's worker: his home province's officer (the id says which) sees his health
    const home = tryDecodeId(workerId)?.province;
    return !!home && caller.role === 'province' && officerCovers(caller, home);
  }
  const worker = await workerLoader(ctx).load(workerId);
  return !!worker && (await workerView(ctx, caller, worker)).health;
}

/**
 * `Trip.passengers` with each temperature and boarding refusal (health data: a fever, a code)
 * hidden (null) from callers who may not see it; a worker sees himself alone among them.
 */
/**
 * `Trip.runs` (#15): a worker sees only the runs of the shuttle that carry him, as `trip(id)`
 * allows him only a trip he is on (the other runs' status and headcounts are not his to read).
 */
function guardedRuns(resolve: Resolver): Resolver {
  return async (trip, args, ctx, info) => {
    const runs = (await resolve(trip, args, ctx, info)) as { id: string }[];
    const caller = callerOf(ctx);
    if (caller?.role !== 'worker') return runs;
    const manifests = await passengersLoader(ctx).loadMany(runs.map((r) => r.id));
    return runs.filter((_, i) => {
      const manifest = manifests[i];
      return Array.isArray(manifest) && manifest.some((p) => isWorkerHimself(caller, p.workerId));
    });
  };
}

function guardedPassengers(resolve: Resolver): Resolver {
  return async (trip, args, ctx, info) => {
    const all = (await resolve(trip, args, ctx, info)) as (Pick<PassengerRow, 'temperature'> & {
      worker: { id: string } | null;
      alightAt?: { code: string } | null;
    })[];
    const caller = callerOf(ctx);
    if (!caller) return all;
    const passengers = caller.role === 'worker' ? himselfAmong(caller, all) : all;
    return Promise.all(
      passengers.map(async (p) =>
        p.worker && (await seesTemperature(ctx, caller, trip as ServedTrip, p.worker.id, p.alightAt?.code))
          ? p
          : { ...p, temperature: null, arrivalTemperature: null, boardingRefusal: null },
      ),
    );
  };
}

/** `ReturnRequest.filedWorker` with idNumber and phone masked unless the caller may see them. */
function filedWorker(resolve: Resolver): Resolver {
  return async (request, args, ctx, info) => {
    const value = (await resolve(request, args, ctx, info)) as {
      name: string;
      idNumber: string;
      phone: string;
    } | null;
    const caller = callerOf(ctx);
    if (!value || !caller) return value;
    const full = seesFiledWorkerInFull(
      caller,
      request as { enterpriseId: string; workerHomeRegion: string; workerId: string },
    );
    return {
      ...value,
      name: shownName(value.name, caller.role !== 'system'),
      idNumber: shown(value.idNumber, full),
      phone: shown(value.phone, full),
    };
  };
}

/** Events of a subscription, without those whose return request the caller may not read. */
async function* readableEvents(
  events: AsyncIterable<unknown>,
  ctx: ProvinceContext,
  caller: Caller,
): AsyncGenerator<unknown> {
  for await (const event of events) {
    const id = (event as { returnRequestId?: string | null }).returnRequestId;
    const [request] = id ? await findReturnRequests(ctx.db, [id]) : [];
    if (request && mayReadReturnRequest(caller, request)) yield event;
  }
}

/** The region of an enterprise of this province; undefined when the id is not one or is unknown. */
async function enterpriseRegion(ctx: ProvinceContext, id: unknown): Promise<string | undefined> {
  if (typeof id !== 'string' || !isOwnId(id, 'Enterprise', ctx.province)) return undefined;
  return (await findEnterprises(ctx.db, [id]))[0]?.region;
}

/** `Subscription.<field>.subscribe`: the rule of the field's list (`assertMaySubscribe`). */
function guardSubscription(name: string, field: { subscribe: Resolver; resolve?: Resolver }) {
  return {
    ...field,
    subscribe: async (parent: unknown, args: Record<string, unknown>, ctx: ProvinceContext, info: never) => {
      const caller = callerOf(ctx);
      if (caller) assertMaySubscribe(name, caller, args);
      if (caller && name === 'returnRequestUpdates')
        assertMayFollowEnterprise(caller, args.enterpriseId, await enterpriseRegion(ctx, args.enterpriseId));
      const events = await field.subscribe(parent, args, ctx, info);
      return caller && name === 'returnRequestsFiled' && caller.role !== 'system'
        ? readableEvents(events as AsyncIterable<unknown>, ctx, caller)
        : events;
    },
  };
}

/**
 * A logical subgraph's resolvers with the province's access rules: read and write rules on the
 * root fields and subscriptions, the same record rules on `_entities` references, no records for
 * the system caller, and the personal fields guarded by `personal-data.ts`. Unrestricted
 * requests (see `RequestAccess`) pass through untouched.
 */
export function withAccessRules(resolvers: ResolverMap): ResolverMap {
  const guarded: Record<string, unknown> = { ...resolvers };
  const map = resolvers as Record<string, FieldMap | undefined>;
  if (map.Query) guarded.Query = wrapFields(map.Query, guardQuery);
  if (map.Mutation) guarded.Mutation = wrapFields(map.Mutation, guardMutation);
  if (map.Subscription)
    guarded.Subscription = Object.fromEntries(
      Object.entries(map.Subscription).map(([name, field]) => [
        name,
        guardSubscription(name, field as { subscribe: Resolver }),
      ]),
    );
  for (const [typename, fields] of Object.entries(map)) {
    const reference = fields && typeof fields === 'object' ? fields.__resolveReference : undefined;
    if (typeof reference === 'function') {
      guarded[typename] = {
        ...(guarded[typename] as FieldMap),
        __resolveReference: guardReference(typename, reference as never),
      };
    }
  }
  if (map.Worker) guarded.Worker = guardedWorkerFields(guarded.Worker as FieldMap);
  const passengers = map.Trip?.passengers;
  if (typeof passengers === 'function')
    guarded.Trip = { ...(guarded.Trip as FieldMap), passengers: guardedPassengers(passengers as Resolver) };
  const runs = map.Trip?.runs;
  if (typeof runs === 'function')
    guarded.Trip = { ...(guarded.Trip as FieldMap), runs: guardedRuns(runs as Resolver) };
  const filed = map.ReturnRequest?.filedWorker;
  if (typeof filed === 'function')
    guarded.ReturnRequest = {
      ...(guarded.ReturnRequest as FieldMap),
      filedWorker: filedWorker(filed as Resolver),
    };
  return guarded as ResolverMap;
}
