/**
 * The home side of health records that travel (DESIGN.md, "Cross-province facts come through the
 * relay"): the organiser of a trip in another province judges its boarding gate on a copy of the
 * worker's record that his home province sent it (HEALTH_COPY, applied by
 * `transport/health-copies.ts`), never on a call made at boarding time. The home sends the record
 * as it is (or null when he has none):
 * - when it learns that he was put on a trip organised by another province (a TRIP fact ASSIGNED,
 *   {@link sendHealthOnAssignment});
 * - when his record changes while his current trip is organised by another province
 *   (`recordHealthCheck(s)`, {@link tellChangedHealth}).
 * A trip organised by his own province reads his record itself: no copy.
 */
import { tryDecodeId, type RelayedHealthRecord, type TripFact } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { HealthCode, HealthSource, NucleicAcidResult } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import type { OutboxBatch } from '../outbox.js';
import type { FactHandlerTable, FactRunHandler } from '../relay/fact-handler.js';
import { tellProvince } from '../relay/tell.js';
import { isOwnId } from '../validation/ownership.js';

/**
 * SQL: the columns of a worker's health record (table alias `w`), instants as epoch milliseconds,
 * and `as_of_ms`, the database clock when the record was read (under the row's lock: a copy is
 * replaced only by a later one).
 */
export const HEALTH_RECORD_COLUMNS =
  sql.raw(`w."id", w."current_trip_id", w."health_code", w."health_issued_by",
  (extract(epoch from w."health_checked_at") * 1000)::float8 as "checked_ms",
  (extract(epoch from w."health_valid_until") * 1000)::float8 as "valid_until_ms",
  w."health_nucleic_acid", (extract(epoch from w."health_tested_at") * 1000)::float8 as "tested_ms",
  w."health_source", (extract(epoch from clock_timestamp()) * 1000)::float8 as "as_of_ms"`);

/** A row read with {@link HEALTH_RECORD_COLUMNS}. */
export interface HealthRecordRow {
  id: string;
  current_trip_id: string | null;
  health_code: HealthCode | null;
  health_issued_by: string | null;
  checked_ms: number | string | null;
  valid_until_ms: number | string | null;
  health_nucleic_acid: NucleicAcidResult | null;
  tested_ms: number | string | null;
  health_source: HealthSource | null;
  as_of_ms: number | string;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** The record as the relay carries it; null when he has none. */
export function relayedHealthRecord(row: HealthRecordRow): RelayedHealthRecord | null {
  if (!row.health_code || row.checked_ms == null || row.valid_until_ms == null) return null;
  return {
    code: row.health_code,
    issuedBy: row.health_issued_by ?? `${row.id.slice(1, 3)}0000`,
    checkedAt: iso(row.checked_ms),
    validUntil: iso(row.valid_until_ms),
    nucleicAcid: row.health_nucleic_acid,
    testedAt: row.tested_ms == null ? null : iso(row.tested_ms),
    source: row.health_source ?? 'OFFICER',
  };
}

/** Tells province `organiser` the worker's record (a HEALTH_COPY fact). */
function tellCopy(ctx: ProvinceContext, events: OutboxBatch, organiser: string, row: HealthRecordRow): void {
  tellProvince(ctx, events, organiser, {
    fact: 'HEALTH_COPY',
    workerId: row.id,
    record: relayedHealthRecord(row),
    asOf: iso(row.as_of_ms),
  });
}

/** The province organising a trip (its id encodes it), when it is another than this one. */
function otherOrganiser(ctx: ProvinceContext, tripId: string | null): string | undefined {
  const province = tripId ? tryDecodeId(tripId)?.province : undefined;
  return province && province !== ctx.province ? province : undefined;
}

/**
 * After `recordHealthCheck(s)` changed these records: the new record goes to every other province
 * organising a trip he is on and that has not left (his current trip, and every PLANNED trip whose
 * manifest still names him, `worker_trips`: a worker put on two buses must not leave a stale GREEN
 * copy at the first one's gate), once per province; one read for all.
 */
export async function tellChangedHealth(
  ctx: ProvinceContext,
  tx: Tx,
  events: OutboxBatch,
  changed: readonly HealthRecordRow[],
): Promise<void> {
  if (changed.length === 0) return;
  const planned = rowsOf<{ worker_id: string; trip_id: string }>(
    await tx.execute(sql`select "worker_id", "trip_id" from "worker_trips"
      where "worker_id" = ANY(${sql.param(changed.map((r) => r.id))}::text[])
        and "on_manifest" and "trip_status" = 'PLANNED'`),
  );
  for (const row of changed) {
    const organisers = new Set(
      [row.current_trip_id, ...planned.filter((p) => p.worker_id === row.id).map((p) => p.trip_id)]
        .map((tripId) => otherOrganiser(ctx, tripId))
        .filter((province): province is string => !!province),
    );
    for (const organiser of [...organisers].sort()) tellCopy(ctx, events, organiser, row);
  }
}

/**
 * TRIP facts ASSIGNED from another province about this province's workers: each worker known here
 * has his record sent to the trip's organiser, once per organiser and run (one read for the run).
 * It reads only health columns, which TRIP facts never change, so it commutes with the other
 * handlers of the run.
 */
export const sendHealthOnAssignment: FactRunHandler<TripFact> = {
  async run(ctx, tx, facts, events) {
    const wanted = new Map<string, Set<string>>();
    for (const { fact, origin } of facts) {
      if (fact.event !== 'ASSIGNED' || origin.source === ctx.province) continue;
      if (tryDecodeId(fact.trip.id)?.province !== origin.source) continue;
      for (const w of fact.workers)
        if (isOwnId(w.id, 'Worker', ctx.province))
          wanted.set(w.id, (wanted.get(w.id) ?? new Set()).add(origin.source));
    }
    if (wanted.size === 0) return;
    const rows = rowsOf<HealthRecordRow>(
      await tx.execute(sql`select ${HEALTH_RECORD_COLUMNS} from "workers" as w
        where w."id" = ANY(${sql.param([...wanted.keys()].sort())}::text[]) order by w."id"`),
    );
    for (const row of rows)
      for (const organiser of wanted.get(row.id) ?? []) tellCopy(ctx, events, organiser, row);
  },
};

/** Handlers of TRIP facts that send health copies to the organiser. */
export const HEALTH_COPY_SENDERS: FactHandlerTable = { TRIP: [sendHealthOnAssignment] };
