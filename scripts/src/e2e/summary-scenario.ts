/**
 * One round of random activity for the summary property test, decided by a seeded PRNG and sent
 * through the gateway as the officers the access rules want: workers registered in bulk (some
 * twice), employments (some moved), enterprises and their labour demand, and trips carrying
 * workers of any province through every fate (planned, cancelled, departed, arrived, handed over),
 * organised by any province of the federation from an origin in any of them (a receiving side's
 * pick-up, report 004); since #15 also enterprises of earlier rounds made key or no longer key,
 * and shuttles: trips planned with more runs of the same vehicle (left planned, or one cancelled).
 * Every random choice is made before the requests are sent, so a seed always means the same
 * scenario; the model follows each mutation once it succeeded. A boarded worker of another
 * province than the organiser's moves in his home province once the relay delivers it: read the
 * statistics after `waitForRelay()`.
 */
import { childRegionCodes, provinceOf, residentIdFrom } from '@p2p/schema';
import type { HubModel, ModelTrip, ModelWorker, Random } from './summary-model.js';

/** Sends a mutation through the gateway as the officer of `officerProvince`; returns `data`. */
export type HubWriter = (
  query: string,
  variables: Record<string, unknown>,
  officerProvince: string,
) => Promise<any>;

/** Options of {@link runScenario}. */
export interface ScenarioOptions {
  provinces: readonly string[];
  /** @default 40 */
  workersPerProvince?: number;
  /** @default 5 */
  tripsPerProvince?: number;
  /** @default 3 */
  enterprisesPerProvince?: number;
  /**
   * Waits until the relay delivered every fact: before a trip carrying other provinces' workers
   * departs, so the boarding gate has their health records (#14). Absent: no wait.
   */
  waitForRelay?: () => Promise<unknown>;
}

const HEALTH_CHECKS =
  'mutation($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { error { code } } } }';

const REGISTER_WORKERS = 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }';
const EMPLOY = 'mutation($w: ID!, $r: RegionCode!) { reportEmployment(workerId: $w, workRegion: $r) { id } }';
const REGISTER_ENTERPRISE = 'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }';
const DEMAND =
  'mutation($e: ID!, $o: Int!, $f: Int) { reportLaborDemand(enterpriseId: $e, openings: $o, filled: $f) { id } }';
const PLAN = 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id runs { id } } }';
const SET_KEY = 'mutation($e: ID!, $k: Boolean!) { setKeyEnterprise(enterpriseId: $e, key: $k) { id key } }';
const ASSIGN = 'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }';
const DEPART = 'mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }';
const ARRIVE = 'mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id } }';
const CANCEL = 'mutation($t: ID!) { cancelTrip(tripId: $t, reason: "疫情管控，班次取消") { id } }';

/** Places outside the federation's provinces that work and trips may name. */
const ELSEWHERE = ['110105', '110108001', '320506'];
const FATES = [
  'planned',
  'cancelPlanned',
  'departed',
  'departCancel',
  'arrived',
  'handedOver',
  'handedOver',
] as const;
let serial = 0;

/** Regions of a province the scenario uses: 2 cities (Dongguan, a city without counties, for 440000), 2 counties each, 2 townships each. */
function regionPool(random: Random, province: string): string[] {
  const cities = random.sample(childRegionCodes(province), 2);
  if (province === '440000' && !cities.includes('441900')) cities[1] = '441900';
  const codes: string[] = [];
  for (const city of cities) {
    if (random.chance(0.3)) codes.push(city);
    for (const county of random.sample(childRegionCodes(city), 2))
      codes.push(county, ...random.sample(childRegionCodes(county), 2));
  }
  return codes;
}

/** A valid registration (GB 11643 check digit) for a worker at home in `home`. */
function registration(random: Random, home: string) {
  const n = ++serial;
  const idNumber = residentIdFrom(home, `19${70 + (n % 30)}0${1 + (n % 9)}1${n % 10}`, n % 1000);
  const povertyStatus = random.chance(0.25) ? 'REGISTERED_POOR' : random.chance(0.1) ? 'LIFTED' : 'NONE';
  return {
    name: `务工人员${n}`,
    idNumber,
    phone: `139${String(n).padStart(8, '0')}`,
    homeRegion: home,
    povertyStatus,
  } as const;
}

const isFree = (w: ModelWorker) => w.status === 'AT_HOME' && w.activeTrip === null;

/** Runs one round for every province in parallel (each province's requests in order). */
export async function runScenario(
  write: HubWriter,
  model: HubModel,
  random: Random,
  options: ScenarioOptions,
): Promise<void> {
  const { provinces } = options;
  const pools = new Map(provinces.map((p) => [p, regionPool(random, p)]));
  const places = [...[...pools.values()].flat(), ...ELSEWHERE];
  const perProvince = (run: (province: string) => Promise<void>) => Promise.all(provinces.map(run));

  // 1. Registration, one bulk call per province, then some of the same people again.
  const registrations = new Map(
    provinces.map((p) => [
      p,
      Array.from({ length: options.workersPerProvince ?? 40 }, () =>
        registration(random, random.pick(pools.get(p)!)),
      ),
    ]),
  );
  const again = new Map(
    provinces.map((p) => [
      p,
      random.sample(registrations.get(p)!, 4).map((r) => ({ ...r, phone: '13700000000' })),
    ]),
  );
  await perProvince(async (p) => {
    const inputs = registrations.get(p)!;
    const { registerWorkers } = await write(REGISTER_WORKERS, { i: inputs }, p);
    registerWorkers.forEach(({ id }: { id: string }, i: number) => {
      model.workers.set(id, {
        id,
        home: inputs[i]!.homeRegion,
        work: null,
        status: 'AT_HOME',
        poverty: inputs[i]!.povertyStatus,
        activeTrip: null,
      });
    });
    await write(REGISTER_WORKERS, { i: again.get(p)! }, p);
  });

  // 2. Employment (some workers move on to another place) and enterprises with their demand.
  const employments = [...model.workers.values()]
    .filter((w) => (isFree(w) ? random.chance(0.3) : w.status === 'AT_WORK' && random.chance(0.2)))
    .map((w) => ({
      worker: w,
      region: random.chance(0.5) ? random.pick(pools.get(provinceOf(w.home)) ?? places) : random.pick(places),
    }));
  const enterprises = new Map(
    provinces.map((p) => [
      p,
      Array.from({ length: options.enterprisesPerProvince ?? 3 }, () => ({
        region: random.pick(pools.get(p)!),
        key: random.chance(0.3),
        demands: Array.from({ length: random.int(1, 2) }, () => {
          const openings = random.int(0, 200);
          return { openings, filled: random.chance(0.6) ? random.int(0, openings) : null };
        }),
      })),
    ]),
  );
  const flips = new Map(
    provinces.map((p) => [
      p,
      random.sample(
        [...model.enterprises.values()].filter((e) => provinceOf(e.region) === p),
        random.int(0, 2),
      ),
    ]),
  );
  await perProvince(async (p) => {
    for (const { worker, region } of employments.filter((e) => provinceOf(e.worker.home) === p)) {
      await write(EMPLOY, { w: worker.id, r: region }, p);
      Object.assign(worker, { status: 'AT_WORK', work: region });
    }
    for (const plan of enterprises.get(p)!) {
      const { registerEnterprise } = await write(
        REGISTER_ENTERPRISE,
        { i: { name: `复工企业${++serial}`, region: plan.region, sector: '制造业', key: plan.key } },
        p,
      );
      const enterprise = {
        id: registerEnterprise.id as string,
        region: plan.region,
        key: plan.key,
        openings: 0,
        filled: 0,
      };
      model.enterprises.set(enterprise.id, enterprise);
      for (const d of plan.demands) {
        await write(DEMAND, { e: enterprise.id, o: d.openings, f: d.filled }, p);
        Object.assign(enterprise, {
          openings: d.openings,
          ...(d.filled !== null ? { filled: d.filled } : {}),
        });
      }
    }
    // #15: the province makes some enterprises of earlier rounds key, or no longer key.
    for (const enterprise of flips.get(p)!) {
      await write(SET_KEY, { e: enterprise.id, k: !enterprise.key }, p);
      enterprise.key = !enterprise.key;
    }
  });

  // 3. Trips: passengers of any province (free workers only, each on one trip), then a fate each.
  // Every worker's home officer records a GREEN code valid around the departures (#14's gate).
  await perProvince(async (p) => {
    const ids = [...model.workers.values()]
      .filter((w) => w.id.slice(1, 3) === p.slice(0, 2))
      .map((w) => w.id);
    const input = {
      code: 'GREEN',
      issuedBy: p,
      checkedAt: new Date(Date.now() - 4 * 3_600_000).toISOString(),
      validUntil: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    };
    for (let i = 0; i < ids.length; i += 1_000)
      await write(
        HEALTH_CHECKS,
        { items: ids.slice(i, i + 1_000).map((workerId) => ({ workerId, input })) },
        p,
      );
  });
  const free = [...model.workers.values()].filter(isFree);
  const trips = provinces.flatMap((p) =>
    Array.from({ length: options.tripsPerProvince ?? 5 }, () => {
      const passengers = random.sample(free, random.int(1, 6));
      for (const w of passengers) free.splice(free.indexOf(w), 1);
      return {
        province: p,
        organizer: random.pick(pools.get(p)!),
        origin: random.pick(pools.get(random.chance(0.5) ? p : random.pick(provinces))!),
        destination: random.pick(places),
        mode: random.pick(['BUS', 'TRAIN', 'FLIGHT'] as const),
        passengers,
        boarded: random.sample(passengers, random.int(1, passengers.length)),
        fate: random.pick(FATES),
        // #15: a shuttle: more runs of the same vehicle, planned together, left PLANNED or cancelled.
        runs: random.chance(0.3) ? random.int(1, 3) : 0,
        cancelRun: random.chance(0.5),
      };
    }),
  );
  await perProvince(async (p) => {
    for (const plan of trips.filter((t) => t.province === p)) {
      const departureAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const input = {
        organizer: plan.organizer,
        mode: plan.mode,
        // A few vehicles serve many trips, of several organising provinces (#15: distinct vehicles).
        vehicleCode: `${plan.mode}-${++serial % 3}`,
        origin: plan.origin,
        destination: plan.destination,
        departureAt,
        expectedArrivalAt: new Date().toISOString(),
        capacity: 40,
        ...(plan.runs
          ? {
              runs: Array.from({ length: plan.runs }, (_, i) => ({
                departureAt: new Date(Date.now() + (i + 1) * 86_400_000).toISOString(),
                expectedArrivalAt: new Date(Date.now() + (i + 1) * 86_400_000 + 3_600_000).toISOString(),
              })),
            }
          : {}),
      };
      const { planTrip } = await write(PLAN, { i: input }, p);
      const runIds = (planTrip.runs as { id: string }[]).map((r) => r.id).filter((id) => id !== planTrip.id);
      if (runIds.length !== plan.runs)
        throw new Error(`planTrip: ${plan.runs} runs asked, ${runIds.length} planned`);
      /** A run as the model holds it once planned: every run of a shuttle shares route and vehicle. */
      const planned = (id: string): ModelTrip => ({
        id,
        organizer: plan.organizer,
        origin: plan.origin,
        destination: plan.destination,
        mode: plan.mode,
        vehicleCode: input.vehicleCode,
        status: 'PLANNED',
        assigned: [],
        boarded: [],
      });
      for (const id of runIds) model.trips.set(id, planned(id));
      if (runIds.length && plan.cancelRun) {
        await write(CANCEL, { t: runIds[0] }, p);
        model.trips.get(runIds[0]!)!.status = 'CANCELLED';
      }
      const trip = planned(planTrip.id);
      model.trips.set(trip.id, trip);
      const ids = plan.passengers.map((w) => w.id);
      await write(ASSIGN, { t: trip.id, w: ids }, p);
      trip.assigned = ids;
      for (const w of plan.passengers) w.activeTrip = trip.id;
      const finish = (status: ModelTrip['status']) => {
        trip.status = status;
        for (const w of plan.passengers) w.activeTrip = null;
      };
      if (plan.fate === 'planned') continue;
      if (plan.fate === 'cancelPlanned') {
        await write(CANCEL, { t: trip.id }, p);
        finish('CANCELLED');
        continue;
      }
      const boarded = plan.boarded.map((w) => w.id);
      if (ids.some((id) => id.slice(1, 3) !== p.slice(0, 2))) await options.waitForRelay?.();
      await write(DEPART, { t: trip.id, b: boarded.map((workerId) => ({ workerId, temperature: 36.4 })) }, p);
      Object.assign(trip, { status: 'DEPARTED', boarded });
      // Every boarded worker moves in his home province's record (through the relay for other provinces').
      for (const w of plan.boarded) w.status = 'TRAVELLING';
      if (plan.fate === 'departCancel') {
        await write(CANCEL, { t: trip.id }, p);
        for (const w of plan.boarded) if (w.status === 'TRAVELLING') w.status = 'AT_HOME';
        finish('CANCELLED');
      } else if (plan.fate === 'arrived' || plan.fate === 'handedOver') {
        const handedOverTo = plan.fate === 'handedOver' ? '接收地人社局' : null;
        await write(
          ARRIVE,
          {
            t: trip.id,
            i: {
              arrivedAt: new Date(Date.now() - 60_000).toISOString(),
              headcount: boarded.length,
              handedOverTo,
            },
          },
          provinceOf(plan.destination),
        );
        finish(handedOverTo ? 'HANDED_OVER' : 'ARRIVED');
        if (handedOverTo)
          for (const w of plan.boarded) Object.assign(w, { status: 'AT_WORK', work: plan.destination });
      }
    }
  });
}
