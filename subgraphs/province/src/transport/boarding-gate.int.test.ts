/**
 * The boarding gate (#14.2) and health records that travel (#14.1) through the provinces' GraphQL
 * over real HTTP: Guangdong (440000) organises, Guangxi (450000) is the home of most passengers;
 * the relay between them is carried by hand (`testing/apply-facts.ts`).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthCopies, tripPassengers, workerTrips, workers } from '../db/schema/index.js';
import { startProvince, type ProvinceService } from '../index.js';
import {
  applyFactsTo,
  createProvinceDatabase,
  expectData,
  expectError,
  factsToldTo,
  registerWorkers,
  useTestProvince,
  workerInput,
} from '../testing/index.js';

const PASSENGERS = 'passengers { worker { id } boarded temperature boardingRefusal }';
const TRIP = `id status cancelReason ${PASSENGERS}`;
const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { id } }`;
const DEPART = `mutation($trip: ID!, $boarded: [BoardingInput!]!) { departTrip(tripId: $trip, boarded: $boarded) { ${TRIP} } }`;
const HEALTH = `mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) {
  id health { code issuedBy { code } checkedAt validUntil nucleicAcid testedAt institution source } } }`;
const REFUSED = `query($home: RegionCode!, $first: Int, $after: String) { refusedBoardings(homeRegion: $home, first: $first, after: $after) {
  totalCount edges { cursor node { id worker { id name status } trip { id } reason refusedAt } } pageInfo { hasNextPage endCursor } } }`;
const TRIPS_FROM = `query($origin: RegionCode!) { trips(origin: $origin, first: 100) { edges { node { ${TRIP} } } } }`;

const DAY = 86_400_000;
const guangdong = useTestProvince('440000');
const guangxi = useTestProvince('450000');

/** Tomorrow at 08:00 China Standard Time, as an instant. */
const TOMORROW = new Date(Math.floor((Date.now() + 8 * 3_600_000) / DAY) * DAY + DAY);
const departure = new Date(TOMORROW.getTime()); // 08:00 CST = 00:00 UTC

/** A health check issued by `issuedBy`, checked an hour ago, valid `days` days. */
const check = (code: string, over: Record<string, unknown> = {}, days = 7) => {
  const checkedAt = new Date(Date.now() - 3_600_000);
  return {
    code,
    issuedBy: '450000',
    checkedAt: checkedAt.toISOString(),
    validUntil: new Date(checkedAt.getTime() + days * DAY).toISOString(),
    ...over,
  };
};

/** A trip organised by Shenzhen (440300) from `origin`, departing tomorrow. */
async function plan(organiser = guangdong, origin = '450200', organizer = '440300') {
  return expectData(
    await organiser.gql('transport', PLAN, {
      input: {
        organizer,
        mode: 'BUS',
        vehicleCode: `桂B·${Math.random().toString().slice(2, 7)}`,
        origin,
        destination: '440300',
        departureAt: departure.toISOString(),
        expectedArrivalAt: new Date(departure.getTime() + 12 * 3_600_000).toISOString(),
        capacity: 40,
      },
    }),
  ).planTrip.id as string;
}

/** Carries every fact `from` told `to` since the last call (a hand-carried relay, in order). */
const carried = new Map<string, number>();
async function relay(from: typeof guangdong, to: typeof guangdong): Promise<number> {
  const key = `${from.service.province}>${to.service.province}`;
  const facts = await factsToldTo(from.service, to.service.province, carried.get(key) ?? 0);
  if (facts.length) {
    await applyFactsTo(to.service, from.service.province, facts);
    carried.set(key, facts.at(-1)!.seq);
  }
  return facts.length;
}
/** Both ways until nothing moves. */
async function settle(): Promise<void> {
  while ((await relay(guangdong, guangxi)) + (await relay(guangxi, guangdong)) > 0);
}

const byWorker = (trip: { passengers: { worker: { id: string } }[] }) =>
  Object.fromEntries(trip.passengers.map((p) => [p.worker.id, p])) as Record<string, any>;

describe('health records (#14.1)', () => {
  it('should store every field and return it, issuedBy as a Region', async () => {
    const [w] = await registerWorkers(guangxi, [workerInput('450203')]);
    const testedAt = new Date(Date.now() - 2 * DAY).toISOString();
    const input = check('GREEN', {
      issuedBy: '440000',
      nucleicAcid: 'NEGATIVE',
      testedAt,
      institution: ' 柳州市人民医院 ',
    });
    const { health } = expectData(await guangxi.gql('workers', HEALTH, { w, i: input })).recordHealthCheck;
    expect(health).toEqual({
      code: 'GREEN',
      issuedBy: { code: '440000' },
      checkedAt: new Date(input.checkedAt).toISOString(),
      validUntil: new Date(input.validUntil).toISOString(),
      nucleicAcid: 'NEGATIVE',
      testedAt: new Date(testedAt).toISOString(),
      institution: '柳州市人民医院',
      source: 'OFFICER',
    });
    // no result: NOT_TESTED, no sample time
    const plain = expectData(
      await guangxi.gql('workers', HEALTH, { w, i: check('YELLOW') }),
    ).recordHealthCheck;
    expect(plain.health).toMatchObject({ code: 'YELLOW', nucleicAcid: 'NOT_TESTED', testedAt: null });
  });

  it('should keep the most recent check (checkedAt), an officer record beating the worker himself', async () => {
    const [w] = await registerWorkers(guangxi, [workerInput('450203')]);
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const newer = check('GREEN', { checkedAt: at(1), validUntil: new Date(Date.now() + DAY).toISOString() });
    const older = check('RED', { checkedAt: at(5), validUntil: new Date(Date.now() + DAY).toISOString() });
    expectData(await guangxi.gql('workers', HEALTH, { w, i: newer }));
    expect(
      expectData(await guangxi.gql('workers', HEALTH, { w, i: older })).recordHealthCheck.health.code,
    ).toBe('GREEN');
  });

  it('should refuse a bad record as BAD_USER_INPUT naming the field, writing nothing', async () => {
    const [w] = await registerWorkers(guangxi, [workerInput('450203')]);
    const before = await guangxi.fingerprint();
    const cases: [Record<string, unknown>, string][] = [
      [check('GREEN', { issuedBy: '450200' }), 'input.issuedBy'],
      [check('GREEN', { issuedBy: '450203' }), 'input.issuedBy'],
      [check('GREEN', { checkedAt: new Date(Date.now() + DAY).toISOString() }), 'input.checkedAt'],
      [
        check('GREEN', { validUntil: new Date(Date.now() - 2 * 3_600_000).toISOString() }),
        'input.validUntil',
      ],
      [check('GREEN', {}, 31), 'input.validUntil'],
      [check('GREEN', { nucleicAcid: 'NEGATIVE' }), 'input.testedAt'],
      [check('GREEN', { nucleicAcid: 'PENDING' }), 'input.testedAt'],
      [check('GREEN', { testedAt: new Date(Date.now() - DAY).toISOString() }), 'input.testedAt'],
      [
        check('GREEN', { nucleicAcid: 'NOT_TESTED', testedAt: new Date(Date.now() - DAY).toISOString() }),
        'input.testedAt',
      ],
      [
        check('GREEN', { nucleicAcid: 'NEGATIVE', testedAt: new Date(Date.now() + DAY).toISOString() }),
        'input.testedAt',
      ],
      [check('GREEN', { institution: '院'.repeat(129) }), 'input.institution'],
      [check('GREEN', { institution: '  ' }), 'input.institution'],
    ];
    for (const [input, field] of cases) {
      const error = expectError(await guangxi.gql('workers', HEALTH, { w, i: input }), 'BAD_USER_INPUT');
      expect(error.extensions?.field, `${JSON.stringify(input)}: ${error.message}`).toBe(field);
    }
    // not a region at all: refused by the RegionCode scalar
    expectError(
      await guangxi.gql('workers', HEALTH, { w, i: check('GREEN', { issuedBy: '999999' }) }),
      'BAD_USER_INPUT',
    );
    expect(await guangxi.fingerprint()).toBe(before);
  });
});

describe('the boarding gate (#14.2)', () => {
  it('should board GREEN/36.5 and refuse YELLOW, GREEN/38.1, RED and an absent passenger, each with his reason', async () => {
    const [green, yellow, fever, red, absent] = await registerWorkers(
      guangdong,
      Array.from({ length: 5 }, () => workerInput('440305')),
    );
    const codes = {
      [green!]: 'GREEN',
      [yellow!]: 'YELLOW',
      [fever!]: 'GREEN',
      [red!]: 'RED',
      [absent!]: 'GREEN',
    };
    for (const [w, code] of Object.entries(codes))
      expectData(await guangdong.gql('workers', HEALTH, { w, i: check(code, { issuedBy: '440000' }) }));
    const trip = await plan(guangdong, '440300');
    expectData(await guangdong.gql('transport', ASSIGN, { trip, workers: Object.keys(codes) }));
    const departed = expectData(
      await guangdong.gql('transport', DEPART, {
        trip,
        boarded: [
          { workerId: green, temperature: 36.5 },
          { workerId: yellow, temperature: 36.6 },
          { workerId: fever, temperature: 38.1 },
          { workerId: red, temperature: 36.4 },
        ],
      }),
    ).departTrip;
    expect(departed.status).toBe('DEPARTED');
    const seen = byWorker(departed);
    expect(seen[green!]).toMatchObject({ boarded: true, temperature: 36.5, boardingRefusal: null });
    expect(seen[yellow!]).toMatchObject({
      boarded: false,
      temperature: 36.6,
      boardingRefusal: 'HEALTH_CODE',
    });
    expect(seen[fever!]).toMatchObject({ boarded: false, temperature: 38.1, boardingRefusal: 'FEVER' });
    expect(seen[red!]).toMatchObject({ boarded: false, temperature: 36.4, boardingRefusal: 'HEALTH_CODE' });
    expect(seen[absent!]).toMatchObject({ boarded: false, temperature: null, boardingRefusal: 'ABSENT' });
    // the home side (the same province: applied in the same transaction) lists the refused
    const refused = expectData(
      await guangdong.gql('workers', REFUSED, { home: '440305', first: 10 }),
    ).refusedBoardings;
    const mine = refused.edges.map((e: any) => e.node).filter((n: any) => n.trip.id === trip);
    expect(Object.fromEntries(mine.map((n: any) => [n.worker.id, n.reason]))).toEqual({
      [yellow!]: 'HEALTH_CODE',
      [fever!]: 'FEVER',
      [red!]: 'HEALTH_CODE',
      [absent!]: 'ABSENT',
    });
    expect(
      mine.every((n: any) => n.id === `${trip}:${n.worker.id}` && n.refusedAt === departure.toISOString()),
    ).toBe(true);
    // the records: the boarded one TRAVELLING, the refused at home and off the trip
    const rows = await guangdong.service.db.db.select().from(workers);
    const status = Object.fromEntries(rows.map((r) => [r.id, [r.status, r.currentTripId]]));
    expect(status[green!]).toEqual(['TRAVELLING', trip]);
    expect(status[fever!]).toEqual(['AT_HOME', null]);
  });

  it('should cancel the trip when nobody passes, keeping every refusal; a self-declared record opens nothing', async () => {
    const [self, none] = await registerWorkers(guangdong, [workerInput('440305'), workerInput('440305')]);
    expectData(
      await guangdong.gql('workers', HEALTH, { w: self, i: check('GREEN', { issuedBy: '440000' }) }),
    );
    await guangdong.service.db.db.update(workers).set({ healthSource: 'SELF' }).where(eq(workers.id, self!));
    const trip = await plan(guangdong, '440300');
    expectData(await guangdong.gql('transport', ASSIGN, { trip, workers: [self, none] }));
    const cancelled = expectData(
      await guangdong.gql('transport', DEPART, {
        trip,
        boarded: [
          { workerId: self, temperature: 36.5 },
          { workerId: none, temperature: 36.5 },
        ],
      }),
    ).departTrip;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'nobody passed the boarding gate' });
    expect(byWorker(cancelled)[self!]).toMatchObject({ boarded: false, boardingRefusal: 'NO_HEALTH_RECORD' });
    expect(byWorker(cancelled)[none!]).toMatchObject({ boarded: false, boardingRefusal: 'NO_HEALTH_RECORD' });
    const [home] = await guangdong.service.db.db
      .select()
      .from(workerTrips)
      .where(and(eq(workerTrips.workerId, self!), eq(workerTrips.tripId, trip)));
    expect(home).toMatchObject({ refusal: 'NO_HEALTH_RECORD', tripStatus: 'CANCELLED' });
  });

  it('should keep today’s errors: a stranger, a worker twice, nobody presented, writing nothing', async () => {
    const [a, b] = await registerWorkers(guangdong, [workerInput('440305'), workerInput('440305')]);
    const trip = await plan(guangdong, '440300');
    expectData(await guangdong.gql('transport', ASSIGN, { trip, workers: [a] }));
    const before = await guangdong.fingerprint();
    expectError(
      await guangdong.gql('transport', DEPART, { trip, boarded: [{ workerId: b, temperature: 36.5 }] }),
      'BAD_USER_INPUT',
      /is not on the manifest/,
    );
    expectError(
      await guangdong.gql('transport', DEPART, {
        trip,
        boarded: [
          { workerId: a, temperature: 36.5 },
          { workerId: a, temperature: 36.6 },
        ],
      }),
      'BAD_USER_INPUT',
      /listed twice/,
    );
    expectError(await guangdong.gql('transport', DEPART, { trip, boarded: [] }), 'BAD_USER_INPUT');
    expect(await guangdong.fingerprint()).toBe(before);
  });
});

describe('health copies through the relay (#14.1, DESIGN.md "Cross-province facts")', () => {
  let mutual: string;
  let expired: string;
  let later: string;
  let trip: string;

  beforeAll(async () => {
    [mutual, expired, later] = (await registerWorkers(guangxi, [
      workerInput('450203'),
      workerInput('450203'),
      workerInput('450203'),
    ])) as [string, string, string];
    // issued by Guangxi's platform; one expired the day before departure; one checked only later
    expectData(await guangxi.gql('workers', HEALTH, { w: mutual, i: check('GREEN') }));
    const old = new Date(Date.now() - 5 * DAY);
    expectData(
      await guangxi.gql('workers', HEALTH, {
        w: expired,
        i: check('GREEN', {
          checkedAt: old.toISOString(),
          validUntil: new Date(Date.now() - DAY).toISOString(),
        }),
      }),
    );
    trip = await plan(guangdong, '450200');
    expectData(await guangdong.gql('transport', ASSIGN, { trip, workers: [mutual, expired, later] }));
  });

  it('should have no copy before the home province answers, then a copy of each record (none: no copy)', async () => {
    const copies = () => guangdong.service.db.db.select().from(healthCopies);
    expect((await copies()).filter((c) => [mutual, expired, later].includes(c.workerId))).toEqual([]);
    await settle();
    const kept = Object.fromEntries((await copies()).map((c) => [c.workerId, c]));
    expect(kept[mutual]).toMatchObject({ code: 'GREEN', issuedBy: '450000', source: 'OFFICER' });
    expect(kept[expired]).toMatchObject({ code: 'GREEN' });
    expect(kept[later]).toBeUndefined();
    // Guangxi told Guangdong the copies; it tells nobody else its workers' health
    const told = await factsToldTo(guangxi.service, '440000');
    expect(
      told
        .filter((f) => f.fact.fact === 'HEALTH_COPY')
        .map((f) => (f.fact as any).workerId)
        .sort(),
    ).toEqual([mutual, expired, later].sort());
  });

  it('should send a new record while he is on the trip, and ignore an older copy', async () => {
    expectData(await guangxi.gql('workers', HEALTH, { w: later, i: check('GREEN') }));
    await settle();
    const [copy] = await guangdong.service.db.db
      .select()
      .from(healthCopies)
      .where(eq(healthCopies.workerId, later));
    expect(copy).toMatchObject({ code: 'GREEN' });
    // an older copy (a replayed or late fact) changes nothing
    await applyFactsTo(guangdong.service, '450000', [
      {
        fact: 'HEALTH_COPY',
        workerId: later,
        asOf: new Date(copy!.asOf.getTime() - 60_000).toISOString(),
        record: null,
      },
    ]);
    expect(
      await guangdong.service.db.db.select().from(healthCopies).where(eq(healthCopies.workerId, later)),
    ).toHaveLength(1);
  });

  it('should send a new record to the organiser of every trip he is on, not only his current one (attacker read)', async () => {
    const [twice] = (await registerWorkers(guangxi, [workerInput('450203')])) as [string];
    expectData(await guangxi.gql('workers', HEALTH, { w: twice, i: check('GREEN') }));
    const guangdongBus = await plan(guangdong, '450200');
    expectData(await guangdong.gql('transport', ASSIGN, { trip: guangdongBus, workers: [twice] }));
    await settle();
    // then put on his home's own bus (now his current trip), then found RED
    const guangxiBus = await plan(guangxi, '450200', '450200');
    expectData(await guangxi.gql('transport', ASSIGN, { trip: guangxiBus, workers: [twice] }));
    expectData(await guangxi.gql('workers', HEALTH, { w: twice, i: check('RED') }));
    await settle();
    const [copy] = await guangdong.service.db.db
      .select()
      .from(healthCopies)
      .where(eq(healthCopies.workerId, twice));
    expect(copy).toMatchObject({ code: 'RED' });
  });

  it('should leave a copy told by another province than the worker’s home, or of a worker on no trip here', async () => {
    const stranger = (await registerWorkers(guangxi, [workerInput('450203')]))[0]!;
    const record = {
      code: 'GREEN' as const,
      issuedBy: '450000',
      checkedAt: new Date().toISOString(),
      validUntil: new Date(Date.now() + DAY).toISOString(),
      nucleicAcid: null,
      testedAt: null,
      source: 'OFFICER' as const,
    };
    await applyFactsTo(guangdong.service, '410000', [
      {
        fact: 'HEALTH_COPY',
        workerId: later,
        asOf: new Date(Date.now() + DAY).toISOString(),
        record: { ...record, code: 'RED' },
      },
    ]);
    await applyFactsTo(guangdong.service, '450000', [
      { fact: 'HEALTH_COPY', workerId: stranger, asOf: new Date().toISOString(), record },
    ]);
    const kept = await guangdong.service.db.db.select().from(healthCopies);
    expect(kept.find((c) => c.workerId === later)?.code).toBe('GREEN');
    expect(kept.find((c) => c.workerId === stranger)).toBeUndefined();
  });

  it('should board a code issued by Guangxi at a Guangdong gate (mutual recognition), refuse an expired one, and tell the home side', async () => {
    const departed = expectData(
      await guangdong.gql('transport', DEPART, {
        trip,
        boarded: [
          { workerId: mutual, temperature: 36.4 },
          { workerId: expired, temperature: 36.5 },
          { workerId: later, temperature: 36.6 },
        ],
      }),
    ).departTrip;
    const seen = byWorker(departed);
    expect(seen[mutual]).toMatchObject({ boarded: true, boardingRefusal: null });
    expect(seen[expired]).toMatchObject({ boarded: false, boardingRefusal: 'HEALTH_CODE' });
    expect(seen[later]).toMatchObject({ boarded: true });
    await settle();
    // the origin's province (Guangxi) serves the trip's copy with the refusal
    const copy = expectData(
      await guangxi.gql('transport', TRIPS_FROM, { origin: '450200' }),
    ).trips.edges.find((e: any) => e.node.id === trip).node;
    expect(byWorker(copy)[expired]).toMatchObject({ boarded: false, boardingRefusal: 'HEALTH_CODE' });
    // the home side lists him
    const refused = expectData(
      await guangxi.gql('workers', REFUSED, { home: '450200', first: 10 }),
    ).refusedBoardings;
    expect(refused.edges.map((e: any) => e.node)).toEqual([
      {
        id: `${trip}:${expired}`,
        worker: { id: expired, name: expect.any(String), status: 'AT_HOME' },
        trip: { id: trip },
        reason: 'HEALTH_CODE',
        refusedAt: departure.toISOString(),
      },
    ]);
    expect(refused.totalCount).toBe(1);
    // and the boarded one travels in his home record
    const [row] = await guangxi.service.db.db.select().from(workers).where(eq(workers.id, mutual));
    expect(row).toMatchObject({ status: 'TRAVELLING', currentTripId: trip });
    // another city of the province lists nothing
    expect(
      expectData(await guangxi.gql('workers', REFUSED, { home: '450300' })).refusedBoardings.totalCount,
    ).toBe(0);
  });

  it('should page refusedBoardings by (refusedAt, id) without repeats or gaps', async () => {
    const all = expectData(
      await guangdong.gql('workers', REFUSED, { home: '440000', first: 100 }),
    ).refusedBoardings;
    expect(all.totalCount).toBeGreaterThanOrEqual(6);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: any = expectData(
        await guangdong.gql('workers', REFUSED, { home: '440000', first: 2, after }),
      ).refusedBoardings;
      paged.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all.edges.map((e: any) => e.node.id));
    expectError(
      await guangdong.gql('workers', REFUSED, { home: '440000', after: 'bogus' }),
      'BAD_USER_INPUT',
    );
  });
});

describe('a province requiring a negative nucleic-acid test (NUCLEIC_ACID_VALID_DAYS)', () => {
  let service: ProvinceService;
  let drop: () => Promise<void>;
  const gql = async (subgraph: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${service.url}/${subgraph}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) } as Parameters<typeof expectData>[0];
  };

  beforeAll(async () => {
    const database = await createProvinceDatabase();
    drop = () => database.drop();
    service = await startProvince({
      province: '410000',
      port: 0,
      databaseUrl: database.databaseUrl,
      logLevel: 'silent',
      requireGatewaySignature: false,
      epidemic: { nucleicAcidValidDays: 3, feverThreshold: 37.0 },
    });
    await service.statistics.stop();
    await service.retention.stop();
  });
  afterAll(async () => {
    await service?.close();
    await drop?.();
  });

  it('should board only a GREEN code with a negative test of the last 3 days, below its own threshold', async () => {
    const register = async () =>
      expectData(
        await gql('workers', 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }', {
          i: [workerInput('411602')],
        }),
      ).registerWorkers[0].id as string;
    const [fresh, stale, untested, warm] = [
      await register(),
      await register(),
      await register(),
      await register(),
    ];
    const tested = (daysAgo: number) => ({
      issuedBy: '410000',
      nucleicAcid: 'NEGATIVE',
      testedAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
    });
    for (const [w, over] of [
      [fresh, tested(1)],
      [stale, tested(5)],
      [untested, { issuedBy: '410000' }],
      [warm, tested(1)],
    ] as const)
      expectData(await gql('workers', HEALTH, { w, i: check('GREEN', over) }));
    const trip = expectData(
      await gql('transport', PLAN, {
        input: {
          mode: 'BUS',
          vehicleCode: '豫P·00001',
          origin: '411602',
          destination: '440300',
          departureAt: departure.toISOString(),
          expectedArrivalAt: new Date(departure.getTime() + DAY).toISOString(),
          capacity: 10,
        },
      }),
    ).planTrip.id;
    expectData(await gql('transport', ASSIGN, { trip, workers: [fresh, stale, untested, warm] }));
    const departed = expectData(
      await gql('transport', DEPART, {
        trip,
        boarded: [
          { workerId: fresh, temperature: 36.5 },
          { workerId: stale, temperature: 36.5 },
          { workerId: untested, temperature: 36.5 },
          { workerId: warm, temperature: 37.0 },
        ],
      }),
    ).departTrip;
    expect(Object.fromEntries(departed.passengers.map((p: any) => [p.worker.id, p.boardingRefusal]))).toEqual(
      {
        [fresh]: null,
        [stale]: 'HEALTH_CODE',
        [untested]: 'HEALTH_CODE',
        [warm]: 'FEVER',
      },
    );
    const stored = await service.db.db.select().from(tripPassengers).where(eq(tripPassengers.tripId, trip));
    expect(stored.find((p) => p.workerId === warm)).toMatchObject({ refusal: 'FEVER', temperature: 37 });
  });
});
