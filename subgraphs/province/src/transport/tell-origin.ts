/**
 * Keeps the origin's province's copy of a trip organised elsewhere (TRIP_COPY facts, #13.2): a
 * receiving county may organise a pick-up from another province (report 004), and the origin's
 * officers still find the trip in `trips(origin:)` and `ReturnRequest.trip` there, from the copy
 * (`transport/trip-copies.ts`; applied by `relay/trip-copy-facts.ts`).
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

/** The trip as it is now, manifest included, as the relay carries it to the origin's province. */
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
        ...(p.arrivalTemperature != null ? { arrivalTemperature: p.arrivalTemperature } : {}),
        refusal: p.refusal,
      })),
    },
  };
}

/**
 * Sends the origin's province the trip as it is now (every news: planned, manifest changes,
 * departure, ETA, arrival, hand-over, cancellation), when the origin lies in another province
 * than this one, the organiser's. Nothing for a trip whose origin is in this province.
 */
export async function tellOrigin(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  trip: TripRow,
  _news: TripNews,
  stops?: readonly string[],
): Promise<void> {
  const target = provinceOf(trip.origin);
  if (target === ctx.province) return;
  tellProvince(ctx, events, target, await tripCopyOf(tx, trip, stops));
}
