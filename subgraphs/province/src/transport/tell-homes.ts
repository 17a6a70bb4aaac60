/**
 * Tells the home province of each worker on a trip what happened to it (TRIP facts), so his own
 * record follows him (status, work region, current trip: `relay/trip-facts.ts`). The organiser's
 * own province is told the same way, applied in the same transaction (`tellProvince`): local and
 * cross-province trips follow one set of rules.
 */
import { tryDecodeId, type TripFact, type TripNews } from '@p2p/schema';
import { asc, eq } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { tripPassengers, type TripRow } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';
import { relayedTrip } from './relayed-trip.js';

/**
 * Everyone on the trip's manifest, whether he boarded and where he alights (null: the
 * destination), by worker id; with why he stayed off once the boarding gate refused him (the home
 * side lists the refused, `refusedBoardings`).
 */
async function passengersOf(tx: Tx, tripId: string): Promise<TripFact['workers']> {
  const rows = await tx
    .select({
      id: tripPassengers.workerId,
      boarded: tripPassengers.boarded,
      alightAt: tripPassengers.alightAt,
      refusal: tripPassengers.refusal,
    })
    .from(tripPassengers)
    .where(eq(tripPassengers.tripId, tripId))
    .orderBy(asc(tripPassengers.workerId));
  return rows.map(({ alightAt, refusal, ...w }) => ({
    ...w,
    ...(alightAt != null ? { alightAt } : {}),
    ...(refusal ? { refusal } : {}),
  }));
}

/** The workers of a TRIP fact, grouped by their home province (the one their id encodes). */
function byHomeProvince(workers: TripFact['workers']): Map<string, TripFact['workers']> {
  const groups = new Map<string, TripFact['workers']>();
  for (const worker of workers) {
    const province = tryDecodeId(worker.id)?.province;
    if (!province) continue;
    groups.set(province, [...(groups.get(province) ?? []), worker]);
  }
  return groups;
}

/**
 * Tells each home province of workers on `trip` about `news`: for ASSIGNED and REMOVED the
 * workers in `changed` (not boarded), for ARRIVED and HANDED_OVER at a `stop` the workers
 * alighting there (`stops.ts`: arrival and hand-over are per stop), for the other events every
 * worker of that province on the manifest with whether he boarded; each with where he alights
 * when it is not the destination. PLANNED concerns nobody yet.
 */
export async function tellHomes(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  news: TripNews,
  changed: readonly string[],
  stop?: string,
  stops?: readonly string[],
): Promise<void> {
  if (news === 'PLANNED') return;
  const perStop = stop != null && (news === 'ARRIVED' || news === 'HANDED_OVER');
  const manifest = await passengersOf(tx, trip.id);
  const byId = new Map(manifest.map((w) => [w.id, w]));
  const workers =
    news === 'ASSIGNED' || news === 'REMOVED'
      ? changed.map((id) => {
          const alightAt = byId.get(id)?.alightAt;
          return alightAt == null ? { id, boarded: false } : { id, boarded: false, alightAt };
        })
      : perStop
        ? manifest.filter((w) => (w.alightAt ?? trip.destination) === stop)
        : manifest;
  const told = relayedTrip(trip, stops);
  for (const [province, group] of byHomeProvince(workers))
    tellProvince(ctx, events, province, {
      fact: 'TRIP',
      event: news,
      trip: told,
      workers: group,
      ...(perStop ? { stop } : {}),
    });
}
