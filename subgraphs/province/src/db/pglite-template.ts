import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

/**
 * Starting an in-memory PGlite runs `initdb` inside WebAssembly (seconds of CPU) and then the
 * migrations. The migrated empty database is the same every time, so it is dumped once to a
 * template (a gzipped data directory in the OS temp dir, named after the PGlite version and the
 * migrations' content, and kept in memory for the process) and later instances load it instead.
 * A template that cannot be read or loaded is ignored and rebuilt.
 */

const templates = new Map<string, Blob>();

/** The installed PGlite version (its package.json is not exported, so found beside its entry point). */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const root = entry.slice(
    0,
    entry.lastIndexOf(join('@electric-sql', 'pglite')) + join('@electric-sql', 'pglite').length,
  );
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A name that changes whenever the PGlite build or any migration changes. */
function templateKey(migrationsFolder: string): string {
  const hash = createHash('sha256');
  hash.update(pgliteVersion());
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
      .sort();
  for (const file of files(migrationsFolder))
    hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** Builds a migrated in-memory database from scratch and returns it with its dump. */
async function fresh(migrationsFolder: string): Promise<{ client: PGlite; dump: Blob }> {
  const client = new PGlite();
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
 * An in-memory PGlite with the migrations of `migrationsFolder` applied, loaded from the template
 * when there is one. The caller still runs the migrator (a no-op on a template).
 */
export async function memoryPglite(migrationsFolder: string): Promise<PGlite> {
  const key = templateKey(migrationsFolder);
  const path = join(tmpdir(), `p2p-province-pglite-${key}.tar.gz`);
  const template = templates.get(key) ?? (await readTemplate(path));
  if (template) {
    const client = new PGlite({ loadDataDir: template });
    try {
      await client.waitReady;
      templates.set(key, template);
      return client;
    } catch {
      await client.close().catch(() => {});
    }
  }
  const { client, dump } = await fresh(migrationsFolder);
  templates.set(key, dump);
  await writeTemplate(path, dump);
  return client;
}
