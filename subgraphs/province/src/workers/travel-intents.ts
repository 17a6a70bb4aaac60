/**
 * Travel intents of workers (what a worker declares: when, where to, how): `reportTravelIntent`
 * (one) and `reportTravelIntents` (up to 1,000, one result per item), through the same checks and
 * ONE batched UPDATE.
 */
import { sql } from 'drizzle-orm';
import { assertBatchSize, type ItemResult } from '../batch-items.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { TransportMode } from '../db/schema/index.js';
import { notBefore } from '../validation/measures.js';
import {
  inWorkerOrder,
  itemResults,
  judgeWorkerItems,
  singleResult,
  type AcceptedItem,
  type WorkerItem,
} from './worker-items.js';

/** `TravelIntentInput` of the contract. */
export interface TravelIntentInput {
  earliestDate: string;
  latestDate: string;
  destination: string;
  mode?: TransportMode | null;
}

/** A travel intent as validated. */
interface TravelIntent {
  earliestDate: string;
  latestDate: string;
  destination: string;
  mode: TransportMode | null;
}

/** Validates one intent: its latest date is not before its earliest. */
function validIntent(input: TravelIntentInput): TravelIntent {
  notBefore(input.latestDate, input.earliestDate, 'input.latestDate', 'input.earliestDate');
  return {
    earliestDate: input.earliestDate,
    latestDate: input.latestDate,
    destination: input.destination,
    mode: input.mode ?? null,
  };
}

/**
 * Records travel intents, each judged as `reportTravelIntent` alone (see `judgeWorkerItems`); the
 * accepted ones are written with ONE UPDATE. A new intent replaces the worker's previous one;
 * several for one worker in one call: the last one given stays.
 * @throws BAD_USER_INPUT for more than 1,000 items (the whole call).
 */
export async function reportTravelIntents(
  ctx: ProvinceContext,
  tx: Tx,
  items: readonly WorkerItem<TravelIntentInput>[],
): Promise<ItemResult[]> {
  assertBatchSize(items.length, 'items');
  const judged = await judgeWorkerItems(ctx, tx, 'reportTravelIntent', items, validIntent);
  const last = new Map<string, AcceptedItem<TravelIntent>>();
  for (const item of judged.accepted) last.set(item.workerId, item);
  if (last.size > 0) await tx.execute(updateIntents(inWorkerOrder(last)));
  return itemResults(judged);
}

/** One travel intent (`reportTravelIntent`): {@link reportTravelIntents} of one item, its error thrown. */
export async function reportTravelIntent(
  ctx: ProvinceContext,
  tx: Tx,
  workerId: string,
  input: TravelIntentInput,
): Promise<string[]> {
  return singleResult(await reportTravelIntents(ctx, tx, [{ workerId, input }]));
}

/** `UPDATE workers … FROM unnest(…)`: one array parameter per column, whatever the number of intents. */
function updateIntents(intents: readonly AcceptedItem<TravelIntent>[]) {
  const array = (values: readonly (string | null)[], type: 'text' | 'date') =>
    sql`${sql.param(values)}::${sql.raw(type)}[]`;
  return sql`update "workers" as w set
      "intent_earliest_date" = u.earliest, "intent_latest_date" = u.latest,
      "intent_destination" = u.destination, "intent_mode" = u.mode,
      "intent_declared_at" = now(), "updated_at" = now()
    from unnest(${array(
      intents.map((i) => i.workerId),
      'text',
    )}, ${array(
      intents.map((i) => i.value.earliestDate),
      'date',
    )}, ${array(
      intents.map((i) => i.value.latestDate),
      'date',
    )}, ${array(
      intents.map((i) => i.value.destination),
      'text',
    )}, ${array(
      intents.map((i) => i.value.mode),
      'text',
    )})
      as u(id, earliest, latest, destination, mode)
    where w."id" = u.id`;
}
