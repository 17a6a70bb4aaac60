import type { Caller, EntityKind } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import { enterprises, returnRequests, trips, workers } from '../db/schema/index.js';
import { findRecords, type RecordTable } from '../own-records.js';
import { isOwnId } from '../validation/ownership.js';
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
 * what a relayed fact implies, through its own endpoints) and enterprises unless allowed.
 */
function personWhoWrites(operation: string, caller: Caller, enterpriseMay: boolean): void {
  if (caller.role === 'ministry')
    throw forbidden(`${operation}: the ministry reads every statistic and list but changes no record`);
  if (caller.role === 'system')
    throw forbidden(`${operation}: the gateway's system caller changes no record`);
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

/** The worker's home province or a city/county containing his home. */
const workerOfficer =
  (operation: string): WriteRule =>
  async (ctx, caller, args) => {
    personWhoWrites(operation, caller, false);
    officerOf(operation, caller, await workerHome(ctx, args.workerId), "the worker's home region");
  };

/** The trip's organiser (origin side) or its receiving place (destination side). */
const tripSide =
  (operation: string, side: 'origin' | 'destination'): WriteRule =>
  async (ctx, caller, args) => {
    personWhoWrites(operation, caller, false);
    const trip = await tripEnds(ctx, args.tripId);
    officerOf(
      operation,
      caller,
      trip?.[side],
      side === 'origin' ? "the trip's origin" : "the trip's destination (the receiving place)",
    );
  };

/** The enterprise itself, or an officer of the region where it is. */
const enterpriseOrOfficer = (
  operation: string,
  enterpriseId: unknown,
  region: string | undefined,
  caller: Caller,
): void => {
  personWhoWrites(operation, caller, true);
  if (caller.role === 'enterprise') {
    if (caller.enterpriseId !== enterpriseId)
      throw forbidden(
        `${operation}: ${callerWords(caller)} may act only for itself, not for enterprise ${String(enterpriseId)}`,
      );
    return;
  }
  officerOf(operation, caller, region, "the enterprise's region");
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
  fileReturnRequest: async (ctx, caller, args) =>
    enterpriseOrOfficer(
      'fileReturnRequest',
      args.input?.enterpriseId,
      await enterpriseRegion(ctx, args.input?.enterpriseId),
      caller,
    ),
  confirmOnPost: async (ctx, caller, args) => {
    personWhoWrites('confirmOnPost', caller, true);
    const request = await requestOwner(ctx, args.returnRequestId);
    if (caller.role === 'enterprise' && request && request.enterpriseId !== caller.enterpriseId) {
      throw forbidden(
        `confirmOnPost: return request ${String(args.returnRequestId)} was filed by another enterprise; only the one that filed it confirms it`,
      );
    }
    if (caller.role !== 'enterprise')
      officerOf('confirmOnPost', caller, request?.region, "the enterprise's region");
  },

  planTrip: async (_ctx, caller, args) => {
    personWhoWrites('planTrip', caller, false);
    officerOf('planTrip', caller, String(args.input?.origin), 'origin');
  },
  assignPassengers: tripSide('assignPassengers', 'origin'),
  departTrip: tripSide('departTrip', 'origin'),
  updateEta: tripSide('updateEta', 'origin'),
  cancelTrip: tripSide('cancelTrip', 'origin'),
  confirmArrival: tripSide('confirmArrival', 'destination'),
  handOverTrip: tripSide('handOverTrip', 'destination'),
};
