/**
 * The background fold of the statistics deltas on PGlite or a fresh Postgres database
 * (DATABASE_URL): an idle province costs one read per interval and no transaction; committed
 * deltas are folded at the next interval.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { rowsOf } from '../db/sql-rows.js';
import { countedDb, startTestProvince, type TestProvince } from '../testing/index.js';
import { foldDeltas, startStatisticsFolder, type StatisticsFolder } from './fold.js';

const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`the statistics folder (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let province: TestProvince;
  let db: Db;
  let folder: StatisticsFolder | undefined;
  const pendingDeltas = async () =>
    rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM stat_delta`))[0]!.n;

  beforeAll(async () => {
    province = await startTestProvince('450000');
    db = province.service.db.db;
  });
  afterAll(async () => {
    await folder?.stop();
    await province?.close();
  });

  it('should open no transaction while nothing is pending, and fold what a mutation commits at the next interval', async () => {
    await foldDeltas(db);
    expect(await pendingDeltas()).toBe(0);
    const watched = countedDb(db);
    folder = startStatisticsFolder(watched.db, { intervalMs: 50 });
    await sleep(500);
    expect(watched.statements()).toBeGreaterThanOrEqual(3); // it did look, several times
    expect(watched.transactions()).toBe(0);

    const answer = await province.gql('transport', PLAN, {
      input: {
        mode: 'BUS',
        vehicleCode: '桂A·30001',
        origin: '450403',
        destination: '450102',
        departureAt: '2030-02-20T08:00:00+08:00',
        expectedArrivalAt: '2030-02-21T20:00:00+08:00',
        capacity: 40,
      },
    });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const deadline = Date.now() + 10_000;
    while ((await pendingDeltas()) > 0 && Date.now() < deadline) await sleep(50);
    expect(await pendingDeltas()).toBe(0);
    expect(watched.transactions()).toBeGreaterThanOrEqual(1);
  });
});
