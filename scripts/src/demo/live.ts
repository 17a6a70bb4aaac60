/**
 * The live demo: keeps a few trips moving through the gateway's mutations, so that an `arrivals`
 * subscription shows events while someone watches. Each running province organises one "lane":
 * a bus from one of its counties to a receiving place in another province, carrying two seeded
 * workers of other provinces (their names come from their home provinces). One step every
 * `intervalMs`, lanes in turn: plan → assign → depart → ETA change → arrive → hand over, then a
 * new bus. The organising province's officer plans and moves it; the receiving place confirms the
 * arrival and the hand-over, as in 2020.
 */
import { randomBytes } from 'node:crypto';
import { provinceOf, tryDecodeId } from '@p2p/schema';
import { graphqlRequest } from '@p2p/runtime';
import type { DemoIds } from './seed.js';

/** Options of {@link startLiveTrips}. */
export interface LiveTripsOptions {
  /** Headers of every request when `tokenFor` is absent. */
  headers?: Record<string, string>;
  /** A token for a role in a region (the federation's `tokenFor`): officers move trips, receiving places meet them. */
  tokenFor?: (role: 'province' | 'city', region: string) => Promise<string>;
  /**
   * Milliseconds between two moves (of any lane).
   * @default 3_000
   */
  intervalMs?: number;
  /** Progress lines (trip ids, vehicle codes and kinds only: no personal data). */
  log?: (line: string) => void;
}

/** A running live demo. */
export interface LiveTrips {
  /** Stops moving trips; resolves when the last move has finished. */
  stop(): Promise<void>;
}

/** Where each province's lane starts and which receiving place it serves (GB/T 2260 codes). */
const LANES: Record<string, { origin: string; destination: string; plate: string }> = {
  '110000': { origin: '110105', destination: '130730', plate: '京B' },
  '130000': { origin: '130426', destination: '110105', plate: '冀D' },
  '410000': { origin: '411624', destination: '130730', plate: '豫P' },
  '440000': { origin: '440306', destination: '450204', plate: '粤B' },
  '450000': { origin: '450204', destination: '440306', plate: '桂B' },
};

const STEPS = ['plan', 'assign', 'depart', 'eta', 'arrive', 'handOver'] as const;
type Step = (typeof STEPS)[number];

interface Lane {
  province: string;
  origin: string;
  destination: string;
  plate: string;
  cycle: number;
  step: number;
  tripId?: string;
  passengers: string[];
}

const M: Record<Step | 'health', string> = {
  plan: `mutation LivePlan($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { id vehicleCode } }`,
  health: `mutation LiveHealth($id: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $input) { id } }`,
  assign: `mutation LiveAssign($id: ID!, $workers: [ID!]!, $key: String) { assignPassengers(tripId: $id, workerIds: $workers, idempotencyKey: $key) { id } }`,
  depart: `mutation LiveDepart($id: ID!, $boarded: [BoardingInput!]!, $key: String) { departTrip(tripId: $id, boarded: $boarded, idempotencyKey: $key) { id } }`,
  eta: `mutation LiveEta($id: ID!, $at: DateTime!, $key: String) { updateEta(tripId: $id, expectedArrivalAt: $at, idempotencyKey: $key) { id } }`,
  arrive: `mutation LiveArrive($id: ID!, $input: ConfirmArrivalInput!, $key: String) { confirmArrival(tripId: $id, input: $input, idempotencyKey: $key) { id } }`,
  handOver: `mutation LiveHandOver($id: ID!, $to: String!, $key: String) { handOverTrip(tripId: $id, handedOverTo: $to, idempotencyKey: $key) { id } }`,
};

/** Seeded workers by home province. */
function workersByProvince(ids: DemoIds): Map<string, string[]> {
  const byProvince = new Map<string, string[]>();
  for (const id of Object.values(ids.workers)) {
    const province = tryDecodeId(id)?.province;
    if (province) byProvince.set(province, [...(byProvince.get(province) ?? []), id]);
  }
  return byProvince;
}

/** Starts moving trips through the gateway at `gatewayUrl`; stop it with {@link LiveTrips.stop}. */
export function startLiveTrips(gatewayUrl: string, ids: DemoIds, options: LiveTripsOptions = {}): LiveTrips {
  const log = options.log ?? (() => {});
  const run = randomBytes(3).toString('hex');
  const workers = workersByProvince(ids);
  const lanes: Lane[] = [...workers.keys()]
    .sort()
    .filter((province) => LANES[province])
    .map((province) => ({ province, ...LANES[province]!, cycle: 0, step: 0, passengers: [] }));
  if (lanes.length === 0) {
    log('no seeded province has a live lane; nothing moves');
    return { stop: async () => {} };
  }
  let turn = 0;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();

  const headersFor = async (role: 'province' | 'city', region: string) =>
    options.tokenFor
      ? { authorization: `Bearer ${await options.tokenFor(role, region)}` }
      : (options.headers ?? {});

  /** Two workers of other provinces, in turn. */
  const passengersFor = (lane: Lane) => {
    const others = [...workers].filter(([p]) => p !== lane.province).flatMap(([, list]) => list);
    return others.length
      ? [others[(lane.cycle * 2) % others.length]!, others[(lane.cycle * 2 + 1) % others.length]!].filter(
          (w, i, a) => a.indexOf(w) === i,
        )
      : [];
  };

  const move = async (lane: Lane) => {
    const step = STEPS[lane.step]!;
    const key = `live:${run}:${lane.province}:${lane.cycle}:${step}`;
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const officer = () => headersFor('province', provinceOf(lane.origin));
    const receiver = () => headersFor('city', lane.destination);
    const vehicleCode = `${lane.plate}·L${String(lane.cycle % 1000).padStart(3, '0')}${run.slice(0, 2)}`;
    let answer: Awaited<ReturnType<typeof graphqlRequest>>;
    switch (step) {
      case 'plan':
        lane.passengers = passengersFor(lane);
        // Their home province checks their health code today (the boarding gate wants it valid on
        // the day); the record reaches the organiser through the relay when they are assigned.
        for (const workerId of lane.passengers) {
          const home = tryDecodeId(workerId)?.province;
          if (!home) continue;
          await graphqlRequest(
            gatewayUrl,
            M.health,
            {
              id: workerId,
              input: { code: 'GREEN', issuedBy: home, checkedAt: at(-2), validUntil: at(7 * 24 * 60) },
            },
            await headersFor('province', home),
          );
        }
        answer = await graphqlRequest(
          gatewayUrl,
          M.plan,
          {
            key,
            input: {
              mode: 'BUS',
              vehicleCode,
              origin: lane.origin,
              destination: lane.destination,
              departureAt: at(-1),
              expectedArrivalAt: at(360),
              capacity: 45,
            },
          },
          await officer(),
        );
        lane.tripId = (answer.data as { planTrip?: { id: string } } | undefined)?.planTrip?.id;
        break;
      case 'assign':
        answer = await graphqlRequest(
          gatewayUrl,
          M.assign,
          { key, id: lane.tripId, workers: lane.passengers },
          await officer(),
        );
        break;
      case 'depart':
        answer = await graphqlRequest(
          gatewayUrl,
          M.depart,
          {
            key,
            id: lane.tripId,
            boarded: lane.passengers.map((workerId, i) => ({ workerId, temperature: 36.3 + i / 10 })),
          },
          await officer(),
        );
        break;
      case 'eta':
        answer = await graphqlRequest(
          gatewayUrl,
          M.eta,
          { key, id: lane.tripId, at: at(300) },
          await officer(),
        );
        break;
      case 'arrive':
        answer = await graphqlRequest(
          gatewayUrl,
          M.arrive,
          { key, id: lane.tripId, input: { arrivedAt: at(-0.1), headcount: lane.passengers.length } },
          await receiver(),
        );
        break;
      case 'handOver':
        answer = await graphqlRequest(
          gatewayUrl,
          M.handOver,
          { key, id: lane.tripId, to: '接收地人社部门' },
          await receiver(),
        );
        break;
    }
    const error = answer.errors?.[0];
    if (error || (step === 'plan' && !lane.tripId) || (step !== 'plan' && lane.passengers.length === 0)) {
      log(
        `${lane.province} ${step} failed (${String(error?.extensions?.code ?? 'no passengers')}); starting a new bus`,
      );
      lane.cycle++;
      lane.step = 0;
      return;
    }
    log(`${lane.tripId} ${vehicleCode} ${lane.origin} → ${lane.destination}: ${step}`);
    lane.step = (lane.step + 1) % STEPS.length;
    if (lane.step === 0) lane.cycle++;
  };

  let busy = false;
  const timer = setInterval(() => {
    if (stopped || busy) return; // a slow gateway skips a tick rather than piling moves up
    busy = true;
    const lane = lanes[turn++ % lanes.length]!;
    current = move(lane)
      .catch((error: unknown) =>
        log(`${lane.province}: ${error instanceof Error ? error.message : String(error)} (will retry)`),
      )
      .finally(() => (busy = false));
  }, options.intervalMs ?? 3_000);
  log(
    `moving ${lanes.length} bus${lanes.length > 1 ? 'es' : ''} (${lanes.map((l) => `${l.origin} → ${l.destination}`).join(', ')}), one step every ${(options.intervalMs ?? 3_000) / 1000} s`,
  );

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
