import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

/**
 * Starting an in-memory PGlite runs `initdb` inside WebAssembly (seconds of CPU) and then the
 * migrations. The migrated empty database is the same every time, so it is dumped once to a
 * template (a gzipped data directory in the OS temp dir, named after the PGlite version and the
 * migrations' content, and kept in memory for the process) and later instances load it instead.
 * A template that cannot be read or loaded is ignored and rebuilt. A province with a data
 * directory (`PGLITE_DIR`) starts from the same template the first time. Every instance runs
 * with {@link PGLITE_SETTINGS}.
 */

const templates = new Map<string, Blob>();

/**
 * PostgreSQL settings of every embedded instance, passed at start (`-c name=value`). PGlite's
 * default `shared_buffers` of 128 MB is touched when it starts: ~130 MB resident per province,
 * 4 GB for the 31. A province's embedded database is a development one (MBs), and PGlite's
 * data directory sits in the OS page cache anyway, so 16 MB of buffers holds it.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '16MB' };

/** The PGlite options that apply {@link PGLITE_SETTINGS} (PGlite's own start parameters kept). */
export function pgliteStartOptions(): Pick<PGliteOptions, 'startParams'> {
  return {
    startParams: [
      ...PGlite.defaultStartParams,
      ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
  };
}

/** The installed PGlite version (its package.json is not exported, so found beside its entry point). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const root = entry.slice(
    0,
    entry.lastIndexOf(join('@electric-sql', 'pglite')) + join('@electric-sql', 'pglite').length,
  );
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A hash of every file of `migrationsFolder` (names and contents), and of `salt`: 16 hex digits. */
export function migrationsKey(migrationsFolder: string, salt = ''): string {
  const hash = createHash('sha256');
  hash.update(salt);
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
      .sort();
  for (const file of files(migrationsFolder))
    hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** A name that changes whenever the PGlite build or any migration changes. */
function templateKey(migrationsFolder: string): string {
  return migrationsKey(migrationsFolder, pgliteVersion());
}

/** Builds a migrated in-memory database from scratch and returns it with its dump. */
async function fresh(migrationsFolder: string): Promise<{ client: PGlite; dump: Blob }> {
  const client = new PGlite(pgliteStartOptions());
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    return { client, dump: await client.dumpDataDir('gzip') };
  } catch (err) {
    await client.close();
    throw err;
  }
}

async function readTemplate(path: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return undefined;
  }
}

async function writeTemplate(path: string, dump: Blob): Promise<void> {
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  try {
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
  } catch {
    // A read-only temp dir only costs the next process the slow start.
  }
}

/**
 * A PGlite with the migrations of `migrationsFolder` applied, loaded from the template when there
 * is one: in memory, or in `dataDir` when given. A `dataDir` that already holds a database is
 * opened as it is. The caller still runs the migrator (a no-op on a template).
 */
export async function migratedPglite(migrationsFolder: string, dataDir?: string): Promise<PGlite> {
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION')))
    return new PGlite({ dataDir, ...pgliteStartOptions() });
  const key = templateKey(migrationsFolder);
  const path = join(tmpdir(), `p2p-province-pglite-${key}.tar.gz`);
  const template = templates.get(key) ?? (await readTemplate(path));
  if (template) {
    // One options object: PGlite ignores the second argument when the first (dataDir) is undefined.
    const client = new PGlite({ dataDir, loadDataDir: template, ...pgliteStartOptions() });
    try {
      await client.waitReady;
      templates.set(key, template);
      return client;
    } catch {
      await client.close().catch(() => {});
      if (dataDir) emptyDir(dataDir);
    }
  }
  const { client, dump } = await fresh(migrationsFolder);
  templates.set(key, dump);
  await writeTemplate(path, dump);
  if (!dataDir) return client;
  await client.close();
  const stored = new PGlite({ dataDir, loadDataDir: dump, ...pgliteStartOptions() });
  await stored.waitReady;
  return stored;
}

/** Removes what a failed load left in `dir`, keeping the directory. */
function emptyDir(dir: string): void {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}
