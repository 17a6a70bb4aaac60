/** Fresh databases for test provinces: one Postgres database each (DATABASE_URL), else PGlite. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMigratedDatabase } from '../db/postgres-template.js';

/** A database for one test province. */
export interface TestDatabase {
  /** `postgres://…` of a fresh database; undefined on PGlite (the province then runs in memory). */
  databaseUrl?: string;
  /** Drops the database (no-op on PGlite). Idempotent. */
  drop(): Promise<void>;
}

/** Runs one statement on a short-lived admin connection. */
async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A FRESH database per test province when `DATABASE_URL` is set (`CREATE DATABASE p2p_test_…` on
 * that server, already migrated from the server's template (`db/postgres-template.ts`), dropped
 * by `drop()`); PGlite in memory otherwise.
 * @param adminUrl server to create it on. @default process.env.DATABASE_URL
 * @param options.empty create it without the migrations (a test of the migrations themselves).
 */
export async function createProvinceDatabase(
  adminUrl: string | undefined = process.env.DATABASE_URL || undefined,
  options: { empty?: boolean } = {},
): Promise<TestDatabase> {
  if (!adminUrl) return { drop: async () => {} };
  const name = `p2p_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (options.empty) await admin(adminUrl, `CREATE DATABASE "${name}"`);
  else await createMigratedDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    databaseUrl: url.toString(),
    drop() {
      dropped ??= admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return dropped;
    },
  };
}
