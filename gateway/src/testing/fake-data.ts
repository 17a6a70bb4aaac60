import { encodeId, provinceOf } from '@p2p/schema';

/** A worker record of a fake province (owned by his home province). */
export interface FakeWorker {
  id: string;
  name: string;
  idNumber: string;
  phone: string;
  homeRegion: string;
  workRegion: string | null;
  employerId: string | null;
  status: 'AT_HOME' | 'TRAVELLING' | 'AT_WORK' | 'OBSERVATION';
  povertyStatus: 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
  skills: string[];
  registeredAt: string;
}

/** An enterprise of a fake province (owned by the province where it is). */
export interface FakeEnterprise {
  id: string;
  name: string;
  region: string;
  sector: string;
  key: boolean;
  openings: number;
  filled: number;
}

/** A passenger on a fake trip. */
export interface FakePassenger {
  workerId: string;
  boarded: boolean;
  temperature: number | null;
  /** Why the boarding gate refused him. */
  refusal?: 'FEVER' | 'HEALTH_CODE' | 'NO_HEALTH_RECORD' | 'ABSENT' | null;
  /** His stop; absent: the destination. */
  alightAt?: string | null;
  /** His stop's arrival check found a fever. */
  arrivalFever?: boolean;
}

/** An observation kept by a fake province (the one where it happens). */
export interface FakeObservation {
  id: string;
  workerId: string;
  region: string;
  endedAt: string | null;
  outcome: 'RELEASED' | 'TRANSFERRED_TO_HOSPITAL' | null;
}

/** A trip of a fake province (owned by the organising province, by default the one of its origin). */
export interface FakeTrip {
  id: string;
  /** The region that organised it (its province owns the trip); absent: the origin. */
  organizer?: string;
  mode: 'BUS' | 'TRAIN' | 'FLIGHT';
  vehicleCode: string;
  origin: string;
  destination: string;
  /** ISO 8601 UTC with milliseconds (as the DateTime scalar writes it), so string order is time order. */
  departureAt: string;
  expectedArrivalAt: string;
  capacity: number;
  status: 'PLANNED' | 'DEPARTED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';
  passengers: FakePassenger[];
}

/** A return request of a fake province (owned by the enterprise's province). */
export interface FakeReturnRequest {
  id: string;
  enterpriseId: string;
  workerId: string;
  filedWorker: { name: string; idNumber: string; phone: string; homeRegion: string };
  departureRegion: string;
  plannedReturnDate: string;
  status: 'FILED' | 'ON_POST';
  filedAt: string;
}

/** Every record a fake province holds. */
export interface ProvinceData {
  workers: FakeWorker[];
  enterprises: FakeEnterprise[];
  trips: FakeTrip[];
  returnRequests: FakeReturnRequest[];
  /** Observations in the province (absent: none). */
  observations?: FakeObservation[];
  /**
   * The relayed copies of trips other provinces organised that leave from, stop in or go to this
   * one (#17.2): counted for scopes inside this province only, never the nation's
   * ({@link withTripCopies} fills them as the relay would).
   */
  tripCopies?: FakeTrip[];
}

/**
 * Gives every province the copies of the other provinces' trips that touch it (origin,
 * destination or a passenger's stop), as the organisers tell them through the relay (#17.2).
 */
export function withTripCopies(data: Record<string, ProvinceData>): Record<string, ProvinceData> {
  for (const [code, own] of Object.entries(data))
    own.tripCopies = Object.entries(data)
      .filter(([other]) => other !== code)
      .flatMap(([, d]) => d.trips)
      .filter((t) =>
        [t.origin, t.destination, ...t.passengers.map((p) => p.alightAt)].some(
          (place) => place != null && provinceOf(place) === code,
        ),
      );
  return data;
}

/** An empty data set. */
export const emptyData = (): ProvinceData => ({
  workers: [],
  enterprises: [],
  trips: [],
  returnRequests: [],
});

let serial = 0;
const local = (tag: string) => `${tag}${String(++serial).padStart(8, '0')}`;
const iso = (v: string) => new Date(v).toISOString();

/** A worker whose home is `homeRegion`; id owned by its province. */
export function makeWorker(homeRegion: string, over: Partial<FakeWorker> = {}): FakeWorker {
  const n = ++serial;
  return {
    id: encodeId('Worker', provinceOf(homeRegion), `w${String(n).padStart(10, '0')}`),
    name: `Worker ${n}`,
    idNumber: `45020319900101${String(n % 1000).padStart(3, '0')}X`,
    phone: `1380000${String(n % 10000).padStart(4, '0')}`,
    homeRegion,
    workRegion: null,
    employerId: null,
    status: 'AT_HOME',
    povertyStatus: 'NONE',
    skills: [],
    registeredAt: '2020-02-01T00:00:00.000Z',
    ...over,
  };
}

/** An enterprise in `region`. */
export function makeEnterprise(region: string, over: Partial<FakeEnterprise> = {}): FakeEnterprise {
  return {
    id: encodeId('Enterprise', provinceOf(region), local('e')),
    name: `Enterprise ${serial}`,
    region,
    sector: 'manufacturing',
    key: false,
    openings: 0,
    filled: 0,
    ...over,
  };
}

/** A trip organised by the province of `origin` (or of `over.organizer`). */
export function makeTrip(
  origin: string,
  destination: string,
  departureAt: string,
  over: Partial<FakeTrip> = {},
): FakeTrip {
  const at = iso(departureAt);
  return {
    id: encodeId('Trip', provinceOf(over.organizer ?? origin), local('t')),
    mode: 'BUS',
    vehicleCode: `桂A${serial}`,
    origin,
    destination,
    departureAt: at,
    expectedArrivalAt: iso(new Date(Date.parse(at) + 12 * 3600_000).toISOString()),
    capacity: 50,
    status: 'PLANNED',
    passengers: [],
    ...over,
  };
}

/** A return request filed by `enterprise` for `worker`. */
export function makeReturnRequest(
  enterprise: FakeEnterprise,
  worker: FakeWorker,
  plannedReturnDate: string,
  over: Partial<FakeReturnRequest> = {},
): FakeReturnRequest {
  return {
    id: encodeId('ReturnRequest', provinceOf(enterprise.region), local('r')),
    enterpriseId: enterprise.id,
    workerId: worker.id,
    filedWorker: {
      name: worker.name,
      idNumber: worker.idNumber,
      phone: worker.phone,
      homeRegion: worker.homeRegion,
    },
    departureRegion: worker.homeRegion,
    plannedReturnDate,
    status: 'FILED',
    filedAt: '2020-02-10T00:00:00.000Z',
    ...over,
  };
}

/** A deterministic pseudo-random generator (mulberry32) for property tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An observation in `region`, active unless `over` ends it. */
export function makeObservation(
  region: string,
  workerId: string,
  over: Partial<FakeObservation> = {},
): FakeObservation {
  return {
    id: encodeId('Observation', provinceOf(region), local('o')),
    workerId,
    region,
    endedAt: null,
    outcome: null,
    ...over,
  };
}
