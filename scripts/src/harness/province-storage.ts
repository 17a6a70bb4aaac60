/**
 * A database of its own for each province, as a real deployment has: a fresh PostgreSQL
 * database on a server, or an embedded PGlite data directory. The storage outlives the
 * province process, so a stopped and restarted province finds its data again.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createMigratedDatabase } from '@p2p/province/database-template';

/** Where one province keeps its data. */
export interface ProvinceStorage {
  /** The env that points the province service at it (`DATABASE_URL` or `PGLITE_DIR`). */
  env: Record<string, string>;
  /** A human description (database name or directory), never with a password. */
  description: string;
  /** Removes the data unless it was asked to be kept; idempotent. */
  drop(): Promise<void>;
}

/** Options of {@link createProvinceStorage}. */
export interface ProvinceStorageOptions {
  /** Six-digit province code. */
  province: string;
  /** A PostgreSQL server URL (any database on it); absent: PGlite. */
  databaseUrl?: string;
  /**
   * Keep the data after `drop()`: PostgreSQL databases are named `<prefix>_<code>` and reused
   * when they exist. Absent: a fresh `p2p_<random>_<code>` dropped at the end.
   */
  persistentDatabasePrefix?: string;
  /** A directory for PGlite data kept across runs (`<dir>/<code>`); absent: a temp dir removed at the end. */
  pgliteDir?: string;
}

const tempDirs = new Set<string>();
let cleanupHookInstalled = false;

/** Removes the temporary PGlite directories left when the launcher exits without dropping them. */
function installTempDirCleanup(): void {
  if (cleanupHookInstalled) return;
  cleanupHookInstalled = true;
  process.on('exit', () => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database name without credentials, for messages. */
function describeDatabase(url: string): string {
  const u = new URL(url);
  return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Runs one statement on the server's admin database (the one named in `serverUrl`). */
async function adminQuery(serverUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL database for one province, created now. */
async function postgresStorage(
  options: ProvinceStorageOptions & { databaseUrl: string },
): Promise<ProvinceStorage> {
  const code = options.province;
  const keep = options.persistentDatabasePrefix !== undefined;
  const name = keep
    ? `${options.persistentDatabasePrefix}_${code}`
    : `p2p_${randomBytes(4).toString('hex')}_${code}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const exists = (
    await adminQuery(options.databaseUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])
  ).rowCount;
  if (!exists) await createMigratedDatabase(options.databaseUrl, name);
  const url = databaseUrlFor(options.databaseUrl, name);
  let dropped = false;
  return {
    env: { DATABASE_URL: url },
    description: describeDatabase(url),
    async drop() {
      if (keep || dropped) return;
      dropped = true;
      await adminQuery(options.databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** A PGlite data directory for one province. */
function pgliteStorage(options: ProvinceStorageOptions): ProvinceStorage {
  if (options.pgliteDir) {
    const dir = join(options.pgliteDir, options.province);
    mkdirSync(dir, { recursive: true });
    return { env: { PGLITE_DIR: dir }, description: `PGlite ${dir}`, drop: async () => {} };
  }
  installTempDirCleanup();
  const dir = mkdtempSync(join(tmpdir(), `p2p-pglite-${options.province}-`));
  tempDirs.add(dir);
  return {
    env: { PGLITE_DIR: dir },
    description: `PGlite ${dir} (temporary)`,
    async drop() {
      tempDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates the storage of one province: PostgreSQL when a server URL is given, else PGlite. */
export async function createProvinceStorage(options: ProvinceStorageOptions): Promise<ProvinceStorage> {
  return options.databaseUrl
    ? postgresStorage({ ...options, databaseUrl: options.databaseUrl })
    : pgliteStorage(options);
}
