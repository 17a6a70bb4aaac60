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
 * Everyone on the trip's manifest and whether he boarded, by worker id; with why he stayed off
 * once the boarding gate refused him (the home side lists the refused, `refusedBoardings`).
 */
async function passengersOf(tx: Tx, tripId: string): Promise<TripFact['workers']> {
  const rows = await tx
    .select({ id: tripPassengers.workerId, boarded: tripPassengers.boarded, refusal: tripPassengers.refusal })
    .from(tripPassengers)
    .where(eq(tripPassengers.tripId, tripId))
    .orderBy(asc(tripPassengers.workerId));
  return rows.map(({ refusal, ...w }) => (refusal ? { ...w, refusal } : w));
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
 * workers in `changed` (not boarded), for the other events every worker of that province on the
 * manifest with whether he boarded. PLANNED concerns nobody yet.
 */
export async function tellHomes(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  news: TripNews,
  changed: readonly string[],
): Promise<void> {
  if (news === 'PLANNED') return;
  const workers =
    news === 'ASSIGNED' || news === 'REMOVED'
      ? changed.map((id) => ({ id, boarded: false }))
      : await passengersOf(tx, trip.id);
  const told = relayedTrip(trip);
  for (const [province, group] of byHomeProvince(workers))
    tellProvince(ctx, events, province, { fact: 'TRIP', event: news, trip: told, workers: group });
}
