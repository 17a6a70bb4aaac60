/**
 * The shapes of the demo data (scripts/src/demo/data.ts) and what can be derived from them:
 * resident ID numbers, phones, and which provinces an item involves (so a demo over fewer
 * provinces seeds only what it can hold).
 */
import { provinceOf, residentIdFrom } from '@p2p/schema';

/** Transport mode of the contract. */
export type DemoMode = 'BUS' | 'TRAIN' | 'FLIGHT';
/** Poverty status of the contract (建档立卡 households are the priority group). */
export type DemoPoverty = 'NONE' | 'REGISTERED_POOR' | 'LIFTED';

/** An enterprise of an importing (or local) place. */
export interface DemoEnterprise {
  key: string;
  name: string;
  /** Where it is (township or county). */
  region: string;
  sector: string;
  /** A key enterprise (重点企业). */
  keyEnterprise: boolean;
  /** Labour demand reported with reportLaborDemand. */
  openings: number;
  filled: number;
}

/**
 * A health check before departure: the code as checked on the platform of `issuedBy` (default:
 * the worker's home province), valid `validDays` days (default 7) after `checkedAt`; a
 * nucleic-acid result with the time its sample was taken.
 */
export interface DemoHealth {
  code: 'GREEN' | 'YELLOW' | 'RED';
  checkedAt: string;
  issuedBy?: string;
  validDays?: number;
  nucleicAcid?: 'NEGATIVE' | 'POSITIVE' | 'PENDING';
  testedAt?: string;
}

/** The `HealthCheckInput` of a demo worker's check. */
export function demoHealthInput(worker: Pick<DemoWorker, 'home'>, health: DemoHealth) {
  const { validDays = 7, issuedBy = provinceOf(worker.home), ...rest } = health;
  return {
    ...rest,
    issuedBy,
    validUntil: new Date(Date.parse(health.checkedAt) + validDays * 86_400_000).toISOString(),
  };
}

/** What the worker declared in the ministry's mini-program. */
export interface DemoTravelIntent {
  earliestDate: string;
  latestDate: string;
  destination: string;
  mode?: DemoMode;
}

/** A migrant worker, registered in his home province. */
export interface DemoWorker {
  key: string;
  /** Fictitious. */
  name: string;
  /** Home township (nine digits) or county. */
  home: string;
  /** YYYYMMDD, part of the resident ID number. */
  birth: string;
  /** Three-digit sequence of the resident ID number (odd: male, even: female). */
  seq: number;
  /** His phone; absent: {@link demoPhone} of his position in the data. */
  phone?: string;
  poverty: DemoPoverty;
  skills: string[];
  health?: DemoHealth;
  intent?: DemoTravelIntent;
  /** reportEmployment: where he works now, and for whom. */
  works?: { region: string; enterprise?: string };
}

/** An importing enterprise asks for a worker back (fileReturnRequest). */
export interface DemoReturnRequest {
  key: string;
  enterprise: string;
  worker: string;
  plannedReturnDate: string;
  departureRegion: string;
  /** confirmOnPost afterwards. */
  onPost?: boolean;
}

/** How far a trip got: each step is one mutation, in this order. */
export interface DemoTripProgress {
  /** departTrip with these passengers (all: every assigned worker). */
  boarded?: 'all' | string[];
  /** updateEta */
  newExpectedArrivalAt?: string;
  /** confirmArrival */
  arrival?: { arrivedAt: string; headcount: number };
  /** handOverTrip after the arrival */
  handedOverTo?: string;
  /** cancelTrip */
  cancelReason?: string;
}

/** "One vehicle, one plan": a trip organised by its origin, or by the receiving side (`organizer`). */
export interface DemoTrip {
  key: string;
  /** One line on where the story comes from. */
  story: string;
  /** The region that organised it when not the origin (a receiving county's pick-up); its province owns the trip. */
  organizer?: string;
  mode: DemoMode;
  vehicleCode: string;
  origin: string;
  destination: string;
  departureAt: string;
  expectedArrivalAt: string;
  capacity: number;
  passengers: string[];
  progress: DemoTripProgress;
  /** More runs of the same vehicle on the same route (a shuttle, report 004), left planned. */
  runs?: { departureAt: string; expectedArrivalAt: string }[];
}

/** A job post of an importing enterprise, recruiting point to point from exporting regions (#15). */
export interface DemoJob {
  key: string;
  /** The enterprise's demo key; it posts the job itself. */
  enterprise: string;
  title: string;
  openings: number;
  /** Where the work is. */
  region: string;
  skills: string[];
  /** The exporting regions it recruits from. */
  from: string[];
}

/** The whole demo. */
export interface DemoData {
  enterprises: DemoEnterprise[];
  workers: DemoWorker[];
  returnRequests: DemoReturnRequest[];
  trips: DemoTrip[];
  jobs: DemoJob[];
}

/** The 18-character resident ID number (GB 11643) of a demo worker: county, birth, sequence, check digit. */
export function demoIdNumber(worker: Pick<DemoWorker, 'home' | 'birth' | 'seq'>): string {
  return residentIdFrom(worker.home, worker.birth, worker.seq);
}

/** A fictitious mobile number (139 0000 xxxx) derived from the worker's position in the data. */
export function demoPhone(index: number): string {
  return `1390000${String(index + 1).padStart(4, '0')}`;
}

/** The provinces a demo worker involves: his home, and his employer's when he reports one. */
export function workerProvinces(worker: DemoWorker, data: DemoData): string[] {
  const employer = worker.works?.enterprise
    ? data.enterprises.find((e) => e.key === worker.works!.enterprise)
    : undefined;
  return [provinceOf(worker.home), ...(employer ? [provinceOf(employer.region)] : [])];
}

/** The provinces a return request involves: the enterprise's and the worker's home. */
export function requestProvinces(request: DemoReturnRequest, data: DemoData): string[] {
  const enterprise = data.enterprises.find((e) => e.key === request.enterprise);
  const worker = data.workers.find((w) => w.key === request.worker);
  return [enterprise ? provinceOf(enterprise.region) : '?', worker ? provinceOf(worker.home) : '?'];
}

/** The provinces a trip involves: the organiser (origin) and every passenger's home. */
export function tripProvinces(trip: DemoTrip, data: DemoData): string[] {
  const homes = trip.passengers.map((key) => data.workers.find((w) => w.key === key)?.home ?? '?');
  return [provinceOf(trip.origin), ...homes.map(provinceOf)];
}

/** The provinces a job post involves: the enterprise's and those it recruits from (its copies go there). */
export function jobProvinces(job: DemoJob, data: DemoData): string[] {
  const enterprise = data.enterprises.find((e) => e.key === job.enterprise);
  return [enterprise ? provinceOf(enterprise.region) : '?', ...job.from.map(provinceOf)];
}

/**
 * The part of the demo that a federation of `provinces` can hold: every item whose provinces
 * all run. Employment reports naming an enterprise of a missing province are dropped from
 * their worker, not the worker himself.
 */
export function demoSubset(data: DemoData, provinces: readonly string[]): DemoData {
  const running = new Set(provinces);
  const holds = (codes: string[]) => codes.every((c) => running.has(c));
  return {
    enterprises: data.enterprises.filter((e) => running.has(provinceOf(e.region))),
    workers: data.workers
      .filter((w) => running.has(provinceOf(w.home)))
      .map((w) => (holds(workerProvinces(w, data)) ? w : { ...w, works: undefined })),
    returnRequests: data.returnRequests.filter((r) => holds(requestProvinces(r, data))),
    trips: data.trips.filter((t) => holds(tripProvinces(t, data))),
    jobs: data.jobs.filter((j) => holds(jobProvinces(j, data))),
  };
}
