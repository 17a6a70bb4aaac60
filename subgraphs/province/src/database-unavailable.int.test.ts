import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startProvince } from './index.js';
import { createProvinceDatabase } from './testing/database.js';

/**
 * A province whose PostgreSQL stops taking connections (a shared server full, a database being
 * restored or shut down) answers PROVINCE_UNAVAILABLE with `reason: database`, not
 * INTERNAL_SERVER_ERROR, and serves again once the database does (#17.1: "report a province's
 * database failure as what it is"). Real PostgreSQL only: PGlite runs in the process.
 */
const QUERY = JSON.stringify({ query: '{ workers(homeRegion: "450000") { totalCount } }' });

describe.skipIf(!process.env.DATABASE_URL)('a province whose database stops taking connections', () => {
  it('should answer PROVINCE_UNAVAILABLE (reason database) while it refuses, and serve again after', async () => {
    const database = await createProvinceDatabase();
    if (!database.databaseUrl) throw new Error('a PostgreSQL database was expected (DATABASE_URL is set)');
    const name = new URL(database.databaseUrl).pathname.slice(1);
    const service = await startProvince({
      province: '450000',
      port: 0,
      databaseUrl: database.databaseUrl,
      logLevel: 'silent',
      requireGatewaySignature: false,
    });
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const ask = async () => {
      const res = await fetch(`${service.url}/workers/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: QUERY,
      });
      return (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
    };
    try {
      expect((await ask()).errors).toBeUndefined();
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const refused = await ask();
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/database is unavailable/),
        extensions: { code: 'PROVINCE_UNAVAILABLE', reason: 'database' },
      });
      expect(JSON.stringify(refused)).not.toContain(name);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      let again = await ask();
      for (let i = 0; i < 20 && again.errors; i++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await ask();
      }
      expect(again.errors).toBeUndefined();
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`).catch(() => {});
      await admin.end();
      await service.close();
      await database.drop();
    }
  });
});
