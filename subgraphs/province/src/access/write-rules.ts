import type { Caller, EntityKind } from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import type { ProvinceContext } from '../context.js';
import { enterprises, observations, returnRequests, trips, workers } from '../db/schema/index.js';
import { findRecords, type RecordTable } from '../own-records.js';
import { isOwnId } from '../validation/ownership.js';
import { assertOriginSideBoarding } from './origin-boarding.js';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * Who may change what, checked by the province that owns the record BEFORE the mutation's
 * transaction starts (nothing is written when it refuses). Regions and owners of existing
 * records never change (a trip's origin and destination, a worker's home, a request's
 * enterprise), so reading them first is safe. A record that is not found is left to the
 * mutation, which answers NOT_FOUND / WRONG_PROVINCE / BAD_USER_INPUT as before.
 */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
export type WriteRule = (ctx: ProvinceContext, caller: Caller, args: Record<string, any>) => Promise<void>;

/** A record of this province by id (one statement, not cached); undefined when malformed, foreign or unknown. */
async function ownRecord<R extends { id: string }>(
  ctx: ProvinceContext,
  kind: EntityKind,
  table: RecordTable<R>,
  id: unknown,
): Promise<R | undefined> {
  if (typeof id !== 'string' || !isOwnId(id, kind, ctx.province)) return undefined;
  return (await findRecords(ctx.db, table, [id]))[0];
}

const workerHome = async (ctx: ProvinceContext, id: unknown) =>
  (await ownRecord(ctx, 'Worker', workers, id))?.homeRegion;
const tripEnds = (ctx: ProvinceContext, id: unknown) => ownRecord(ctx, 'Trip', trips, id);
const enterpriseRegion = async (ctx: ProvinceContext, id: unknown) =>
  (await ownRecord(ctx, 'Enterprise', enterprises, id))?.region;
const requestOwner = async (ctx: ProvinceContext, id: unknown) => {
  const request = await ownRecord(ctx, 'ReturnRequest', returnRequests, id);
  return request && { enterpriseId: request.enterpriseId, region: request.destinationRegion };
};

/**
 * Refuses the ministry (reads only), the gateway's system caller, the relay (which writes only
 * what a relayed fact implies, through its own endpoints), a worker (he changes only his own
 * record, see {@link assertMayReportOn}), and enterprises unless allowed.
 */
function personWhoWrites(operation: string, caller: Caller, enterpriseMay: boolean): void {
  if (caller.role === 'ministry')
    throw forbidden(`${operation}: the ministry reads every statistic and list but changes no record`);
  if (caller.role === 'system')
    throw forbidden(`${operation}: the gateway's system caller changes no record`);
  if (caller.role === 'worker')
    throw forbidden(
      `${operation}: a worker may only report his own travel intent and health check and decline a return request filed for him`,
    );
  if (caller.role === 'relay')
    throw forbidden(
      `${operation}: the relay changes records only as a relayed fact implies, never through GraphQL`,
    );
  if (caller.role === 'enterprise' && !enterpriseMay)
    throw forbidden(
      `${operation}: an enterprise may not do this; it is done by the province or city in charge`,
    );
}

/** An officer whose region contains `region` (skipped when the record was not found). */
function officerOf(operation: string, caller: Caller, region: string | undefined, what: string): void {
  if (region === undefined || officerCovers(caller, region)) return;
  throw forbidden(
    `${operation}: ${what} ${region} is outside the region of ${callerWords(caller)}; only its own province or city may do this`,
  );
}

/**
 * What a worker may do himself (role `worker`, on his own id only): report his travel intent and a
 * health check (stored as SELF-declared) and decline a return request filed for him.
 */
const WORKER_SELF_SERVICE: ReadonlySet<string> = new Set([
  'recordHealthCheck',
  'reportTravelIntent',
  'declineReturnRequest',
]);

/**
 * The rule of a change to one worker's record, also applied to each item of the bulk forms
 * (`recordHealthChecks`, `reportTravelIntents`) so the two cannot drift: an officer whose region
 * contains his stored home (`homeRegion`; undefined when he was not found, which is left to the
 * mutation); for the operations of {@link WORKER_SELF_SERVICE}, the worker himself too.
 * @throws FORBIDDEN otherwise.
 */
export function assertMayChangeWorker(
  operation: string,
  caller: Caller,
  workerId: unknown,
  homeRegion: string | undefined,
): void {
  if (caller.role === 'worker') {
    if (WORKER_SELF_SERVICE.has(operation) && caller.workerId === workerId) return;
    throw forbidden(
      `${operation}: a worker may act only on his own record (${caller.workerId}), and only to report his travel intent and health check or decline a return request`,
    );
  }
  personWhoWrites(operation, caller, false);
  officerOf(operation, caller, homeRegion, "the worker's home region");
}

/** The worker's home province or a city/county containing his home (and the worker himself, see {@link assertMayChangeWorker}). */
const workerOfficer =
  (operation: string): WriteRule =>
  async (ctx, caller, args) =>
    assertMayChangeWorker(
      operation,
      caller,
      args.workerId,
      caller.role === 'worker' ? undefined : await workerHome(ctx, args.workerId),
    );

/**
 * A bulk change to workers' records with per-item results: officers only; each item is then judged
 * by its single mutation's rule ({@link assertMayChangeWorker}) inside the call, so an item outside
 * the caller's region fails alone (FORBIDDEN) and the others go on.
 */
const bulkOfOfficers =
  (operation: string): WriteRule =>
  async (_ctx, caller) =>
    personWhoWrites(operation, caller, false);

/** The words of a trip's side in a refusal. */
const SIDE_WORDS = {
  organizer: "the trip's organiser",
  destination: "the trip's destination (the receiving place)",
} as const;

/**
 * The trip's organiser (who planned it and manages it: its manifest, departure, ETA,
 * cancellation) or its receiving place (destination side: arrival and hand-over). For a trip
 * organised by its origin, as every trip was before `organizer` existed, the organiser side is
 * the origin side.
 */
const tripSide =
  (operation: string, side: 'organizer' | 'destination'): WriteRule =>
  async (ctx, caller, args) => {
    personWhoWrites(operation, caller, false);
    const trip = await tripEnds(ctx, args.tripId);
    officerOf(operation, caller, trip?.[side], SIDE_WORDS[side]);
  };

/**
 * The receiving place of one stop (arrival, checks and hand-over are per stop, `transport/stops.ts`):
 * an officer whose region contains the stop named by `stopOf(args)` (default the destination).
 * An officer of another stop, or of another city of the same province, may not act for it; a
 * region the trip does not stop at is left to the mutation (BAD_USER_INPUT) once the caller covers it.
 */
const stopSide =
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
    (operation: string, stopOf: (args: Record<string, any>) => unknown): WriteRule =>
    async (ctx, caller, args) => {
      personWhoWrites(operation, caller, false);
      const trip = await tripEnds(ctx, args.tripId);
      if (!trip) return;
      const stop = stopOf(args);
      officerOf(
        operation,
        caller,
        typeof stop === 'string' ? stop : trip.destination,
        stop == null ? SIDE_WORDS.destination : "the trip's stop (the receiving place)",
      );
    };

/**
 * Why `caller` may not act for enterprise `enterpriseId` (located in `region`; undefined when it
 * was not found): only the enterprise itself, or an officer whose region contains the enterprise's
 * region, may. Undefined when it may. Used whole-call by the write rules and per item by
 * `fileReturnRequests`.
 */
export function refusalForEnterprise(
  operation: string,
  caller: Caller,
  enterpriseId: unknown,
  region: string | undefined,
): GraphQLError | undefined {
  if (caller.role === 'enterprise') {
    return caller.enterpriseId === enterpriseId
      ? undefined
      : forbidden(
          `${operation}: ${callerWords(caller)} may act only for itself, not for enterprise ${String(enterpriseId)}`,
        );
  }
  if (region === undefined || officerCovers(caller, region)) return undefined;
  return forbidden(
    `${operation}: the enterprise's region ${region} is outside the region of ${callerWords(caller)}; only its own province or city may do this`,
  );
}

/** The enterprise itself, or an officer of the region where it is. */
const enterpriseOrOfficer = (
  operation: string,
  enterpriseId: unknown,
  region: string | undefined,
  caller: Caller,
): void => {
  personWhoWrites(operation, caller, true);
  const refused = refusalForEnterprise(operation, caller, enterpriseId, region);
  if (refused) throw refused;
};

/** The enterprise that filed the request, or an officer of the enterprise's region. */
const requestOwnerOrOfficer =
  (operation: string, verb: string): WriteRule =>
  async (ctx, caller, args) => {
    personWhoWrites(operation, caller, true);
    const request = await requestOwner(ctx, args.returnRequestId);
    if (caller.role === 'enterprise' && request && request.enterpriseId !== caller.enterpriseId) {
      throw forbidden(
        `${operation}: return request ${String(args.returnRequestId)} was filed by another enterprise; only the one that filed it ${verb} it`,
      );
    }
    if (caller.role !== 'enterprise')
      officerOf(operation, caller, request?.region, "the enterprise's region");
  };

/** The write rule of every mutation of the province contract, by field name. */
export const WRITE_RULES: Record<string, WriteRule> = {
  registerWorker: async (_ctx, caller, args) => {
    personWhoWrites('registerWorker', caller, false);
    officerOf('registerWorker', caller, String(args.input?.homeRegion), 'home region');
  },
  registerWorkers: async (_ctx, caller, args) => {
    personWhoWrites('registerWorkers', caller, false);
    for (const input of (args.inputs ?? []) as { homeRegion?: unknown }[])
      officerOf('registerWorkers', caller, String(input.homeRegion), 'home region');
  },
  reportEmployment: workerOfficer('reportEmployment'),
  recordHealthCheck: workerOfficer('recordHealthCheck'),
  reportTravelIntent: workerOfficer('reportTravelIntent'),
  recordHealthChecks: bulkOfOfficers('recordHealthChecks'),
  reportTravelIntents: bulkOfOfficers('reportTravelIntents'),
  // the worker, through his home province (#13.7): his home officers, or the worker himself
  declineReturnRequest: workerOfficer('declineReturnRequest'),

  registerEnterprise: async (_ctx, caller, args) => {
    personWhoWrites('registerEnterprise', caller, false);
    officerOf('registerEnterprise', caller, String(args.input?.region), "the enterprise's region");
  },
  reportLaborDemand: async (ctx, caller, args) =>
    enterpriseOrOfficer(
      'reportLaborDemand',
      args.enterpriseId,
      await enterpriseRegion(ctx, args.enterpriseId),
      caller,
    ),
  // #15: the enterprise's province or city officers (not the enterprise itself)
  setKeyEnterprise: async (ctx, caller, args) => {
    personWhoWrites('setKeyEnterprise', caller, false);
    officerOf(
      'setKeyEnterprise',
      caller,
      await enterpriseRegion(ctx, args.enterpriseId),
      "the enterprise's region",
    );
  },
  // #15: the enterprise itself, or an officer of its region (where the work is: `job-posts.ts`)
  postJob: async (ctx, caller, args) =>
    enterpriseOrOfficer('postJob', args.enterpriseId, await enterpriseRegion(ctx, args.enterpriseId), caller),
  fileReturnRequest: async (ctx, caller, args) =>
    enterpriseOrOfficer(
      'fileReturnRequest',
      args.input?.enterpriseId,
      await enterpriseRegion(ctx, args.input?.enterpriseId),
      caller,
    ),
  confirmOnPost: requestOwnerOrOfficer('confirmOnPost', 'confirms'),
  withdrawReturnRequest: requestOwnerOrOfficer('withdrawReturnRequest', 'withdraws'),
  // Per item: an enterprise files only for itself, an officer only in his region (checked in the
  // mutation, so one item refused does not fail the others).
  fileReturnRequests: async (_ctx, caller) => personWhoWrites('fileReturnRequests', caller, true),
  reportStaffChange: async (ctx, caller, args) =>
    enterpriseOrOfficer(
      'reportStaffChange',
      args.enterpriseId,
      await enterpriseRegion(ctx, args.enterpriseId),
      caller,
    ),

  planTrip: async (_ctx, caller, args) => {
    personWhoWrites('planTrip', caller, false);
    const organizer = args.input?.organizer ?? args.input?.origin;
    officerOf('planTrip', caller, String(organizer), args.input?.organizer == null ? 'origin' : 'organizer');
  },
  assignPassengers: tripSide('assignPassengers', 'organizer'),
  removePassengers: tripSide('removePassengers', 'organizer'),
  departTrip: async (ctx, caller, args) => {
    personWhoWrites('departTrip', caller, false);
    const trip = await tripEnds(ctx, args.tripId);
    if (!trip || officerCovers(caller, trip.organizer)) return;
    await assertOriginSideBoarding(ctx, caller, trip, (args.boarded ?? []) as { workerId?: unknown }[]);
  },
  updateEta: tripSide('updateEta', 'organizer'),
  cancelTrip: tripSide('cancelTrip', 'organizer'),
  confirmArrival: stopSide('confirmArrival', (args) => args.input?.stop),
  handOverTrip: stopSide('handOverTrip', (args) => args.stop),

  // #14.4: the officers of the place of observation (not another city of the same province)
  startObservation: async (_ctx, caller, args) => {
    personWhoWrites('startObservation', caller, false);
    officerOf('startObservation', caller, String(args.input?.region), 'the place of observation');
  },
  endObservation: async (ctx, caller, args) => {
    personWhoWrites('endObservation', caller, false);
    const observation = await ownRecord(ctx, 'Observation', observations, args.observationId);
    officerOf('endObservation', caller, observation?.region, 'the place of observation');
  },
};
