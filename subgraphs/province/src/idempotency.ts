import { createHash } from 'node:crypto';
import { hubError } from '@p2p/schema';
import type { Caller } from '@p2p/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { ItemOutcome } from './batch-items.js';
import type { Tx } from './db/database.js';
import { idempotencyKeys } from './db/schema/index.js';
import { requiredText, TEXT_LIMITS } from './validation/text.js';

/**
 * What a first call returned: the ids of its records and, for a bulk mutation with per-item
 * results, each item's outcome (`items`).
 */
export interface StoredResult {
  ids: string[];
  items?: ItemOutcome[];
}

/** What a claimed key says: run the mutation now, or return what the first call returned. */
export type KeyClaim = { kind: 'first' } | ({ kind: 'replay' } & StoredResult);

/** A stable SHA-256 of a mutation's arguments (object keys sorted, Dates as ISO strings). */
export function requestHash(args: unknown): string {
  return createHash('sha256').update(stableJson(args)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Whose keys a caller's key is among: `role:subject` (the role is part of it, so a subject
 * that holds two roles keeps two namespaces). Unrestricted requests (development, unit tests)
 * share the scope `unrestricted`.
 */
export function keyScope(caller: Caller | undefined): string {
  return caller ? `${caller.role}:${caller.subject}` : 'unrestricted';
}

/**
 * Claims an idempotency key of `scope` (see {@link keyScope}) inside the mutation's transaction. The row is inserted first, so a
 * concurrent call with the same key waits for this transaction and then replays its result;
 * if this transaction fails, the claim is rolled back with everything else.
 * Keys of other scopes are never read: the same key text of another caller is another key.
 * @throws IDEMPOTENCY_CONFLICT when this caller used the key for another operation or other arguments.
 */
export async function claimKey(
  tx: Tx,
  scope: string,
  rawKey: string,
  operation: string,
  hash: string,
): Promise<KeyClaim> {
  const key = requiredText(rawKey, 'idempotencyKey', TEXT_LIMITS.idempotencyKey);
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ scope, key, operation, requestHash: hash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: 'first' };
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (!row) throw new Error('idempotency key vanished after a conflict');
  if (row.operation !== operation) {
    throw hubError(
      'IDEMPOTENCY_CONFLICT',
      `idempotencyKey was already used by you for ${row.operation}; use a new key for ${operation}`,
      { field: 'idempotencyKey' },
    );
  }
  if (row.requestHash !== hash) {
    throw hubError(
      'IDEMPOTENCY_CONFLICT',
      `idempotencyKey was already used by you for ${operation} with other input; use a new key`,
      { field: 'idempotencyKey' },
    );
  }
  return {
    kind: 'replay',
    ids: row.result?.ids ?? [],
    ...(row.result?.items ? { items: row.result.items } : {}),
  };
}

/** Stores what a first call returned (see {@link StoredResult}), in the same transaction. */
export async function storeResult(
  tx: Tx,
  scope: string,
  rawKey: string,
  result: StoredResult,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ result: sql`${JSON.stringify(result)}::jsonb` })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, rawKey.trim())));
}
