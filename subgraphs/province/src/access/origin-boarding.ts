/**
 * Boarding recorded at the trip's origin when another region organised the trip (#13.2, report
 * 004: Huailai County, Hebei, sent a bus to fetch its workers from Zhoukou, Henan). The bus leaves
 * from the origin, where the origin's officers meet their own people at the gate; so `departTrip`
 * is open to:
 * - the organiser's side (an officer whose region contains `trip.organizer`), for any passenger;
 * - an officer whose region contains the trip's origin, when EVERY worker he lists as boarded is
 *   one of his own: his home, as this province knows it, lies inside the officer's region. For a
 *   worker of this province that is the stored home region; for a worker of another province
 *   this province knows only his province (encoded in his id), so only an officer whose region
 *   contains that whole province (its provincial officer) qualifies. The home side's consent
 *   across provinces is a fact only a relayed copy from the home province can bring (DESIGN.md,
 *   "Cross-province facts come through the relay"); until one is carried, the home officer's rule
 *   applies: a city officer of another province cannot prove here that a worker is his.
 * Workers he does not list stay on the manifest, not boarded; everything else about the trip
 * (manifest, ETA, cancellation) stays with the organiser.
 */
import { tryDecodeId, type Caller } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import { workers, type TripRow } from '../db/schema/index.js';
import { findRecords } from '../own-records.js';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * The home region of each worker as this province knows it: the stored home for its own workers,
 * the province encoded in the id for others; undefined for a malformed or unknown id (left to the
 * mutation, which refuses a worker who is not on the manifest).
 */
async function knownHomes(ctx: ProvinceContext, ids: readonly string[]): Promise<(string | undefined)[]> {
  const decoded = ids.map((id) => tryDecodeId(id));
  const local = ids.filter((_, i) => decoded[i]?.kind === 'Worker' && decoded[i]?.province === ctx.province);
  const stored = new Map(
    (await findRecords(ctx.db, workers, local)).flatMap((w) => (w ? [[w.id, w.homeRegion] as const] : [])),
  );
  return ids.map((id, i) => {
    const d = decoded[i];
    if (d?.kind !== 'Worker') return undefined;
    return d.province === ctx.province ? stored.get(id) : d.province;
  });
}

/**
 * Refuses a departure recorded by someone who is not on the organiser's side, unless he is an
 * officer of the trip's origin listing only his own workers as boarded (see the module comment).
 * @throws FORBIDDEN naming the first worker who is not his (by id only).
 */
export async function assertOriginSideBoarding(
  ctx: ProvinceContext,
  caller: Caller,
  trip: TripRow,
  boarded: readonly { workerId?: unknown }[],
): Promise<void> {
  if (!officerCovers(caller, trip.origin))
    throw forbidden(
      `departTrip: the trip's organiser ${trip.organizer} and its origin ${trip.origin} are outside the region of ${callerWords(caller)}; only the organiser records the departure, or an officer of the origin for his own workers`,
    );
  const ids = boarded.map((b) => String(b.workerId));
  const homes = await knownHomes(ctx, ids);
  const stranger = ids.findIndex((_, i) => homes[i] !== undefined && !officerCovers(caller, homes[i]));
  if (stranger >= 0)
    throw forbidden(
      `departTrip: worker ${ids[stranger]} is not known here as a worker of ${callerWords(caller)}; at the origin of a trip organised by ${trip.organizer}, an officer records boarding only for his own workers (the organiser records the others)`,
    );
}
