import { encodeId } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../db/sql-rows.js';
import { expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

/**
 * The bulk forms of a worker's reports (#13.5) and grouping workers by travel intent (#13.6),
 * through the province's GraphQL (unrestricted: the access rules are in access/worker-role.int.test.ts).
 */

const REGISTER_MANY = `mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }`;
const HEALTH_MANY = `mutation($items: [HealthCheckItemInput!]!, $key: String) {
  recordHealthChecks(items: $items, idempotencyKey: $key) {
    items { index record { id health { code testedAt nucleicAcid } } error { code message } }
  }
}`;
const INTENT_MANY = `mutation($items: [TravelIntentItemInput!]!, $key: String) {
  reportTravelIntents(items: $items, idempotencyKey: $key) {
    items { index record { id travelIntent { earliestDate latestDate destination { code } mode } } error { code message } }
  }
}`;
const HEALTH = `mutation($id: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $input) { id } }`;
const INTENT = `mutation($id: ID!, $input: TravelIntentInput!) { reportTravelIntent(workerId: $id, input: $input) { id } }`;
const BY_INTENT = `query($home: RegionCode!, $status: WorkerStatus, $intent: TravelIntentFilter, $first: Int, $after: String) {
  workers(homeRegion: $home, status: $status, intent: $intent, first: $first, after: $after) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}`;

const p = useTestProvince('450000');

let serial = 0;
/** Registers `n` workers of `home` (default Liuzhou 450203) and returns their ids. */
async function register(n: number, home = '450203'): Promise<string[]> {
  const inputs = Array.from({ length: n }, () => ({
    name: '韦工人',
    idNumber: residentId(home, '19870707', ++serial),
    phone: '13800138000',
    homeRegion: home,
  }));
  return expectData(await p.gql('workers', REGISTER_MANY, { inputs })).registerWorkers.map(
    (w: { id: string }) => w.id,
  );
}

const check = (checkedAt: string, code = 'GREEN') => ({
  code,
  issuedBy: '450000',
  checkedAt,
  validUntil: new Date(Date.parse(checkedAt) + 7 * 86_400_000).toISOString(),
  nucleicAcid: 'NEGATIVE',
  testedAt: checkedAt,
});
const intent = (earliestDate: string, latestDate: string, destination = '440300') => ({
  earliestDate,
  latestDate,
  destination,
  mode: 'BUS',
});
const guangdongWorker = encodeId('Worker', '440000');
const unknownWorker = encodeId('Worker', '450000');

/** Runs `fn` with the province's statements recorded; returns those matching `pattern`. */
async function statementsOf(pattern: RegExp, fn: () => Promise<unknown>): Promise<string[]> {
  const { statements } = p.service.db;
  statements.recording = true;
  statements.reset();
  try {
    await fn();
    return statements.recorded.filter((s) => pattern.test(s));
  } finally {
    statements.recording = false;
  }
}

describe('recordHealthChecks', () => {
  it('should record every good item with ONE update and fail each bad item alone, writing nothing for it', async () => {
    const [a, b, c] = await register(3);
    const items = [
      { workerId: a, input: check('2020-02-18T09:00:00+08:00') },
      { workerId: unknownWorker, input: check('2020-02-18T09:00:00+08:00') },
      { workerId: b, input: check('2999-01-01T00:00:00+08:00') },
      { workerId: guangdongWorker, input: check('2020-02-18T09:00:00+08:00') },
      { workerId: 'not-an-id', input: check('2020-02-18T09:00:00+08:00') },
      { workerId: c, input: check('2020-02-19T09:00:00+08:00', 'YELLOW') },
    ];
    let answer: Record<string, any> = {};
    const updates = await statementsOf(/^update "workers"/i, async () => {
      answer = expectData(await p.gql('workers', HEALTH_MANY, { items })).recordHealthChecks;
    });
    expect(updates).toHaveLength(1);
    expect(answer.items.map((i: any) => [i.index, i.record?.id ?? null, i.error?.code ?? null])).toEqual([
      [0, a, null],
      [1, null, 'NOT_FOUND'],
      [2, null, 'BAD_USER_INPUT'],
      [3, null, 'WRONG_PROVINCE'],
      [4, null, 'BAD_USER_INPUT'],
      [5, c, null],
    ]);
    // each error is the one the item would have had alone
    for (const index of [1, 2, 3, 4]) {
      const alone = await p.gql('workers', HEALTH, {
        id: items[index]!.workerId,
        input: items[index]!.input,
      });
      expect(answer.items[index].error.message).toBe(alone.errors?.[0]?.message);
    }
    expect(answer.items[0].record.health).toMatchObject({ code: 'GREEN', nucleicAcid: 'NEGATIVE' });
    expect(answer.items[5].record.health.code).toBe('YELLOW');
    const rows = rowsOf<{ id: string; health_code: string | null; health_source: string | null }>(
      await p.service.db.db.execute(
        sql`select id, health_code, health_source from workers where id = ANY(${sql.param([a, b, c])}::text[])`,
      ),
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.health_code, r.health_source]]))).toEqual({
      [a!]: ['GREEN', 'OFFICER'],
      [b!]: [null, null],
      [c!]: ['YELLOW', 'OFFICER'],
    });
  });

  it('should keep the most recent test of a worker given twice in one call, as if given one after the other', async () => {
    const [w] = await register(1);
    const { items } = expectData(
      await p.gql('workers', HEALTH_MANY, {
        items: [
          { workerId: w, input: check('2020-02-19T09:00:00+08:00', 'RED') },
          { workerId: w, input: check('2020-02-18T09:00:00+08:00', 'GREEN') },
        ],
      }),
    ).recordHealthChecks;
    expect(items.map((i: any) => i.record.health.code)).toEqual(['RED', 'RED']);
    expect(items.every((i: any) => i.error === null)).toBe(true);
  });

  it('should return the same items, errors included, for the same key, and write nothing more', async () => {
    const [w] = await register(1);
    const items = [
      { workerId: w, input: check('2020-02-18T09:00:00+08:00') },
      { workerId: unknownWorker, input: check('2020-02-18T09:00:00+08:00') },
    ];
    const first = expectData(await p.gql('workers', HEALTH_MANY, { items, key: 'health-batch-1' }));
    // a newer check in between: the replay returns the records as they are now, the outcomes as first given
    await p.gql('workers', HEALTH, { id: w, input: check('2020-02-20T09:00:00+08:00', 'YELLOW') });
    const updates = await statementsOf(/^update "workers"/i, async () => {
      const again = expectData(await p.gql('workers', HEALTH_MANY, { items, key: 'health-batch-1' }));
      expect(again.recordHealthChecks.items.map((i: any) => i.error)).toEqual(
        first.recordHealthChecks.items.map((i: any) => i.error),
      );
      expect(again.recordHealthChecks.items[0].record).toMatchObject({ id: w, health: { code: 'YELLOW' } });
    });
    expect(updates).toEqual([]);
    expectError(
      await p.gql('workers', HEALTH_MANY, { items: items.slice(0, 1), key: 'health-batch-1' }),
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it('should refuse more than 1,000 items as a whole with BAD_USER_INPUT, and take 1,000', async () => {
    const [w] = await register(1);
    const item = { workerId: w, input: check('2020-02-18T09:00:00+08:00') };
    const refused = await p.gql('workers', HEALTH_MANY, { items: Array(1_001).fill(item) });
    expectError(refused, 'BAD_USER_INPUT', /at most 1000 items/);
    expect((refused.errors?.[0]?.extensions as any)?.field).toBe('items');
    const taken = expectData(await p.gql('workers', HEALTH_MANY, { items: Array(1_000).fill(item) }));
    expect(taken.recordHealthChecks.items).toHaveLength(1_000);
  });

  it('should run overlapping calls given in opposite orders side by side, without a deadlock', async () => {
    const ids = await register(200);
    const items = (testedAt: string) => ids.map((workerId) => ({ workerId, input: check(testedAt) }));
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        p.gql('workers', HEALTH_MANY, { items: items(`2020-02-1${round}T09:00:00+08:00`) }),
        p.gql('workers', HEALTH_MANY, { items: items(`2020-02-1${round}T10:00:00+08:00`).reverse() }),
      ]);
      for (const answer of answers) expect(answer.errors).toBeUndefined();
    }
  });

  it('should answer an empty call with no items', async () => {
    expect(expectData(await p.gql('workers', HEALTH_MANY, { items: [] })).recordHealthChecks).toEqual({
      items: [],
    });
  });
});

describe('reportTravelIntents', () => {
  it('should report every good item with ONE update, each bad item failing alone', async () => {
    const [a, b] = await register(2);
    const items = [
      { workerId: a, input: intent('2020-03-01', '2020-03-05') },
      { workerId: b, input: intent('2020-03-05', '2020-03-01') },
      { workerId: unknownWorker, input: intent('2020-03-01', '2020-03-05') },
      { workerId: guangdongWorker, input: intent('2020-03-01', '2020-03-05') },
    ];
    let answer: Record<string, any> = {};
    const updates = await statementsOf(/^update "workers"/i, async () => {
      answer = expectData(await p.gql('workers', INTENT_MANY, { items })).reportTravelIntents;
    });
    expect(updates).toHaveLength(1);
    expect(answer.items.map((i: any) => i.error?.code ?? i.record.id)).toEqual([
      a,
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'WRONG_PROVINCE',
    ]);
    const alone = await p.gql('workers', INTENT, { id: b, input: items[1]!.input });
    expect(answer.items[1].error.message).toBe(alone.errors?.[0]?.message);
    expect(answer.items[0].record.travelIntent).toEqual({
      earliestDate: '2020-03-01',
      latestDate: '2020-03-05',
      destination: { code: '440300' },
      mode: 'BUS',
    });
  });

  it('should keep the last intent given for a worker in one call', async () => {
    const [w] = await register(1);
    const { items } = expectData(
      await p.gql('workers', INTENT_MANY, {
        items: [
          { workerId: w, input: intent('2020-03-01', '2020-03-05', '440300') },
          { workerId: w, input: intent('2020-03-08', '2020-03-09', '110105') },
        ],
      }),
    ).reportTravelIntents;
    expect(items.map((i: any) => i.record.travelIntent.destination.code)).toEqual(['110105', '110105']);
  });

  it('should refuse more than 1,000 items as a whole, writing nothing', async () => {
    const [w] = await register(1);
    const refused = await p.gql('workers', INTENT_MANY, {
      items: Array(1_001).fill({ workerId: w, input: intent('2020-03-01', '2020-03-05') }),
    });
    expectError(refused, 'BAD_USER_INPUT', /at most 1000 items/);
    const { worker } = expectData(
      await p.gql('workers', 'query($id: ID!) { worker(id: $id) { travelIntent { earliestDate } } }', {
        id: w,
      }),
    );
    expect(worker.travelIntent).toBeNull();
  });
});

describe('workers(intent:)', () => {
  /** A Hechi (451200) county's workers, so the other tests' workers stay out. */
  const HOME = '451202';
  let ids: Record<'early' | 'late' | 'beijing' | 'travelling' | 'none', string>;

  it('should list the workers whose intent goes inside the destination with dates overlapping the window, both days included', async () => {
    const [early, late, beijing, travelling, none] = await register(5, HOME);
    ids = { early: early!, late: late!, beijing: beijing!, travelling: travelling!, none: none! };
    await p.gql('workers', INTENT_MANY, {
      items: [
        { workerId: early, input: intent('2020-03-01', '2020-03-05', '440305') },
        { workerId: late, input: intent('2020-03-10', '2020-03-12', '440300') },
        { workerId: beijing, input: intent('2020-03-01', '2020-03-12', '110105') },
        { workerId: travelling, input: intent('2020-03-01', '2020-03-12', '440306') },
      ],
    });
    const listed = async (intentFilter: Record<string, unknown>, status?: string) =>
      expectData(await p.gql('workers', BY_INTENT, { home: HOME, intent: intentFilter, status }))
        .workers.edges.map((e: { node: { id: string } }) => e.node.id)
        .sort();
    const sorted = (...names: (keyof typeof ids)[]) => names.map((n) => ids[n]).sort();
    expect(await listed({ destination: '440300' })).toEqual(sorted('early', 'late', 'travelling'));
    expect(await listed({ destination: '440000', from: '2020-03-05', to: '2020-03-05' })).toEqual(
      sorted('early', 'travelling'),
    );
    // the window's ends touch the intent's ends: included
    expect(await listed({ destination: '440300', from: '2020-03-12', to: '2020-03-20' })).toEqual(
      sorted('late', 'travelling'),
    );
    expect(await listed({ destination: '440300', from: '2020-02-20', to: '2020-03-01' })).toEqual(
      sorted('early', 'travelling'),
    );
    // one day beyond: out
    expect(await listed({ destination: '440300', from: '2020-03-06', to: '2020-03-09' })).toEqual(
      sorted('travelling'),
    );
    expect(await listed({ destination: '440300', from: '2020-03-13' })).toEqual([]);
    expect(await listed({ destination: '440300', to: '2020-02-29' })).toEqual([]);
  });

  it('should combine with status, page by id and count the filtered workers', async () => {
    await p.gql(
      'workers',
      'mutation($id: ID!) { reportEmployment(workerId: $id, workRegion: "440306") { id } }',
      { id: ids.travelling },
    );
    const atHome = expectData(
      await p.gql('workers', BY_INTENT, { home: HOME, status: 'AT_HOME', intent: { destination: '440300' } }),
    ).workers;
    expect(atHome.totalCount).toBe(2);
    expect(atHome.edges.map((e: any) => e.node.id).sort()).toEqual([ids.early, ids.late].sort());
    const first = expectData(
      await p.gql('workers', BY_INTENT, { home: HOME, intent: { destination: '440000' }, first: 2 }),
    ).workers;
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const rest = expectData(
      await p.gql('workers', BY_INTENT, {
        home: HOME,
        intent: { destination: '440000' },
        first: 2,
        after: first.pageInfo.endCursor,
      }),
    ).workers;
    expect(rest).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false } });
    const pages = [...first.edges, ...rest.edges].map((e: any) => e.node.id);
    expect(pages).toEqual([...pages].sort());
    expect(new Set(pages).size).toBe(3);
  });

  it('should refuse a window that ends before it starts, and a destination that is no region', async () => {
    expectError(
      await p.gql('workers', BY_INTENT, {
        home: HOME,
        intent: { destination: '440300', from: '2020-03-10', to: '2020-03-09' },
      }),
      'BAD_USER_INPUT',
      /intent.to must not be before intent.from/,
    );
    expectError(
      await p.gql('workers', BY_INTENT, { home: HOME, intent: { destination: '449999' } }),
      'BAD_USER_INPUT',
    );
  });

  it('should be able to find the workers through workers_intent_idx', async () => {
    // what the planner can do, whatever it prefers on a few rows: no sequential scan, and the home
    // region's index dropped in a transaction that is rolled back
    let plan = '';
    await p.service.db.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local enable_indexscan = off`);
        await tx.execute(sql`drop index workers_home_region_idx`);
        plan = rowsOf<{ 'QUERY PLAN': string }>(
          await tx.execute(
            sql`explain select id from workers where home_region like '4512%' and intent_destination is not null
                  and intent_destination like '4403%' and intent_latest_date >= '2020-03-01' and intent_earliest_date <= '2020-03-05'
                  order by id limit 21`,
          ),
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        tx.rollback();
      })
      .catch((err: Error) => {
        if (!/rollback/i.test(err.message)) throw err;
      });
    expect(plan).toMatch(/workers_intent_idx/);
    expect(plan).toMatch(/Index Cond: .*intent_destination >= '4403'.*intent_latest_date >= '2020-03-01'/);
  });
});
