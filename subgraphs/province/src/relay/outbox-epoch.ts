/**
 * The epoch of this province's event sequence (`outbox_epoch`, one row): drawn when the outbox
 * was created and drawn again when the sequence restarts (a restore from a backup). Relay
 * positions carry it, so a position of another epoch is refused (CURSOR_EXPIRED), never applied
 * against the wrong sequence.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/database.js';
import { outboxEpoch } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';
import { newEpochSql } from './database-identity.js';

/** SQL expression: the current epoch, read in the statement's own snapshot (null without the row). */
export const currentEpochSql = sql`(SELECT epoch FROM ${outboxEpoch} WHERE id = 1)`;

/**
 * The current epoch.
 * @throws Error when the row is missing (migration 0005 writes it; an operator deleted it).
 */
export async function currentEpoch(db: Executor): Promise<string> {
  const [row] = rowsOf<{ epoch: string }>(
    await db.execute(sql`SELECT epoch FROM ${outboxEpoch} WHERE id = 1`),
  );
  if (!row) throw new Error('outbox_epoch has no row: the outbox epoch is unknown');
  return row.epoch;
}

/**
 * Draws a new epoch: what an operator runs after restoring the database from a backup (the
 * `p2p-renew-epoch` command; start-up does it by itself when it notices the restore,
 * `database-identity.ts`), so that every relay position and cursor of the old sequence is refused
 * instead of misread.
 */
export async function renewEpoch(db: Executor): Promise<string> {
  const [row] = rowsOf<{ epoch: string }>(
    await db.execute(sql`
      UPDATE ${outboxEpoch} SET epoch = ${newEpochSql}, started_at = now()
      WHERE id = 1 RETURNING epoch`),
  );
  if (!row) throw new Error('outbox_epoch has no row: the outbox epoch is unknown');
  return row.epoch;
}
