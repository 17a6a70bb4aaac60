import { maskIdentifier, type Caller } from '@p2p/schema';
import { and, inArray, sql } from 'drizzle-orm';
import { loaderFor, type ProvinceContext } from '../context.js';
import { tripPassengers, trips } from '../db/schema/index.js';
import { officerCovers } from './request-access.js';

/**
 * Who sees a worker's full resident ID number and phone; everyone else sees them masked
 * (`maskIdentifier`: first and last four characters).
 *
 * Worker (in the home province):
 * - an officer of the worker's home (province, or the city/county containing his home region);
 * - the receiving place (an officer whose region contains the destination) of a trip the
 *   worker is on that is not yet handed over (PLANNED, DEPARTED, ARRIVED). Only trips stored in
 *   the home province are known here, i.e. those it organised: for a trip organised by another
 *   province (a Hebei bus carrying a Henan worker) the receiving place sees Henan's record masked.
 *
 * RequestedWorker (`ReturnRequest.filedWorker`, in the enterprise's province):
 * - the enterprise that filed the request;
 * - an officer of the worker's home region (who holds the full record anyway).
 */

/** The trip statuses in which the receiving place needs to identify passengers. */
const RECEIVING_STATUSES = ['PLANNED', 'DEPARTED', 'ARRIVED'] as const;

/** What the PII rules need of a worker row. */
interface WorkerFacts {
  id: string;
  homeRegion: string;
}

/**
 * The request's loader of "destinations of this province's trips, not yet handed over, that
 * carry the worker": one statement per tick for all workers asked about.
 */
function receivingRegionsLoader(ctx: ProvinceContext) {
  return loaderFor<string[]>(ctx, 'access:receivingRegions', async (workerIds) => {
    const rows = await ctx.db
      .select({ workerId: tripPassengers.workerId, destination: trips.destination })
      .from(tripPassengers)
      .innerJoin(trips, sql`${trips.id} = ${tripPassengers.tripId}`)
      .where(
        and(
          sql`${tripPassengers.workerId} = ANY(${sql.param([...workerIds])}::text[])`,
          inArray(trips.status, [...RECEIVING_STATUSES]),
        ),
      );
    const byWorker = new Map<string, string[]>();
    for (const r of rows) byWorker.set(r.workerId, [...(byWorker.get(r.workerId) ?? []), r.destination]);
    return workerIds.map((id) => byWorker.get(id) ?? []);
  });
}

/** True when `caller` may see this worker's resident ID number and phone in full. */
export async function seesWorkerInFull(
  ctx: ProvinceContext,
  caller: Caller,
  worker: WorkerFacts,
): Promise<boolean> {
  if (caller.role !== 'province' && caller.role !== 'city') return false;
  if (officerCovers(caller, worker.homeRegion)) return true;
  const destinations = await receivingRegionsLoader(ctx).load(worker.id);
  return destinations.some((destination) => officerCovers(caller, destination));
}

/** True when `caller` may see the filed worker of a return request in full. */
export function seesFiledWorkerInFull(
  caller: Caller,
  request: { enterpriseId: string; workerHomeRegion: string },
): boolean {
  if (caller.role === 'enterprise') return caller.enterpriseId === request.enterpriseId;
  return officerCovers(caller, request.workerHomeRegion);
}

/** The value itself, or its mask. */
export function shown(value: string, full: boolean): string {
  return full ? value : maskIdentifier(value);
}
