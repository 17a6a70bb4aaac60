/**
 * Health checks of workers: `recordHealthCheck` (one) and `recordHealthChecks` (up to 1,000, one
 * result per item), through the same checks and ONE batched UPDATE. A record that changes while
 * the worker is on a trip organised by another province travels there (`health-copy-sender.ts`).
 */
import { badInput, findRegion, type Caller } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { callerIfBound } from '../access/request-access.js';
import { assertBatchSize, type ItemResult } from '../batch-items.js';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import type { HealthCode, HealthSource, NucleicAcidResult } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import type { OutboxBatch } from '../outbox.js';
import { pastInstant } from '../validation/measures.js';
import { optionalText, TEXT_LIMITS } from '../validation/text.js';
import { HEALTH_RECORD_COLUMNS, tellChangedHealth, type HealthRecordRow } from './health-copy-sender.js';
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
  /** The province whose health-code platform issued the code (six digits, xx0000). */
  issuedBy: string;
  checkedAt: Date;
  validUntil: Date;
  /** @default NOT_TESTED */
  nucleicAcid?: NucleicAcidResult | null;
  /** When the nucleic-acid sample was taken: required with a result, refused with NOT_TESTED. */
  testedAt?: Date | null;
  institution?: string | null;
}

/** A health check as validated. */
export interface HealthCheck {
  code: HealthCode;
  issuedBy: string;
  checkedAt: Date;
  validUntil: Date;
  nucleicAcid: NucleicAcidResult;
  testedAt: Date | null;
  institution: string | null;
}

/** Longest validity of a health code after its check: 30 days. */
export const MAX_CODE_VALIDITY_MS = 30 * 86_400_000;

/**
 * Where a check recorded by `caller` comes from: the worker's own report is `SELF` (self-declared:
 * it never opens the boarding gate, DESIGN.md "Health"); an officer's, or an unrestricted
 * request's (development, the province's own tests and scripts), is `OFFICER`. `PLATFORM` is kept
 * for a health-code platform's feed.
 */
export function healthSourceOf(caller: Caller | undefined): HealthSource {
  return caller?.role === 'worker' ? 'SELF' : 'OFFICER';
}

/**
 * Validates one check: the issuer is a province (a health-code platform is provincial); the code
 * was checked in the past and is valid after its check for at most 30 days; a nucleic-acid result
 * (NEGATIVE, POSITIVE, PENDING) comes with the past time its sample was taken, NOT_TESTED
 * (the default) without one; the institution is short text.
 * @throws BAD_USER_INPUT naming the field.
 */
export function validCheck(input: HealthCheckInput, now = Date.now()): HealthCheck {
  const issuer = findRegion(input.issuedBy);
  if (issuer?.level !== 'PROVINCE')
    throw badInput(
      `input.issuedBy: ${input.issuedBy} is not a province; give the six-digit code of the province whose health-code platform issued the code (e.g. 450000)`,
      'input.issuedBy',
    );
  const checkedAt = pastInstant(input.checkedAt, 'input.checkedAt', now);
  const validUntil = input.validUntil;
  if (validUntil.getTime() <= checkedAt.getTime())
    throw badInput('input.validUntil: must be after input.checkedAt', 'input.validUntil');
  if (validUntil.getTime() > checkedAt.getTime() + MAX_CODE_VALIDITY_MS)
    throw badInput(
      'input.validUntil: a health code is valid at most 30 days after its check',
      'input.validUntil',
    );
  const nucleicAcid = input.nucleicAcid ?? 'NOT_TESTED';
  let testedAt: Date | null = null;
  if (nucleicAcid === 'NOT_TESTED') {
    if (input.testedAt != null)
      throw badInput(
        'input.testedAt: no nucleic-acid sample time without a result; give nucleicAcid (NEGATIVE, POSITIVE or PENDING), or leave testedAt out',
        'input.testedAt',
      );
  } else {
    if (input.testedAt == null)
      throw badInput(
        `input.testedAt: a nucleic-acid result ${nucleicAcid} needs the time its sample was taken`,
        'input.testedAt',
      );
    testedAt = pastInstant(input.testedAt, 'input.testedAt', now);
  }
  return {
    code: input.code,
    issuedBy: input.issuedBy,
    checkedAt,
    validUntil,
    nucleicAcid,
    testedAt,
    institution: optionalText(input.institution, 'input.institution', TEXT_LIMITS.institution),
  };
}

/**
 * Records health checks, each judged as `recordHealthCheck` alone (see `judgeWorkerItems`); the
 * accepted ones are written with ONE UPDATE. Which record a worker keeps:
 * - a record of an officer or a platform always replaces a SELF-declared one, and is never
 *   replaced by one;
 * - otherwise the most recent check (`checkedAt`) wins; an older one is accepted but changes nothing;
 * - several checks of one worker in one call: as if given one after the other.
 * A record that changed is sent to the organiser of the worker's current trip when another
 * province organises it (the copy its boarding gate reads).
 * @throws BAD_USER_INPUT for more than 1,000 items (the whole call).
 */
export async function recordHealthChecks(
  ctx: ProvinceContext,
  tx: Tx,
  items: readonly WorkerItem<HealthCheckInput>[],
  events: OutboxBatch,
): Promise<ItemResult[]> {
  assertBatchSize(items.length, 'items');
  const judged = await judgeWorkerItems(ctx, tx, 'recordHealthCheck', items, validCheck);
  const latest = new Map<string, AcceptedItem<HealthCheck>>();
  for (const item of judged.accepted) {
    const before = latest.get(item.workerId);
    if (!before || before.value.checkedAt.getTime() <= item.value.checkedAt.getTime())
      latest.set(item.workerId, item);
  }
  if (latest.size > 0) {
    const changed = rowsOf<HealthRecordRow>(
      await tx.execute(updateHealth(inWorkerOrder(latest), healthSourceOf(callerIfBound(ctx)))),
    );
    await tellChangedHealth(ctx, tx, events, changed);
  }
  return itemResults(judged);
}

/** One health check (`recordHealthCheck`): {@link recordHealthChecks} of one item, its error thrown. */
export async function recordHealthCheck(
  ctx: ProvinceContext,
  tx: Tx,
  workerId: string,
  input: HealthCheckInput,
  events: OutboxBatch,
): Promise<string[]> {
  return singleResult(await recordHealthChecks(ctx, tx, [{ workerId, input }], events));
}

/**
 * `UPDATE workers … FROM unnest(…)`: one array parameter per column, whatever the number of
 * checks. A stored record is replaced when (source class, check time) of the new one is at least
 * its own, the class of an officer or a platform (1) ranking above SELF (0). Returns the records
 * that changed, with the worker's current trip.
 */
function updateHealth(checks: readonly AcceptedItem<HealthCheck>[], source: HealthSource) {
  const texts = (values: readonly (string | null)[]) => sql`${sql.param(values)}::text[]`;
  const instants = (values: readonly (Date | null)[]) =>
    sql`${sql.param(values.map((v) => v?.toISOString() ?? null))}::timestamptz[]`;
  const v = checks.map((c) => c.value);
  return sql`update "workers" as w set
      "health_code" = u.code, "health_issued_by" = u.issued_by, "health_checked_at" = u.checked_at,
      "health_valid_until" = u.valid_until, "health_tested_at" = u.tested_at,
      "health_nucleic_acid" = u.nucleic_acid, "health_institution" = u.institution,
      "health_source" = ${source}::text, "updated_at" = now()
    from unnest(${texts(checks.map((c) => c.workerId))}, ${texts(v.map((c) => c.code))},
      ${texts(v.map((c) => c.issuedBy))}, ${instants(v.map((c) => c.checkedAt))}, ${instants(v.map((c) => c.validUntil))},
      ${instants(v.map((c) => c.testedAt))}, ${texts(v.map((c) => c.nucleicAcid))}, ${texts(v.map((c) => c.institution))})
      as u(id, code, issued_by, checked_at, valid_until, tested_at, nucleic_acid, institution)
    where w."id" = u.id and (
      w."health_checked_at" is null
      or (${sourceRank(sql`${source}::text`)}, u.checked_at) >= (${sourceRank(sql`coalesce(w."health_source", 'OFFICER')`)}, w."health_checked_at")
    )
    returning ${HEALTH_RECORD_COLUMNS}`;
}

/** SQL: 0 for a SELF-declared record, 1 for an officer's or a platform's. */
const sourceRank = (source: ReturnType<typeof sql>) => sql`(case when ${source} = 'SELF' then 0 else 1 end)`;
