/**
 * Health checks of workers: `recordHealthCheck` (one) and `recordHealthChecks` (up to 1,000, one
 * result per item), through the same checks and ONE batched UPDATE.
 */
import type { Caller } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { callerIfBound } from '../access/request-access.js';
import { assertBatchSize, type ItemResult } from '../batch-items.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { HealthCode, HealthSource, NucleicAcidResult } from '../db/schema/index.js';
import { pastInstant } from '../validation/measures.js';
import {
  inWorkerOrder,
  itemResults,
  judgeWorkerItems,
  singleResult,
  type AcceptedItem,
  type WorkerItem,
} from './worker-items.js';

/** `HealthCheckInput` of the contract. */
export interface HealthCheckInput {
  code: HealthCode;
  testedAt: Date;
  nucleicAcid?: NucleicAcidResult | null;
}

/** A health check as validated. */
interface HealthCheck {
  code: HealthCode;
  testedAt: Date;
  nucleicAcid: NucleicAcidResult | null;
}

/**
 * Where a check recorded by `caller` comes from: the worker's own report is `SELF` (self-declared:
 * it never opens the boarding gate, DESIGN.md "Health"); an officer's, or an unrestricted
 * request's (development, the province's own tests and scripts), is `OFFICER`. `PLATFORM` is kept
 * for a health-code platform's feed.
 */
export function healthSourceOf(caller: Caller | undefined): HealthSource {
  return caller?.role === 'worker' ? 'SELF' : 'OFFICER';
}

/** Validates one check: the test has already happened. */
function validCheck(input: HealthCheckInput): HealthCheck {
  return {
    code: input.code,
    testedAt: pastInstant(input.testedAt, 'input.testedAt'),
    nucleicAcid: input.nucleicAcid ?? null,
  };
}

/**
 * Records health checks, each judged as `recordHealthCheck` alone (see `judgeWorkerItems`); the
 * accepted ones are written with ONE UPDATE. Which record a worker keeps:
 * - a record of an officer or a platform always replaces a SELF-declared one, and is never
 *   replaced by one;
 * - otherwise the most recent test wins; an older one is accepted but changes nothing;
 * - several checks of one worker in one call: as if given one after the other.
 * @throws BAD_USER_INPUT for more than 1,000 items (the whole call).
 */
export async function recordHealthChecks(
  ctx: ProvinceContext,
  tx: Tx,
  items: readonly WorkerItem<HealthCheckInput>[],
): Promise<ItemResult[]> {
  assertBatchSize(items.length, 'items');
  const judged = await judgeWorkerItems(ctx, tx, 'recordHealthCheck', items, validCheck);
  const latest = new Map<string, AcceptedItem<HealthCheck>>();
  for (const item of judged.accepted) {
    const before = latest.get(item.workerId);
    if (!before || before.value.testedAt.getTime() <= item.value.testedAt.getTime())
      latest.set(item.workerId, item);
  }
  if (latest.size > 0)
    await tx.execute(updateHealth(inWorkerOrder(latest), healthSourceOf(callerIfBound(ctx))));
  return itemResults(judged);
}

/** One health check (`recordHealthCheck`): {@link recordHealthChecks} of one item, its error thrown. */
export async function recordHealthCheck(
  ctx: ProvinceContext,
  tx: Tx,
  workerId: string,
  input: HealthCheckInput,
): Promise<string[]> {
  return singleResult(await recordHealthChecks(ctx, tx, [{ workerId, input }]));
}

/**
 * `UPDATE workers … FROM unnest(…)`: one array parameter per column, whatever the number of
 * checks. A stored record is replaced when (source class, test time) of the new one is at least
 * its own, the class of an officer or a platform (1) ranking above SELF (0).
 */
function updateHealth(checks: readonly AcceptedItem<HealthCheck>[], source: HealthSource) {
  const texts = (values: readonly (string | null)[]) => sql`${sql.param(values)}::text[]`;
  return sql`update "workers" as w set
      "health_code" = u.code, "health_tested_at" = u.tested_at, "health_nucleic_acid" = u.nucleic_acid,
      "health_source" = ${source}::text, "updated_at" = now()
    from unnest(${texts(checks.map((c) => c.workerId))}, ${texts(checks.map((c) => c.value.code))},
      ${sql.param(checks.map((c) => c.value.testedAt.toISOString()))}::timestamptz[], ${texts(checks.map((c) => c.value.nucleicAcid))})
      as u(id, code, tested_at, nucleic_acid)
    where w."id" = u.id and (
      w."health_tested_at" is null
      or (${sourceRank(sql`${source}::text`)}, u.tested_at) >= (${sourceRank(sql`coalesce(w."health_source", 'OFFICER')`)}, w."health_tested_at")
    )`;
}

/** SQL: 0 for a SELF-declared record, 1 for an officer's or a platform's. */
const sourceRank = (source: ReturnType<typeof sql>) => sql`(case when ${source} = 'SELF' then 0 else 1 end)`;
