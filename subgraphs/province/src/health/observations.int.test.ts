/**
 * Observation at the receiving place (#14.4), the `health` subgraph: Guangdong (440000) observes
 * Guangxi (450000) workers who travelled to Shenzhen; Guangxi, their home, follows through the
 * relay, carried here by hand (`factsToldTo` / `applyFactsTo`, the handlers the inbox runs).
 * Trips reach Guangxi's records as TRIP facts of a Guangdong pick-up bus, so nothing here depends
 * on the boarding gate. Access rules: `access/observation-access.int.test.ts`.
 * On PGlite, or fresh Postgres databases with DATABASE_URL.
 */
import type { ArrivalFeverFact, RelayedEvent, RelayedTrip, RelayFact, TripFact } from '@p2p/schema';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { observations } from '../db/schema/index.js';
import {
  applyFactsTo,
  employ,
  expectCountersMatchRecords,
  expectData,
  expectError,
  factsToldTo,
  registerWorkers,
  useTestProvince,
  workerInput,
} from '../testing/index.js';
import { FEVER_SITE } from './observation-facts.js';

const GD = '440000';
const GX = '450000';
const gd = useTestProvince(GD);
const gx = useTestProvince(GX);

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const OBSERVATION_FIELDS =
  'id worker { id } region { code } kind site reason trip { id } startedAt days endsAt endedAt outcome active';
const START = `mutation($i: StartObservationInput!, $k: String) { startObservation(input: $i, idempotencyKey: $k) { ${OBSERVATION_FIELDS} } }`;
const END = `mutation($o: ID!, $out: ObservationOutcome!, $k: String) { endObservation(observationId: $o, outcome: $out, idempotencyKey: $k) { ${OBSERVATION_FIELDS} } }`;
const ONE = `query($id: ID!) { observation(id: $id) { ${OBSERVATION_FIELDS} } }`;
const LIST = `query($r: RegionCode!, $a: Boolean, $f: Int, $after: String) { observations(region: $r, active: $a, first: $f, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id startedAt } } } }`;
const RECORD = `query($id: ID!) { worker(id: $id) { status workRegion { code } currentTrip { id } observation { id } } }`;

const start = (input: Record<string, unknown>, k?: string) => gd.gql('health', START, { i: input, k });
const end = (o: string, out: 'RELEASED' | 'TRANSFERRED_TO_HOSPITAL', k?: string) =>
  gd.gql('health', END, { o, out, k });
const observationRows = async () => gd.service.db.db.select().from(observations);
const homeRecord = async (id: string) => expectData(await gx.gql('workers', RECORD, { id })).worker;

let serial = 0;
/** A Guangdong pick-up bus from Liuzhou to Shenzhen, as the relay tells Guangxi. */
const pickUp = (): RelayedTrip => ({
  id: `T44-pickup${String(++serial).padStart(10, '0')}`,
  organizer: '440300',
  mode: 'BUS',
  vehicleCode: `粤B·${serial}`,
  origin: '450203',
  destination: '440300',
  departureAt: daysAgo(16),
  expectedArrivalAt: daysAgo(15),
  arrivedAt: null,
  status: 'PLANNED',
});
const tripFact = (event: TripFact['event'], trip: RelayedTrip, workers: string[]): TripFact => ({
  fact: 'TRIP',
  event,
  trip: {
    ...trip,
    status: ({ ASSIGNED: 'PLANNED', DEPARTED: 'DEPARTED', HANDED_OVER: 'HANDED_OVER' } as const)[
      event as 'ASSIGNED'
    ],
  },
  workers: workers.map((id) => ({ id, boarded: event !== 'ASSIGNED' })),
});
/** Guangxi learns that the bus took `workers` (assigned and departed with them aboard). */
async function onTheBus(trip: RelayedTrip, workers: string[], organiser = GD): Promise<void> {
  await applyFactsTo(gx.service, organiser, [
    tripFact('ASSIGNED', trip, workers),
    tripFact('DEPARTED', trip, workers),
  ]);
}

/** The positions the hand-carried relay has delivered, per direction. */
const carried = { toGx: 0, toGd: 0 };
/** Carries every fact told between the two provinces since the last call, both ways, until none is left. */
/**
 * Carries the facts both ways until none is left; returns those of observations (the health
 * copies a home sends the organiser of a trip, #14.1, are carried but not returned).
 */
async function relay(): Promise<{ toGx: RelayFact[]; toGd: RelayFact[] }> {
  const all = { toGx: [] as RelayFact[], toGd: [] as RelayFact[] };
  for (;;) {
    const toGx = await factsToldTo(gd.service, GX, carried.toGx);
    const toGd = await factsToldTo(gx.service, GD, carried.toGd);
    if (toGx.length + toGd.length === 0) return all;
    const move = async (events: RelayedEvent[], target: typeof gx, source: string, key: 'toGx' | 'toGd') => {
      if (events.length === 0) return;
      carried[key] = events.at(-1)!.seq;
      all[key].push(...events.map((e) => e.fact).filter((f) => f.fact !== 'HEALTH_COPY'));
      await applyFactsTo(target.service, source, events);
    };
    await move(toGx, gx, GD, 'toGx');
    await move(toGd, gd, GX, 'toGd');
  }
}

let travellers: string[] = [];
beforeAll(async () => {
  travellers = await registerWorkers(
    gx,
    Array.from({ length: 8 }, () => workerInput('450203')),
  );
  await onTheBus(pickUp(), travellers);
  await relay();
});

describe('startObservation (#14.4)', () => {
  it('should observe a worker of another province at a region of this one: ORDERED, 14 days from now by default', async () => {
    const before = Date.now();
    const { startObservation: o } = expectData(
      await start({ workerId: travellers[0], region: '440305', kind: 'HOME', site: '南山区某小区' }),
    );
    expect(o).toMatchObject({
      worker: { id: travellers[0] },
      region: { code: '440305' },
      kind: 'HOME',
      site: '南山区某小区',
      reason: 'ORDERED',
      trip: null,
      days: 14,
      endedAt: null,
      outcome: null,
      active: true,
    });
    expect(o.id).toMatch(/^O44-/);
    const startedAt = Date.parse(o.startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(o.endsAt) - startedAt).toBe(14 * DAY);
    expect(expectData(await gd.gql('health', ONE, { id: o.id })).observation).toEqual(o);
    const told = await relay();
    expect(told.toGx).toEqual([
      {
        fact: 'OBSERVATION',
        event: 'STARTED',
        observation: {
          id: o.id,
          workerId: travellers[0],
          region: '440305',
          kind: 'HOME',
          reason: 'ORDERED',
          tripId: null,
          startedAt: o.startedAt,
          days: 14,
          endedAt: null,
          outcome: null,
        },
      },
    ]);
  });

  it('should refuse a second active observation of the same worker in the province, in another city too (CONFLICT)', async () => {
    const [o] = (await observationRows()).filter((r) => r.workerId === travellers[0]);
    const again = await start({
      workerId: travellers[0],
      region: '441900',
      kind: 'CENTRALISED',
      site: '东莞隔离点',
    });
    expectError(again, 'CONFLICT', new RegExp(`already under observation ${o!.id}`));
    expect((await observationRows()).filter((r) => r.workerId === travellers[0])).toHaveLength(1);
  });

  it('should return the same observation for the same idempotency key', async () => {
    const input = {
      workerId: travellers[1],
      region: '440303',
      kind: 'CENTRALISED',
      site: '罗湖酒店',
      days: 21,
    };
    const first = expectData(await start(input, 'obs-key-1')).startObservation;
    const second = expectData(await start(input, 'obs-key-1')).startObservation;
    expect(second).toEqual(first);
    expect(first.days).toBe(21);
    const other = await start({ ...input, days: 20 }, 'obs-key-1');
    expectError(other, 'IDEMPOTENCY_CONFLICT');
    await relay();
  });

  it.each([
    ['a region of another province', { region: '450203' }, 'WRONG_PROVINCE', /belongs to province 450000/],
    [
      'a start in the future',
      { startedAt: new Date(Date.now() + DAY).toISOString() },
      'BAD_USER_INPUT',
      /future/,
    ],
    ['no days', { days: 0 }, 'BAD_USER_INPUT', /input\.days/],
    ['more than 60 days', { days: 61 }, 'BAD_USER_INPUT', /1 to 60/],
    ['an empty site', { site: '  ' }, 'BAD_USER_INPUT', /input\.site/],
    ['a site of 201 characters', { site: '站'.repeat(201) }, 'BAD_USER_INPUT', /at most 200/],
    ['a malformed worker id', { workerId: 'T45-notaworker0001' }, 'BAD_USER_INPUT', /not a Worker id/],
    [
      'a worker id naming no province',
      { workerId: 'W99-nosuchprovince01' },
      'BAD_USER_INPUT',
      /names no province/,
    ],
    [
      'an unknown worker of this province',
      { workerId: 'W44-nosuchworker0001' },
      'NOT_FOUND',
      /does not exist/,
    ],
  ])('should refuse %s and write nothing', async (_what, change, code, message) => {
    const before = await observationRows();
    const seqBefore = (await factsToldTo(gd.service, GX)).length;
    const answer = await start({
      workerId: travellers[7],
      region: '440303',
      kind: 'CENTRALISED',
      site: '罗湖酒店',
      ...change,
    });
    expectError(answer, code, message);
    expect(await observationRows()).toEqual(before);
    expect(await factsToldTo(gd.service, GX)).toHaveLength(seqBefore);
  });
});

describe('endObservation (#14.4)', () => {
  let old: string;
  let fresh: string;
  beforeAll(async () => {
    old = expectData(
      await start({
        workerId: travellers[2],
        region: '440304',
        kind: 'CENTRALISED',
        site: '福田隔离酒店',
        startedAt: daysAgo(15),
      }),
    ).startObservation.id;
    fresh = expectData(
      await start({ workerId: travellers[3], region: '440304', kind: 'HOME', site: '福田某小区' }),
    ).startObservation.id;
    await relay();
  });

  it('should refuse a release before its days have run, naming the date (CONFLICT)', async () => {
    const row = (await observationRows()).find((r) => r.id === fresh)!;
    const until = new Date(row.startedAt.getTime() + 14 * DAY).toISOString();
    const error = expectError(await end(fresh, 'RELEASED'), 'CONFLICT', new RegExp(`possible from ${until}`));
    expect(error.extensions?.endsAt).toBe(until);
    expect((await observationRows()).find((r) => r.id === fresh)).toEqual(row);
  });

  it('should release once the days have run, and refuse ending it twice (CONFLICT)', async () => {
    const { endObservation: o } = expectData(await end(old, 'RELEASED'));
    expect(o).toMatchObject({ id: old, outcome: 'RELEASED', active: false });
    expect(Date.now() - Date.parse(o.endedAt)).toBeLessThan(60_000);
    expectError(await end(old, 'RELEASED'), 'CONFLICT', /ended already \(RELEASED/);
    expectError(await end(old, 'TRANSFERRED_TO_HOSPITAL'), 'CONFLICT', /ended already/);
    const told = await relay();
    expect(told.toGx).toMatchObject([
      { fact: 'OBSERVATION', event: 'ENDED', observation: { id: old, outcome: 'RELEASED' } },
    ]);
  });

  it('should transfer to hospital at any time, and let a new observation start after it', async () => {
    const { endObservation: o } = expectData(await end(fresh, 'TRANSFERRED_TO_HOSPITAL', 'end-fresh'));
    expect(o).toMatchObject({ outcome: 'TRANSFERRED_TO_HOSPITAL', active: false });
    expect(expectData(await end(fresh, 'TRANSFERRED_TO_HOSPITAL', 'end-fresh')).endObservation).toEqual(o);
    const next = await start({ workerId: travellers[3], region: '440304', kind: 'HOME', site: '福田某小区' });
    expect(expectData(next).startObservation.active).toBe(true);
    await relay();
  });

  it('should answer WRONG_PROVINCE for another province’s observation and NOT_FOUND for an unknown one', async () => {
    expectError(await end('O45-elsewhere000001', 'RELEASED'), 'WRONG_PROVINCE', /province 450000/);
    expectError(await end('O44-nosuchobs000001', 'RELEASED'), 'NOT_FOUND');
    expectError(await end('T44-notanobserv0001', 'RELEASED'), 'BAD_USER_INPUT');
  });
});

describe('observations(region, active) (#14.4)', () => {
  it('should list the observations at a region or inside it by (startedAt, id), active or ended, in pages', async () => {
    const rows = (await observationRows()).filter((r) => r.region.startsWith('4403'));
    const sorted = [...rows].sort(
      (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    const walk = async (active?: boolean) => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = -1;
      for (;;) {
        const page: any = expectData(
          await gd.gql('health', LIST, { r: '440300', a: active, f: 2, after }),
        ).observations;
        total = page.totalCount;
        ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return { ids, total };
    };
    expect(await walk()).toEqual({ ids: sorted.map((r) => r.id), total: sorted.length });
    const active = sorted.filter((r) => r.endedAt === null).map((r) => r.id);
    expect(await walk(true)).toEqual({ ids: active, total: active.length });
    const ended = sorted.filter((r) => r.endedAt !== null).map((r) => r.id);
    expect(ended.length).toBeGreaterThan(0);
    expect(await walk(false)).toEqual({ ids: ended, total: ended.length });
    // a district lists only its own
    const nanshan = expectData(await gd.gql('health', LIST, { r: '440305' })).observations;
    expect(nanshan.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
      sorted.filter((r) => r.region === '440305').map((r) => r.id),
    );
    expectError(await gd.gql('health', LIST, { r: '440300', after: 'garbage' }), 'BAD_USER_INPUT');
  });

  it('should answer null for an unknown or foreign observation and BAD_USER_INPUT for a malformed id', async () => {
    expect(expectData(await gd.gql('health', ONE, { id: 'O44-nosuchobs000001' })).observation).toBeNull();
    expect(expectData(await gd.gql('health', ONE, { id: 'O45-elsewhere000001' })).observation).toBeNull();
    expectError(await gd.gql('health', ONE, { id: 'W44-notanobserv0001' }), 'BAD_USER_INPUT');
  });

  it('should resolve Observation references in one batch, null for foreign ids', async () => {
    const ids = (await observationRows()).slice(0, 3).map((r) => r.id);
    const answer = expectData(
      await gd.gql(
        'health',
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Observation { id active endsAt } } }',
        { r: [...ids, 'O45-elsewhere000001'].map((id) => ({ __typename: 'Observation', id })) },
      ),
    );
    expect(answer._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([...ids, null]);
  });
});

describe('the home province follows (#14.4, relay facts OBSERVATION and OBSERVATION_HOME)', () => {
  it('should put a worker who travelled there under OBSERVATION, answer his home region, keep him so at hand-over, and release him AT_WORK', async () => {
    const trip = pickUp();
    const [worker] = await registerWorkers(gx, [workerInput('450203')]);
    await onTheBus(trip, [worker!]);
    const { startObservation: o } = expectData(
      await start({
        workerId: worker,
        region: '440305',
        kind: 'CENTRALISED',
        site: '南山隔离酒店',
        startedAt: daysAgo(15),
      }),
    );
    const told = await relay();
    expect(told.toGd).toEqual([
      { fact: 'OBSERVATION_HOME', observationId: o.id, workerId: worker, homeRegion: '450203' },
    ]);
    expect((await observationRows()).find((r) => r.id === o.id)?.homeRegion).toBe('450203');
    expect(await homeRecord(worker!)).toEqual({
      status: 'OBSERVATION',
      workRegion: null,
      currentTrip: { id: trip.id },
      observation: { id: o.id },
    });
    const listed = expectData(
      await gx.gql(
        'workers',
        '{ workers(homeRegion: "450203", status: OBSERVATION, first: 100) { edges { node { id status } } } }',
      ),
    ).workers.edges.map((e: { node: { id: string; status: string } }) => e.node);
    expect(listed).toContainEqual({ id: worker, status: 'OBSERVATION' });
    expect(listed.every((n: { status: string }) => n.status === 'OBSERVATION')).toBe(true);

    // handed over while under observation: not AT_WORK until released, his work region recorded
    await applyFactsTo(gx.service, GD, [tripFact('HANDED_OVER', trip, [worker!])]);
    expect(await homeRecord(worker!)).toEqual({
      status: 'OBSERVATION',
      workRegion: { code: '440300' },
      currentTrip: null,
      observation: { id: o.id },
    });
    await expectCountersMatchRecords(gx, ['450000', '450203']);

    expectData(await end(o.id, 'RELEASED'));
    await relay();
    expect(await homeRecord(worker!)).toEqual({
      status: 'AT_WORK',
      workRegion: { code: '440300' },
      currentTrip: null,
      observation: { id: o.id },
    });
    await expectCountersMatchRecords(gx, ['450000', '450203']);
  });

  it('should release him at the place of observation when no work region is recorded', async () => {
    const [worker] = await registerWorkers(gx, [workerInput('450203')]);
    await onTheBus(pickUp(), [worker!]);
    const id = expectData(
      await start({
        workerId: worker,
        region: '440306',
        kind: 'HOME',
        site: '宝安某小区',
        startedAt: daysAgo(14),
      }),
    ).startObservation.id;
    await relay();
    expect((await homeRecord(worker!)).status).toBe('OBSERVATION');
    expectData(await end(id, 'RELEASED'));
    await relay();
    expect(await homeRecord(worker!)).toMatchObject({ status: 'AT_WORK', workRegion: { code: '440306' } });
  });

  it('should keep him under OBSERVATION when transferred to hospital (not released)', async () => {
    const [worker] = await registerWorkers(gx, [workerInput('450203')]);
    await onTheBus(pickUp(), [worker!]);
    const id = expectData(
      await start({ workerId: worker, region: '440306', kind: 'CENTRALISED', site: '宝安隔离点' }),
    ).startObservation.id;
    await relay();
    expectData(await end(id, 'TRANSFERRED_TO_HOSPITAL'));
    await relay();
    expect(await homeRecord(worker!)).toMatchObject({ status: 'OBSERVATION', observation: { id } });
  });

  it('should accept a worker whose work region lies in the province (no trip there)', async () => {
    const [worker] = await registerWorkers(gx, [workerInput('450203')]);
    await employ(gx, worker!, '441900');
    const id = expectData(
      await start({ workerId: worker, region: '441900', kind: 'HOME', site: '东莞某宿舍' }),
    ).startObservation.id;
    const told = await relay();
    expect(told.toGd).toEqual([
      { fact: 'OBSERVATION_HOME', observationId: id, workerId: worker, homeRegion: '450203' },
    ]);
    expect(await homeRecord(worker!)).toMatchObject({
      status: 'OBSERVATION',
      workRegion: { code: '441900' },
    });
  });

  it('should leave a worker the home side does not place there: status unchanged, answered without a home region', async () => {
    const [athome, elsewhere] = await registerWorkers(gx, [workerInput('450203'), workerInput('450203')]);
    // on a bus to Hunan, not Guangdong
    await onTheBus(
      { ...pickUp(), id: 'T43-hunanbus0000000001', organizer: '430100', destination: '430100' },
      [elsewhere!],
      '430000',
    );
    const ids: string[] = [];
    for (const worker of [athome!, elsewhere!])
      ids.push(
        expectData(await start({ workerId: worker, region: '440303', kind: 'HOME', site: '罗湖某小区' }))
          .startObservation.id,
      );
    const told = await relay();
    expect(told.toGd).toEqual([
      { fact: 'OBSERVATION_HOME', observationId: ids[0], workerId: athome, homeRegion: null },
      { fact: 'OBSERVATION_HOME', observationId: ids[1], workerId: elsewhere, homeRegion: null },
    ]);
    expect(await homeRecord(athome!)).toMatchObject({ status: 'AT_HOME', observation: null });
    expect(await homeRecord(elsewhere!)).toMatchObject({ status: 'TRAVELLING', observation: null });
    const stored = (await observationRows()).filter((r) => ids.includes(r.id));
    expect(stored.map((r) => r.homeRegion)).toEqual([null, null]);
    // and its end changes nothing either
    expectData(await end(ids[0]!, 'TRANSFERRED_TO_HOSPITAL'));
    await relay();
    expect(await homeRecord(athome!)).toMatchObject({ status: 'AT_HOME', observation: null });
  });

  it('should leave facts whose source does not own them or places them outside it', async () => {
    const [worker] = await registerWorkers(gx, [workerInput('450203')]);
    await onTheBus(pickUp(), [worker!]);
    const observation = {
      id: 'O44-forgedobs0000001',
      workerId: worker!,
      region: '440305',
      kind: 'HOME' as const,
      reason: 'ORDERED' as const,
      tripId: null,
      startedAt: daysAgo(1),
      days: 14,
      endedAt: null,
      outcome: null,
    };
    // told by Hunan about a Guangdong observation; told by Guangdong about a place in Hunan
    await applyFactsTo(gx.service, '430000', [{ fact: 'OBSERVATION', event: 'STARTED', observation }]);
    await applyFactsTo(gx.service, GD, [
      { fact: 'OBSERVATION', event: 'STARTED', observation: { ...observation, region: '430100' } },
    ]);
    expect(await homeRecord(worker!)).toMatchObject({ status: 'TRAVELLING', observation: null });
    const answers = (await factsToldTo(gx.service, '430000')).filter(
      (e) => e.fact.fact === 'OBSERVATION_HOME',
    );
    expect(answers).toEqual([]);
    // an answer from a province that is not the worker's home
    const [o] = await observationRows();
    await applyFactsTo(gd.service, '430000', [
      { fact: 'OBSERVATION_HOME', observationId: o!.id, workerId: o!.workerId, homeRegion: '430100' },
    ]);
    await applyFactsTo(gd.service, GX, [
      { fact: 'OBSERVATION_HOME', observationId: o!.id, workerId: o!.workerId, homeRegion: '430100' },
    ]);
    expect((await observationRows()).find((r) => r.id === o!.id)?.homeRegion).toBe(o!.homeRegion);
  });
});

describe('a fever at an arrival check starts observation at the stop (#14.3, relay fact ARRIVAL_FEVER)', () => {
  const fever = (change: Partial<ArrivalFeverFact> = {}): ArrivalFeverFact => ({
    fact: 'ARRIVAL_FEVER',
    tripId: 'T45-feverbus00000001',
    stop: '441900',
    workerId: travellers[5]!,
    temperature: 38.1,
    checkedAt: daysAgo(1),
    ...change,
  });
  const feverRows = async () => (await observationRows()).filter((r) => r.reason === 'FEVER_AT_ARRIVAL');

  it('should start a CENTRALISED observation of 14 days from the check, naming the trip, once', async () => {
    const fact = fever();
    await applyFactsTo(gd.service, GX, [fact]);
    await applyFactsTo(gd.service, GX, [fact]);
    const rows = await feverRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workerId: travellers[5],
      region: '441900',
      kind: 'CENTRALISED',
      site: FEVER_SITE,
      reason: 'FEVER_AT_ARRIVAL',
      tripId: 'T45-feverbus00000001',
      startedAt: new Date(fact.checkedAt),
      days: 14,
      endedAt: null,
    });
    const told = await relay();
    expect(told.toGx).toMatchObject([
      { fact: 'OBSERVATION', event: 'STARTED', observation: { id: rows[0]!.id, reason: 'FEVER_AT_ARRIVAL' } },
    ]);
    expect(expectData(await gd.gql('health', ONE, { id: rows[0]!.id })).observation.trip).toEqual({
      id: 'T45-feverbus00000001',
    });
  });

  it('should leave a fever at a stop outside this province, from a source that does not organise the trip, or naming no worker', async () => {
    const before = await feverRows();
    await applyFactsTo(gd.service, GX, [fever({ stop: '450203', workerId: travellers[6]! })]);
    await applyFactsTo(gd.service, '430000', [
      fever({ tripId: 'T45-feverbus00000002', workerId: travellers[6]! }),
    ]);
    await applyFactsTo(gd.service, GX, [
      fever({ tripId: 'T45-feverbus00000003', workerId: 'E45-notaworker00001' }),
    ]);
    await applyFactsTo(gd.service, GX, [fever({ tripId: 'T45-feverbus00000004', checkedAt: 'yesterday' })]);
    expect(await feverRows()).toEqual(before);
  });

  it('should apply a fever told by this province itself in the same way (a local trip)', async () => {
    const [worker] = await registerWorkers(gd, [workerInput('440303')]);
    await applyFactsTo(gd.service, GD, [
      fever({ tripId: 'T44-localfever000001', stop: '440303', workerId: worker! }),
    ]);
    const [row] = (await feverRows()).filter((r) => r.workerId === worker);
    expect(row).toMatchObject({ region: '440303', tripId: 'T44-localfever000001' });
    // his home is this province: it follows at once, in the same transaction, and answers itself
    const [stored] = await gd.service.db.db.select().from(observations).where(eq(observations.id, row!.id));
    expect(stored?.homeRegion).toBe('440303');
    const { worker: record } = expectData(await gd.gql('workers', RECORD, { id: worker }));
    expect(record).toMatchObject({ status: 'OBSERVATION', observation: { id: row!.id } });
    expect(await factsToldTo(gd.service, GX)).not.toContainEqual(
      expect.objectContaining({ fact: expect.objectContaining({ workerId: worker }) }),
    );
  });
});

describe('placing the worker in the city of the observation (attacker read)', () => {
  it('should not let another city of his own province put him under observation, nor a forged fever there (attacker read)', async () => {
    // Guangdong's own workers: one of Guangzhou at home, never on a trip to Shenzhen
    const [cantonese] = await registerWorkers(gd, [workerInput('440103')]);
    const { startObservation: o } = expectData(
      await start({ workerId: cantonese, region: '440305', kind: 'CENTRALISED', site: '南山隔离酒店' }),
    );
    const record = async () =>
      expectData(await gd.gql('workers', 'query($id: ID!) { worker(id: $id) { status } }', { id: cantonese }))
        .worker;
    expect(await record()).toEqual({ status: 'AT_HOME' });
    expect((await observationRows()).find((r) => r.id === o.id)?.homeRegion).toBeNull();
    expectData(await end(o.id, 'TRANSFERRED_TO_HOSPITAL'));
    // a fever told by another province about a trip it organises but that never carried him
    await applyFactsTo(gd.service, GX, [
      {
        fact: 'ARRIVAL_FEVER',
        tripId: 'T45-forgedfever000001',
        stop: '440600',
        workerId: cantonese!,
        temperature: 38.5,
        checkedAt: daysAgo(1),
      },
    ]);
    expect(await record()).toEqual({ status: 'AT_HOME' });
    // his own city may observe him at home
    const [fever] = (await observationRows()).filter((r) => r.workerId === cantonese && r.endedAt === null);
    expectData(await end(fever!.id, 'TRANSFERRED_TO_HOSPITAL'));
    expectData(await start({ workerId: cantonese, region: '440106', kind: 'HOME', site: '天河某小区' }));
    expect(await record()).toEqual({ status: 'OBSERVATION' });
  });
});
