/**
 * The embedded database's PostgreSQL settings (PGLITE_SETTINGS) take effect, in memory and in a
 * data directory, the first time and when the directory is opened again: with PGlite's own
 * 128 MB of shared buffers, 31 provinces would hold ~4 GB more (BENCHMARKS.md, #17.1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type ProvinceDatabase } from './database.js';
import { PGLITE_SETTINGS } from './pglite-template.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The value of a setting as the embedded database reports it. */
async function show(database: ProvinceDatabase, name: string): Promise<string> {
  if (database.listenTarget.driver !== 'pglite') throw new Error('expected the embedded database');
  const { rows } = await database.listenTarget.client.query<{ value: string }>(
    'SELECT current_setting($1) AS value',
    [name],
  );
  return rows[0]!.value;
}

describe('the embedded database runs with its memory settings', () => {
  it('should use 16 MB of shared buffers in memory', async () => {
    expect(PGLITE_SETTINGS.shared_buffers).toBe('16MB');
    const database = await openDatabase({});
    try {
      expect(database.driver).toBe('pglite');
      expect(await show(database, 'shared_buffers')).toBe('16MB');
      // PGlite's own start parameters stay (one backend, no parallel workers).
      expect(await show(database, 'max_parallel_workers')).toBe('0');
    } finally {
      await database.close();
    }
  });

  it('should use them in a data directory, created from the template and opened again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2p-pglite-settings-'));
    dirs.push(dir);
    const created = await openDatabase({ pgliteDir: dir });
    expect(await show(created, 'shared_buffers')).toBe('16MB');
    await created.close();
    const reopened = await openDatabase({ pgliteDir: dir });
    try {
      expect(await show(reopened, 'shared_buffers')).toBe('16MB');
    } finally {
      await reopened.close();
    }
  });
});
