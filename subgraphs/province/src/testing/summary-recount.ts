import { NATION, provinceOf, regionContains } from '@p2p/schema';
import type { Executor } from '../db/database.js';
import {
  enterprises,
  jobPosts,
  observations,
  tripPassengers,
  trips,
  workers,
  type TransportMode,
} from '../db/schema/index.js';
import type { EmploymentStats } from '../summary/employment.js';
import type { Corridor, TransportStatsWithCorridors } from '../summary/corridors.js';
import type { HealthStats } from '../summary/health.js';
import { TRANSPORT_MODES } from '../summary/metrics.js';
import type { ModeCount, TripCount } from '../summary/transport.js';
import type { WorkerStats } from '../summary/workers.js';

/**
 * A brute-force recount of `Summary` over raw records, in TypeScript, for tests: the counters
 * must always equal it. It reads every record (O(data)); never use it to answer a query.
 * Containment is decided by the regions directory (`regionContains`), not by code prefixes, so
 * it also checks that the counters' prefix keys mean "the region and everything inside it".
 */

/** The fields of the records that statistics depend on. */
export interface StatisticsRecords {
  workers: { homeRegion: string; workRegion: string | null; status: string; povertyStatus: string }[];
  trips: {
    id: string;
    origin: string;
    destination: string;
    mode: TransportMode;
    status: string;
    vehicleCode: string;
  }[];
  passengers: {
    tripId: string;
    boarded: boolean;
    /** Why he stayed off at the boarding gate (FEVER, HEALTH_CODE, NO_HEALTH_RECORD, ABSENT). */
    refusal: string | null;
    /** His stop; null: the trip's destination. */
    alightAt: string | null;
    /** His stop's arrival check found a fever. */
    arrivalFever: boolean;
  }[];
  enterprises: { region: string; key: boolean; openings: number; filled: number }[];
  observations: { region: string; endedAt: Date | null; outcome: string | null }[];
  jobPosts: { region: string; openings: number }[];
}

/** The parts of a Summary a recount computes. */
export interface RecountedSummary {
  workers: WorkerStats;
  transport: TransportStatsWithCorridors;
  employment: EmploymentStats;
  health: HealthStats;
}

/** Reads every record statistics depend on (five full scans). */
export async function readStatisticsRecords(db: Executor): Promise<StatisticsRecords> {
  return {
    workers: await db
      .select({
        homeRegion: workers.homeRegion,
        workRegion: workers.workRegion,
        status: workers.status,
        povertyStatus: workers.povertyStatus,
      })
      .from(workers),
    trips: await db
      .select({
        id: trips.id,
        origin: trips.origin,
        destination: trips.destination,
        mode: trips.mode,
        status: trips.status,
        vehicleCode: trips.vehicleCode,
      })
      .from(trips),
    passengers: await db
      .select({
        tripId: tripPassengers.tripId,
        boarded: tripPassengers.boarded,
        refusal: tripPassengers.refusal,
        alightAt: tripPassengers.alightAt,
        arrivalFever: tripPassengers.arrivalFever,
      })
      .from(tripPassengers),
    enterprises: await db
      .select({
        region: enterprises.region,
        key: enterprises.key,
        openings: enterprises.openings,
        filled: enterprises.filled,
      })
      .from(enterprises),
    observations: await db
      .select({ region: observations.region, endedAt: observations.endedAt, outcome: observations.outcome })
      .from(observations),
    jobPosts: await db.select({ region: jobPosts.region, openings: jobPosts.openings }).from(jobPosts),
  };
}

/** Hebei's flow class of a worker, written from the rule's words (see `workerStatsFrom`). */
export function flowClassOf(home: string, work: string): keyof WorkerStats['flow'] {
  if (home.length === 9 && home === work) return 'withinTownship';
  if (home.slice(0, 6) === work.slice(0, 6)) return 'withinCounty';
  if (home.slice(0, 4) === work.slice(0, 4)) return 'withinCity';
  if (home.slice(0, 2) === work.slice(0, 2)) return 'withinProvince';
  return 'crossProvince';
}

/** Recounts the Summary of `scope` (CN or a region code) over `records`. */
export function recountSummary(records: StatisticsRecords, scope: string): RecountedSummary {
  const inside = (code: string) => scope === NATION || regionContains(scope, code);
  const flow = { withinTownship: 0, withinCounty: 0, withinCity: 0, withinProvince: 0, crossProvince: 0 };
  const workerStats: WorkerStats = {
    registered: 0,
    atHome: 0,
    travelling: 0,
    atWork: 0,
    underObservation: 0,
    priority: 0,
    out: 0,
    outRate: 0,
    flow,
  };
  for (const w of records.workers) {
    if (!inside(w.homeRegion)) continue;
    workerStats.registered++;
    if (w.status === 'AT_HOME') workerStats.atHome++;
    if (w.status === 'TRAVELLING') workerStats.travelling++;
    if (w.status === 'AT_WORK') workerStats.atWork++;
    if (w.status === 'OBSERVATION') workerStats.underObservation++;
    if (w.povertyStatus === 'REGISTERED_POOR') workerStats.priority++;
    if (w.workRegion) flow[flowClassOf(w.homeRegion, w.workRegion)]++;
    // Gone out: left home, whether on the way, at work or under observation at the receiving place.
    if (w.status === 'TRAVELLING' || w.status === 'AT_WORK' || w.status === 'OBSERVATION') workerStats.out++;
  }
  workerStats.outRate = workerStats.registered > 0 ? workerStats.out / workerStats.registered : 0;

  const manifest = new Map<string, { assigned: number; boarded: number }>();
  for (const p of records.passengers) {
    const m = manifest.get(p.tripId) ?? { assigned: 0, boarded: 0 };
    m.assigned++;
    if (p.boarded) m.boarded++;
    manifest.set(p.tripId, m);
  }
  const count = (): TripCount => ({ trips: 0, passengers: 0, moved: { trips: 0, passengers: 0 } });
  const transport: TransportStatsWithCorridors = {
    outbound: count(),
    inbound: count(),
    internal: count(),
    byMode: [],
    vehicles: 0,
    corridors: [],
  };
  // Corridors: trips between two provinces with either end inside, by (origin, destination) province.
  const corridors = new Map<string, Corridor>();
  const byMode = new Map<TransportMode, ModeCount>();
  // Distinct vehicles per mode: the codes of the trips counted (not CANCELLED, an end inside).
  const vehicles = new Map<TransportMode, Set<string>>();
  for (const t of records.trips) {
    if (t.status === 'CANCELLED') continue;
    const from = inside(t.origin);
    const to = inside(t.destination);
    if (!from && !to) continue;
    const m = manifest.get(t.id) ?? { assigned: 0, boarded: 0 };
    const people = t.status === 'PLANNED' ? m.assigned : m.boarded;
    const direction = from && to ? transport.internal : from ? transport.outbound : transport.inbound;
    direction.trips++;
    direction.passengers += people;
    // Moved: departed or later (CANCELLED is out above), the people who boarded.
    if (t.status === 'DEPARTED' || t.status === 'ARRIVED' || t.status === 'HANDED_OVER') {
      direction.moved.trips++;
      direction.moved.passengers += m.boarded;
    }
    const mode = byMode.get(t.mode) ?? {
      mode: t.mode,
      trips: 0,
      passengers: 0,
      moved: { trips: 0, passengers: 0 },
      vehicles: 0,
    };
    mode.trips++;
    mode.passengers += people;
    if (t.status === 'DEPARTED' || t.status === 'ARRIVED' || t.status === 'HANDED_OVER') {
      mode.moved.trips++;
      mode.moved.passengers += m.boarded;
    }
    byMode.set(t.mode, mode);
    const [origin, destination] = [provinceOf(t.origin), provinceOf(t.destination)];
    if (origin !== destination) {
      const key = `${origin}-${destination}`;
      const corridor = corridors.get(key) ?? {
        key,
        origin: { code: origin },
        destination: { code: destination },
        trips: 0,
        passengers: 0,
        moved: { trips: 0, passengers: 0 },
      };
      corridor.trips++;
      corridor.passengers += people;
      if (t.status === 'DEPARTED' || t.status === 'ARRIVED' || t.status === 'HANDED_OVER') {
        corridor.moved.trips++;
        corridor.moved.passengers += m.boarded;
      }
      corridors.set(key, corridor);
    }
    vehicles.set(t.mode, (vehicles.get(t.mode) ?? new Set<string>()).add(t.vehicleCode));
  }
  transport.byMode = TRANSPORT_MODES.filter((mode) => byMode.has(mode)).map((mode) => ({
    ...byMode.get(mode)!,
    vehicles: vehicles.get(mode)!.size,
  }));
  transport.vehicles = transport.byMode.reduce((sum, m) => sum + m.vehicles, 0);
  transport.corridors = [...corridors.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  // Health: refusals by the trip's origin, whatever became of the trip (facts of the gate);
  // fevers at arrival by the passenger's stop; observations by where they happen.
  const health: HealthStats = {
    boardingRefused: { fever: 0, healthCode: 0 },
    feverAtArrival: 0,
    underObservation: 0,
    released: 0,
  };
  const tripsById = new Map(records.trips.map((t) => [t.id, t]));
  for (const p of records.passengers) {
    const t = tripsById.get(p.tripId)!;
    if (inside(t.origin)) {
      if (p.refusal === 'FEVER') health.boardingRefused.fever++;
      if (p.refusal === 'HEALTH_CODE' || p.refusal === 'NO_HEALTH_RECORD')
        health.boardingRefused.healthCode++;
    }
    if (p.arrivalFever && inside(p.alightAt ?? t.destination)) health.feverAtArrival++;
  }
  for (const o of records.observations) {
    if (!inside(o.region)) continue;
    if (o.endedAt === null) health.underObservation++;
    if (o.outcome === 'RELEASED') health.released++;
  }

  const employment: EmploymentStats = {
    enterprises: 0,
    keyEnterprises: 0,
    openings: 0,
    filled: 0,
    fillRate: 0,
    keyOpenings: 0,
    keyFilled: 0,
    keyFillRate: 0,
    jobPosts: 0,
    jobOpenings: 0,
  };
  for (const e of records.enterprises) {
    if (!inside(e.region)) continue;
    employment.enterprises++;
    employment.openings += e.openings;
    employment.filled += e.filled;
    if (e.key) {
      employment.keyEnterprises++;
      employment.keyOpenings += e.openings;
      employment.keyFilled += e.filled;
    }
  }
  for (const j of records.jobPosts) {
    if (!inside(j.region)) continue;
    employment.jobPosts++;
    employment.jobOpenings += j.openings;
  }
  employment.fillRate = employment.openings > 0 ? employment.filled / employment.openings : 0;
  employment.keyFillRate = employment.keyOpenings > 0 ? employment.keyFilled / employment.keyOpenings : 0;
  return { workers: workerStats, transport, employment, health };
}
