import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Tx } from '../db/database.js';
import { expectData, residentId, type TestProvince } from './test-province.js';
import { readStatisticsRecords, recountSummary, type RecountedSummary } from './summary-recount.js';
import { clearForBoarding } from './boarding.js';

/**
 * What the counter tests share: reading the four Summary parts of a test province through its
 * `_entities` (as the gateway does), comparing them with a brute-force recount, and the mutations
 * that move counters, called over HTTP like any client.
 */

/** The selection of each Summary part, every field of the contract. */
export const PART_SELECTIONS = {
  workers:
    'workers { registered atHome travelling atWork underObservation priority out outRate flow { withinTownship withinCounty withinCity withinProvince crossProvince } }',
  transport:
    'transport { outbound { trips passengers moved { trips passengers } } inbound { trips passengers moved { trips passengers } } internal { trips passengers moved { trips passengers } } byMode { mode trips passengers moved { trips passengers } vehicles } vehicles corridors { key origin { code } destination { code } trips passengers moved { trips passengers } } }',
  employment:
    'employment { enterprises keyEnterprises openings filled fillRate keyOpenings keyFilled keyFillRate jobPosts jobOpenings }',
  health: 'health { boardingRefused { fever healthCode } feverAtArrival underObservation released }',
} as const;

/**
 * Reads the four parts of the Summary of each scope as of `day` (one `_entities` call per part).
 * @param day one day for every scope, or one per scope. @default 'LATEST'
 */
export async function readSummaries(
  p: TestProvince,
  scopes: readonly string[],
  day: string | readonly string[] = 'LATEST',
): Promise<RecountedSummary[]> {
  const result = scopes.map(() => ({}) as RecountedSummary);
  for (const [part, selection] of Object.entries(PART_SELECTIONS) as [keyof RecountedSummary, string][]) {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { ${selection} } } }`;
    const r = scopes.map((scope, i) => ({
      __typename: 'Summary',
      scope,
      day: typeof day === 'string' ? day : day[i],
    }));
    const { _entities } = expectData(await p.gql(part, query, { r }));
    _entities.forEach((entity: Record<string, unknown>, i: number) => {
      Object.assign(result[i]!, { [part]: entity[part] });
    });
  }
  return result;
}

/**
 * Asserts that the summary of every scope equals the recount of the raw records, read once with
 * the unfolded deltas and once more after a fold (both must give the same figures).
 * @returns the recounted summaries, for more specific assertions.
 */
export async function expectCountersMatchRecords(
  p: TestProvince,
  scopes: readonly string[],
): Promise<RecountedSummary[]> {
  const records = await readStatisticsRecords(p.service.db.db);
  const expected = scopes.map((scope) => recountSummary(records, scope));
  const unfolded = await readSummaries(p, scopes);
  scopes.forEach((scope, i) => {
    expect(unfolded[i], `scope ${scope} before the fold`).toEqual(expected[i]);
  });
  await p.service.statistics.foldNow();
  const folded = await readSummaries(p, scopes);
  scopes.forEach((scope, i) => {
    expect(folded[i], `scope ${scope} after the fold`).toEqual(expected[i]);
  });
  return expected;
}

let serial = 0;

/** A registration input for a worker at home in `homeRegion` (a fresh resident ID each call). */
export function workerInput(
  homeRegion: string,
  povertyStatus: 'NONE' | 'REGISTERED_POOR' | 'LIFTED' = 'NONE',
) {
  serial++;
  return {
    name: `工人${serial}`,
    idNumber: residentId(homeRegion.slice(0, 6), '19900101', serial % 1000),
    phone: `1380000${String(serial).padStart(4, '0')}`,
    homeRegion,
    povertyStatus,
  };
}

/** Registers workers in one bulk call; returns their ids. */
export async function registerWorkers(
  p: TestProvince,
  inputs: readonly ReturnType<typeof workerInput>[],
): Promise<string[]> {
  const data = expectData(
    await p.gql('workers', 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }', {
      i: inputs,
    }),
  );
  return data.registerWorkers.map((w: { id: string }) => w.id);
}

/**
 * Enterprise `enterpriseId` files a return request for a Liuzhou worker and confirms him on post:
 * one filled opening, counted the way a real hire is.
 */
export async function confirmOneOnPost(p: TestProvince, enterpriseId: string): Promise<void> {
  const filed = expectData(
    await p.gql(
      'employment',
      'mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }',
      {
        i: {
          enterpriseId,
          worker: { ...workerInput('450203001'), povertyStatus: undefined },
          plannedReturnDate: '2020-02-20',
          departureRegion: '450203',
        },
      },
    ),
  );
  expectData(
    await p.gql('employment', 'mutation($r: ID!) { confirmOnPost(returnRequestId: $r) { id } }', {
      r: filed.fileReturnRequest.id,
    }),
  );
}

/** `reportEmployment` of one worker. */
export async function employ(p: TestProvince, workerId: string, workRegion: string): Promise<void> {
  expectData(
    await p.gql(
      'workers',
      'mutation($w: ID!, $r: RegionCode!) { reportEmployment(workerId: $w, workRegion: $r) { id } }',
      { w: workerId, r: workRegion },
    ),
  );
}

/** Runs a transport mutation and returns the trip id. */
export async function tripMutation(
  p: TestProvince,
  mutation: string,
  variables: Record<string, unknown>,
): Promise<string> {
  const data = expectData(await p.gql('transport', mutation, variables));
  return (Object.values(data)[0] as { id: string }).id;
}

const HOUR = 3_600_000;

/** Plans a trip that left two hours ago on paper (so that an arrival now is valid). */
export function planTrip(
  p: TestProvince,
  origin: string,
  destination: string,
  mode: 'BUS' | 'TRAIN' | 'FLIGHT',
  capacity = 50,
): Promise<string> {
  const input = {
    mode,
    vehicleCode: `V-${++serial}`,
    origin,
    destination,
    capacity,
    departureAt: new Date(Date.now() - 2 * HOUR).toISOString(),
    expectedArrivalAt: new Date(Date.now() + HOUR).toISOString(),
  };
  return tripMutation(p, 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }', { i: input });
}

/** Assigns workers to a PLANNED trip. */
export function assign(p: TestProvince, tripId: string, workerIds: readonly string[]): Promise<string> {
  return tripMutation(
    p,
    'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
    { t: tripId, w: workerIds },
  );
}

/** Departs a trip with `boarded` on board (their health records set to pass the boarding gate first). */
export async function depart(p: TestProvince, tripId: string, boarded: readonly string[]): Promise<string> {
  const b = boarded.map((workerId) => ({ workerId, temperature: 36.5 }));
  if (boarded.length > 0) await clearForBoarding(p.service, tripId, boarded);
  return tripMutation(
    p,
    'mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }',
    { t: tripId, b },
  );
}

/** Confirms the arrival of every boarded worker, handing them over at once. */
export function arrive(p: TestProvince, tripId: string, headcount: number): Promise<string> {
  const i = { arrivedAt: new Date(Date.now() - 60_000).toISOString(), headcount, handedOverTo: '接收站' };
  return tripMutation(
    p,
    'mutation($t: ID!, $i: ConfirmArrivalInput!) { confirmArrival(tripId: $t, input: $i) { id } }',
    { t: tripId, i },
  );
}

/** Cancels a PLANNED or DEPARTED trip. */
export function cancel(p: TestProvince, tripId: string): Promise<string> {
  return tripMutation(p, 'mutation($t: ID!) { cancelTrip(tripId: $t, reason: "道路封闭") { id } }', {
    t: tripId,
  });
}

/** Registers an enterprise; returns its id. */
export async function registerEnterprise(p: TestProvince, region: string, key: boolean): Promise<string> {
  const data = expectData(
    await p.gql(
      'employment',
      'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }',
      {
        i: { name: `企业${++serial}`, region, sector: '制造业', key },
      },
    ),
  );
  return data.registerEnterprise.id;
}

/** `reportLaborDemand` of an enterprise. */
export async function reportDemand(
  p: TestProvince,
  enterpriseId: string,
  openings: number,
  filled?: number,
): Promise<void> {
  expectData(
    await p.gql(
      'employment',
      'mutation($e: ID!, $o: Int!, $f: Int) { reportLaborDemand(enterpriseId: $e, openings: $o, filled: $f) { id } }',
      {
        e: enterpriseId,
        o: openings,
        f: filled ?? null,
      },
    ),
  );
}

/** `setKeyEnterprise` of an enterprise (as the province's officer of the test). */
export async function setKey(p: TestProvince, enterpriseId: string, key: boolean): Promise<void> {
  expectData(
    await p.gql(
      'employment',
      'mutation($e: ID!, $k: Boolean!) { setKeyEnterprise(enterpriseId: $e, key: $k) { id key } }',
      { e: enterpriseId, k: key },
    ),
  );
}

/**
 * Counts the statistics of transaction `tx` on `day` (YYYY-MM-DD, China Standard Time), as if it
 * had begun that day (the session setting `p2p.stat_day` the counter triggers read).
 */
export async function countOnDay(tx: Tx, day: string): Promise<void> {
  await tx.execute(sql`SELECT set_config('p2p.stat_day', ${day}, true)`);
}

/** Runs `work` in one transaction of `p`'s database whose changes are counted on `day` ({@link countOnDay}). */
export function onStatDay<T>(p: TestProvince, day: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return p.service.db.db.transaction(async (tx) => {
    await countOnDay(tx, day);
    return work(tx);
  });
}
