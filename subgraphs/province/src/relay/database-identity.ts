/**
 * Which database this province's event sequence lives in, so that a restore from a backup is
 * noticed at start-up even when the operator forgets to draw a new epoch (docs/backups.md):
 * - `system`: Postgres' system identifier (`pg_control_system()`): a new cluster (initdb, then
 *   a restore into it);
 * - `timeline`: the WAL timeline of the current insert position: a point-in-time recovery ends on
 *   a new timeline (so does a replica's promotion after a fail-over: it may have lost the last
 *   commits, and a new epoch is the safe answer);
 * - `database`: the database's oid: a `pg_restore` into a new database, even one of the same name;
 * - `outbox`: the `outbox` table's oid: a `pg_restore --clean` (or any restore that recreates the
 *   tables) into the same database.
 * A restore that recreates none of them (a file-level copy of the data directory put back, e.g. a
 * PGlite directory, or `pg_restore --data-only`) is not noticed: the operator runs
 * `p2p-renew-epoch` (renew-epoch-main.ts). Each piece the database does not let us read is left out.
 * Nor is a restore of a dump that carries no identity (taken before migration 0013, or where no
 * piece was readable): an outbox with events and no recorded piece to compare is "unknown", said
 * in the log at start-up (then recorded). Nothing safer can be done here: the first start-up after
 * migration 0013 looks the same, and a new epoch there would expire every cursor and relay pair of
 * a routine upgrade. The gateway notices what follows (the province's head below positions it
 * gave out) and holds those relay pairs and expires those cursors (docs/backups.md).
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Executor } from '../db/database.js';
import { outboxEpoch } from '../db/schema/index.js';
import { rowsOf } from '../db/sql-rows.js';

/** The pieces of a database's identity (see the module comment), each a decimal string. */
export type DatabaseIdentity = Record<string, string>;

const PIECES: Record<string, ReturnType<typeof sql>> = {
  system: sql`SELECT system_identifier::text AS value FROM pg_control_system()`,
  timeline: sql`SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int::text AS value`,
  database: sql`SELECT oid::text AS value FROM pg_database WHERE datname = current_database()`,
  outbox: sql`SELECT 'outbox'::regclass::oid::text AS value`,
};

/** Reads the identity of the database behind `db`, leaving out what cannot be read. */
export async function readDatabaseIdentity(db: Db): Promise<DatabaseIdentity> {
  const identity: DatabaseIdentity = {};
  for (const [name, query] of Object.entries(PIECES)) {
    try {
      const value = rowsOf<{ value: string | null }>(await db.execute(query))[0]?.value;
      if (value) identity[name] = String(value);
    } catch {
      // not readable here (permissions, an embedded build without it): that piece is not compared
    }
  }
  return identity;
}

/** The pieces read in both `recorded` and `now` that differ. */
export function changedPieces(recorded: DatabaseIdentity, now: DatabaseIdentity): string[] {
  return Object.keys(now).filter((name) => recorded[name] !== undefined && recorded[name] !== now[name]);
}

/** The highest seq in the outbox (0 when empty). */
export async function outboxHighest(db: Executor): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`SELECT coalesce(max(seq), 0)::bigint AS n FROM outbox`),
  );
  return Number(row?.n ?? 0);
}

/** SQL: a new random epoch. */
export const newEpochSql = sql`md5(random()::text || clock_timestamp()::text)`;

/** What {@link settleEpoch} found and did. */
export interface SettledEpoch {
  epoch: string;
  /** The epoch before, when a new one was drawn. */
  previous?: string;
  /** The identity pieces that changed (a restore), empty when none did. */
  changed: string[];
  /**
   * The outbox has events but no identity was recorded to compare with (a dump from before
   * migration 0013, the first start-up after it, or none readable): a restore could not be told.
   */
  unknown?: true;
  /**
   * When a new epoch was drawn: the highest seq of the outbox then (what the restore brought
   * back; events up to it are the same in both epochs). Targets reset their relay inbox to at most it.
   */
  restoredHead?: number;
}

/**
 * At start-up: compares the identity recorded with the epoch with the running database's; when a
 * piece differs the database was restored (or replaced), so a new epoch is drawn. Records the
 * current identity either way. Row-locked: province processes starting together draw one epoch.
 * @throws Error when the epoch row is missing.
 */
export async function settleEpoch(db: Db, log?: Logger): Promise<SettledEpoch> {
  const now = await readDatabaseIdentity(db);
  const settled = await db.transaction(async (tx) => settleIn(tx, now));
  if (settled.previous !== undefined)
    log?.warn(
      {
        changed: settled.changed,
        previous: settled.previous,
        epoch: settled.epoch,
        restoredHead: settled.restoredHead,
      },
      'this database is not the one the outbox epoch was drawn in (restored from a backup?): a new epoch was drawn; cursors and relay positions of the old one are refused with CURSOR_EXPIRED (docs/backups.md: what to do after a restore)',
    );
  else if (settled.unknown)
    log?.warn(
      { epoch: settled.epoch },
      'the database the outbox epoch was drawn in is not known (no identity recorded to compare with: a dump from before migration 0013, the first start-up after it, or none readable by this role): a restore cannot be told; if this database was restored from a backup, run p2p-renew-epoch now (docs/backups.md)',
    );
  return settled;
}

async function settleIn(tx: Executor, now: DatabaseIdentity): Promise<SettledEpoch> {
  const [row] = rowsOf<{ epoch: string; database_identity: DatabaseIdentity | string | null }>(
    await tx.execute(sql`SELECT epoch, database_identity FROM ${outboxEpoch} WHERE id = 1 FOR UPDATE`),
  );
  if (!row) throw new Error('outbox_epoch has no row: the outbox epoch is unknown');
  const recorded =
    typeof row.database_identity === 'string'
      ? (JSON.parse(row.database_identity) as DatabaseIdentity)
      : (row.database_identity ?? {});
  const changed = changedPieces(recorded, now);
  const identity = JSON.stringify(now);
  if (changed.length === 0) {
    await tx.execute(sql`UPDATE ${outboxEpoch} SET database_identity = ${identity}::jsonb WHERE id = 1`);
    const compared = Object.keys(now).some((name) => recorded[name] !== undefined);
    return !compared && (await outboxHighest(tx)) > 0
      ? { epoch: row.epoch, changed, unknown: true }
      : { epoch: row.epoch, changed };
  }
  const [renewed] = rowsOf<{ epoch: string }>(
    await tx.execute(sql`
      UPDATE ${outboxEpoch} SET epoch = ${newEpochSql}, started_at = now(), database_identity = ${identity}::jsonb
       WHERE id = 1 RETURNING epoch`),
  );
  return { epoch: renewed!.epoch, previous: row.epoch, changed, restoredHead: await outboxHighest(tx) };
}
