/**
 * The whole nation (#17): the 31 provinces of GB/T 2260, national and the gateway, every province
 * a real province service on a loopback port over a PostgreSQL database of its own (a pool of one
 * connection: 31 × (1 + 1 LISTEN) fit a server of 100 connections), all in this test's process so
 * 31 services start in seconds rather than as 31 Node processes (`npm start -- --provinces all`
 * starts them as processes). One worker is registered in every province through the gateway;
 * the ministry's national summary and its children must then count each in its own province: a
 * national query touches all 31, and a province stopped leaves only its own child unavailable.
 *
 * Runs in the `nation` project of vitest.config.ts, in the group beside the unit tests (which open
 * no database), never beside another file that opens databases. Needs PostgreSQL (DATABASE_URL,
 * as CI sets it): 31 embedded databases in one process are the launcher's case, not the suite's.
 */
import { startGateway, type RunningGateway } from '@p2p/gateway';
import { startNational, type RunningNational } from '@p2p/national';
import { startProvince, type ProvinceService } from '@p2p/province';
import { createProvinceDatabase, silentLog, type TestDatabase } from '@p2p/province/testing';
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { childRegionCodes, generateGatewayKeyPair, residentIdFrom } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationTokens } from '../harness/federation-auth.js';

const PROVINCES = [...childRegionCodes(null)];
const databaseUrl = process.env.DATABASE_URL || undefined;
if (!databaseUrl && process.env.CI) throw new Error('the 31-province test needs DATABASE_URL in CI');

/** A county (or, for a city without counties, the city) of `province`: the worker's home. */
function homeIn(province: string): string {
  const city = childRegionCodes(province)[0]!;
  return childRegionCodes(city)[0] ?? city;
}

/** Runs `task` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

const REGISTER = `mutation Register($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id homeRegion { code } }
}`;

const NATION_SUMMARY = `query Nation {
  summary { workers { registered } children { scope workers { registered } } }
}`;

interface NationAnswer {
  summary: {
    workers: { registered: number };
    children: { scope: string; workers: { registered: number } }[];
  };
}

describe.skipIf(!databaseUrl)('the 31 provinces on PostgreSQL', () => {
  const databases: TestDatabase[] = [];
  const provinces = new Map<string, ProvinceService>();
  let national: RunningNational | undefined;
  let gateway: RunningGateway | undefined;
  const tokens = federationTokens();

  beforeAll(async () => {
    const keys = await generateGatewayKeyPair();
    national = await startNational({ port: 0, logger: silentLog });
    await inBatches(PROVINCES, 4, async (code) => {
      const database = await createProvinceDatabase(databaseUrl);
      databases.push(database);
      const service = await startProvince({
        province: code,
        port: 0,
        databaseUrl: database.databaseUrl,
        databasePoolSize: 1,
        logLevel: 'silent',
        gatewayPublicKey: keys.publicKeyPem,
      });
      provinces.set(code, service);
    });
    gateway = await startGateway({
      port: 0,
      provinces: Object.fromEntries([...provinces].map(([code, p]) => [code, p.url.replace(/\/+$/, '')])),
      nationalUrl: national.url,
      development: true,
      auth: { signingKeyPem: keys.privateKeyPem },
      healthCheckIntervalMs: 0,
      provinceRetryAfterMs: 60_000,
      logger: silentLog,
    });
  }, 240_000);

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([...provinces.values()].map((p) => p.close()));
    await national?.close();
    await Promise.all(databases.map((d) => d.drop()));
  }, 120_000);

  it('should count in the national summary one worker registered in each of the 31 provinces', async () => {
    expect(PROVINCES).toHaveLength(31);
    await inBatches(PROVINCES, 8, async (province) => {
      const home = homeIn(province);
      const data = await graphqlData<{ registerWorker: { homeRegion: { code: string } } }>(
        gateway!.url,
        REGISTER,
        {
          input: {
            name: `全国测试${province.slice(0, 2)}`,
            idNumber: residentIdFrom(home, '19900101', Number(province.slice(0, 2))),
            phone: `1390000${province.slice(0, 4)}`,
            homeRegion: home,
          },
          key: `nation-${province}`,
        },
        await tokens.authorization('province', province),
      );
      expect(data.registerWorker.homeRegion.code).toBe(home);
    });

    const data = await graphqlData<NationAnswer>(
      gateway!.url,
      NATION_SUMMARY,
      {},
      await tokens.authorization('ministry'),
    );
    expect(data.summary.workers.registered).toBe(31);
    expect(data.summary.children.map((c) => c.scope)).toEqual(PROVINCES);
    // Each province answers for the worker whose home it is: a child of 1 is that province's answer.
    expect(data.summary.children.filter((c) => c.workers.registered !== 1)).toEqual([]);
  }, 120_000);

  it('should leave only the stopped province unavailable among the 31', async () => {
    const stopped = '650000';
    await provinces.get(stopped)!.close();
    provinces.delete(stopped);
    const answer = await graphqlRequest<NationAnswer>(
      gateway!.url,
      NATION_SUMMARY,
      {},
      await tokens.authorization('ministry'),
    );
    expect(answer.data?.summary.workers.registered).toBe(30);
    const children = answer.data?.summary.children ?? [];
    expect(children.filter((c) => c.workers.registered !== 1).map((c) => c.scope)).toEqual([stopped]);
    const codes = new Set((answer.errors ?? []).map((e) => e.extensions?.code));
    expect([...codes]).toEqual(['PROVINCE_UNAVAILABLE']);
    expect((answer.errors ?? []).every((e) => e.extensions?.province === stopped)).toBe(true);
  }, 60_000);
});
