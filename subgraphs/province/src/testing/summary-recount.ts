import { NATION, regionContains } from '@p2p/schema';
import type { Executor } from '../db/database.js';
import { enterprises, tripPassengers, trips, workers, type TransportMode } from '../db/schema/index.js';
import type { EmploymentStats } from '../summary/employment.js';
import { TRANSPORT_MODES } from '../summary/metrics.js';
import type { TransportStats, TripCount } from '../summary/transport.js';
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
  trips: { id: string; origin: string; destination: string; mode: TransportMode; status: string }[];
  passengers: { tripId: string; boarded: boolean }[];
  enterprises: { region: string; key: boolean; openings: number; filled: number }[];
}

/** The parts of a Summary a recount computes. */
export interface RecountedSummary {
  workers: WorkerStats;
  transport: TransportStats;
  employment: EmploymentStats;
}

/** Reads every record statistics depend on (four full scans). */
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
      })
      .from(trips),
    passengers: await db
      .select({ tripId: tripPassengers.tripId, boarded: tripPassengers.boarded })
      .from(tripPassengers),
    enterprises: await db
      .select({
        region: enterprises.region,
        key: enterprises.key,
        openings: enterprises.openings,
        filled: enterprises.filled,
      })
      .from(enterprises),
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
  const workerStats: WorkerStats = { registered: 0, atHome: 0, travelling: 0, atWork: 0, priority: 0, flow };
  for (const w of records.workers) {
    if (!inside(w.homeRegion)) continue;
    workerStats.registered++;
    if (w.status === 'AT_HOME') workerStats.atHome++;
    if (w.status === 'TRAVELLING') workerStats.travelling++;
    if (w.status === 'AT_WORK') workerStats.atWork++;
    if (w.povertyStatus === 'REGISTERED_POOR') workerStats.priority++;
    if (w.workRegion) flow[flowClassOf(w.homeRegion, w.workRegion)]++;
  }

  const manifest = new Map<string, { assigned: number; boarded: number }>();
  for (const p of records.passengers) {
    const m = manifest.get(p.tripId) ?? { assigned: 0, boarded: 0 };
    m.assigned++;
    if (p.boarded) m.boarded++;
    manifest.set(p.tripId, m);
  }
  const count = (): TripCount => ({ trips: 0, passengers: 0 });
  const transport: TransportStats = { outbound: count(), inbound: count(), internal: count(), byMode: [] };
  const byMode = new Map<TransportMode, TripCount>();
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
    const mode = byMode.get(t.mode) ?? count();
    mode.trips++;
    mode.passengers += people;
    byMode.set(t.mode, mode);
  }
  transport.byMode = TRANSPORT_MODES.filter((mode) => byMode.has(mode)).map((mode) => ({
    mode,
    ...byMode.get(mode)!,
  }));

  const employment: EmploymentStats = {
    enterprises: 0,
    keyEnterprises: 0,
    openings: 0,
    filled: 0,
    fillRate: 0,
  };
  for (const e of records.enterprises) {
    if (!inside(e.region)) continue;
    employment.enterprises++;
    if (e.key) employment.keyEnterprises++;
    employment.openings += e.openings;
    employment.filled += e.filled;
  }
  employment.fillRate = employment.openings > 0 ? employment.filled / employment.openings : 0;
  return { workers: workerStats, transport, employment };
}
