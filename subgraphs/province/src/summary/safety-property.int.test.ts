/**
 * Property test of the statistics of safety against the brute-force recount: seeded rounds of
 * random activity — trips planned, assigned, departed with part of the manifest, arrived and
 * handed over or cancelled (through GraphQL), and the rows the boarding gate, the arrival checks
 * and the observations write (with SQL, one statement per verdict, some spanning several trips):
 * refusals of every reason, stops, fevers at arrival, observations started, released, transferred
 * or deleted, workers under observation at home, and corrections of each. After every round the
 * Summary of every scope level the records touch (nation, province, cities, counties, townships,
 * places outside the province) equals the recount of the records, unfolded and after a fold.
 * Runs on PGlite, or on a fresh PostgreSQL database with DATABASE_URL.
 */
import { ancestry, childRegionCodes, encodeId, NATION, type BoardingRefusalReason } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripPassengers } from '../db/schema/index.js';
import {
  arrive,
  assign,
  cancel,
  depart,
  endObservations,
  expectCountersMatchRecords,
  planTrip,
  Random,
  registerWorkers,
  setAlightAt,
  setArrivalChecks,
  setRefusals,
  setWorkerStatus,
  startObservations,
  startTestProvince,
  type TestProvince,
  workerInput,
} from '../testing/index.js';

const PROVINCE = '440000';
const SEEDS = [20200214, 20200302, 20200318];
const ELSEWHERE = ['450203', '450203001', '110105', '441900'];
const REASONS: (BoardingRefusalReason | null)[] = [
  'FEVER',
  'HEALTH_CODE',
  'NO_HEALTH_RECORD',
  'ABSENT',
  null,
];

interface Trip {
  id: string;
  status: 'PLANNED' | 'DEPARTED' | 'DONE';
  manifest: string[];
  /** Passengers set (by SQL) to alight at a place that is not one of the trip's stops: never counted at its destination. */
  elsewhere: string[];
  boarded: string[];
}

interface Observation {
  id: string;
  workerId: string;
  active: boolean;
  /** The worker's status was set to OBSERVATION with it (one of this province's own). */
  atHome: boolean;
}

/** Regions of Guangdong for one seed: 2 cities (Dongguan, without counties, always), 2 counties each, 2 townships each. */
function regionPool(random: Random): string[] {
  const cities = random.sample(
    childRegionCodes(PROVINCE).filter((c) => c !== '441900'),
    1,
  );
  cities.push('441900');
  const codes: string[] = [];
  for (const city of cities) {
    codes.push(city);
    for (const county of random.sample(childRegionCodes(city), 2))
      codes.push(county, ...random.sample(childRegionCodes(county), 2));
  }
  return codes;
}

/** CN and every ancestor of every code: each level the records can reach. */
function everyLevel(codes: Iterable<string>): string[] {
  const scopes = new Set<string>([NATION]);
  for (const code of codes) for (const r of ancestry(code)) scopes.add(r.code);
  return [...scopes].sort();
}

describe(`statistics of safety equal a recount after random rounds (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let p: TestProvince;
  const db = () => p.service.db.db;
  beforeAll(async () => {
    p = await startTestProvince(PROVINCE);
  });
  afterAll(() => p?.close());

  for (const seed of SEEDS) {
    it(`seed ${seed}: every scope level equals the recount after each round`, async () => {
      const random = new Random(seed);
      const pool = regionPool(random);
      const places = [...pool, ...ELSEWHERE];
      const scopes = everyLevel(places);
      const workers = await registerWorkers(
        p,
        Array.from({ length: 60 }, () => workerInput(random.pick(pool))),
      );
      const free = new Set(workers);
      const trips: Trip[] = [];
      const observations: Observation[] = [];
      const take = (n: number) => {
        const chosen = random.sample([...free], n);
        for (const w of chosen) free.delete(w);
        return chosen;
      };
      const stats = { departed: 0, refused: 0, fevers: 0, observed: 0, released: 0 };

      const operations: Record<string, () => Promise<void>> = {
        async plan() {
          if (free.size === 0) return;
          const id = await planTrip(
            p,
            random.pick(pool),
            random.pick(places),
            random.pick(['BUS', 'TRAIN', 'FLIGHT'] as const),
          );
          const manifest = take(random.int(1, 6));
          await assign(p, id, manifest);
          const trip: Trip = { id, status: 'PLANNED', manifest, boarded: [], elsewhere: [] };
          trips.push(trip);
          if (random.chance(0.5)) {
            trip.elsewhere = random.sample(manifest, 2);
            await setAlightAt(db(), id, trip.elsewhere, random.pick(places));
          }
        },
        async depart() {
          const trip = trips.find((t) => t.status === 'PLANNED');
          if (!trip) return;
          trip.boarded = random.sample(trip.manifest, random.int(1, trip.manifest.length));
          await depart(p, trip.id, trip.boarded);
          trip.status = 'DEPARTED';
          stats.departed++;
          // The gate's verdicts on the others, one statement per reason.
          const off = trip.manifest.filter((w) => !trip.boarded.includes(w));
          const verdicts = new Map<BoardingRefusalReason | null, string[]>();
          for (const w of off) {
            const reason = random.pick(REASONS);
            verdicts.set(reason, [...(verdicts.get(reason) ?? []), w]);
          }
          for (const [reason, ids] of verdicts) {
            if (reason) await setRefusals(db(), trip.id, ids, reason);
            if (reason && reason !== 'ABSENT') stats.refused += ids.length;
          }
        },
        async arrive() {
          const trip = trips.find((t) => t.status === 'DEPARTED');
          if (!trip) return;
          // the destination's headcount: the boarded who alight there (confirmArrival refuses more)
          await arrive(p, trip.id, trip.boarded.filter((w) => !trip.elsewhere.includes(w)).length);
          trip.status = 'DONE';
          const fevers = random.sample(trip.boarded, random.int(0, 2));
          await setArrivalChecks(db(), trip.id, fevers, true);
          await setArrivalChecks(
            db(),
            trip.id,
            trip.boarded.filter((w) => !fevers.includes(w)),
            false,
          );
          stats.fevers += fevers.length;
        },
        async cancel() {
          const trip = random.chance(0.5)
            ? trips.find((t) => t.status === 'DEPARTED')
            : trips.find((t) => t.status === 'PLANNED');
          if (!trip) return;
          await cancel(p, trip.id);
          if (trip.status === 'PLANNED') for (const w of trip.manifest) free.add(w);
          trip.status = 'DONE';
        },
        async observe() {
          // Observations here of this province's own workers (then at home under OBSERVATION too)
          // and of other provinces' workers.
          const own = take(random.int(0, 2));
          const others = Array.from({ length: random.int(0, 2) }, () => encodeId('Worker', '450000'));
          const started = [...own, ...others];
          const ids = await startObservations(
            db(),
            PROVINCE,
            started.map((workerId) => ({ workerId, region: random.pick(pool) })),
          );
          await setWorkerStatus(db(), own, 'OBSERVATION');
          for (const [i, id] of ids.entries())
            observations.push({ id, workerId: started[i]!, active: true, atHome: i < own.length });
          stats.observed += ids.length;
        },
        async endObservation() {
          const ending = random.sample(
            observations.filter((o) => o.active),
            random.int(1, 3),
          );
          if (ending.length === 0) return;
          const outcome = random.chance(0.7) ? 'RELEASED' : 'TRANSFERRED_TO_HOSPITAL';
          await endObservations(
            db(),
            ending.map((o) => o.id),
            outcome,
          );
          const home = ending.filter((o) => o.atHome).map((o) => o.workerId);
          await setWorkerStatus(db(), home, 'AT_HOME');
          for (const o of ending) o.active = false;
          for (const w of home) free.add(w);
          if (outcome === 'RELEASED') stats.released += ending.length;
        },
        async correct() {
          const passengers = trips
            .filter((t) => t.status !== 'PLANNED')
            .flatMap((t) => t.manifest.map((w) => ({ trip: t, w, aboard: t.boarded.includes(w) })));
          if (passengers.length === 0) return;
          const { trip, w, aboard } = random.pick(passengers);
          switch (random.int(0, 5)) {
            case 0:
              if (!aboard) await setRefusals(db(), trip.id, [w], random.pick(REASONS));
              break;
            case 1:
              await setArrivalChecks(db(), trip.id, [w], random.chance(0.5));
              break;
            case 2:
              await setAlightAt(db(), trip.id, [w], random.chance(0.3) ? null : random.pick(places));
              break;
            case 3: {
              // A boarding corrected after the departure (the trip has moved: its moved people change).
              await db()
                .update(tripPassengers)
                .set({ boarded: !aboard, ...(aboard ? {} : { refusal: null }) })
                .where(sql`${tripPassengers.tripId} = ${trip.id} AND ${tripPassengers.workerId} = ${w}`);
              trip.boarded = aboard ? trip.boarded.filter((x) => x !== w) : [...trip.boarded, w];
              break;
            }
            case 4:
              // A passenger row struck off by hand, whatever it held (refusal, fever, boarding).
              if (trip.status === 'DONE') {
                await db().execute(
                  sql`DELETE FROM trip_passengers WHERE trip_id = ${trip.id} AND worker_id = ${w}`,
                );
                trip.manifest = trip.manifest.filter((x) => x !== w);
                trip.boarded = trip.boarded.filter((x) => x !== w);
              }
              break;
            default: {
              const gone = observations.find((o) => !o.atHome && random.chance(0.3));
              if (gone) {
                await db().execute(sql`DELETE FROM observations WHERE id = ${gone.id}`);
                observations.splice(observations.indexOf(gone), 1);
              }
            }
          }
        },
        async bulk() {
          // One statement over several trips of several origins: every passenger off the bus gets
          // the same verdict (the aggregation per statement must keep the trips apart).
          const left = trips.filter((t) => t.status !== 'PLANNED').map((t) => t.id);
          if (left.length < 2) return;
          const reason = random.pick(REASONS);
          await db()
            .update(tripPassengers)
            .set({ refusal: reason })
            .where(
              sql`${tripPassengers.tripId} = ANY(${sql.param(random.sample(left, 3))}::text[]) AND NOT ${tripPassengers.boarded}`,
            );
        },
      };
      const names = Object.keys(operations);
      const weights = [3, 3, 2, 1, 2, 2, 2, 1]; // plan, depart, arrive, cancel, observe, end, correct, bulk
      const choose = () => {
        let r = random.int(
          1,
          weights.reduce((a, b) => a + b, 0),
        );
        for (const [i, w] of weights.entries()) if ((r -= w) <= 0) return names[i]!;
        return names[0]!;
      };

      for (let round = 0; round < 4; round++) {
        for (let step = 0; step < 12; step++) await operations[choose()]!();
        await expectCountersMatchRecords(p, scopes);
      }
      // The rounds exercised every counter of safety.
      for (const [name, n] of Object.entries(stats)) expect(n, name).toBeGreaterThan(0);
    }, 120_000);
  }
});
