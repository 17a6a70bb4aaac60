/**
 * The worker's home province follows an observation kept by the province where it happens
 * (OBSERVATION facts, `health/observations.ts`; this province's own in the same transaction):
 * - STARTED: applied only when the home side places him in the observation's CITY (plausibility,
 *   so neither another province nor another city of his own can take any worker id it has seen
 *   off the statistics, nor a forged fever at an arrival check): his home or work region lies in
 *   that city, or his current or last trip (`worker_trips`) goes to it or lets him alight in it.
 *   The same check for this province's own observations.
 *   Then `status = OBSERVATION` and `observation_id` = the observation; answered with his home
 *   region (OBSERVATION_HOME), so the officers of his home may read the observation there.
 *   Otherwise nothing changes and the answer carries `homeRegion: null`;
 * - ENDED, for the observation his record names while he is under OBSERVATION: RELEASED → AT_WORK,
 *   work region = his work region if one is recorded (a hand-over during the observation records
 *   it, `relay/trip-facts.ts`), else the observation's region; TRANSFERRED_TO_HOSPITAL → he stays
 *   OBSERVATION (he is not released; a later observation, a trip or his home officer moves him).
 *   `observation_id` keeps the last observation (`Worker.observation`).
 * A fact about a worker this province does not know, or placing the observation outside its
 * source, is logged without personal data and left. The statistics follow by the statement
 * triggers on `workers`.
 */
import { findRegion, provinceOf, type ObservationFact } from '@p2p/schema';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { workers, workerTrips, type WorkerRow } from '../db/schema/index.js';
import type { FactHandler, FactHandlerTable } from '../relay/fact-handler.js';
import { tellProvince } from '../relay/tell.js';
import { isOwnId } from '../validation/ownership.js';

/** The city (four-digit prefix) of a region code: a municipality's district gives the municipality. */
const cityOf = (region: string) => region.slice(0, 4);

/** True when `region` lies in the city whose prefix is `city`. */
const inCity = (region: string | null | undefined, city: string) => !!region && cityOf(region) === city;

/**
 * True when the home side places the worker in the city of `place`: his home or work region lies
 * in it, or his current trip or his last trip on a manifest (newest departure) goes there or lets
 * him alight there.
 */
async function placedIn(
  tx: Tx,
  worker: Pick<WorkerRow, 'id' | 'homeRegion' | 'workRegion' | 'currentTripId'>,
  place: string,
): Promise<boolean> {
  const city = cityOf(place);
  if (inCity(worker.homeRegion, city) || inCity(worker.workRegion, city)) return true;
  const [last] = await tx
    .select({ tripId: workerTrips.tripId })
    .from(workerTrips)
    .where(and(eq(workerTrips.workerId, worker.id), eq(workerTrips.onManifest, true)))
    .orderBy(desc(workerTrips.departureAt), desc(workerTrips.tripId))
    .limit(1);
  const tripIds = [...new Set([worker.currentTripId, last?.tripId].filter((id): id is string => !!id))];
  if (tripIds.length === 0) return false;
  const trips = await tx
    .select({ destination: workerTrips.destination, alightAt: workerTrips.alightAt })
    .from(workerTrips)
    .where(
      and(
        eq(workerTrips.workerId, worker.id),
        sql`${workerTrips.tripId} = ANY(${sql.param(tripIds)}::text[])`,
      ),
    );
  return trips.some((t) => inCity(t.destination, city) || inCity(t.alightAt, city));
}

/** The home side's handler of OBSERVATION facts (see the module comment). */
const onObservation: FactHandler<ObservationFact> = async (
  ctx: ProvinceContext,
  tx,
  fact,
  origin,
  events,
) => {
  const { observation } = fact;
  const logged = { source: origin.source, seq: origin.seq, event: fact.event, observation: observation.id };
  if (!findRegion(observation.region) || provinceOf(observation.region) !== origin.source) {
    ctx.log.warn(logged, 'observation fact left: its region is not a region of its source');
    return;
  }
  if (!isOwnId(observation.workerId, 'Worker', ctx.province)) {
    ctx.log.warn(logged, 'observation fact left: it names a worker of another province');
    return;
  }
  const [worker] = await tx
    .select({
      id: workers.id,
      homeRegion: workers.homeRegion,
      status: workers.status,
      workRegion: workers.workRegion,
      currentTripId: workers.currentTripId,
      observationId: workers.observationId,
    })
    .from(workers)
    .where(eq(workers.id, observation.workerId))
    .for('update');
  if (fact.event === 'STARTED') {
    const placed = !!worker && (await placedIn(tx, worker, observation.region));
    const homeRegion = placed && worker ? worker.homeRegion : null;
    if (worker && homeRegion)
      await tx
        .update(workers)
        .set({ status: 'OBSERVATION', observationId: observation.id, updatedAt: sql`now()` })
        .where(eq(workers.id, worker.id));
    else
      ctx.log.info(
        { ...logged, known: !!worker },
        'observation not applied: the home side does not place the worker in its city',
      );
    tellProvince(ctx, events, origin.source, {
      fact: 'OBSERVATION_HOME',
      observationId: observation.id,
      workerId: observation.workerId,
      homeRegion,
    });
    return;
  }
  if (!worker || worker.observationId !== observation.id || worker.status !== 'OBSERVATION') {
    ctx.log.info(logged, 'observation end not applied: his record is not under this observation');
    return;
  }
  if (observation.outcome !== 'RELEASED') return;
  await tx
    .update(workers)
    .set({ status: 'AT_WORK', workRegion: worker.workRegion ?? observation.region, updatedAt: sql`now()` })
    .where(eq(workers.id, worker.id));
};

/** Handlers of the worker's home side for observations (`apply-fact.ts` TABLES). */
export const OBSERVATION_HOME_FACT_HANDLERS: FactHandlerTable = { OBSERVATION: [onObservation] };
