#!/usr/bin/env node
/**
 * `p2p-renew-epoch` (the province package's `bin`; from the repository's sources
 * `npm run renew-epoch`): draws a new outbox epoch in a province's database, what an operator runs
 * after restoring it from a backup (docs/backups.md). Start-up draws one by itself when it notices
 * the restore (`database-identity.ts`); this command covers the restores it cannot notice (a data
 * directory copied back, PGlite's included, `pg_restore --data-only`). Reads `DATABASE_URL` or
 * `PGLITE_DIR` like the service (migrations are applied first). Run it with the province's
 * processes stopped, or restart them after: a running process notices the new epoch at its next
 * outbox read, and ends the subscriptions of the old one with CURSOR_EXPIRED.
 * Prints `{"previous":…,"epoch":…,"restoredHead":…}` (the highest seq of the outbox: what every
 * other province's relay inbox of this source is reset to at most). Exit code 0: drawn; 1: it could not run.
 */
import { isMainModule } from '@p2p/runtime';
import { openDatabase } from '../db/database.js';
import { outboxHighest, settleEpoch } from './database-identity.js';
import { currentEpoch, renewEpoch } from './outbox-epoch.js';

/** The usage text. */
export const RENEW_EPOCH_USAGE = `p2p-renew-epoch
(from the repository's sources: npm run renew-epoch)

Draws a new outbox epoch in the province database named by DATABASE_URL (PostgreSQL) or
PGLITE_DIR (embedded PGlite data directory): run it after restoring that database from a backup.
Every subscription cursor and relay position of the old epoch is then refused with CURSOR_EXPIRED.`;

/** Draws a new epoch in the database of `env`; returns the epochs before and after. */
export async function renewEpochOf(
  env: Record<string, string | undefined>,
): Promise<{ previous: string; epoch: string; restoredHead: number }> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const pgliteDir = env.PGLITE_DIR || undefined;
  if (!databaseUrl && !pgliteDir)
    throw new Error('set DATABASE_URL or PGLITE_DIR to the restored province database');
  const database = await openDatabase({ databaseUrl, pgliteDir, poolSize: 1 });
  try {
    const previous = await currentEpoch(database.db);
    // Record the identity first, so the next start-up does not draw yet another epoch.
    await settleEpoch(database.db);
    const epoch = await renewEpoch(database.db);
    return { previous, epoch, restoredHead: await outboxHighest(database.db) };
  } finally {
    await database.close();
  }
}

if (isMainModule(import.meta.url)) {
  if (process.argv.includes('--help')) {
    console.log(RENEW_EPOCH_USAGE);
    process.exit(0);
  }
  renewEpochOf(process.env).then(
    (answer) => {
      console.log(JSON.stringify(answer));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`renew-epoch: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
