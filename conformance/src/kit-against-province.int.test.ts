/**
 * The kit as a province IT team runs it, against OUR province service started in this process: it
 * must conform 100% (every check passes) on PGlite and on Postgres; a `--read-only` run writes
 * nothing and skips exactly the writing checks; a run without a key runs only the unsigned checks.
 */
import { encodeId, importGatewaySigningKey } from '@p2p/schema';
import type { ProvinceService } from '@p2p/province';
import { createProvinceDatabase, type TestDatabase } from '@p2p/province/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceCheck } from './check.js';
import { ALL_CHECKS } from './checks/index.js';
import { KitRecords } from './kit-records.js';
import { kitRegions } from './kit-regions.js';
import { ProvinceLink, kitIdempotencyKey } from './province-link.js';
import { seededRandom } from './seeded-random.js';
import { startKitProvince, type KitProvince } from './testing/kit-province.js';
import { CLEANUP_CHECK_ID, kitCallers, runConformance, type ConformanceReport } from './runner.js';

const PROVINCE = '450000';
const SEED = 20_200_210;
/** Workers the province has before the kit runs. */
const EXISTING_WORKERS = 4;

/**
 * Checks our province may skip in a full signed run, and why. None: everything the kit checks, our
 * service serves (a check that skips against it would be a check nobody ever saw pass). On an EMPTY
 * instance `pagination.keyset-read` must skip (nothing to page without writing), which is why the
 * province is given a few workers first, as any province in service has.
 */
const MAY_SKIP: ReadonlySet<string> = new Set();

/** The checks that need no signature (the rest need `--token-key`). */
const UNSIGNED = ['auth.unsigned-refused', 'auth.unsigned-subscription-refused'];

const WRITING = ALL_CHECKS.filter((c) => c.writes).map((c) => c.id);

/**
 * Read-only checks that must skip with the province's own read-only key (`CONFORMANCE_PUBLIC_KEY`):
 * it serves GraphQL queries only, so `subscriptions.scope` cannot open the gateway's link.
 */
const READ_ONLY_KEY_SKIPS = ['subscriptions.scope'];

/** Our province, trusting a fresh kit key pair (as a disposable instance is started for the kit). */
const startTrustingProvince = (database: TestDatabase): Promise<KitProvince> =>
  startKitProvince(PROVINCE, database);

/**
 * Rows of every table of the province's database (outbox, idempotency keys, records…), by table,
 * once the province's own background fold of its statistics has caught up (it moves rows between
 * its statistics tables by itself, whatever the kit does).
 */
async function rowCounts(service: ProvinceService): Promise<Record<string, number>> {
  await service.statistics.foldNow();
  const db = service.db.db as unknown as { execute(q: string): Promise<unknown> };
  const rows = (result: unknown) =>
    (Array.isArray(result) ? result : ((result as { rows: unknown[] }).rows ?? [])) as Record<
      string,
      unknown
    >[];
  const tables = rows(
    await db.execute(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    ),
  ).map((r) => String(r.table_name));
  const counts: Record<string, number> = {};
  for (const table of tables)
    counts[table] = Number(rows(await db.execute(`SELECT count(*) AS n FROM "${table}"`))[0]?.n);
  return counts;
}

const byId = (report: ConformanceReport) => new Map(report.results.map((r) => [r.id, r]));

/** What failed, with why: the assertion's message names the checks. */
const failures = (report: ConformanceReport) =>
  report.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`);

/** A check of this test (not of the kit): plans one trip of the kit's, so the run must cancel it at the end. */
const planningCheck: ConformanceCheck = {
  id: 'test.plans-a-trip',
  title: 'plans one trip from the test county (this test only)',
  writes: true,
  async run(kit) {
    const departure = Date.now() + 86_400_000;
    const { data } = await kit.link.data(
      'transport',
      `mutation KitPlan($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { id status } }`,
      {
        input: {
          mode: 'BUS',
          vehicleCode: `KIT-${kit.runId}`,
          origin: kit.regions.testCounty,
          destination: kit.regions.otherProvinceCounty,
          departureAt: new Date(departure).toISOString(),
          expectedArrivalAt: new Date(departure + 8 * 3_600_000).toISOString(),
          capacity: 40,
        },
        key: kitIdempotencyKey(kit.runId),
      },
      kit.callers.provinceOfficer,
    );
    plannedTrips.push(data.planTrip.id);
    kit.records.planned(data.planTrip.id);
  },
};
const plannedTrips: string[] = [];

function conformsOn(storage: string, database: () => Promise<TestDatabase>) {
  let province: KitProvince;

  beforeAll(async () => {
    province = await startTrustingProvince(await database());
    // Records already there (read by the read-only checks): workers registered by the province's officer.
    const regions = kitRegions(PROVINCE);
    const link = new ProvinceLink({
      url: province.service.url,
      province: PROVINCE,
      signingKey: await importGatewaySigningKey(province.signingKeyPem),
    });
    await new KitRecords(
      link,
      regions,
      'existing',
      kitCallers(regions).provinceOfficer,
      seededRandom(SEED + 1),
    ).population(EXISTING_WORKERS);
  });
  afterAll(async () => {
    await province?.close();
  });

  it(`should pass every check against our province on ${storage}`, async () => {
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.signingKeyPem,
      seed: SEED,
    });
    expect(failures(report)).toEqual([]);
    const skipped = report.results.filter((r) => r.status === 'skip' && !MAY_SKIP.has(r.id));
    expect(skipped.map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.passed).toBe(true);
    // Every check of the kit ran once, in order; the clean-up line only when a check planned trips.
    const ids = report.results.map((r) => r.id).filter((id) => id !== CLEANUP_CHECK_ID);
    expect(ids).toEqual(ALL_CHECKS.map((c) => c.id));
    expect(report.counts).toEqual({
      pass: report.results.length - report.counts.skip,
      fail: 0,
      skip: report.results.filter((r) => MAY_SKIP.has(r.id)).length,
    });
    const cleanup = byId(report).get(CLEANUP_CHECK_ID);
    if (cleanup) expect(cleanup.status).toBe('pass');
    expect(report).toMatchObject({
      kit: 'p2p-conformance',
      contract: '1.2',
      province: PROVINCE,
      url: province.service.url,
      readOnly: false,
      seed: SEED,
      signed: true,
      only: null,
      complete: true,
    });
  });

  it(`should cancel at the end every trip a check planned, in a line of its own (${storage})`, async () => {
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.signingKeyPem,
      checks: [planningCheck],
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['test.plans-a-trip', 'pass'],
      [CLEANUP_CHECK_ID, 'pass'],
    ]);
    expect(report.counts).toEqual({ pass: 2, fail: 0, skip: 0 });
    // The trip is still there, cancelled (the contract deletes nothing), as the province officer reads it.
    const link = new ProvinceLink({
      url: province.service.url,
      province: PROVINCE,
      signingKey: await importGatewaySigningKey(province.signingKeyPem),
    });
    const { data } = await link.data(
      'transport',
      'query KitTrip($id: ID!) { trip(id: $id) { id status } }',
      { id: plannedTrips.at(-1) },
      kitCallers(kitRegions(PROVINCE)).provinceOfficer,
    );
    expect(data.trip).toEqual({ id: plannedTrips.at(-1), status: 'CANCELLED' });
  });

  it(`should count a trip a check cancelled itself as cleaned up, and name one it could not cancel (${storage})`, async () => {
    const cancelsIt: ConformanceCheck = {
      id: 'test.cancels-it',
      title: 'plans a trip and cancels it itself (this test only)',
      writes: true,
      async run(kit) {
        await planningCheck.run(kit);
        await kit.link.data(
          'transport',
          'mutation($t: ID!) { cancelTrip(tripId: $t, reason: "test") { id } }',
          { t: plannedTrips.at(-1) },
          kit.callers.provinceOfficer,
        );
      },
    };
    // A trip the service does not know (NOT_FOUND, not CONFLICT) is not cleaned up.
    const unknown = encodeId('Trip', PROVINCE);
    const notesAnUnknownTrip: ConformanceCheck = {
      id: 'test.notes-an-unknown-trip',
      title: 'notes a trip id the service never planned (this test only)',
      writes: true,
      run: async (kit) => kit.records.planned(unknown),
    };
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.signingKeyPem,
      checks: [cancelsIt, notesAnUnknownTrip],
    });
    expect(report.results.map((r) => [r.id, r.status, r.message])).toEqual([
      ['test.cancels-it', 'pass', undefined],
      ['test.notes-an-unknown-trip', 'pass', undefined],
      [CLEANUP_CHECK_ID, 'fail', `not cancelled: ${unknown}`],
    ]);
  });

  it(`should write nothing with --read-only and the province's read-only key, and skip exactly the writing checks and subscriptions.scope (${storage})`, async () => {
    const before = await rowCounts(province.service);
    const report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.readOnlyKeyPem,
      readOnly: true,
      checks: [...ALL_CHECKS, planningCheck],
    });
    expect(await rowCounts(province.service)).toEqual(before);
    expect(failures(report)).toEqual([]);
    const skipped = report.results.filter((r) => r.status === 'skip');
    expect(skipped.map((r) => r.id).sort()).toEqual(
      [...WRITING, planningCheck.id, ...READ_ONLY_KEY_SKIPS].sort(),
    );
    for (const r of skipped.filter((r) => !READ_ONLY_KEY_SKIPS.includes(r.id)))
      expect(r.message).toBe('writes: not run with --read-only');
    // The province's read-only key opens no subscription link, so who may subscribe cannot be checked.
    expect(byId(report).get('subscriptions.scope')?.message).toContain('opens no subscription link');
    expect(byId(report).has(CLEANUP_CHECK_ID)).toBe(false);
    // A whole read-only run is a conformance report (its writing checks skip by design).
    expect(report).toMatchObject({ readOnly: true, passed: true, complete: true });
  });

  it(`should run only the unsigned checks without a key and say the others need --token-key (${storage})`, async () => {
    const report = await runConformance({ province: PROVINCE, url: province.service.url });
    const ran = report.results.filter((r) => r.status !== 'skip').map((r) => r.id);
    expect(ran).toEqual(UNSIGNED);
    expect(report.results.filter((r) => r.status === 'pass').map((r) => r.id)).toEqual(UNSIGNED);
    const others = report.results.filter((r) => !UNSIGNED.includes(r.id));
    expect(others.map((r) => r.id)).toEqual(
      ALL_CHECKS.map((c) => c.id).filter((id) => !UNSIGNED.includes(id)),
    );
    for (const r of others)
      expect(r).toMatchObject({ status: 'skip', message: expect.stringContaining('--token-key') });
    expect(report.counts).toEqual({ pass: UNSIGNED.length, fail: 0, skip: others.length });
    // Nothing failed, but a run without a key is no conformance report: the gateway refuses it.
    expect(report).toMatchObject({ passed: true, signed: false, complete: false });
  });
}

describe('the kit against our province service on PGlite', () => {
  // Forced: PGlite even where DATABASE_URL is set (CI), so both storages are covered there.
  conformsOn('PGlite', async () => ({ drop: async () => {} }));
});

describe.skipIf(!process.env.DATABASE_URL)(
  'the kit against our province service on Postgres (skipped: needs DATABASE_URL, which CI sets)',
  () => {
    conformsOn('Postgres', () => createProvinceDatabase());
  },
);

describe('the kit against a service that does not answer', () => {
  it('should fail every check it runs, the unsigned subscription one included (nothing refused is not a refusal)', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so every connection is refused.
    const report = await runConformance({ province: PROVINCE, url: 'http://127.0.0.1:9', only: ['auth'] });
    expect(report.results.filter((r) => r.status !== 'skip').map((r) => [r.id, r.status])).toEqual(
      UNSIGNED.map((id) => [id, 'fail']),
    );
    expect(report.passed).toBe(false);
  });
});
