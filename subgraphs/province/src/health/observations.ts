/**
 * Medical observation at the receiving place (#14.4, report 000: 14 days of isolation and medical
 * observation on arrival), the `health` logical subgraph's record. The province where it happens
 * owns it (its id encodes that province), whatever the worker's home; the home follows through
 * the relay: every start and end is told to his home province as an OBSERVATION fact
 * (`workers/observation-facts.ts`), which answers a start with his home region
 * (OBSERVATION_HOME, `health/observation-facts.ts`) so its officers may read the record here.
 * - `startObservation`: the region must be in this province, a worker of this province must exist
 *   (one of another province is taken as given), at most one active observation per worker in the
 *   province (`observations_active_worker_idx`);
 * - `endObservation`: RELEASED once `startedAt + days` has passed, TRANSFERRED_TO_HOSPITAL at any
 *   time; an observation ends once.
 */
import {
  badInput,
  decodeId,
  encodeId,
  findRegion,
  hubError,
  notFound,
  regionPrefix,
  type RelayedObservation,
} from '@p2p/schema';
import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { callerIfBound, officerCovers } from '../access/request-access.js';
import type { ProvinceContext } from '../context.js';
import type { Executor, Tx } from '../db/database.js';
import {
  observations,
  workers,
  type ObservationKind,
  type ObservationOutcome,
  type ObservationRow,
} from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';
import { findRecords, ownRecordLoader } from '../own-records.js';
import { insideRegion, orderByInstant, tablePage, type Connection, type PageArgs } from '../pagination.js';
import { tellProvince } from '../relay/tell.js';
import { intInRange, pastInstant } from '../validation/measures.js';
import { ownId, ownRegion } from '../validation/ownership.js';
import { requiredText } from '../validation/text.js';

/** `StartObservationInput` of the contract. */
export interface StartObservationInput {
  workerId: string;
  region: string;
  kind: ObservationKind;
  site: string;
  startedAt?: Date | null;
  days?: number | null;
}

/** Days of observation when none are given (report 000: 14 days). */
export const DEFAULT_OBSERVATION_DAYS = 14;
/** The fewest and most days an observation may last. */
export const OBSERVATION_DAYS = { min: 1, max: 60 } as const;
/** Longest `site` (a hotel, a centre, an address), characters. */
export const SITE_MAX_LENGTH = 200;

const DAY_MS = 86_400_000;

/** When an observation's days have run: `startedAt + days`; release is possible from then. */
export function endsAt(row: Pick<ObservationRow, 'startedAt' | 'days'>): Date {
  return new Date(row.startedAt.getTime() + row.days * DAY_MS);
}

/** Reads observations by id in ONE statement, in `ids` order, undefined when unknown. */
export const findObservations = (
  db: Executor,
  ids: readonly string[],
): Promise<(ObservationRow | undefined)[]> => findRecords(db, observations, ids);

/** The request's Observation loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const observationLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Observation', observations);

/** Filters of `observations(region, active)`. */
export interface ObservationFilter extends PageArgs {
  region: string;
  active?: boolean | null;
}

/**
 * A keyset page of the observations at `region` or inside it, by (startedAt, id); `active` true:
 * only those not ended, false: only ended ones.
 */
export function observationPage(db: Executor, args: ObservationFilter): Promise<Connection<ObservationRow>> {
  const filters: SQL[] = [insideRegion(observations.region, regionPrefix(args.region))];
  if (args.active === true) filters.push(isNull(observations.endedAt));
  if (args.active === false) filters.push(isNotNull(observations.endedAt));
  return tablePage<ObservationRow>(
    db,
    observations,
    filters,
    args,
    orderByInstant(observations.startedAt, observations.id, (r) => r.startedAt),
  );
}

/** An observation as the relay tells it (no site: ids, places, times and statuses only). */
export function relayedObservation(row: ObservationRow): RelayedObservation {
  return {
    id: row.id,
    workerId: row.workerId,
    region: row.region,
    kind: row.kind,
    reason: row.reason,
    tripId: row.tripId,
    startedAt: row.startedAt.toISOString(),
    days: row.days,
    endedAt: row.endedAt?.toISOString() ?? null,
    outcome: row.outcome,
  };
}

/** Tells the worker's home province (this one included, in the same transaction) that it started or ended. */
export function tellHome(
  ctx: ProvinceContext,
  events: OutboxBatch,
  row: ObservationRow,
  event: 'STARTED' | 'ENDED',
): void {
  tellProvince(ctx, events, decodeId(row.workerId, 'Worker').province, {
    fact: 'OBSERVATION',
    event,
    observation: relayedObservation(row),
  });
}

/** The worker's active observation in this province, if any. */
async function activeObservationOf(tx: Tx, workerId: string): Promise<ObservationRow | undefined> {
  const [row] = await tx
    .select()
    .from(observations)
    .where(and(eq(observations.workerId, workerId), isNull(observations.endedAt)));
  return row;
}

/**
 * Puts a worker (of any province) under observation in a region of this province, reason
 * ORDERED, and tells his home.
 * @throws WRONG_PROVINCE for a region of another province; BAD_USER_INPUT for a malformed worker
 *   id, an empty or long site, a start in the future, days outside 1..60; NOT_FOUND for an unknown
 *   worker of this province; CONFLICT when he is already under observation in this province.
 */
export async function startObservation(
  ctx: ProvinceContext,
  tx: Tx,
  input: StartObservationInput,
  events: OutboxBatch,
): Promise<string[]> {
  const region = ownRegion(input.region, ctx.province, 'input.region', 'observation region');
  const workerId = input.workerId;
  const home = decodeId(workerId, 'Worker', 'input.workerId').province;
  // His home is told through the relay: an id naming no province would be a fact for nobody.
  if (findRegion(home)?.level !== 'PROVINCE')
    throw badInput(`input.workerId: ${workerId} names no province (${home})`, 'input.workerId');
  const site = requiredText(input.site, 'input.site', SITE_MAX_LENGTH);
  const startedAt = input.startedAt == null ? new Date() : pastInstant(input.startedAt, 'input.startedAt');
  const days = intInRange(
    input.days ?? DEFAULT_OBSERVATION_DAYS,
    'input.days',
    OBSERVATION_DAYS.min,
    OBSERVATION_DAYS.max,
  );
  if (home === ctx.province) {
    const [found] = await tx.select({ id: workers.id }).from(workers).where(eq(workers.id, workerId));
    if (!found) throw notFound('worker', workerId);
  }
  const [row] = await tx
    .insert(observations)
    .values({
      id: encodeId('Observation', ctx.province),
      workerId,
      region,
      kind: input.kind,
      site,
      reason: 'ORDERED',
      startedAt,
      days,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    // Named by id only, and only to an officer of its place: its place and times are for those
    // who may read it (another city learns no more than that one is running in the province).
    const running = await activeObservationOf(tx, workerId);
    const caller = callerIfBound(ctx);
    const active = running && (!caller || officerCovers(caller, running.region)) ? running : undefined;
    throw hubError(
      'CONFLICT',
      `worker ${workerId} is already under observation${active ? ` ${active.id}` : ''} in province ${ctx.province}; end it before starting another`,
      { field: 'input.workerId', ...(active ? { observationId: active.id } : {}) },
    );
  }
  tellHome(ctx, events, row, 'STARTED');
  return [row.id];
}

/**
 * Ends an observation of this province: RELEASED only once its days have run (`endsAt`),
 * TRANSFERRED_TO_HOSPITAL at any time; tells the worker's home.
 * @throws BAD_USER_INPUT for a malformed id; WRONG_PROVINCE for another province's; NOT_FOUND;
 *   CONFLICT when it has ended already, or for a release before `endsAt` (the message names the date).
 */
export async function endObservation(
  ctx: ProvinceContext,
  tx: Tx,
  observationId: string,
  outcome: ObservationOutcome,
  events: OutboxBatch,
  now = new Date(),
): Promise<string[]> {
  ownId(observationId, 'Observation', ctx.province, 'observationId');
  const [row] = await tx.select().from(observations).where(eq(observations.id, observationId)).for('update');
  if (!row) throw notFound('observation', observationId);
  if (row.endedAt)
    throw hubError(
      'CONFLICT',
      `observation ${row.id} ended already (${row.outcome} at ${row.endedAt.toISOString()})`,
      { field: 'observationId', outcome: row.outcome },
    );
  const until = endsAt(row);
  if (outcome === 'RELEASED' && now.getTime() < until.getTime())
    throw hubError(
      'CONFLICT',
      `observation ${row.id} runs ${row.days} days from ${row.startedAt.toISOString()}: release is possible from ${until.toISOString()} (TRANSFERRED_TO_HOSPITAL at any time)`,
      { field: 'outcome', endsAt: until.toISOString() },
    );
  const [ended] = await tx
    .update(observations)
    .set({ endedAt: now, outcome, updatedAt: sql`now()` })
    .where(eq(observations.id, row.id))
    .returning();
  tellHome(ctx, events, ended!, 'ENDED');
  return [ended!.id];
}
