/**
 * Counters live and die with the write's transaction: a mutation that fails after writing counts
 * nothing, concurrent writers never lose a count (they only append deltas), and only one fold
 * runs at a time on a database.
 */
import { DEV_WORKER_ID_KEY } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ProvinceContext } from '../context.js';
import { statDelta } from '../db/schema/index.js';
import { registerEnterprise } from '../employment/mutations.js';
import { runMutation } from '../mutation.js';
import {
  expectError,
  startTestProvince,
  type TestProvince,
  expectCountersMatchRecords,
  readSummaries,
  registerWorkers,
  workerInput,
} from '../testing/index.js';
import { planTrip } from '../transport/planning.js';
import { registerWorkers as registerWorkersIn } from '../workers/mutations.js';
import { FOLD_LOCK, foldDeltas } from './fold.js';

const SCOPES = ['CN', '450000', '450200', '450203', '450203001'];

describe(`counters and transactions (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  let ctx: ProvinceContext;
  const deltaRows = async () =>
    Number((await p.service.db.db.select({ n: sql<number>`count(*)` }).from(statDelta))[0]!.n);
  beforeAll(async () => {
    p = await startTestProvince('450000');
    await p.service.statistics.stop();
    ctx = createContext({
      province: '450000',
      db: p.service.db.db,
      workerIdKey: DEV_WORKER_ID_KEY,
      log: p.service.log,
    });
    await registerWorkers(p, [workerInput('450203001'), workerInput('450203')]);
  });
  afterAll(() => p?.close());

  it('a mutation that fails after its writes counts nothing (the deltas roll back with it)', async () => {
    const before = await readSummaries(p, SCOPES);
    const deltas = await deltaRows();
    const failing = runMutation(ctx, { operation: 'registerWorkers', args: {} }, async (tx, events) => {
      await registerWorkersIn(
        ctx,
        tx,
        Array.from({ length: 30 }, () => workerInput('450203001', 'REGISTERED_POOR')),
        true,
      );
      await planTrip(
        ctx,
        tx,
        {
          mode: 'TRAIN',
          vehicleCode: 'K1234',
          origin: '450203',
          destination: '440103',
          capacity: 100,
          departureAt: new Date('2020-02-20T08:00:00+08:00'),
          expectedArrivalAt: new Date('2020-02-21T08:00:00+08:00'),
        },
        events,
      );
      await registerEnterprise(ctx, tx, { name: '柳工', region: '450203', sector: '机械', key: true });
      throw new Error('the hand-over system is down');
    });
    await expect(failing).rejects.toThrow('hand-over system');
    expect(await deltaRows()).toBe(deltas);
    expect(await readSummaries(p, SCOPES)).toEqual(before);
  });

  it('a refused mutation counts nothing', async () => {
    const before = await readSummaries(p, SCOPES);
    const inputs = [
      workerInput('450203001'),
      { ...workerInput('450203001'), idNumber: '450203199001010000' },
    ];
    expectError(
      await p.gql('workers', 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }', {
        i: inputs,
      }),
      'BAD_USER_INPUT',
    );
    expect(await readSummaries(p, SCOPES)).toEqual(before);
  });

  it('concurrent registrations and employments lose no count', async () => {
    const ids = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        registerWorkers(p, [workerInput(i % 2 ? '450203001' : '450203002')]),
      ),
    );
    await Promise.all(
      ids
        .slice(0, 12)
        .map(([id], i) =>
          p.gql(
            'workers',
            'mutation($w: ID!, $r: RegionCode!) { reportEmployment(workerId: $w, workRegion: $r) { id } }',
            { w: id, r: i % 2 ? '450203' : '440103' },
          ),
        ),
    );
    const [nation] = await expectCountersMatchRecords(p, SCOPES);
    expect(nation!.workers).toMatchObject({ registered: 26, atWork: 12 });
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'a second fold skips while one holds the fold lock (PostgreSQL)',
    async () => {
      await registerWorkers(p, [workerInput('450203001')]);
      const db = p.service.db.db;
      await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${FOLD_LOCK})`);
        expect(await foldDeltas(db)).toMatchObject({ locked: false, deltas: 0 });
      });
      expect((await foldDeltas(db)).deltas).toBeGreaterThan(0);
      await expectCountersMatchRecords(p, SCOPES);
    },
  );
});
