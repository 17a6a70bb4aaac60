import { CheckFailure } from '../check-failure.js';
import type { KitContext } from '../check.js';
import { kitIdempotencyKey, type LinkAnswer } from '../province-link.js';

/**
 * Requests the record-behaviour checks share: the error codes of an answer, a recount of the
 * workers of a region, and a trip the kit plans from its test county (noted for cancelling).
 */

/** The `extensions.code` of every error of an answer. */
export function codesOf(answer: LinkAnswer): string[] {
  return answer.errors?.map((e) => String(e.extensions?.code ?? 'NO_CODE')) ?? [];
}

/** True when the answer carries no value at all in `data` (absent, null, or every root field null). */
export function answeredNothing(answer: LinkAnswer): boolean {
  return !answer.data || Object.values(answer.data).every((v) => v === null || v === undefined);
}

/**
 * Fails unless `answer` is an error with one of `codes` and no data.
 * @param want what the contract wants, for the message (e.g. "registerWorker with homeRegion 999999").
 */
export function expectRefusedWith(answer: LinkAnswer, codes: readonly string[], want: string): void {
  const got = codesOf(answer);
  if (!got.some((c) => codes.includes(c)) || !answeredNothing(answer))
    throw new CheckFailure(
      `${want} must be refused with ${codes.join(' or ')} and no data; got ${got.length ? got.join(', ') : 'no error'}${answeredNothing(answer) ? '' : ' and data'}`,
      answer.exchange,
    );
}

const COUNT_WORKERS = `query KitCountWorkers($region: RegionCode!) {
  workers(homeRegion: $region, first: 1) { totalCount }
}`;

/** `workers(homeRegion: region) { totalCount }` as the province officer. */
export async function countWorkers(kit: KitContext, region: string): Promise<number> {
  const { data, exchange } = await kit.link.data(
    'workers',
    COUNT_WORKERS,
    { region },
    kit.callers.provinceOfficer,
  );
  const total = data.workers?.totalCount;
  if (!Number.isInteger(total))
    throw new CheckFailure('workers(homeRegion:) must answer an integer totalCount', exchange);
  return total;
}

const COUNT_TRIPS = `query KitCountTrips($origin: RegionCode!) {
  trips(origin: $origin, first: 1) { totalCount }
}`;

/** `trips(origin: region) { totalCount }` as the province officer. */
export async function countTrips(kit: KitContext, origin: string): Promise<number> {
  const { data, exchange } = await kit.link.data(
    'transport',
    COUNT_TRIPS,
    { origin },
    kit.callers.provinceOfficer,
  );
  const total = data.trips?.totalCount;
  if (!Number.isInteger(total))
    throw new CheckFailure('trips(origin:) must answer an integer totalCount', exchange);
  return total;
}

/** The mutation the kit plans its trips with. */
export const PLAN_TRIP = `mutation KitPlanTrip($input: PlanTripInput!, $key: String) {
  planTrip(input: $input, idempotencyKey: $key) { id }
}`;

const HOUR = 3_600_000;
let vehicles = 0;

/** A bus from the kit's test county to a county of another province, tomorrow, its vehicle code tagged with the run. */
export function kitTripInput(kit: KitContext): Record<string, unknown> {
  vehicles += 1;
  const departure = Date.now() + 24 * HOUR;
  return {
    mode: 'BUS',
    vehicleCode: `KIT-${kit.runId}-${vehicles}`.slice(0, 32),
    origin: kit.regions.testCounty,
    destination: kit.regions.otherProvinceCounty,
    departureAt: new Date(departure).toISOString(),
    expectedArrivalAt: new Date(departure + 20 * HOUR).toISOString(),
    capacity: 40,
  };
}

/** Plans a kit trip as the province officer and notes it for cancelling at the end; returns its id. */
export async function planKitTrip(kit: KitContext): Promise<string> {
  const { data, exchange } = await kit.link.data(
    'transport',
    PLAN_TRIP,
    { input: kitTripInput(kit), key: kitIdempotencyKey(kit.runId) },
    kit.callers.provinceOfficer,
  );
  const id = data.planTrip?.id;
  if (typeof id !== 'string')
    throw new CheckFailure('planTrip must answer the new trip with its id', exchange);
  kit.records.planned(id);
  return id;
}
