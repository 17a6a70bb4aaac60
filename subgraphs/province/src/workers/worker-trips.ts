/**
 * A worker's trips as his home province knows them (`worker_trips`, kept by the TRIP facts of
 * `relay/trip-facts.ts`, whichever province organised them): `Worker.currentTrip` and
 * `Worker.trips(first)`, each a `Trip` entity stub that the gateway reads from the organiser.
 */
import { pageSize } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { callerIfBound } from '../access/request-access.js';
import { loaderFor, type ProvinceContext } from '../context.js';
import { workerTrips, type WorkerRow } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import { entityRef } from '../graphql/references.js';

/** Most trips `Worker.trips` answers. */
const MAX_TRIPS = 100;

/**
 * The request's loader of each worker's trip ids, newest departure first (at most
 * {@link MAX_TRIPS}): one statement per tick for every worker asked about.
 */
function tripIdsLoader(ctx: ProvinceContext, onManifestOnly: boolean) {
  return loaderFor<string[]>(
    ctx,
    onManifestOnly ? 'workerTrips:onManifest' : 'workerTrips',
    async (workerIds) => {
      const rows = rowsOf<{ worker_id: string; trip_id: string }>(
        await ctx.db.execute(sql`
        SELECT worker_id, trip_id FROM (
          SELECT worker_id, trip_id, row_number() OVER (
                   PARTITION BY worker_id ORDER BY departure_at DESC, trip_id DESC) AS n
            FROM ${workerTrips}
           WHERE worker_id = ANY(${sql.param([...workerIds])}::text[])
             AND (${!onManifestOnly} OR on_manifest)) AS t
         WHERE n <= ${MAX_TRIPS}
         ORDER BY worker_id, n`),
      );
      const byWorker = new Map<string, string[]>();
      for (const r of rows) byWorker.set(r.worker_id, [...(byWorker.get(r.worker_id) ?? []), r.trip_id]);
      return workerIds.map((id) => byWorker.get(id) ?? []);
    },
  );
}

/** `Worker.currentTrip`: the trip he is assigned to or travelling on, whoever organised it. */
export function currentTrip(worker: WorkerRow) {
  return entityRef('Trip', worker.currentTripId);
}

/**
 * `Worker.trips(first)`: every trip he was put on, newest departure first; for the worker himself
 * (role `worker`) only those whose manifest still names him, the trips the organiser lets him read
 * (`access/worker-self.ts`), so a trip he was taken off never fails his own record.
 * @throws BAD_USER_INPUT when `first` is outside 0..100.
 */
export async function tripsOf(worker: WorkerRow, first: number | null | undefined, ctx: ProvinceContext) {
  const size = pageSize(first, MAX_TRIPS);
  const himself = callerIfBound(ctx)?.role === 'worker';
  const tripIds = await tripIdsLoader(ctx, himself).load(worker.id);
  return tripIds.slice(0, size).map((id) => entityRef('Trip', id));
}
