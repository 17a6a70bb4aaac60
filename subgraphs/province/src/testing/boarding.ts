/**
 * Test set-up for the boarding gate (#14): gives every passenger of a trip a health record that
 * passes the gate on its departure day, written directly (an officer's GREEN code checked the day
 * before, valid past the departure, a negative test an hour before it): this province's workers in `workers`, the
 * others as the copy their home province would have relayed (`health_copies`). Tests that are not
 * about the gate depart trips after it.
 */
import { eq, sql } from 'drizzle-orm';
import { healthCopies, tripPassengers, trips, workers } from '../db/schema/index.js';
import type { ProvinceService } from '../index.js';
import { isOwnId } from '../validation/ownership.js';

const DAY_MS = 86_400_000;

/** Gives the passengers of `tripId` (or only `workerIds`) a record that passes its gate. */
export async function clearForBoarding(
  service: ProvinceService,
  tripId: string,
  workerIds?: readonly string[],
): Promise<void> {
  const { db } = service.db;
  const [trip] = await db.select().from(trips).where(eq(trips.id, tripId));
  if (!trip) throw new Error(`clearForBoarding: no trip ${tripId}`);
  const ids =
    workerIds ??
    (
      await db
        .select({ id: tripPassengers.workerId })
        .from(tripPassengers)
        .where(eq(tripPassengers.tripId, tripId))
    ).map((p) => p.id);
  const checkedAt = new Date(Math.min(trip.departureAt.getTime(), Date.now()) - DAY_MS);
  const record = {
    code: 'GREEN' as const,
    checkedAt,
    validUntil: new Date(trip.departureAt.getTime() + DAY_MS),
    nucleicAcid: 'NEGATIVE' as const,
    testedAt: new Date(trip.departureAt.getTime() - 3_600_000),
    source: 'OFFICER' as const,
  };
  const own = ids.filter((id) => isOwnId(id, 'Worker', service.province));
  const others = ids.filter((id) => !isOwnId(id, 'Worker', service.province));
  if (own.length > 0)
    await db
      .update(workers)
      .set({
        healthCode: record.code,
        healthIssuedBy: `${service.province.slice(0, 2)}0000`,
        healthCheckedAt: record.checkedAt,
        healthValidUntil: record.validUntil,
        healthNucleicAcid: record.nucleicAcid,
        healthTestedAt: record.testedAt,
        healthSource: record.source,
      })
      .where(sql`${workers.id} = ANY(${sql.param(own)}::text[])`);
  for (const workerId of others)
    await db
      .insert(healthCopies)
      .values({ workerId, issuedBy: `${workerId.slice(1, 3)}0000`, asOf: new Date(), ...record })
      .onConflictDoUpdate({ target: healthCopies.workerId, set: { ...record, asOf: new Date() } });
}
