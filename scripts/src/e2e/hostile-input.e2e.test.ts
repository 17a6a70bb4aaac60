/**
 * The fuzz of bad input (#11): over a thousand generated malformed or hostile operations —
 * wrong types, huge strings, deep nesting, unknown ids, other provinces' ids, malformed HTTP,
 * refused credentials — through the real gateway over real provinces on PostgreSQL, and a
 * hundred hostile subscriptions over graphql-ws. Asserts: no HTTP 5xx, every error carries a
 * registered `extensions.code` (never INTERNAL_SERVER_ERROR), and no table of any province
 * changed (row count and content hash of every table, before and after).
 * PostgreSQL only: the province databases are read directly to compare them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_JWT_SECRET, signDevToken } from '@p2p/gateway';
import { ERROR_CODES } from '@p2p/schema';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_DATA } from '../demo/data.js';
import { seedDemo } from '../demo/seed.js';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { databaseUrlFor } from '../harness/province-storage.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';
import { HostileGenerator, type HostileCaller, type HostileRequest } from './hostile-operations.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));
const DATABASE_URL = process.env.DATABASE_URL;
const PROVINCES = ['110000', '450000'];
const SEED = 20_200_220;
const OPERATIONS = 1_200;
const SUBSCRIPTIONS = 100;

/** Row count and content hash of every table of one database. */
async function snapshot(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ n: number; h: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h
           FROM "${name}" t`,
      );
      out[name] = `${rows[0]!.n} rows, ${rows[0]!.h}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** What one answer broke, or undefined when it is a clean refusal (or a clean answer). */
function problemOf(status: number, text: string): string | undefined {
  if (status >= 500) return `HTTP ${status}: ${text.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const answers = Array.isArray(body) ? body : [body];
  for (const answer of answers) {
    const errors =
      (answer as { errors?: { message: string; extensions?: { code?: unknown } }[] }).errors ?? [];
    for (const error of errors) {
      const code = error.extensions?.code;
      if (typeof code !== 'string' || !(code in ERROR_CODES))
        return `unregistered code ${String(code)}: ${error.message.slice(0, 200)}`;
      // A province that is not part of this federation is reported as such; any other
      // unavailability here would be a province that fell over on hostile input.
      const notConnected = code === 'PROVINCE_UNAVAILABLE' && /is not connected/.test(error.message);
      if (code === 'INTERNAL_SERVER_ERROR' || (code === 'PROVINCE_UNAVAILABLE' && !notConnected))
        return `${code}: ${error.message.slice(0, 200)}`;
    }
  }
  return undefined;
}

describe.skipIf(!servicesExist || !DATABASE_URL)('hostile input through the gateway (#11 fuzz)', () => {
  let federation: RunningFederation;
  const headers = new Map<HostileCaller, Record<string, string>>();
  let generator: HostileGenerator;
  let databases: string[];

  /** Waits until the provinces' background fold has nothing left to move (two equal snapshots). */
  const settledSnapshots = async () => {
    let previous = '';
    for (let i = 0; i < 30; i++) {
      const now = JSON.stringify(await Promise.all(databases.map(snapshot)));
      if (now === previous) return JSON.parse(now) as Record<string, string>[];
      previous = now;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    throw new Error('the province databases never settled');
  };

  beforeAll(async () => {
    federation = await startFederation({
      provinces: PROVINCES,
      gatewayEnv: { RATE_LIMIT_PER_SECOND: '0' },
    });
    const ids = await seedDemo(federation.gatewayUrl, {
      provinces: PROVINCES,
      tokenFor: federation.tokenFor,
      waitForRelay: () => federation.waitForRelay(),
    });
    const enterpriseId = ids.enterprises['bj-build']!;
    const enterpriseRegion = DEMO_DATA.enterprises.find((e) => e.key === 'bj-build')!.region;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    headers.set('anonymous', {});
    headers.set('ministry', await federation.authorization('ministry'));
    headers.set('guangxi', await federation.authorization('province', '450000'));
    headers.set('liuzhou', await federation.authorization('city', '450200'));
    headers.set('chaoyang', await federation.authorization('city', '110105'));
    headers.set('enterprise', await federation.authorization('enterprise', enterpriseRegion, enterpriseId));
    headers.set(
      'forged',
      bearer(await signDevToken({ role: 'ministry' }, { secret: `not-${DEV_JWT_SECRET}` })),
    );
    headers.set(
      'expired',
      bearer(await signDevToken({ role: 'province', region: '450000' }, { expiresIn: -60 })),
    );
    headers.set('garbage', { authorization: 'Bearer abc.def.ghi' });
    const values = (prefix: string, of: Record<string, string>) =>
      Object.values(of).filter((id) => id.startsWith(prefix));
    generator = new HostileGenerator(SEED, {
      guangxiWorkers: values('W45', ids.workers),
      beijingEnterprises: values('E11', ids.enterprises),
      guangxiTrips: values('T45', ids.trips),
      returnRequests: values('R', ids.returnRequests),
    });
    databases = PROVINCES.map((code) =>
      databaseUrlFor(DATABASE_URL!, new URL(federation.provinceStorage[code]!).pathname.slice(1)),
    );
  }, 240_000);
  afterAll(() => federation?.close(), 60_000);

  const send = async (request: HostileRequest) => {
    const url = new URL(federation.gatewayUrl);
    if (request.search) url.search = request.search;
    const res = await fetch(url, {
      method: request.method ?? 'POST',
      headers: {
        ...(request.method === 'GET' ? {} : { 'content-type': request.contentType ?? 'application/json' }),
        accept: 'application/graphql-response+json, application/json',
        ...headers.get(request.caller),
      },
      ...(request.method === 'GET' ? {} : { body: request.rawBody ?? JSON.stringify(request.body) }),
    });
    return { status: res.status, text: await res.text() };
  };

  it(`should refuse ${OPERATIONS} hostile operations cleanly and write nothing in any province`, async () => {
    const before = await settledSnapshots();
    const requests = generator.generate(OPERATIONS);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          let problem: string | undefined;
          try {
            const { status, text } = await send(request);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            problem = problemOf(status, text);
          } catch (err) {
            problem = `no answer: ${(err as Error).message} ${String((err as Error).cause ?? '')}`;
          }
          if (problem) problems.push(`${request.label} as ${request.caller}: ${problem}`);
        }
      }),
    );
    expect(problems.slice(0, 40), `${problems.length} answers broke the rules`).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    // Every family was exercised: many refusals, and some reads that answered.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    const after = await settledSnapshots();
    expect(after).toEqual(before);
  }, 300_000);

  it(`should refuse ${SUBSCRIPTIONS} hostile subscriptions with registered codes`, async () => {
    const before = await settledSnapshots();
    const url = federation.gatewayUrl.replace(/^http/, 'ws');
    const hostileArgs = [
      '',
      '45000',
      '999999',
      'abcdef',
      'x'.repeat(10_000),
      "450000'; DROP TABLE outbox; --",
      '450000',
    ];
    const hostileAfter = [null, '', 'garbage', 'e30', 'eyI0NTAwMDAiOi0xfQ', 'x'.repeat(5_000), '%%%'];
    const problems: string[] = [];
    for (let batch = 0; batch < SUBSCRIPTIONS / 10; batch++) {
      const caller = (['ministry', 'guangxi', 'chaoyang', 'enterprise', 'liuzhou'] as const)[batch % 5]!;
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: headers.get(caller),
        retryAttempts: 0,
        lazy: true,
      });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const n = batch * 10 + i;
          const field =
            n % 2 === 0
              ? 'arrivals(destination: $r, after: $a)'
              : 'returnRequestsFiled(origin: $r, after: $a)';
          const query = `subscription($r: RegionCode!, $a: String) { e: ${field} { cursor } }`;
          const variables = {
            r: hostileArgs[n % hostileArgs.length],
            a: hostileAfter[(n * 3) % hostileAfter.length],
          };
          return new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              stop();
              resolve();
            }, 400);
            const stop = client.subscribe(
              { query, variables },
              {
                next: (value) => {
                  for (const error of value.errors ?? []) {
                    const code = error.extensions?.code;
                    if (
                      typeof code !== 'string' ||
                      !(code in ERROR_CODES) ||
                      code === 'INTERNAL_SERVER_ERROR'
                    )
                      problems.push(
                        `${field} ${JSON.stringify(variables).slice(0, 80)}: ${String(code)} ${error.message}`,
                      );
                  }
                },
                error: (error) => {
                  const list = Array.isArray(error) ? error : [];
                  for (const e of list as { message: string; extensions?: { code?: unknown } }[]) {
                    const code = e.extensions?.code;
                    if (
                      typeof code !== 'string' ||
                      !(code in ERROR_CODES) ||
                      code === 'INTERNAL_SERVER_ERROR'
                    )
                      problems.push(
                        `${field} ${JSON.stringify(variables).slice(0, 80)}: ${String(code)} ${e.message}`,
                      );
                  }
                  clearTimeout(timer);
                  resolve();
                },
                complete: () => {
                  clearTimeout(timer);
                  resolve();
                },
              },
            );
          });
        }),
      );
      await client.dispose();
    }
    expect(problems.slice(0, 20), `${problems.length} subscription answers broke the rules`).toEqual([]);
    expect(await settledSnapshots()).toEqual(before);
  }, 120_000);
});
