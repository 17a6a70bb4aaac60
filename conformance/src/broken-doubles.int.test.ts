import { importGatewaySigningKey, residentIdFrom } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitRegions } from './kit-regions.js';
import { ProvinceLink } from './province-link.js';
import { kitCallers, runConformance, type ConformanceReport } from './runner.js';
import { startBrokenDouble, type BrokenDouble } from './testing/broken-doubles.js';
import { startKitProvince, type KitProvince } from './testing/kit-province.js';

const PROVINCE = '450000';

/** The record-behaviour checks (helper "records"). */
const RECORD_CHECKS = [
  'ids.own-province',
  'ids.wrong-province',
  'input.bad-region-read',
  'input.bad-region-write',
  'input.bad-resident-id',
  'idempotency.same-key',
  'pagination.keyset',
  'pagination.keyset-read',
  'entities.order',
];

function statusOf(report: ConformanceReport, id: string): string | undefined {
  return report.results.find((r) => r.id === id)?.status;
}

/** Workers the province already has (another city than the kit's): what read-only checks read. */
async function registerResidents(province: KitProvince, count: number): Promise<void> {
  const regions = kitRegions(PROVINCE);
  const link = new ProvinceLink({
    url: province.service.url,
    province: PROVINCE,
    signingKey: await importGatewaySigningKey(province.signingKeyPem),
  });
  for (let n = 0; n < count; n += 1)
    await link.data(
      'workers',
      'mutation Seed($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }',
      {
        input: {
          name: `居民${n}`,
          idNumber: residentIdFrom(regions.otherCityCounty, '19880402', 100 + n),
          phone: `1380000${String(n).padStart(4, '0')}`,
          homeRegion: regions.otherCityCounty,
        },
      },
      kitCallers(regions).provinceOfficer,
    );
}

describe('the kit against our own province service', () => {
  let province: KitProvince;
  beforeAll(async () => {
    province = await startKitProvince(PROVINCE);
    await registerResidents(province, 9);
  });
  afterAll(() => province?.close());

  it('should pass every check, the record checks included, when it may write', async () => {
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.signingKeyPem,
      seed: 19,
    });
    console.info(
      `conformance run against one province: ${report.durationMs} ms, ${report.results.length} results`,
    );
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed).toEqual([]);
    for (const id of RECORD_CHECKS)
      expect({ id, status: statusOf(report, id) }).toEqual({ id, status: 'pass' });
    expect(statusOf(report, 'cleanup.cancel-trips')).toBe('pass');
  }, 120_000);

  it("should pass the record checks that write nothing with --read-only and the province's read-only key, and skip the others", async () => {
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.readOnlyKeyPem,
      readOnly: true,
      only: ['ids', 'input', 'pagination', 'idempotency', 'entities'],
    });
    expect(report.results.map((r) => [r.id, r.status]).sort()).toEqual(
      [
        ['ids.own-province', 'pass'],
        ['ids.wrong-province', 'pass'],
        ['input.bad-region-read', 'pass'],
        ['pagination.keyset-read', 'pass'],
        ['input.bad-region-write', 'skip'],
        ['input.bad-resident-id', 'skip'],
        ['idempotency.same-key', 'skip'],
        ['pagination.keyset', 'skip'],
        ['entities.order', 'skip'],
      ].sort(),
    );
  }, 60_000);
});

describe('the kit against deliberately broken doubles', () => {
  let province: KitProvince;
  let double: BrokenDouble | undefined;
  beforeAll(async () => {
    province = await startKitProvince(PROVINCE);
  });
  afterAll(async () => {
    await double?.close();
    await province?.close();
  });

  const run = (url: string, only: string[]) =>
    runConformance({ province: PROVINCE, url, signingKeyPem: province.signingKeyPem, only, seed: 7 });

  it("should fail ids.wrong-province, and nothing of the schema, against a province answering another province's ids", async () => {
    double = await startBrokenDouble('answers-other-province-ids', province.service.url, PROVINCE);
    const report = await run(double.url, ['schema', 'ids']);
    await double.close();
    double = undefined;
    expect(statusOf(report, 'ids.wrong-province')).toBe('fail');
    expect(report.results.find((r) => r.id === 'ids.wrong-province')?.exchange?.answer).toMatchObject({
      data: { worker: { id: expect.stringMatching(/^W\d\d-/) } },
    });
    expect(statusOf(report, 'ids.own-province')).toBe('pass');
    const schema = report.results.filter((r) => r.id.startsWith('schema.'));
    expect(schema.length).toBeGreaterThan(0);
    expect(schema.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(report.passed).toBe(false);
  }, 60_000);

  it('should fail pagination.keyset, and not ids.wrong-province, against a province whose pagination skips', async () => {
    double = await startBrokenDouble('pagination-skips', province.service.url, PROVINCE);
    const report = await run(double.url, ['pagination.keyset', 'ids.wrong-province']);
    await double.close();
    double = undefined;
    expect(statusOf(report, 'pagination.keyset')).toBe('fail');
    expect(report.results.find((r) => r.id === 'pagination.keyset')?.message).toMatch(/no repeat, no gap/);
    expect(statusOf(report, 'ids.wrong-province')).toBe('pass');
  }, 60_000);
});
