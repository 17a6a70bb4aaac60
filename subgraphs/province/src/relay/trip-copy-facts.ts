/**
 * What a province does with a TRIP_COPY fact (`transport/tell-origin.ts`): keeps the copy of a
 * trip organised by another province whose origin, destination or a stop is here. A copy whose
 * origin is here serves `trips(origin:)` and `ReturnRequest.trip` (`transport/trip-copies.ts`);
 * every copy is counted by the triggers of migration 0015 under this province's keys only (never
 * the nation's, which the organiser counts once), the upsert appending new − old.
 */
import { provinceOf, tryDecodeId, type TripCopyFact } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { tripCopies } from '../db/schema/index.js';
import type { FactHandler, FactHandlerTable } from './fact-handler.js';

/** A relayed instant, or a refusal naming the field (a fact from a newer or broken source). */
function instant(value: string | null | undefined, field: string): Date {
  const at = new Date(String(value));
  if (Number.isNaN(at.getTime())) throw new Error(`TRIP_COPY: ${field} is not an instant`);
  return at;
}

/**
 * Upserts the copy, unless the stored one is newer: facts of one source arrive in order, but a
 * copy is replaced only by one as of the same time or later (`asOf`, the organiser's clock under
 * the trip's lock; the source's commit time for a fact without it). A copy of a trip that is not
 * the sender's own, or whose origin is not in this province, is refused (it would be served here).
 */
export const applyTripCopy: FactHandler<TripCopyFact> = async (ctx, tx, fact, origin) => {
  const trip = fact.trip;
  if (tryDecodeId(trip.id)?.kind !== 'Trip' || tryDecodeId(trip.id)?.province !== origin.source)
    throw new Error(`TRIP_COPY: trip ${trip.id} is not a trip of province ${origin.source}`);
  const places = [trip.origin, trip.destination, ...(trip.stops ?? [])];
  if (!places.some((place) => provinceOf(place) === ctx.province))
    throw new Error(
      `TRIP_COPY: trip ${trip.id} neither leaves from, stops in nor goes to province ${ctx.province}`,
    );
  const threshold = ctx.epidemic.feverThreshold;
  const asOf = trip.asOf ? instant(trip.asOf, 'asOf') : origin.at;
  const row = {
    id: trip.id,
    organizer: trip.organizer,
    mode: trip.mode,
    vehicleCode: trip.vehicleCode,
    origin: trip.origin,
    destination: trip.destination,
    departureAt: instant(trip.departureAt, 'departureAt'),
    expectedArrivalAt: instant(trip.expectedArrivalAt, 'expectedArrivalAt'),
    arrivedAt: trip.arrivedAt == null ? null : instant(trip.arrivedAt, 'arrivedAt'),
    capacity: trip.capacity,
    status: trip.status,
    headcount: trip.headcount,
    handedOverTo: trip.handedOverTo,
    cancelReason: trip.cancelReason,
    passengers: trip.passengers.map((p) => ({
      workerId: p.workerId,
      boarded: p.boarded,
      temperature: p.temperature,
      // stops (#14): where he alights (null: the destination), his carriage, his arrival check
      ...(p.alightAt != null ? { alightAt: p.alightAt } : {}),
      ...(p.carriage != null ? { carriage: p.carriage } : {}),
      ...(p.arrivalTemperature != null
        ? {
            arrivalTemperature: p.arrivalTemperature,
            // counted here (migration 0015); a source of the previous release sends no flag
            arrivalFever: p.arrivalFever ?? p.arrivalTemperature >= threshold,
          }
        : {}),
      refusal: p.refusal ?? null,
    })),
    stops: trip.stops ?? [],
    plannedAt: instant(trip.plannedAt, 'plannedAt'),
    updatedAt: asOf,
    keeper: ctx.province.slice(0, 2),
  };
  const { id: _, ...changes } = row;
  await tx
    .insert(tripCopies)
    .values(row)
    .onConflictDoUpdate({
      target: tripCopies.id,
      set: Object.fromEntries(
        Object.keys(changes).map((key) => [
          key,
          sql.raw(`excluded.${tripCopies[key as keyof typeof changes].name}`),
        ]),
      ),
      setWhere: sql`${tripCopies.updatedAt} <= excluded.updated_at`,
    });
};

/** Handlers of TRIP_COPY facts. */
export const TRIP_COPY_FACT_HANDLERS: FactHandlerTable = { TRIP_COPY: [applyTripCopy] };
