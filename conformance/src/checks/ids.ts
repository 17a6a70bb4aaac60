import { encodeId, provinceOf, residentIdFrom, tryDecodeId, workerIdFor } from '@p2p/schema';
import { CheckFailure, CheckSkipped, type Exchange } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import { kitIdempotencyKey, type LinkAnswer } from '../province-link.js';
import { codesOf, expectRefusedWith, planKitTrip } from './records-requests.js';

/**
 * Ids carry their province: every id a province hands out encodes it, and an id of another
 * province is never answered with a record (reads answer null, writes `WRONG_PROVINCE`).
 */

const WORKER_IDS = `query KitWorkerIds($region: RegionCode!) {
  workers(homeRegion: $region, first: 20) { edges { node { id } } }
}`;

const TRIP_IDS = `query KitTripIds($origin: RegionCode!) {
  trips(origin: $origin, first: 20) { edges { node { id organizer { code } } } }
}`;

/** An id the province handed out, the kind and province it must encode, and where it came from. */
interface HandedOut {
  id: unknown;
  kind: 'Worker' | 'Trip';
  owner: string;
  where: string;
  exchange?: Exchange;
}

/** The ids of a `workers(homeRegion: province)` page, a `trips(origin: province)` page and, when it may write, of a kit worker and trip. */
async function handedOut(kit: KitContext): Promise<HandedOut[]> {
  const seen: HandedOut[] = [];
  const workers = await kit.link.data(
    'workers',
    WORKER_IDS,
    { region: kit.province },
    kit.callers.provinceOfficer,
  );
  for (const edge of workers.data.workers?.edges ?? [])
    seen.push({
      id: edge?.node?.id,
      kind: 'Worker',
      owner: kit.province,
      where: `workers(homeRegion: ${kit.province})`,
      exchange: workers.exchange,
    });
  const trips = await kit.link.data(
    'transport',
    TRIP_IDS,
    { origin: kit.province },
    kit.callers.provinceOfficer,
  );
  for (const edge of trips.data.trips?.edges ?? []) {
    // A trip leaving here but organised by another province is that province's (a relayed index entry).
    const organizer = edge?.node?.organizer?.code;
    seen.push({
      id: edge?.node?.id,
      kind: 'Trip',
      owner: (typeof organizer === 'string' && provinceOf(organizer)) || kit.province,
      where: `trips(origin: ${kit.province})`,
      exchange: trips.exchange,
    });
  }
  if (!kit.readOnly) {
    const [worker] = await kit.records.population(1);
    seen.push({ id: worker!.id, kind: 'Worker', owner: kit.province, where: 'registerWorker' });
    seen.push({ id: await planKitTrip(kit), kind: 'Trip', owner: kit.province, where: 'planTrip' });
  }
  return seen;
}

const ownProvince: ConformanceCheck = {
  id: 'ids.own-province',
  title: "every worker and trip id the province hands out encodes the province (a trip: its organiser's)",
  writes: false,
  async run(kit) {
    const seen = await handedOut(kit);
    if (!seen.length) throw new CheckSkipped('read-only and the province has no worker and no trip to read');
    for (const { id, kind, owner, where, exchange } of seen) {
      const decoded = typeof id === 'string' ? tryDecodeId(id) : undefined;
      if (decoded?.kind !== kind || decoded.province !== owner)
        throw new CheckFailure(
          `a ${kind} id must encode its kind and its province ${owner} (${kind[0]}${owner.slice(0, 2)}-…); ${where} answered ${JSON.stringify(id)}`,
          exchange,
        );
    }
  },
};

/** The codes a province may answer an id of another province with (besides null). */
const FOREIGN_ID_CODES = ['WRONG_PROVINCE', 'NOT_FOUND'];

/** Fails unless every value at `field` is null (a list: every item), with at most WRONG_PROVINCE/NOT_FOUND errors. */
function expectNoRecord(answer: LinkAnswer, field: string, want: string): void {
  const value = answer.data?.[field];
  const values = Array.isArray(value) ? value : [value];
  if (values.some((v) => v !== null && v !== undefined))
    throw new CheckFailure(
      `${want} must answer no record (null, or ${FOREIGN_ID_CODES.join('/')}), never one`,
      answer.exchange,
    );
  const other = codesOf(answer).filter((c) => !FOREIGN_ID_CODES.includes(c));
  if (other.length)
    throw new CheckFailure(
      `${want} must answer null or ${FOREIGN_ID_CODES.join('/')}; got ${other.join(', ')}`,
      answer.exchange,
    );
}

/** A worker id and a trip id of the kit's other province (as that province would hand them out). */
export function otherProvinceIds(kit: KitContext): { worker: string; trip: string } {
  const idNumber = residentIdFrom(
    kit.regions.otherProvinceCounty,
    '19860312',
    Math.floor(kit.random() * 1000),
  );
  return {
    worker: workerIdFor(idNumber, kit.regions.otherProvince),
    trip: encodeId('Trip', kit.regions.otherProvince),
  };
}

const wrongProvince: ConformanceCheck = {
  id: 'ids.wrong-province',
  title:
    "another province's ids are never answered with a record: reads answer null, writes WRONG_PROVINCE (not sent read-only)",
  writes: false,
  async run(kit) {
    const other = otherProvinceIds(kit);
    const officer = kit.callers.provinceOfficer;
    const q = (sg: string, query: string, variables: Record<string, unknown>) =>
      kit.link.query(sg, query, variables, officer);
    expectNoRecord(
      await q('workers', 'query KitForeignWorker($id: ID!) { worker(id: $id) { id name } }', {
        id: other.worker,
      }),
      'worker',
      `worker(id:) with a worker id of province ${kit.regions.otherProvince}`,
    );
    expectNoRecord(
      await q('transport', 'query KitForeignTrip($id: ID!) { trip(id: $id) { id status } }', {
        id: other.trip,
      }),
      'trip',
      `trip(id:) with a trip id of province ${kit.regions.otherProvince}`,
    );
    expectNoRecord(
      await q(
        'workers',
        'query KitForeignWorkerEntity($r: [_Any!]!) { _entities(representations: $r) { ... on Worker { id name } } }',
        { r: [{ __typename: 'Worker', id: other.worker }] },
      ),
      '_entities',
      `_entities with a Worker representation of province ${kit.regions.otherProvince}`,
    );
    expectNoRecord(
      await q(
        'transport',
        'query KitForeignTripEntity($r: [_Any!]!) { _entities(representations: $r) { ... on Trip { id status } } }',
        { r: [{ __typename: 'Trip', id: other.trip }] },
      ),
      '_entities',
      `_entities with a Trip representation of province ${kit.regions.otherProvince}`,
    );
    // Refused before anything is written (the id alone says whose record it is), yet not sent in a
    // read-only run: the key a province issues for those serves queries only, never a mutation.
    if (kit.readOnly) return;
    expectRefusedWith(
      await q(
        'workers',
        `mutation KitForeignEmployment($workerId: ID!, $region: RegionCode!, $key: String) {
  reportEmployment(workerId: $workerId, workRegion: $region, idempotencyKey: $key) { id }
}`,
        { workerId: other.worker, region: kit.regions.testCounty, key: kitIdempotencyKey(kit.runId) },
      ),
      ['WRONG_PROVINCE'],
      `reportEmployment naming a worker of province ${kit.regions.otherProvince}`,
    );
    expectRefusedWith(
      await q(
        'transport',
        `mutation KitForeignCancel($tripId: ID!, $reason: String!, $key: String) {
  cancelTrip(tripId: $tripId, reason: $reason, idempotencyKey: $key) { id status }
}`,
        { tripId: other.trip, reason: `conformance kit run ${kit.runId}`, key: kitIdempotencyKey(kit.runId) },
      ),
      ['WRONG_PROVINCE'],
      `cancelTrip naming a trip of province ${kit.regions.otherProvince}`,
    );
  },
};

/** The id checks, in the order they run. */
export const IDS_CHECKS: readonly ConformanceCheck[] = [ownProvince, wrongProvince];
