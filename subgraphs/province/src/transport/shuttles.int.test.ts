/**
 * Shuttles (#15; report 004, Hebei: "154 runs, 6,864 person-trips"): `planTrip(input.runs)` plans
 * further runs of the same vehicle on the same route, each a trip of its own (own id, manifest,
 * status, events, relayed copy), through the provinces' GraphQL over real HTTP. The origin's
 * province receives a copy of every run (TRIP_COPY facts carried by hand, `testing/apply-facts.ts`).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, trips } from '../db/schema/index.js';
import {
  applyFactsTo,
  depart,
  expectData,
  expectError,
  factsToldTo,
  readSummaries,
  registerWorkers,
  useTestProvince,
  workerInput,
} from '../testing/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TRIP =
  'id status vehicleCode mode capacity organizer { code } origin { code } destination { code } departureAt expectedArrivalAt stops { region { code } } passengers { worker { id } boarded }';
const PLAN = `mutation($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { ${TRIP} runs { ${TRIP} runs { id } } } }`;
const TRIP_RUNS = `query($id: ID!) { trip(id: $id) { id runs { id departureAt } } }`;
const ASSIGN = `mutation($trip: ID!, $workers: [ID!]!) { assignPassengers(tripId: $trip, workerIds: $workers) { id } }`;
const TRIPS = `query($origin: RegionCode!) { trips(origin: $origin, first: 100) { totalCount edges { node { id vehicleCode departureAt runs { id departureAt } } } } }`;

const hebei = useTestProvince('130000');
const henan = useTestProvince('410000');

/** Departures one day apart from 2030-02-20 08:00 (China time), 10 hours each. */
const at = (day: number) => new Date(Date.parse('2030-02-20T08:00:00+08:00') + day * DAY);
const run = (day: number) => ({
  departureAt: at(day).toISOString(),
  expectedArrivalAt: new Date(at(day).getTime() + 10 * HOUR).toISOString(),
});

/** Hebei's shuttle from Zhangjiakou's Huailai to Beijing's Chaoyang (organiser Huailai) with `over`. */
const shuttle = (over: Record<string, unknown> = {}) => ({
  mode: 'BUS',
  vehicleCode: '冀G·S0154',
  origin: '130730',
  destination: '110105',
  capacity: 45,
  ...run(0),
  ...over,
});

type PlannedTrip = Record<string, any> & { id: string; runs: Record<string, any>[] };

async function plan(over: Record<string, unknown> = {}, key?: string): Promise<PlannedTrip> {
  return expectData(await hebei.gql('transport', PLAN, { input: shuttle(over), key })).planTrip;
}

describe('planTrip with runs: a shuttle (#15)', () => {
  it('should refuse runs that are too many, not later than the run before, or arrive before they leave, naming the field and writing nothing', async () => {
    const before = await hebei.fingerprint();
    const cases: [unknown[], string, RegExp][] = [
      [Array.from({ length: 61 }, (_, i) => run(i + 1)), 'input.runs', /at most 60 further runs/],
      [[run(0)], 'input.runs[0].departureAt', /later than input\.departureAt/],
      [[run(-1)], 'input.runs[0].departureAt', /later than input\.departureAt/],
      [[run(1), run(3), run(2)], 'input.runs[2].departureAt', /later than input\.runs\[1\]\.departureAt/],
      [[run(1), run(1)], 'input.runs[1].departureAt', /later than input\.runs\[0\]\.departureAt/],
      [
        [run(1), { departureAt: at(2).toISOString(), expectedArrivalAt: at(1).toISOString() }],
        'input.runs[1].expectedArrivalAt',
        /must not be before input\.runs\[1\]\.departureAt/,
      ],
    ];
    for (const [runs, field, message] of cases) {
      const error = expectError(
        await hebei.gql('transport', PLAN, { input: shuttle({ runs }) }),
        'BAD_USER_INPUT',
        message,
      );
      expect(error.extensions?.field, JSON.stringify(runs).slice(0, 80)).toBe(field);
    }
    expect(await hebei.fingerprint()).toBe(before);
  });

  it('should plan every run as a trip of its own, return the first, and list the runs by departure on each', async () => {
    const first = await plan({ stops: ['110106'], runs: [run(1), run(2)] });
    expect(first.runs.map((r) => r.id)[0]).toBe(first.id);
    expect(first.runs.map((r) => r.departureAt)).toEqual([0, 1, 2].map((d) => at(d).toISOString()));
    expect(new Set(first.runs.map((r) => r.id)).size).toBe(3);
    for (const r of first.runs) {
      expect(r.id).toMatch(/^T13-/);
      expect(r).toMatchObject({
        status: 'PLANNED',
        mode: 'BUS',
        vehicleCode: '冀G·S0154',
        capacity: 45,
        organizer: { code: '130730' },
        origin: { code: '130730' },
        destination: { code: '110105' },
        stops: [{ region: { code: '110106' } }, { region: { code: '110105' } }],
        passengers: [],
      });
      // Every run lists the same runs.
      expect(r.runs.map((x: { id: string }) => x.id)).toEqual(first.runs.map((x) => x.id));
    }
    const [, second] = first.runs;
    const { trip } = expectData(await hebei.gql('transport', TRIP_RUNS, { id: second!.id }));
    expect(trip.runs.map((r: { id: string }) => r.id)).toEqual(first.runs.map((r) => r.id));
    // Each run announces itself: one PLANNED event per run, for `arrivals`.
    const planned = await hebei.service.db.db
      .select({ tripId: outbox.tripId, destination: outbox.destination })
      .from(outbox)
      .where(
        and(
          eq(outbox.kind, 'PLANNED'),
          inArray(
            outbox.tripId,
            first.runs.map((r) => r.id),
          ),
        ),
      );
    expect(planned.map((e) => e.tripId).sort()).toEqual(first.runs.map((r) => r.id).sort());
    expect(new Set(planned.map((e) => e.destination))).toEqual(new Set(['110105']));
  });

  it('should list a trip planned without runs as its only run', async () => {
    const alone = await plan({ vehicleCode: '冀G·A0001' });
    expect(alone.runs.map((r) => r.id)).toEqual([alone.id]);
    const none = await plan({ vehicleCode: '冀G·A0002', runs: [] });
    expect(none.runs.map((r) => r.id)).toEqual([none.id]);
    const [row] = await hebei.service.db.db.select().from(trips).where(eq(trips.id, none.id));
    expect(row!.shuttleId).toBeNull();
  });

  it('should plan 60 further runs (61 trips) and read their runs in one statement per page of trips', async () => {
    const first = await plan({
      vehicleCode: '冀G·S0061',
      origin: '130731',
      runs: Array.from({ length: 60 }, (_, i) => run(i + 1)),
    });
    expect(first.runs).toHaveLength(61);
    const { statements } = hebei.service.db;
    statements.recording = true;
    statements.reset();
    const { trips: page } = expectData(await hebei.gql('transport', TRIPS, { origin: '130731' }));
    statements.recording = false;
    expect(page.totalCount).toBe(61);
    for (const edge of page.edges) expect(edge.node.runs).toHaveLength(61);
    // The page, its counts (own trips, copies), and ONE statement for the runs of all 61 trips.
    expect(statements.recorded.filter((s) => /shuttle_id" = ANY/i.test(s))).toHaveLength(1);
    expect(statements.count).toBe(4);
  });

  it('should give the same first run for the same idempotency key and plan nothing more', async () => {
    const count = async () => (await hebei.rowCounts()).trips;
    const input = { vehicleCode: '冀G·K0001', runs: [run(1), run(2)] };
    const first = await plan(input, 'shuttle-key-1');
    const trips = await count();
    const again = await plan(input, 'shuttle-key-1');
    expect(again.id).toBe(first.id);
    expect(again.runs.map((r) => r.id)).toEqual(first.runs.map((r) => r.id));
    expect(await count()).toBe(trips);
  });

  it('should keep a manifest and a status per run, and count every run as a trip', async () => {
    const before = (await readSummaries(hebei, ['130732']))[0]!.transport;
    const first = await plan({ vehicleCode: '冀G·M0001', origin: '130732', runs: [run(1), run(2)] });
    const [r0, r1, r2] = first.runs.map((r) => r.id as string);
    const workers = await registerWorkers(hebei, [
      workerInput('130732'),
      workerInput('130732'),
      workerInput('130732'),
    ]);
    expectData(await hebei.gql('transport', ASSIGN, { trip: r0, workers: workers.slice(0, 2) }));
    expectData(await hebei.gql('transport', ASSIGN, { trip: r1, workers: workers.slice(2) }));
    // A worker on one run cannot be put on another while it is planned.
    expectError(await hebei.gql('transport', ASSIGN, { trip: r2, workers: [workers[0]] }), 'CONFLICT');
    await depart(hebei, r0!, [workers[0]!]);
    const { trip } = expectData(
      await hebei.gql(
        'transport',
        `query($id: ID!) { trip(id: $id) { runs { id status passengers { worker { id } boarded } } } }`,
        {
          id: r2,
        },
      ),
    );
    expect(trip.runs).toEqual([
      {
        id: r0,
        status: 'DEPARTED',
        passengers: expect.arrayContaining([
          { worker: { id: workers[0] }, boarded: true },
          { worker: { id: workers[1] }, boarded: false },
        ]),
      },
      { id: r1, status: 'PLANNED', passengers: [{ worker: { id: workers[2] }, boarded: false }] },
      { id: r2, status: 'PLANNED', passengers: [] },
    ]);
    expect(trip.runs[0].passengers).toHaveLength(2);
    const after = (await readSummaries(hebei, ['130732']))[0]!.transport;
    // 3 trips (班次), 1 boarded + 1 assigned person-trips (人次), 1 vehicle (辆).
    expect(after.outbound.trips - before.outbound.trips).toBe(3);
    expect(after.outbound.passengers - before.outbound.passengers).toBe(2);
    expect(after.outbound.moved).toEqual({ trips: 1, passengers: 1 });
    expect(after.vehicles - before.vehicles).toBe(1);
  });
});

describe('a shuttle organised outside its origin’s province (#15, #13.2)', () => {
  it('should send the origin’s province a copy of every run, whose runs are the copies planned with it', async () => {
    const from = (await factsToldTo(hebei.service, '410000')).at(-1)?.seq ?? 0;
    const first = await plan({
      organizer: '130730',
      vehicleCode: '冀G·Z0003',
      origin: '411600',
      destination: '130730',
      runs: [run(1), run(2)],
    });
    // A trip planned alone from the same place by the same vehicle is no run of it.
    const alone = await plan({
      organizer: '130730',
      vehicleCode: '冀G·Z0003',
      origin: '411600',
      destination: '130730',
      ...run(5),
    });
    const facts = await factsToldTo(hebei.service, '410000', from);
    expect(facts.map((f) => f.fact.fact)).toEqual(['TRIP_COPY', 'TRIP_COPY', 'TRIP_COPY', 'TRIP_COPY']);
    await applyFactsTo(henan.service, '130000', facts);
    const { trips: page } = expectData(await henan.gql('transport', TRIPS, { origin: '411600' }));
    const ids = first.runs.map((r) => r.id);
    expect(page.edges.map((e: any) => e.node.id)).toEqual([...ids, alone.id]);
    for (const edge of page.edges.slice(0, 3)) expect(edge.node.runs.map((r: any) => r.id)).toEqual(ids);
    expect(page.edges[3].node.runs.map((r: any) => r.id)).toEqual([alone.id]);
    // The organiser counts them everywhere; the origin's province counts the copies under its own
    // keys (#17.2), with the same figures (one vehicle, four trips), and never under the nation's.
    const counted = { vehicles: 1, outbound: { trips: 4 } };
    expect((await readSummaries(hebei, ['411600']))[0]!.transport).toMatchObject(counted);
    expect((await readSummaries(henan, ['411600']))[0]!.transport).toMatchObject(counted);
    expect((await readSummaries(henan, ['CN']))[0]!.transport).toMatchObject({
      vehicles: 0,
      outbound: { trips: 0 },
    });
  });
});
