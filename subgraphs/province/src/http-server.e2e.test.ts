import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvince } from './index.js';
import {
  createProvinceDatabase,
  expectError,
  startTestProvince,
  type TestProvince,
} from './testing/index.js';

let p: TestProvince;
beforeAll(async () => {
  p = await startTestProvince('130000');
});
afterAll(async () => {
  await p?.close();
});

describe('HTTP surface', () => {
  it('should serve the three logical subgraphs on one port', async () => {
    for (const subgraph of ['workers', 'employment', 'transport'] as const) {
      const answer = await p.gql(subgraph, '{ _service { sdl } }');
      expect(answer.status).toBe(200);
      expect(answer.data?._service.sdl).toContain('type Query');
    }
    const get = await fetch(
      `${p.service.url}/transport/graphql?query=${encodeURIComponent('{ trips(origin: "130000") { totalCount } }')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(await get.json()).toEqual({ data: { trips: { totalCount: 0 } } });
  });

  it('should answer /health with the province and database state', async () => {
    const res = await fetch(`${p.service.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', province: '130000', database: 'up' });
  });

  it('should answer 404 for unknown paths and BAD_USER_INPUT for a body that is not JSON', async () => {
    expect((await fetch(`${p.service.url}/nowhere`)).status).toBe(404);
    const res = await fetch(`${p.service.url}/workers/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expectError({ status: res.status, ...((await res.json()) as object) }, 'BAD_USER_INPUT');
  });

  it('should answer edge errors as every service does: 404 NOT_FOUND, 413 QUERY_TOO_COMPLEX, 405 (#12.1)', async () => {
    const notFound = await fetch(`${p.service.url}/nowhere`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      errors: [
        {
          message:
            'no such path: /nowhere; served: /health, /workers/graphql, /employment/graphql, /transport/graphql, /health/graphql',
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
    const tooLarge = await fetch(`${p.service.url}/workers/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(9 * 1024 * 1024)}` }),
    });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as any).errors[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'bodySize',
    });
    const wrongMethod = await fetch(`${p.service.url}/workers/graphql`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect(((await wrongMethod.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('should report syntax errors and unknown fields as BAD_USER_INPUT, never an unregistered code', async () => {
    expectError(await p.gql('workers', '{ workers('), 'BAD_USER_INPUT');
    expectError(await p.gql('workers', '{ nothing }'), 'BAD_USER_INPUT');
  });
});

describe('startProvince', () => {
  it('should refuse a code that is not a province', async () => {
    await expect(startProvince({ province: '450200' })).rejects.toThrow(/six-digit code of a province/);
    await expect(startProvince({ province: '990000' })).rejects.toThrow(/province/);
  });

  it('should answer 503 with database "down" when the database is gone', async () => {
    const down = await startTestProvince('110000');
    try {
      await down.service.db.close();
      const res = await fetch(`${down.service.url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ province: '110000', database: 'down' });
    } finally {
      await down.close();
    }
  });
});

describe('CLI (src/main.ts)', () => {
  it('should print one listening line, serve, and exit 0 on SIGTERM', { timeout: 120_000 }, async () => {
    const database = await createProvinceDatabase();
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'subgraphs/province/src/main.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          PROVINCE: '450000',
          PORT: '0',
          LOG_LEVEL: 'info',
          ALLOW_UNSIGNED: '1',
          ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATABASE_URL: '' }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout! });
      const first = await new Promise<string>((resolve) => lines.once('line', resolve));
      const listening = JSON.parse(first);
      expect(listening).toMatchObject({ level: 'info', msg: 'listening', province: '450000' });
      expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${listening.url}/health`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await database.drop();
    }
  });

  it('should refuse to start without a valid PROVINCE', { timeout: 60_000 }, async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'subgraphs/province/src/main.ts'],
      { cwd: root, env: { ...process.env, PROVINCE: '4500' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(stderr).toMatch(/PROVINCE must be/);
  });

  it('should refuse to start without WORKER_ID_KEY or GATEWAY_PUBLIC_KEY unless P2P_DEV=1, even without NODE_ENV (#11.12)', {
    timeout: 60_000,
  }, async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const run = async (extra: NodeJS.ProcessEnv) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PROVINCE: '450000', ...extra };
      for (const name of ['P2P_DEV', 'NODE_ENV', 'WORKER_ID_KEY', 'GATEWAY_PUBLIC_KEY', 'ALLOW_UNSIGNED'])
        if (!(name in extra)) delete env[name];
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', 'subgraphs/province/src/main.ts'],
        { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      return { code, output };
    };
    const noKey = await run({ GATEWAY_PUBLIC_KEY: 'unused' });
    expect(noKey.code).toBe(1);
    expect(noKey.output).toMatch(/WORKER_ID_KEY must be set \(the HMAC key of worker ids/);
    const noGatewayKey = await run({ WORKER_ID_KEY: 'a-real-worker-id-key' });
    expect(noGatewayKey.code).toBe(1);
    expect(noGatewayKey.output).toMatch(/GATEWAY_PUBLIC_KEY/);
    const unsigned = await run({ WORKER_ID_KEY: 'a-real-worker-id-key', ALLOW_UNSIGNED: '1' });
    expect(unsigned.code).toBe(1);
    expect(unsigned.output).toMatch(/ALLOW_UNSIGNED=1 .* refused outside development/);
    const production = await run({ P2P_DEV: '1', NODE_ENV: 'production' });
    expect(production.code).toBe(1);
    expect(production.output).toMatch(/P2P_DEV=1 \/ --dev is refused when NODE_ENV=production/);
  });

  it('should refuse the development defaults in startProvince outside development mode (#11.12)', async () => {
    await expect(
      startProvince({
        province: '450000',
        logLevel: 'silent',
        development: false,
        requireGatewaySignature: false,
      }),
    ).rejects.toThrow(/WORKER_ID_KEY must be set/);
    await expect(
      startProvince({
        province: '450000',
        logLevel: 'silent',
        development: false,
        workerIdKey: 'a-real-worker-id-key',
        requireGatewaySignature: false,
      }),
    ).rejects.toThrow(/ALLOW_UNSIGNED=1 .* refused outside development/);
  });

  it('should refuse to start with a DATABASE_POOL_SIZE that is not a count of connections', {
    timeout: 60_000,
  }, async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'subgraphs/province/src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, PROVINCE: '450000', DATABASE_POOL_SIZE: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(stderr).toMatch(/DATABASE_POOL_SIZE must be an integer from 1 to 1000; got \\"0\\"/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('Postgres pool', () => {
  it('should hold at most databasePoolSize connections (plus the outbox listener) under concurrent requests', {
    timeout: 60_000,
  }, async () => {
    const database = await createProvinceDatabase();
    const province = await startProvince({
      province: '450000',
      port: 0,
      databaseUrl: database.databaseUrl,
      databasePoolSize: 2,
      logLevel: 'silent',
      requireGatewaySignature: false,
    });
    const admin = new (await import('pg')).default.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const query = JSON.stringify({ query: '{ workers(homeRegion: "450000") { totalCount } }' });
      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          fetch(`${province.url}/workers/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: query,
          }).then((r) => r.json()),
        ),
      );
      expect(answers.every((a) => a.data?.workers?.totalCount === 0)).toBe(true);
      const dbName = new URL(database.databaseUrl!).pathname.slice(1);
      const { rows } = await admin.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
        [dbName],
      );
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(2);
      expect(Number(rows[0]!.n)).toBeLessThanOrEqual(3);
    } finally {
      await admin.end();
      await province.close();
      await database.drop();
    }
  });
});
