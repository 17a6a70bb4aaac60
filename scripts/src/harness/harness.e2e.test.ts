import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { graphqlRequest, graphqlData } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import { SERVICE_ENTRIES, startService, type ServiceProcess } from './service-process.js';
import { startFederation, type RunningFederation } from './federation.js';

const STUB = 'scripts/src/harness/fixtures/stub-service.ts';
const DATABASE_URL = process.env.DATABASE_URL || undefined;

/** The env a stub service was started with, and how often it started over its data dir. */
async function stubEnv(
  url: string,
): Promise<{ env: Record<string, string | null>; starts: number; pid: number }> {
  const res = await fetch(new URL('/env', url));
  return (await res.json()) as { env: Record<string, string | null>; starts: number; pid: number };
}

/** True when the PostgreSQL server has a database of that name. */
async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('startService with the real national subgraph', () => {
  let national: ServiceProcess;
  beforeAll(async () => {
    national = await startService({
      name: 'national',
      entry: SERVICE_ENTRIES.national,
      env: { PORT: '0', HOST: '127.0.0.1' },
    });
  });
  afterAll(() => national?.stop());

  it('reads the URL from the listening line (OS-picked port, /graphql path)', () => {
    expect(national.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(national.port).toBeGreaterThan(0);
  });

  it('queries it over HTTP', async () => {
    const answer = await graphqlRequest(
      national.url,
      `query($code: RegionCode!) { region(code: $code) { name fullName } }`,
      { code: '450203' },
    );
    expect(answer).toEqual({
      data: { region: { name: '鱼峰区', fullName: '广西壮族自治区 柳州市 鱼峰区' } },
    });
  });

  it('returns GraphQL errors with their code; graphqlData throws them', async () => {
    const answer = await graphqlRequest(national.url, `{ region(code: "999999") { name } }`);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await expect(
      graphqlData(national.url, `query Lookup { region(code: "999999") { name } }`),
    ).rejects.toThrow(/Lookup: .*\[BAD_USER_INPUT\]/);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const second = await startService({
      name: 'national',
      entry: SERVICE_ENTRIES.national,
      env: { PORT: '0' },
    });
    await second.stop();
    expect(second.exited).toBe(true);
    expect(second.child.exitCode).toBe(0);
    expect(second.recentOutput()).toContain('"msg":"stopping"');
  });
});

describe('startService failures', () => {
  it('reports a child that exits before listening, with its stderr', async () => {
    await expect(startService({ name: 'stub', entry: STUB, env: { STUB_FAIL: '1' } })).rejects.toThrow(
      /exited before listening \(code 3\)[\s\S]*told to fail/,
    );
  });

  it('gives up after the ready timeout and kills the child', async () => {
    await expect(
      startService({ name: 'stub', entry: STUB, env: { STUB_HANG: '1' }, readyTimeoutMs: 5_000 }),
    ).rejects.toThrow(/no "listening" line within 5000 ms[\s\S]*never to listen/);
  });

  it('throws on an answer that is not GraphQL', async () => {
    const stub = await startService({ name: 'stub', entry: STUB, env: {} });
    try {
      await expect(graphqlRequest(stub.url.replace('/graphql', '/env'), '{ x }')).rejects.toThrow(
        /without data or errors/,
      );
    } finally {
      await stub.stop();
    }
  });
});

describe(`startFederation (stub province and gateway, real national) on ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let federation: RunningFederation;
  beforeAll(async () => {
    federation = await startFederation({
      provinces: ['110000', '450000'],
      entries: { province: STUB, gateway: STUB },
      gatewayEnv: { STUB_EXTRA: 'from gatewayEnv' },
    });
  });
  afterAll(() => federation?.close());

  it("gives each province its own storage, never the launcher's DATABASE_URL", async () => {
    const beijing = (await stubEnv(federation.provinceUrls['110000']!)).env;
    const guangxi = (await stubEnv(federation.provinceUrls['450000']!)).env;
    expect([beijing.PROVINCE, guangxi.PROVINCE]).toEqual(['110000', '450000']);
    if (DATABASE_URL) {
      expect(beijing.DATABASE_URL).toMatch(/\/p2p_[0-9a-f]{8}_110000$/);
      expect(guangxi.DATABASE_URL).toMatch(/\/p2p_[0-9a-f]{8}_450000$/);
      expect(beijing.PGLITE_DIR).toBeNull();
      expect(await databaseExists(new URL(beijing.DATABASE_URL!).pathname.slice(1))).toBe(true);
    } else {
      expect(beijing.DATABASE_URL).toBeNull();
      expect(beijing.PGLITE_DIR).not.toBe(guangxi.PGLITE_DIR);
      expect(existsSync(beijing.PGLITE_DIR!)).toBe(true);
    }
  });

  it('starts the gateway last, with every province URL and the national URL', async () => {
    const { env } = await stubEnv(federation.gatewayUrl);
    expect(env.PROVINCES).toBe(
      `110000=${federation.provinceUrls['110000']},450000=${federation.provinceUrls['450000']}`,
    );
    expect(env.NATIONAL_URL).toBe(federation.nationalUrl);
    expect(env.STUB_EXTRA).toBe('from gatewayEnv');
    expect(federation.provinceUrls['110000']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(federation.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('the national subgraph answers', async () => {
    const { data } = await graphqlRequest(federation.nationalUrl, `{ regions { code } }`);
    expect(data.regions).toHaveLength(31);
  });

  it('a restarted province is a new process at the same URL over the same data', async () => {
    const before = await stubEnv(federation.provinceUrls['450000']!);
    await federation.stopProvince('450000');
    await expect(fetch(new URL('/env', federation.provinceUrls['450000']!))).rejects.toThrow();
    await federation.startProvince('450000');
    await federation.startProvince('450000'); // already running: no-op
    const after = await stubEnv(federation.provinceUrls['450000']!);
    expect(after.pid).not.toBe(before.pid);
    expect(before.env.PORT).toBe('0'); // first start: the OS picked the port
    expect(after.env).toEqual({ ...before.env, PORT: new URL(federation.provinceUrls['450000']!).port });
    if (!DATABASE_URL) expect(after.starts).toBe(before.starts + 1);
  });

  it('a restarted gateway keeps its URL', async () => {
    const before = await stubEnv(federation.gatewayUrl);
    await federation.restartGateway();
    const after = await stubEnv(federation.gatewayUrl);
    expect(after.pid).not.toBe(before.pid);
    expect(after.env.PROVINCES).toBe(before.env.PROVINCES);
  });

  it('rejects unknown provinces in stop/start', async () => {
    await expect(federation.stopProvince('440000')).rejects.toThrow(/not part of this federation/);
  });
});

describe('startFederation lifecycle', () => {
  it('close() stops every process and drops the storage', async () => {
    const federation = await startFederation({
      provinces: ['130000'],
      entries: { province: STUB, gateway: STUB },
    });
    const { env } = await stubEnv(federation.provinceUrls['130000']!);
    await federation.close();
    await federation.close(); // idempotent
    await expect(fetch(federation.nationalUrl)).rejects.toThrow();
    await expect(fetch(new URL('/env', federation.gatewayUrl))).rejects.toThrow();
    if (DATABASE_URL) expect(await databaseExists(new URL(env.DATABASE_URL!).pathname.slice(1))).toBe(false);
    else expect(existsSync(env.PGLITE_DIR!)).toBe(false);
  });

  it('a province that fails to start stops everything already started and is reported', async () => {
    let nationalUrl: string | undefined;
    const started = startFederation({
      provinces: ['130000'],
      entries: { province: 'scripts/src/harness/fixtures/missing.ts', gateway: STUB },
      onLog: (service, line) => {
        if (service === 'national' && line.includes('"listening"')) nationalUrl = JSON.parse(line).url;
      },
    });
    await expect(started).rejects.toThrow(/province 130000: exited before listening[\s\S]*missing\.ts/);
    if (nationalUrl) await expect(fetch(nationalUrl)).rejects.toThrow();
  });

  it('validates province codes', async () => {
    await expect(startFederation({ provinces: ['450200'] })).rejects.toThrow(/not a province code/);
    await expect(startFederation({ provinces: [] })).rejects.toThrow(/at least one/);
  });
});

describe(`several provinces in one process (HOSTED_PROVINCES) on ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  let federation: RunningFederation;
  const PROVINCES = ['110000', '130000', '450000'];
  beforeAll(async () => {
    federation = await startFederation({ provinces: PROVINCES, provincesPerProcess: 2 });
  }, 180_000);
  afterAll(() => federation?.close());

  it('should give each province of a process its own port and database', async () => {
    const urls = PROVINCES.map((code) => federation.provinceUrls[code]!);
    expect(new Set(urls).size).toBe(3);
    for (const [i, code] of PROVINCES.entries()) {
      const health = (await (await fetch(new URL('/health', urls[i]))).json()) as { province: string };
      expect(health.province).toBe(code);
    }
    // Hebei shares Beijing's process: a worker registered there is counted in Hebei alone.
    const home = '130102';
    await graphqlData(
      federation.gatewayUrl,
      `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`,
      {
        input: {
          name: '同进程',
          idNumber: residentIdFrom(home, '19900101', 7),
          phone: '13900001301',
          homeRegion: home,
        },
      },
      await federation.authorization('province', '130000'),
    );
    const data = await graphqlData<{
      summary: { children: { scope: string; workers: { registered: number } }[] };
    }>(
      federation.gatewayUrl,
      `{ summary { children { scope workers { registered } } } }`,
      {},
      await federation.authorization('ministry'),
    );
    const registered = Object.fromEntries(data.summary.children.map((c) => [c.scope, c.workers.registered]));
    expect(PROVINCES.map((code) => registered[code])).toEqual([0, 1, 0]);
  });

  it('should refuse to stop or start one province of a shared process', async () => {
    await expect(federation.stopProvince('110000')).rejects.toThrow(/share processes/);
    await expect(federation.startProvince('110000')).rejects.toThrow(/share processes/);
  });

  it('should stop the whole process, after closing those started, when one of its provinces cannot start', async () => {
    const started = startService({
      name: 'provinces 450000,440000',
      entry: SERVICE_ENTRIES.province,
      env: {
        P2P_DEV: '1',
        ALLOW_UNSIGNED: '1',
        HOSTED_PROVINCES: JSON.stringify([
          { PROVINCE: '450000', PORT: '0' },
          // no server listens on port 1: this province cannot open its database
          { PROVINCE: '440000', PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/p2p_none' },
        ]),
      },
      listeners: 2,
    });
    const error = await started.then(
      () => '',
      (err: Error) => err.message,
    );
    // Guangxi listened, then was closed when Guangdong failed; the process exited 1 saying why.
    expect(error).toMatch(/exited before listening \(code 1\)/);
    expect(error).toMatch(/"province":"450000".*"msg":"listening"/);
    expect(error).toMatch(/province failed to start.*province 440000: connect ECONNREFUSED/);
  });
});
