/**
 * Keeps the copies of a trip in the other provinces it touches (TRIP_COPY facts): a receiving
 * county may organise a pick-up from another province (report 004, #13.2), and the origin's
 * officers still find the trip in `trips(origin:)` and `ReturnRequest.trip` there, from the copy
 * (`transport/trip-copies.ts`); and since #17.2 every province holding its origin, destination or
 * a stop counts the copy in its own figures, so its Summary needs no other province
 * (applied by `relay/trip-copy-facts.ts`, counted by the triggers of migration 0015).
 */
import { provinceOf, type TripCopyFact, type TripNews } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { TripRow } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import type { OutboxBatch } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';
import { findPassengers } from './records.js';
import { relayedTrip } from './relayed-trip.js';
import { stopRegionsOf } from './stop-records.js';

/** The trip as it is now, manifest included, as the relay carries it to the provinces it touches. */
export async function tripCopyOf(tx: Tx, trip: TripRow, stops?: readonly string[]): Promise<TripCopyFact> {
  const [passengers = []] = await findPassengers(tx, [trip.id]);
  const clock = await tx.execute(
    sql`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now_ms`,
  );
  const asOf = new Date(Number(rowsOf<{ now_ms: number | string }>(clock)[0]!.now_ms));
  return {
    fact: 'TRIP_COPY',
    trip: {
      ...relayedTrip(trip, stops ?? (await stopRegionsOf(tx, trip))),
      capacity: trip.capacity,
      headcount: trip.headcount,
      handedOverTo: trip.handedOverTo,
      cancelReason: trip.cancelReason,
      plannedAt: trip.plannedAt.toISOString(),
      asOf: asOf.toISOString(),
      passengers: passengers.map((p) => ({
        workerId: p.workerId,
        boarded: p.boarded,
        temperature: p.temperature,
        ...(p.alightAt != null ? { alightAt: p.alightAt } : {}),
        ...(p.carriage != null ? { carriage: p.carriage } : {}),
        ...(p.arrivalTemperature != null
          ? { arrivalTemperature: p.arrivalTemperature, arrivalFever: p.arrivalFever }
          : {}),
        refusal: p.refusal,
      })),
    },
  };
}

/**
 * The provinces other than the organiser's that keep a copy of the trip: those of its origin, its
 * destination and its stops (a passenger alights only at a stop, the destination included), in
 * code order.
 */
export function copyKeepers(
  organiser: string,
  trip: Pick<TripRow, 'origin' | 'destination'>,
  stops: readonly string[],
): string[] {
  const provinces = new Set([trip.origin, trip.destination, ...stops].map(provinceOf));
  provinces.delete(organiser);
  return [...provinces].sort();
}

/**
 * Sends every other province the trip touches (origin, destination, stops: {@link copyKeepers})
 * the trip as it is now (every news: planned, manifest changes, departure, ETA, arrival,
 * hand-over, cancellation). Nothing for a trip inside the organiser's province.
 */
export async function tellOrigin(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  _news: TripNews,
  stops?: readonly string[],
): Promise<void> {
  const stopRegions = stops ?? (await stopRegionsOf(tx, trip));
  const keepers = copyKeepers(ctx.province, trip, stopRegions);
  if (keepers.length === 0) return;
  const copy = await tripCopyOf(tx, trip, stopRegions);
  for (const target of keepers) tellProvince(ctx, events, target, copy);
}
