/**
 * Fresh PostgreSQL databases created already migrated. Running every migration on a new database
 * takes a second or more (tables, trigger functions, backfills); tests and launchers create
 * hundreds. The migrated empty database is built once per server and set of migrations — a
 * database named `p2p_tpl_<hash of the migrations>`, marked `IS_TEMPLATE` once complete — and each
 * new database is a copy of it (`CREATE DATABASE … TEMPLATE`, tens of milliseconds). The province
 * still runs its migrator on start, a no-op on a copy. Only the newest few templates are kept
 * when a new one is built. Whatever goes wrong with the template, the database is created
 * empty instead and migrates on start as before.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from './database.js';
import { migrationsKey } from './pglite-template.js';

/** Serialises template builds of every process on one server (an arbitrary constant). */
const TEMPLATE_LOCK = 4_502_021;
const TEMPLATE_PREFIX = 'p2p_tpl_';
/** Templates kept per server: the newest ones (by oid). */
const KEPT_TEMPLATES = 4;

/** A quoted identifier; names here are ours, checked anyway. */
function ident(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
}

/** The URL of database `name` on the server of `serverUrl`. */
function urlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function isTemplate(admin: pg.Client, name: string): Promise<boolean> {
  const { rows } = await admin.query<{ datistemplate: boolean }>(
    'SELECT datistemplate FROM pg_database WHERE datname = $1',
    [name],
  );
  return rows[0]?.datistemplate === true;
}

/** Builds template `name` under the server-wide lock (another process may have built it meanwhile). */
async function buildTemplate(admin: pg.Client, serverUrl: string, name: string): Promise<void> {
  await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    if (await isTemplate(admin, name)) return;
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`); // a build that died half way
    await admin.query(`CREATE DATABASE ${ident(name)}`);
    const client = new pg.Client({ connectionString: urlOf(serverUrl, name) });
    await client.connect();
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.end();
    }
    await admin.query(`ALTER DATABASE ${ident(name)} IS_TEMPLATE true`);
    // Keep the newest few (checkouts of other branches on the same server use theirs).
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datistemplate ORDER BY oid DESC OFFSET $2',
      [`${TEMPLATE_PREFIX}%`, KEPT_TEMPLATES],
    );
    for (const { datname } of rows) {
      await admin.query(`ALTER DATABASE ${ident(datname)} IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
}

/**
 * Creates database `name` on the server of `serverUrl` (any database of it, used for the admin
 * connection) with every migration already applied, from the server's template.
 * @returns whether it was created from the template (false: created empty, it migrates on start).
 */
export async function createMigratedDatabase(serverUrl: string, name: string): Promise<boolean> {
  const template = `${TEMPLATE_PREFIX}${migrationsKey(MIGRATIONS_FOLDER)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    try {
      if (!(await isTemplate(admin, template))) await buildTemplate(admin, serverUrl, template);
      await admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
      return true;
    } catch {
      await admin.query(`CREATE DATABASE ${ident(name)}`);
      return false;
    }
  } finally {
    await admin.end();
  }
}
