import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from 'pino';
import { migratedPglite } from './pglite-template.js';
import * as schema from './schema/index.js';
import { StatementLog } from './statement-log.js';
import { traceStatementsOf, tracedPgClient } from './traced-statements.js';
import { tracingActive } from '@p2p/runtime';

/** The drizzle schema of a province database. */
export type ProvinceSchema = typeof schema;
/** A drizzle database over node-postgres or PGlite: one code path for both. */
export type Db = PgDatabase<PgQueryResultHKT, ProvinceSchema>;
/** A transaction of {@link Db}. */
export type Tx = PgTransaction<PgQueryResultHKT, ProvinceSchema, ExtractTablesWithRelations<ProvinceSchema>>;
/** Anything that runs queries: the database or a transaction. */
export type Executor = Db | Tx;

/** Where the checked-in drizzle-kit migrations live (`subgraphs/province/drizzle`). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/', import.meta.url));

/** A key for the advisory lock that serialises migrations of one database. */
const MIGRATION_LOCK = 4_502_020;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `postgres://…`; absent: embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; absent: in memory. Ignored with `databaseUrl`. */
  pgliteDir?: string;
  /** Pool size for Postgres. @default 10 */
  poolSize?: number;
  log?: Logger;
}

/** An open province database with its migrations applied. */
export interface ProvinceDatabase {
  db: Db;
  driver: 'pg' | 'pglite';
  /** Counts the statements sent through `db`. */
  statements: StatementLog;
  /**
   * Where a LISTEN connection can be opened (the subscription service's outbox listener):
   * the server URL for node-postgres, the embedded instance for PGlite.
   */
  listenTarget: { driver: 'pg'; databaseUrl: string } | { driver: 'pglite'; client: PGlite };
  /** True when the database answers `SELECT 1` within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the database (Postgres pool with keep-alive, or PGlite) and applies the migrations. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<ProvinceDatabase> {
  const statements = new StatementLog(options.log);
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      // With tracing on, each statement is a span of the request that sent it (traced-statements.ts).
      ...(tracingActive() ? { Client: tracedPgClient() } : {}),
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', (err) =>
      options.log?.warn({ err: { message: err.message } }, 'idle database connection failed'),
    );
    try {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    const db = drizzlePg({ client: pool, schema, logger: statements });
    return wrap(db, { driver: 'pg', databaseUrl: options.databaseUrl }, statements, () => pool.end());
  }
  const client = await migratedPglite(MIGRATIONS_FOLDER, options.pgliteDir);
  try {
    await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    await client.close();
    throw err;
  }
  if (tracingActive()) traceStatementsOf(client);
  const db = drizzlePglite({ client, schema, logger: statements });
  return wrap(db, { driver: 'pglite', client }, statements, () => client.close());
}

function wrap(
  db: Db,
  listenTarget: ProvinceDatabase['listenTarget'],
  statements: StatementLog,
  end: () => Promise<void>,
): ProvinceDatabase {
  let closed: Promise<void> | undefined;
  return {
    db,
    driver: listenTarget.driver,
    statements,
    listenTarget,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = db.execute(sql`SELECT 1`).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closed ??= end();
      return closed;
    },
  };
}
