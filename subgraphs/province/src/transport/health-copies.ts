/**
 * The organiser's side of health records that travel: the copies of other provinces' workers'
 * records their home province sent it (HEALTH_COPY, `workers/health-copy-sender.ts`), kept in
 * `health_copies` for the boarding gate (`boarding-gate.ts`), never shown through GraphQL. This
 * province's own workers need no copy: the gate reads their record in `workers`.
 */
import type { HealthCopyFact } from '@p2p/schema';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { healthCopies, tripPassengers, trips, workers } from '../db/schema/index.js';
import type { FactHandler, FactHandlerTable } from '../relay/fact-handler.js';
import { isOwnId } from '../validation/ownership.js';
import type { GateRecord } from './boarding-gate.js';

/** A relayed instant; a fact from a broken source is refused (the relay stops and alarms). */
function instant(value: string | null | undefined, field: string): Date {
  const at = new Date(String(value));
  if (Number.isNaN(at.getTime())) throw new Error(`HEALTH_COPY: ${field} is not an instant`);
  return at;
}

/**
 * Keeps the copy of a worker's record (the central check, `apply-fact.ts`, already made sure its
 * source is his home province): replaced only by a copy as of the same time or later; `record`
 * null (he has none) deletes it. A copy of a worker on no PLANNED trip of this province is left
 * (logged): only a boarding gate to come needs it.
 */
export const applyHealthCopy: FactHandler<HealthCopyFact> = async (ctx, tx, fact, origin) => {
  const asOf = instant(fact.asOf, 'asOf');
  const [onTrip] = await tx
    .select({ tripId: tripPassengers.tripId })
    .from(tripPassengers)
    .innerJoin(trips, eq(trips.id, tripPassengers.tripId))
    .where(and(eq(tripPassengers.workerId, fact.workerId), eq(trips.status, 'PLANNED')))
    .limit(1);
  if (!onTrip) {
    ctx.log.info(
      { source: origin.source, seq: origin.seq },
      'HEALTH_COPY about a worker on no planned trip of this province: left',
    );
    return;
  }
  const record = fact.record;
  if (!record) {
    await tx
      .delete(healthCopies)
      .where(and(eq(healthCopies.workerId, fact.workerId), lte(healthCopies.asOf, asOf)));
    return;
  }
  const row = {
    workerId: fact.workerId,
    code: record.code,
    issuedBy: record.issuedBy,
    checkedAt: instant(record.checkedAt, 'record.checkedAt'),
    validUntil: instant(record.validUntil, 'record.validUntil'),
    nucleicAcid: record.nucleicAcid,
    testedAt: record.testedAt == null ? null : instant(record.testedAt, 'record.testedAt'),
    source: record.source,
    asOf,
  };
  const { workerId: _, ...changes } = row;
  await tx
    .insert(healthCopies)
    .values(row)
    .onConflictDoUpdate({
      target: healthCopies.workerId,
      set: { ...changes, updatedAt: sql`now()` },
      setWhere: sql`${healthCopies.asOf} <= ${asOf.toISOString()}::timestamptz`,
    });
};

/** Handlers of HEALTH_COPY facts. */
export const HEALTH_COPY_FACT_HANDLERS: FactHandlerTable = { HEALTH_COPY: [applyHealthCopy] };

/**
 * The records the boarding gate judges, by worker id (one statement per table): this province's
 * own workers from `workers`, the others from their relayed copies. A worker without one is absent.
 */
export async function gateRecords(
  db: Executor,
  province: string,
  workerIds: readonly string[],
): Promise<Map<string, GateRecord>> {
  const own = workerIds.filter((id) => isOwnId(id, 'Worker', province));
  const others = workerIds.filter((id) => !isOwnId(id, 'Worker', province));
  const records = new Map<string, GateRecord>();
  if (own.length > 0) {
    const rows = await db
      .select({
        id: workers.id,
        code: workers.healthCode,
        checkedAt: workers.healthCheckedAt,
        validUntil: workers.healthValidUntil,
        nucleicAcid: workers.healthNucleicAcid,
        testedAt: workers.healthTestedAt,
        source: workers.healthSource,
      })
      .from(workers)
      .where(sql`${workers.id} = ANY(${sql.param(own)}::text[])`);
    for (const r of rows)
      if (r.code && r.checkedAt && r.validUntil)
        records.set(r.id, {
          code: r.code,
          checkedAt: r.checkedAt,
          validUntil: r.validUntil,
          nucleicAcid: r.nucleicAcid,
          testedAt: r.testedAt,
          source: r.source ?? 'OFFICER',
        });
  }
  if (others.length > 0) {
    const rows = await db
      .select()
      .from(healthCopies)
      .where(sql`${healthCopies.workerId} = ANY(${sql.param(others)}::text[])`);
    for (const r of rows)
      records.set(r.workerId, {
        code: r.code,
        checkedAt: r.checkedAt,
        validUntil: r.validUntil,
        nucleicAcid: r.nucleicAcid,
        testedAt: r.testedAt,
        source: r.source,
      });
  }
  return records;
}
