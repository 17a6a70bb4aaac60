/**
 * The ministry's figures of #15 in one province: the openings and filled openings of key
 * enterprises (migration 0010) move with every change — registration, demand, a confirmed return
 * request, a key flip either way, a flip to the value it already has — and `out`/`outRate` follow
 * the workers' statuses; after every step the summary of many scopes equals the recount of the raw
 * records (unfolded and folded). Then report 001's series: key enterprises marked day after day
 * (1,330 → 9,138, scaled down tenfold) read back as daily snapshots through the province's HTTP
 * endpoint, the way the gateway resolves `dailySeries`. Runs on PGlite, or PostgreSQL with DATABASE_URL.
 */
import { DEV_WORKER_ID_KEY, encodeId } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { enterprises, statDelta } from '../db/schema/index.js';
import {
  registerEnterprise as registerOne,
  reportLaborDemand,
  setKeyEnterprise,
} from '../employment/mutations.js';
import {
  employ,
  expectCountersMatchRecords,
  expectData,
  expectError,
  registerEnterprise,
  registerWorkers,
  reportDemand,
  setKey,
  setWorkerStatus,
  startTestProvince,
  type TestProvince,
  workerInput,
  onStatDay,
  confirmOneOnPost,
} from '../testing/index.js';

const LIWAN = '440103';
const SHAMIAN = '440103001';
const DONGCHENG = '441900003';
const SCOPES = ['CN', '440000', '440100', LIWAN, SHAMIAN, '441900', DONGCHENG, '440300', '450000'];
const SET_KEY = `mutation($e: ID!, $k: Boolean!, $i: String) { setKeyEnterprise(enterpriseId: $e, key: $k, idempotencyKey: $i) { id key } }`;

describe(`key figures and workers gone out move with every change (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let a: string; // key from its registration, in Liwan
  let b: string; // not key, in Dongguan
  const deltaRows = async () =>
    Number((await p.service.db.db.select({ n: sql<number>`count(*)` }).from(statDelta))[0]!.n);
  const keyOf = async (id: string) =>
    (
      await p.service.db.db.select({ key: enterprises.key }).from(enterprises).where(eq(enterprises.id, id))
    )[0]!.key;

  beforeAll(async () => {
    p = await startTestProvince('440000');
  });
  afterAll(() => p?.close());

  it('should count the openings and filled openings of key enterprises only', async () => {
    a = await registerEnterprise(p, LIWAN, true);
    b = await registerEnterprise(p, DONGCHENG, false);
    let [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({
      keyEnterprises: 1,
      keyOpenings: 0,
      keyFilled: 0,
      keyFillRate: 0,
    });
    await reportDemand(p, a, 100, 30);
    await reportDemand(p, b, 50, 10);
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({
      openings: 150,
      filled: 40,
      keyOpenings: 100,
      keyFilled: 30,
      keyFillRate: 0.3,
    });
  });

  it('should count a return request confirmed on post at a key enterprise as a filled key opening', async () => {
    await confirmOneOnPost(p, a);
    const [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({ filled: 41, keyFilled: 31, keyFillRate: 0.31 });
  });

  it('should move the openings of an enterprise into the key figures when it becomes key, and out when it stops', async () => {
    await setKey(p, b, true);
    let [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({ keyEnterprises: 2, keyOpenings: 150, keyFilled: 41 });
    await setKey(p, a, false);
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({
      enterprises: 2,
      keyEnterprises: 1,
      openings: 150,
      keyOpenings: 50,
      keyFilled: 10,
      keyFillRate: 0.2,
    });
    // Demand of a key enterprise moves the key figures by the difference.
    await reportDemand(p, b, 40, 30);
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.employment).toMatchObject({ keyOpenings: 40, keyFilled: 30, keyFillRate: 0.75 });
  });

  it('should write nothing when an enterprise is set to the value it already has', async () => {
    await p.service.statistics.foldNow();
    const before = await deltaRows();
    const answer = expectData(await p.gql('employment', SET_KEY, { e: b, k: true }));
    expect(answer.setKeyEnterprise).toEqual({ id: b, key: true });
    expectData(await p.gql('employment', SET_KEY, { e: a, k: false }));
    expect(await deltaRows()).toBe(before);
    await expectCountersMatchRecords(p, SCOPES);
  });

  it('should replay a call with the same idempotency key without flipping again', async () => {
    expect(
      expectData(await p.gql('employment', SET_KEY, { e: a, k: true, i: 'key-a-1' })).setKeyEnterprise,
    ).toEqual({ id: a, key: true });
    await setKey(p, a, false);
    // The replay answers the enterprise as it is now; it does not set it key again.
    expect(
      expectData(await p.gql('employment', SET_KEY, { e: a, k: true, i: 'key-a-1' })).setKeyEnterprise,
    ).toEqual({ id: a, key: false });
    expect(await keyOf(a)).toBe(false);
    await expectCountersMatchRecords(p, SCOPES);
  });

  it('should answer NOT_FOUND, WRONG_PROVINCE and BAD_USER_INPUT like the neighbouring mutations, writing nothing', async () => {
    const before = await p.fingerprint();
    expectError(
      await p.gql('employment', SET_KEY, { e: encodeId('Enterprise', '440000'), k: true }),
      'NOT_FOUND',
    );
    expectError(
      await p.gql('employment', SET_KEY, { e: encodeId('Enterprise', '450000'), k: true }),
      'WRONG_PROVINCE',
    );
    expectError(await p.gql('employment', SET_KEY, { e: 'not-an-id', k: true }), 'BAD_USER_INPUT');
    expectError(
      await p.gql('employment', SET_KEY, { e: encodeId('Worker', '440000'), k: true }),
      'BAD_USER_INPUT',
    );
    expect(await p.fingerprint()).toBe(before);
  });

  it('should count travelling, at work and under observation as gone out, outRate from the same counters', async () => {
    const ids = await registerWorkers(
      p,
      Array.from({ length: 8 }, () => workerInput(SHAMIAN)),
    );
    let [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({ registered: 8, out: 0, outRate: 0 });
    await employ(p, ids[0]!, LIWAN);
    await setWorkerStatus(p.service.db.db, [ids[1]!, ids[2]!], 'OBSERVATION');
    await setWorkerStatus(p.service.db.db, [ids[3]!], 'TRAVELLING');
    // reportStaffChange of a worker of this province: the STAFF fact sets him AT_WORK at once;
    // it fills no opening (that is reportLaborDemand's), so the key figures stay.
    expectData(
      await p.gql(
        'employment',
        'mutation($e: ID!, $w: ID!) { reportStaffChange(enterpriseId: $e, workerId: $w, change: ON_POST) { id } }',
        { e: b, w: ids[4]! },
      ),
    );
    [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({ out: 5, outRate: 5 / 8, underObservation: 2 });
    expect(nation!.employment).toMatchObject({ keyOpenings: 40, keyFilled: 30 });
  });
});

describe(`report 001's key-enterprise series over five days (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  // Report 001: key enterprises 1,330 (February 15) → 9,138, 75% of their gap filled; a tenth of it.
  const DAYS = ['2020-02-15', '2020-02-16', '2020-02-17', '2020-02-18', '2020-02-19'] as const;
  const KEY_BY_DAY = [133, 300, 500, 700, 914];
  /** Filled openings of each key enterprise (of 4) at the end of each day: 25% → 75%. */
  const FILLED_BY_DAY = [1, 1, 2, 2, 3];
  const OPENINGS = 4;
  let p: TestProvince;
  let ctx: ProvinceContext;
  const ids: string[] = [];

  const onDay = (day: string, work: (tx: Tx) => Promise<unknown>) => onStatDay(p, day, work);

  beforeAll(async () => {
    p = await startTestProvince('440000');
    ctx = createContext({
      province: '440000',
      db: p.service.db.db,
      workerIdKey: DEV_WORKER_ID_KEY,
      log: p.service.log,
    });
    // The enterprises and their gaps exist before the series starts (none key yet).
    await onDay('2020-02-14', async (tx) => {
      for (let i = 0; i < KEY_BY_DAY.at(-1)! + 100; i++) {
        const [id] = await registerOne(ctx, tx, {
          name: `重点企业${i}`,
          region: [LIWAN, SHAMIAN, DONGCHENG, '440303'][i % 4]!,
          sector: '制造业',
        });
        await reportLaborDemand(ctx, tx, id!, OPENINGS, 0);
        ids.push(id!);
      }
    });
    for (const [d, day] of DAYS.entries()) {
      await onDay(day, async (tx) => {
        for (const id of ids.slice(d === 0 ? 0 : KEY_BY_DAY[d - 1], KEY_BY_DAY[d]))
          await setKeyEnterprise(ctx, tx, id, true);
        for (const id of ids.slice(0, KEY_BY_DAY[d]))
          await reportLaborDemand(ctx, tx, id, OPENINGS, FILLED_BY_DAY[d]!);
      });
    }
  }, 120_000);
  afterAll(() => p?.close());

  /** The employment part of Summary(scope, day) for the five days, one `_entities` batch as the gateway sends for dailySeries. */
  const series = async (scope: string) => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { day employment { keyEnterprises keyOpenings keyFilled keyFillRate } } } }`;
    const r = DAYS.map((day) => ({ __typename: 'Summary', scope, day }));
    return expectData(await p.gql('employment', query, { r }))._entities as {
      day: string;
      employment: { keyEnterprises: number; keyOpenings: number; keyFilled: number; keyFillRate: number };
    }[];
  };

  it('should rise day after day from 133 to 914 key enterprises, 75% of their openings filled on the last day', async () => {
    for (const fold of [false, true]) {
      if (fold) await p.service.statistics.foldNow();
      const got = await series('440000');
      expect(got.map((s) => s.day)).toEqual([...DAYS]);
      const key = got.map((s) => s.employment.keyEnterprises);
      expect(key).toEqual(KEY_BY_DAY);
      for (let d = 1; d < key.length; d++) expect(key[d]!).toBeGreaterThan(key[d - 1]!);
      expect(got.map((s) => s.employment.keyOpenings)).toEqual(KEY_BY_DAY.map((n) => n * OPENINGS));
      expect(got.map((s) => s.employment.keyFilled)).toEqual(KEY_BY_DAY.map((n, d) => n * FILLED_BY_DAY[d]!));
      expect(got.at(-1)!.employment.keyFillRate).toBeCloseTo(0.75, 10);
      expect(got[0]!.employment.keyFillRate).toBeCloseTo(0.25, 10);
    }
    // A city's series counts its own enterprises only (a quarter of them in Dongguan).
    const dongguan = await series('441900');
    expect(dongguan.map((s) => s.employment.keyEnterprises)).toEqual(
      KEY_BY_DAY.map((n) => ids.slice(0, n).filter((_, i) => i % 4 === 2).length),
    );
  });
});
