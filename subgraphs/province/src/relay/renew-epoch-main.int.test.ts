/**
 * `p2p-renew-epoch` (`renewEpochOf`): what an operator runs after a restore start-up cannot notice,
 * on a fresh Postgres database (DATABASE_URL) or a PGlite data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvinceDatabase, type TestDatabase } from '../testing/database.js';
import { renewEpochOf } from './renew-epoch-main.js';

describe(`p2p-renew-epoch (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let database: TestDatabase;
  let dir: string | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createProvinceDatabase();
    if (database.databaseUrl) env = { DATABASE_URL: database.databaseUrl };
    else {
      dir = mkdtempSync(join(tmpdir(), 'renew-epoch-'));
      env = { PGLITE_DIR: dir };
    }
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should draw a new epoch each time it runs, and say which one it replaced and the restored head', async () => {
    const first = await renewEpochOf(env);
    const second = await renewEpochOf(env);
    expect(first.epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(second.previous).toBe(first.epoch);
    expect(second.epoch).not.toBe(first.epoch);
    expect(second.restoredHead).toBe(0);
  });

  it('should refuse to run without a database to renew', async () => {
    await expect(renewEpochOf({})).rejects.toThrow(/DATABASE_URL or PGLITE_DIR/);
  });
});
