/**
 * Sends the demo (data.ts, and provinces.ts for the provinces it leaves empty) through the
 * gateway, with the contract's mutations only, as the provinces' clerks and enterprises would:
 * enterprises and their demand, workers in their home provinces with health checks and travel
 * intents, return requests, trips moved through their states, and employment reports. Every
 * mutation carries a fixed idempotency key, so seeding persistent data twice changes nothing.
 */
import { createHash } from 'node:crypto';
import { provinceOf } from '@p2p/schema';
import { graphqlData } from '@p2p/runtime';
import { DEMO_PROVINCES } from './data.js';
import { demoFor } from './provinces.js';
import {
  demoHealthInput,
  demoIdNumber,
  demoPhone,
  demoSubset,
  type DemoData,
  type DemoTrip,
  type DemoWorker,
} from './model.js';

/** Options of {@link seedDemo}. */
export interface SeedOptions {
  /**
   * Provinces running in the federation; only what they can hold is sent.
   * @default DEMO_PROVINCES
   */
  provinces?: readonly string[];
  /**
   * The data to send.
   * @default demoFor(provinces): the report-drawn demo, and a little in every other province
   */
  data?: DemoData;
  /** Headers of every request. */
  headers?: Record<string, string>;
  /**
   * The token of whoever does each write, as the provinces' access rules want it (no superuser):
   * the officer of the province that owns the record (registrations; trips by their origin's
   * province; arrivals and hand-overs by the destination's province) and each enterprise itself
   * for its labour demand, return requests and on-post confirmations. E.g. a harness
   * federation's `tokenFor`. Absent: `headers` alone.
   */
  tokenFor?: (role: 'province' | 'enterprise', region: string, enterpriseId?: string) => Promise<string>;
  /** Progress lines (one per phase). */
  log?: (line: string) => void;
  /**
   * Waits until the relay delivered every fact (the harness federation's `waitForRelay`): called
   * before a trip carrying workers of another province than its organiser's departs, so the
   * boarding gate has their health records (relayed by their home province). Absent: no wait.
   */
  waitForRelay?: () => Promise<unknown>;
}

/** Ids the hub gave to the demo records, by their key in data.ts. */
export interface DemoIds {
  enterprises: Record<string, string>;
  workers: Record<string, string>;
  returnRequests: Record<string, string>;
  trips: Record<string, string>;
  /** Job posts by their demo key (#15). */
  jobs: Record<string, string>;
}

const M = {
  registerEnterprise: `mutation RegisterEnterprise($input: RegisterEnterpriseInput!, $key: String) { registerEnterprise(input: $input, idempotencyKey: $key) { id } }`,
  reportLaborDemand: `mutation ReportLaborDemand($id: ID!, $openings: Int!, $filled: Int, $key: String) { reportLaborDemand(enterpriseId: $id, openings: $openings, filled: $filled, idempotencyKey: $key) { id } }`,
  registerWorkers: `mutation RegisterWorkers($inputs: [RegisterWorkerInput!]!, $key: String) { registerWorkers(inputs: $inputs, idempotencyKey: $key) { id } }`,
  recordHealthCheck: `mutation RecordHealthCheck($id: ID!, $input: HealthCheckInput!, $key: String) { recordHealthCheck(workerId: $id, input: $input, idempotencyKey: $key) { id } }`,
  reportTravelIntent: `mutation ReportTravelIntent($id: ID!, $input: TravelIntentInput!, $key: String) { reportTravelIntent(workerId: $id, input: $input, idempotencyKey: $key) { id } }`,
  reportEmployment: `mutation ReportEmployment($id: ID!, $region: RegionCode!, $enterpriseId: ID, $key: String) { reportEmployment(workerId: $id, workRegion: $region, enterpriseId: $enterpriseId, idempotencyKey: $key) { id } }`,
  fileReturnRequest: `mutation FileReturnRequest($input: FileReturnRequestInput!, $key: String) { fileReturnRequest(input: $input, idempotencyKey: $key) { id } }`,
  confirmOnPost: `mutation ConfirmOnPost($id: ID!, $key: String) { confirmOnPost(returnRequestId: $id, idempotencyKey: $key) { id } }`,
  planTrip: `mutation PlanTrip($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { id } }`,
  assignPassengers: `mutation AssignPassengers($id: ID!, $workerIds: [ID!]!, $key: String) { assignPassengers(tripId: $id, workerIds: $workerIds, idempotencyKey: $key) { id } }`,
  departTrip: `mutation DepartTrip($id: ID!, $boarded: [BoardingInput!]!, $key: String) { departTrip(tripId: $id, boarded: $boarded, idempotencyKey: $key) { id } }`,
  updateEta: `mutation UpdateEta($id: ID!, $at: DateTime!, $key: String) { updateEta(tripId: $id, expectedArrivalAt: $at, idempotencyKey: $key) { id } }`,
  confirmArrival: `mutation ConfirmArrival($id: ID!, $input: ConfirmArrivalInput!, $key: String) { confirmArrival(tripId: $id, input: $input, idempotencyKey: $key) { id } }`,
  handOverTrip: `mutation HandOverTrip($id: ID!, $to: String!, $key: String) { handOverTrip(tripId: $id, handedOverTo: $to, idempotencyKey: $key) { id } }`,
  postJob: `mutation PostJob($id: ID!, $input: PostJobInput!, $key: String) { postJob(enterpriseId: $id, input: $input, idempotencyKey: $key) { id } }`,
  cancelTrip: `mutation CancelTrip($id: ID!, $reason: String!, $key: String) { cancelTrip(tripId: $id, reason: $reason, idempotencyKey: $key) { id } }`,
};

/** Who does a write: the officer of the province containing a region, or a demo enterprise (by key). */
type Actor = { officerOf: string } | { enterprise: string };

/** Idempotency key of one demo mutation. */
const keyOf = (...parts: string[]) => `demo-2020:${parts.join(':')}`;

/** Runs `task` over `items`, at most `limit` at a time (a province's pool is small). */
async function forEach<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Attempts of a write refused with PROVINCE_UNAVAILABLE (a province still cold, or slow on a
 * loaded machine: 31 provinces on two cores), 2 s more apart each time. Safe: every write
 * carries its idempotency key, so one that did go through is answered again, not repeated.
 */
const UNAVAILABLE_ATTEMPTS = 6;

/** True when the hub refused a request because a province did not answer in time or is down. */
function provinceUnavailable(error: unknown): boolean {
  const errors = (error as { errors?: { extensions?: { code?: unknown } }[] }).errors;
  return errors?.some((e) => e.extensions?.code === 'PROVINCE_UNAVAILABLE') ?? false;
}

/** Boarding temperature of the i-th passenger: a normal reading between 36.2 and 36.8 °C. */
const temperatureOf = (i: number) => Math.round((36.2 + (i % 7) / 10) * 10) / 10;

/**
 * Seeds the demo through the gateway at `gatewayUrl` and returns the ids it got.
 * @throws Error naming the mutation and the error code when the hub refuses something.
 */
export async function seedDemo(gatewayUrl: string, options: SeedOptions = {}): Promise<DemoIds> {
  const provinces = options.provinces ?? DEMO_PROVINCES;
  const full = options.data ?? demoFor(provinces);
  const data = demoSubset(full, provinces);
  /** Sends a mutation as `actor` (a province officer by province code, or an enterprise by its demo key). */
  // biome-ignore lint/suspicious/noExplicitAny: callers name the shape of the data they asked for
  const send = async <T = any>(query: string, variables: Record<string, unknown>, actor: Actor) => {
    const headers = { ...options.headers };
    if (options.tokenFor) {
      const token =
        'enterprise' in actor
          ? await options.tokenFor(
              'enterprise',
              enterpriseRegion.get(actor.enterprise)!,
              ids.enterprises[actor.enterprise],
            )
          : await options.tokenFor('province', provinceOf(actor.officerOf));
      headers.authorization = `Bearer ${token}`;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await graphqlData<T>(gatewayUrl, query, variables, headers);
      } catch (error) {
        if (attempt >= UNAVAILABLE_ATTEMPTS || !provinceUnavailable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 2_000));
      }
    }
  };
  const enterpriseRegion = new Map(full.enterprises.map((e) => [e.key, e.region]));
  const log = options.log ?? (() => {});
  const ids: DemoIds = { enterprises: {}, workers: {}, returnRequests: {}, trips: {}, jobs: {} };
  const workerByKey = new Map(
    full.workers.map((w, i) => [
      w.key,
      { worker: w, idNumber: demoIdNumber(w), phone: w.phone ?? demoPhone(i) },
    ]),
  );

  await forEach(data.enterprises, 4, async (e) => {
    const input = { name: e.name, region: e.region, sector: e.sector, key: e.keyEnterprise };
    const { registerEnterprise } = await send(
      M.registerEnterprise,
      { input, key: keyOf('enterprise', e.key) },
      { officerOf: e.region },
    );
    ids.enterprises[e.key] = registerEnterprise.id;
    await send(
      M.reportLaborDemand,
      { id: registerEnterprise.id, openings: e.openings, filled: e.filled, key: keyOf('demand', e.key) },
      { enterprise: e.key },
    );
  });
  log(`enterprises: ${data.enterprises.length} registered with their labour demand`);

  await forEach(data.jobs, 4, async (j) => {
    const input = { title: j.title, openings: j.openings, region: j.region, skills: j.skills, from: j.from };
    const { postJob } = await send(
      M.postJob,
      { id: ids.enterprises[j.enterprise], input, key: keyOf('job', j.key) },
      { enterprise: j.enterprise },
    );
    ids.jobs[j.key] = postJob.id;
  });
  log(`job posts: ${data.jobs.length} posted, copies sent to the provinces they recruit from`);

  await registerWorkers(data.workers);
  await forEach(data.workers, 4, async (w) => {
    if (w.health)
      await send(
        M.recordHealthCheck,
        { id: ids.workers[w.key], input: demoHealthInput(w, w.health), key: keyOf('health', w.key) },
        { officerOf: w.home },
      );
    if (w.intent)
      await send(
        M.reportTravelIntent,
        { id: ids.workers[w.key], input: w.intent, key: keyOf('intent', w.key) },
        { officerOf: w.home },
      );
  });
  log(
    `workers: ${data.workers.length} registered in their home provinces, with health checks and travel intents`,
  );

  await forEach(data.returnRequests, 4, async (r) => {
    const { worker, idNumber, phone } = workerByKey.get(r.worker)!;
    const input = {
      enterpriseId: ids.enterprises[r.enterprise],
      worker: { name: worker.name, idNumber, phone, homeRegion: worker.home },
      plannedReturnDate: r.plannedReturnDate,
      departureRegion: r.departureRegion,
    };
    const { fileReturnRequest } = await send(
      M.fileReturnRequest,
      { input, key: keyOf('return', r.key) },
      { enterprise: r.enterprise },
    );
    ids.returnRequests[r.key] = fileReturnRequest.id;
  });
  log(`return requests: ${data.returnRequests.length} filed by importing enterprises`);

  await forEach(data.trips, 3, moveTrip);
  log(`trips: ${data.trips.length} planned and moved (${data.trips.map((t) => t.key).join(', ')})`);

  const onPost = data.returnRequests.filter((r) => r.onPost);
  await forEach(onPost, 4, async (r) => {
    await send(
      M.confirmOnPost,
      { id: ids.returnRequests[r.key], key: keyOf('on-post', r.key) },
      { enterprise: r.enterprise },
    );
  });
  const employed = data.workers.filter((w) => w.works);
  await forEach(employed, 4, async (w) => {
    const enterpriseId = w.works!.enterprise ? ids.enterprises[w.works!.enterprise] : null;
    await send(
      M.reportEmployment,
      { id: ids.workers[w.key], region: w.works!.region, enterpriseId, key: keyOf('employment', w.key) },
      { officerOf: w.home },
    );
  });
  log(`employment: ${onPost.length} workers confirmed on post, ${employed.length} employment reports`);
  return ids;

  /** registerWorkers, one call per home province, under a key naming exactly those workers. */
  async function registerWorkers(workers: DemoWorker[]): Promise<void> {
    const byProvince = new Map<string, DemoWorker[]>();
    for (const w of workers)
      byProvince.set(provinceOf(w.home), [...(byProvince.get(provinceOf(w.home)) ?? []), w]);
    await forEach([...byProvince], 4, async ([province, group]) => {
      const inputs = group.map((w) => {
        const { idNumber, phone } = workerByKey.get(w.key)!;
        return {
          name: w.name,
          idNumber,
          phone,
          homeRegion: w.home,
          povertyStatus: w.poverty,
          skills: w.skills,
        };
      });
      const members = createHash('sha256')
        .update(group.map((w) => w.key).join(','))
        .digest('hex')
        .slice(0, 12);
      const { registerWorkers: registered } = await send<{ registerWorkers: { id: string }[] }>(
        M.registerWorkers,
        { inputs, key: keyOf('workers', province, members) },
        { officerOf: province },
      );
      if (registered.length !== group.length)
        throw new Error(
          `registerWorkers in ${province}: ${registered.length} workers returned for ${group.length} sent`,
        );
      group.forEach((w, i) => {
        ids.workers[w.key] = registered[i]!.id;
      });
    });
  }

  /** Plans a trip, assigns its passengers and takes it as far as its story goes. */
  async function moveTrip(trip: DemoTrip): Promise<void> {
    const { key, passengers, progress } = trip;
    const plan = {
      ...(trip.organizer ? { organizer: trip.organizer } : {}),
      mode: trip.mode,
      vehicleCode: trip.vehicleCode,
      origin: trip.origin,
      destination: trip.destination,
      departureAt: trip.departureAt,
      expectedArrivalAt: trip.expectedArrivalAt,
      capacity: trip.capacity,
      ...(trip.runs ? { runs: trip.runs } : {}),
    };
    const organiser = { officerOf: trip.organizer ?? trip.origin };
    const receiver = { officerOf: trip.destination };
    const { planTrip } = await send(M.planTrip, { input: plan, key: keyOf('trip', key) }, organiser);
    const id: string = planTrip.id;
    ids.trips[key] = id;
    await send(
      M.assignPassengers,
      { id, workerIds: passengers.map((p) => ids.workers[p]), key: keyOf('assign', key) },
      organiser,
    );
    if (progress.boarded) {
      const organiserProvince = provinceOf(trip.organizer ?? trip.origin);
      const foreign = passengers.some(
        (p) => provinceOf(workerByKey.get(p)!.worker.home) !== organiserProvince,
      );
      if (foreign) await options.waitForRelay?.();
      const boarded = progress.boarded === 'all' ? passengers : progress.boarded;
      const list = boarded.map((p, i) => ({ workerId: ids.workers[p], temperature: temperatureOf(i) }));
      await send(M.departTrip, { id, boarded: list, key: keyOf('depart', key) }, organiser);
    }
    if (progress.newExpectedArrivalAt)
      await send(M.updateEta, { id, at: progress.newExpectedArrivalAt, key: keyOf('eta', key) }, organiser);
    if (progress.arrival)
      await send(M.confirmArrival, { id, input: progress.arrival, key: keyOf('arrival', key) }, receiver);
    if (progress.handedOverTo)
      await send(M.handOverTrip, { id, to: progress.handedOverTo, key: keyOf('hand-over', key) }, receiver);
    if (progress.cancelReason)
      await send(M.cancelTrip, { id, reason: progress.cancelReason, key: keyOf('cancel', key) }, organiser);
  }
}
