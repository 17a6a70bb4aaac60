/**
 * The data of one province at scale, as its database holds it: workers whose home is in the
 * province, and the trips it organised ("one vehicle, one plan") with their manifests. Generated
 * in one deterministic pass, in chunks, so a million workers never sit in memory at once.
 *
 * The shape follows spring 2020: about a third of the workers left on chartered buses, a few
 * trains and flights to the receiving cities; a trip's status decides its passengers' status
 * (handed over → AT_WORK at the destination, departed → TRAVELLING, planned → AT_HOME with a
 * travel intent); some who stayed work nearby (Hebei's flow classes); a tenth are from
 * registered-poor households.
 */
import { encodeId, findRegion, workerIdFor, DEV_WORKER_ID_KEY } from '@p2p/schema';
import type { tables } from '@p2p/province';
import { provinceGeography, receivingCounty } from './geography.js';
import { Random, mobileNumber, personName, residentIdFor, seedFor, skillsFor } from './people.js';

/** A row of `workers` as the loader inserts it. */
export type WorkerInsert = typeof tables.workers.$inferInsert;
/** A row of `trips`. */
export type TripInsert = typeof tables.trips.$inferInsert;
/** A row of `trip_passengers`. */
export type PassengerInsert = typeof tables.tripPassengers.$inferInsert;

/** Record kinds, for {@link seedFor}. */
export const SEED_KIND = { worker: 1, workerState: 2, trip: 3, enterprise: 4, returnRequest: 5 } as const;

/** Who a generated worker is: what registration needs, and the id his province gives him. */
export interface WorkerIdentity {
  index: number;
  id: string;
  name: string;
  idNumber: string;
  phone: string;
  homeRegion: string;
  povertyStatus: 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
  skills: string[];
}

/** The worker id key the provinces use (the harness passes the launcher's env on). */
export const benchWorkerIdKey = (): string => process.env.WORKER_ID_KEY ?? DEV_WORKER_ID_KEY;

/**
 * Worker `index` of `province`: the same person every time. Indexes below the loaded count are in
 * the database; higher ones are new people (bulk registration, mixed load).
 */
export function workerIdentity(
  province: string,
  index: number,
  key: string = benchWorkerIdKey(),
): WorkerIdentity {
  const random = new Random(seedFor(province, SEED_KIND.worker, index));
  const homeRegion = random.pick(provinceGeography(province).townships);
  const idNumber = residentIdFor(homeRegion, index);
  const poverty = random.next();
  return {
    index,
    id: workerIdFor(idNumber, province, key),
    name: personName(random),
    idNumber,
    phone: mobileNumber(random),
    homeRegion,
    povertyStatus: poverty < 0.1 ? 'REGISTERED_POOR' : poverty < 0.15 ? 'LIFTED' : 'NONE',
    skills: skillsFor(random),
  };
}

/** Options of {@link generateProvince}. */
export interface PopulationOptions {
  province: string;
  /** Workers whose home is in the province. */
  workers: number;
  /**
   * Share of the workers who travel on a trip the province organised.
   * @default 0.35
   */
  travellingShare?: number;
  /**
   * Workers per chunk yielded.
   * @default 10_000
   */
  chunkSize?: number;
}

/** One chunk of a province's data: workers, and the trips (with manifests) that carry some of them. */
export interface PopulationChunk {
  workers: WorkerInsert[];
  trips: TripInsert[];
  passengers: PassengerInsert[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2020-02-10T00:00+08:00: the first departures after the Spring Festival. */
const SEASON_START = Date.UTC(2020, 1, 9, 16);
/** Departures spread over 50 days, to the end of March. */
const SEASON_DAYS = 50;

const PLATE: Record<string, string> = {
  '45': '桂',
  '41': '豫',
  '51': '川',
  '43': '湘',
  '44': '粤',
  '13': '冀',
  '36': '赣',
  '42': '鄂',
  '34': '皖',
  '52': '贵',
  '50': '渝',
  '53': '云',
};

type Mode = TripInsert['mode'];
type TripStatus = NonNullable<TripInsert['status']>;

/** Mode, capacity and passengers of trip `random`'s draw: mostly buses, some trains and flights. */
function vehicle(
  random: Random,
  province: string,
): { mode: Mode; vehicleCode: string; capacity: number; passengers: number; hours: number } {
  const draw = random.next();
  if (draw < 0.9) {
    const capacity = random.pick([45, 49, 53, 55]);
    const plate = `${PLATE[province.slice(0, 2)] ?? '京'}${String.fromCharCode(65 + random.int(0, 11))}${random.int(10_000, 99_999)}`;
    return {
      mode: 'BUS',
      vehicleCode: plate,
      capacity,
      passengers: random.int(Math.floor(capacity * 0.6), capacity),
      hours: random.int(10, 30),
    };
  }
  if (draw < 0.95) {
    const capacity = random.int(200, 400);
    return {
      mode: 'TRAIN',
      vehicleCode: `Z${random.int(1000, 9999)}`,
      capacity,
      passengers: random.int(150, capacity),
      hours: random.int(10, 24),
    };
  }
  const capacity = random.int(150, 180);
  return {
    mode: 'FLIGHT',
    vehicleCode: `CZ${random.int(3000, 9999)}`,
    capacity,
    passengers: random.int(100, capacity),
    hours: random.int(2, 4),
  };
}

function tripStatus(random: Random): TripStatus {
  const draw = random.next();
  return draw < 0.6
    ? 'HANDED_OVER'
    : draw < 0.7
      ? 'ARRIVED'
      : draw < 0.8
        ? 'DEPARTED'
        : draw < 0.95
          ? 'PLANNED'
          : 'CANCELLED';
}

/** The static part of a worker row: identity, registration and health. */
function workerRow(identity: WorkerIdentity, random: Random): WorkerInsert {
  const registeredAt = new Date(SEASON_START - random.int(0, 20) * DAY + random.int(0, 23) * HOUR);
  const tested = random.chance(0.8);
  const code = random.next();
  return {
    id: identity.id,
    name: identity.name,
    idNumber: identity.idNumber,
    phone: identity.phone,
    homeRegion: identity.homeRegion,
    povertyStatus: identity.povertyStatus,
    skills: identity.skills,
    status: 'AT_HOME',
    healthCode: tested ? (code < 0.95 ? 'GREEN' : code < 0.99 ? 'YELLOW' : 'RED') : null,
    healthTestedAt: tested ? new Date(SEASON_START + random.int(0, 40) * DAY) : null,
    healthNucleicAcid: tested && random.chance(0.7) ? 'NEGATIVE' : null,
    healthSource: tested ? 'OFFICER' : null,
    registeredAt,
    updatedAt: registeredAt,
  };
}

/** A worker who stayed: at home, or working in his own province (township, county, city or province). */
function stayingWorker(row: WorkerInsert, random: Random, province: string): void {
  if (!random.chance(0.15)) return;
  const home = row.homeRegion;
  const geography = provinceGeography(province);
  const draw = random.next();
  row.status = 'AT_WORK';
  row.workRegion = draw < 0.3 ? home : draw < 0.6 ? home.slice(0, 6) : random.pick(geography.counties);
}

/**
 * The province's data, chunk by chunk: each chunk has `chunkSize` workers plus the trips whose
 * manifests were completed in it (a trip's passengers are consecutive workers, so every manifest
 * names workers of the same or an earlier chunk).
 */
export function* generateProvince(options: PopulationOptions): Generator<PopulationChunk> {
  const { province, workers: total } = options;
  const share = options.travellingShare ?? 0.35;
  const chunkSize = options.chunkSize ?? 10_000;
  const key = benchWorkerIdKey();
  const geography = provinceGeography(province);
  let chunk: PopulationChunk = { workers: [], trips: [], passengers: [] };
  let index = 0;
  let tripNo = 0;

  const emit = (row: WorkerInsert) => {
    chunk.workers.push(row);
    index++;
  };
  const workerAt = (i: number) =>
    workerRow(workerIdentity(province, i, key), new Random(seedFor(province, SEED_KIND.workerState, i)));

  while (index < total) {
    const random = new Random(seedFor(province, SEED_KIND.trip, tripNo));
    const v = vehicle(random, province);
    // Stay-at-home workers between two trips, so that about `share` of all workers travel.
    const gap = Math.round(random.next() * 2 * v.passengers * ((1 - share) / share));
    for (let g = 0; g < gap && index < total; g++) {
      const row = workerAt(index);
      stayingWorker(row, new Random(seedFor(province, SEED_KIND.workerState, index) ^ 0x5bd1e995), province);
      emit(row);
    }
    const passengers = Math.min(v.passengers, total - index);
    if (passengers > 0) {
      const status = tripStatus(random);
      const destination = receivingCounty(random);
      const departureAt = new Date(SEASON_START + random.int(0, SEASON_DAYS * 24) * HOUR);
      const plannedAt = new Date(departureAt.getTime() - random.int(1, 4) * DAY);
      const expectedArrivalAt = new Date(departureAt.getTime() + v.hours * HOUR);
      const moved = status === 'DEPARTED' || status === 'ARRIVED' || status === 'HANDED_OVER';
      const arrived = status === 'ARRIVED' || status === 'HANDED_OVER';
      const tripId = encodeId('Trip', province, `bench${String(tripNo).padStart(8, '0')}`);
      let boarded = 0;
      for (let p = 0; p < passengers; p++) {
        const row = workerAt(index);
        const on = moved && random.chance(0.98);
        if (on) boarded++;
        if (on && arrived)
          Object.assign(row, { status: 'AT_WORK', workRegion: destination, updatedAt: expectedArrivalAt });
        else if (on) Object.assign(row, { status: 'TRAVELLING', updatedAt: departureAt });
        else if (status === 'PLANNED') {
          const earliest = new Date(departureAt.getTime() - 2 * DAY).toISOString().slice(0, 10);
          Object.assign(row, {
            intentEarliestDate: earliest,
            intentLatestDate: departureAt.toISOString().slice(0, 10),
            intentDestination: destination,
            intentMode: v.mode,
            intentDeclaredAt: new Date(plannedAt.getTime() - DAY),
          });
        }
        chunk.passengers.push({
          tripId,
          workerId: row.id,
          boarded: on,
          temperature: on ? Math.round((36 + random.next() * 1.2) * 10) / 10 : null,
          assignedAt: plannedAt,
        });
        emit(row);
      }
      const origin = random.pick(geography.counties);
      chunk.trips.push({
        id: tripId,
        organizer: origin,
        mode: v.mode,
        vehicleCode: v.vehicleCode,
        origin,
        destination,
        departureAt,
        expectedArrivalAt,
        arrivedAt: arrived ? expectedArrivalAt : null,
        capacity: v.capacity,
        status,
        headcount: arrived ? boarded : null,
        handedOverTo:
          status === 'HANDED_OVER' ? `${findRegion(destination)?.name ?? destination}返岗接收专班` : null,
        cancelReason: status === 'CANCELLED' ? '目的地企业推迟复工' : null,
        plannedAt,
        updatedAt: arrived ? expectedArrivalAt : plannedAt,
      });
      tripNo++;
    }
    if (chunk.workers.length >= chunkSize) {
      yield chunk;
      chunk = { workers: [], trips: [], passengers: [] };
    }
  }
  if (chunk.workers.length) yield chunk;
}
