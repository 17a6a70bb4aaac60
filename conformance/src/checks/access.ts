import { maskIdentifier, type Caller } from '@p2p/schema';
import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import type { KitWorker } from '../kit-records.js';
import { kitIdempotencyKey, type AnswerData, type LinkAnswer } from '../province-link.js';

/**
 * The access rules per role (README "Access rules", `subgraphs/province/README.md`): what each
 * caller sees of a worker's personal fields, which lists it may read, which writes it may make.
 */

/**
 * What a caller sees of a worker's record: everything (his home side), what the ministry sees
 * (name and whereabouts; identifiers masked; no health, no poverty status), or nothing (status
 * only, name and identifiers masked: another city, another province).
 */
export type WorkerSight = 'everything' | 'ministry' | 'nothing';

/** The fields of a worker the masking check reads (the same on every path: `worker`, `workers`, `_entities`). */
export const WORKER_SIGHT_FIELDS =
  'id name idNumber phone status povertyStatus health { code } travelIntent { destination { code } } trips { id }';

/** A name as the contract masks it: the family name (first character) and one `*` per further character. */
export function maskedName(name: string): string {
  const characters = [...name];
  return `${characters[0] ?? ''}${'*'.repeat(Math.max(1, characters.length - 1))}`;
}

/**
 * What is wrong with what `shown` shows of `worker` to a caller of `sight`, one sentence each
 * (empty when it follows the rules). The worker must have a health record and a travel intent
 * (so that "hidden" is told from "absent").
 */
export function sightProblems(
  sight: WorkerSight,
  worker: KitWorker,
  shown: AnswerData | null | undefined,
): string[] {
  if (!shown) return ['the worker must be answered (status is shown to every officer), not null'];
  const problems: string[] = [];
  const expect = (field: string, ok: boolean, wanted: string) => {
    if (!ok) problems.push(`${field} must be ${wanted}, got ${JSON.stringify(shown[field])}`);
  };
  const identifiers = sight === 'everything';
  for (const field of ['idNumber', 'phone'] as const) {
    const value = worker[field];
    expect(
      field,
      shown[field] === (identifiers ? value : maskIdentifier(value)),
      identifiers ? 'shown in full' : `masked (${maskIdentifier(value)}: first and last four characters)`,
    );
  }
  const name = sight !== 'nothing';
  expect(
    'name',
    shown.name === (name ? worker.name : maskedName(worker.name)),
    name ? 'shown in full' : `masked (${maskedName(worker.name)})`,
  );
  expect('status', typeof shown.status === 'string', 'shown');
  const health = sight === 'everything';
  expect('health', health ? shown.health != null : shown.health === null, health ? 'shown' : 'hidden (null)');
  expect(
    'povertyStatus',
    health ? shown.povertyStatus != null : shown.povertyStatus === null,
    health ? 'shown' : 'hidden (null)',
  );
  const whereabouts = sight !== 'nothing';
  expect(
    'travelIntent',
    whereabouts ? shown.travelIntent != null : shown.travelIntent === null,
    whereabouts ? 'shown' : 'hidden (null)',
  );
  if (!whereabouts)
    expect('trips', Array.isArray(shown.trips) && shown.trips.length === 0, 'hidden (an empty list)');
  return problems;
}

/** The codes of an answer's errors. */
export function errorCodes(answer: LinkAnswer): (string | undefined)[] {
  return answer.errors?.map((e) => e.extensions?.code) ?? [];
}

/** True when the answer carries no data at all (null fields only). */
function noData(answer: LinkAnswer): boolean {
  return !answer.data || Object.values(answer.data).every((v) => v === null || v === undefined);
}

/** Fails unless `answer` is a refusal with `code` and no data. */
export function expectRefusal(answer: LinkAnswer, code: string, what: string): void {
  if (!errorCodes(answer).includes(code) || !noData(answer))
    throw new CheckFailure(`${what} must be refused with ${code} and no data`, answer.exchange);
}

/** Fails unless `answer` has data for `field` and no error. */
export function expectServed(answer: LinkAnswer, field: string, what: string): AnswerData {
  const value = answer.data?.[field];
  if (value == null || answer.errors?.length)
    throw new CheckFailure(`${what} must be served (data, no error)`, answer.exchange);
  return value as AnswerData;
}

const HEALTH_CHECK = `mutation KitHealthCheck($id: ID!, $input: HealthCheckInput!, $key: String) {
  recordHealthCheck(workerId: $id, input: $input, idempotencyKey: $key) { id }
}`;
const TRAVEL_INTENT = `mutation KitTravelIntent($id: ID!, $input: TravelIntentInput!, $key: String) {
  reportTravelIntent(workerId: $id, input: $input, idempotencyKey: $key) { id }
}`;
const EMPLOYMENT = `mutation KitEmployment($id: ID!, $region: RegionCode!, $key: String) {
  reportEmployment(workerId: $id, workRegion: $region, idempotencyKey: $key) { id }
}`;
const REGISTER = `mutation KitRegister($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id }
}`;
const PLAN_TRIP = `mutation KitPlanTrip($input: PlanTripInput!, $key: String) {
  planTrip(input: $input, idempotencyKey: $key) { id }
}`;
const WORKER = `query KitWorker($id: ID!) { worker(id: $id) { ${WORKER_SIGHT_FIELDS} } }`;
const WORKER_ENTITY = `query KitWorkerEntity($r: [_Any!]!) {
  _entities(representations: $r) { ... on Worker { ${WORKER_SIGHT_FIELDS} } }
}`;
const WORKERS_PAGE = `query KitWorkers($region: RegionCode!, $first: Int, $after: String) {
  workers(homeRegion: $region, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${WORKER_SIGHT_FIELDS} } }
  }
}`;

/** A health check the officer of the worker's home records (a GREEN code checked an hour ago). */
export function kitHealthCheck(province: string): Record<string, unknown> {
  const now = Date.now();
  return {
    code: 'GREEN',
    issuedBy: province,
    checkedAt: new Date(now - 3_600_000).toISOString(),
    validUntil: new Date(now + 7 * 86_400_000).toISOString(),
    nucleicAcid: 'NEGATIVE',
    testedAt: new Date(now - 86_400_000).toISOString(),
  };
}

function travelIntent(destination: string): Record<string, unknown> {
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return { earliestDate: day(7), latestDate: day(14), destination };
}

/** Registers one more kit worker (fresh: no other check has put him on a trip or changed his record). */
export async function freshKitWorker(kit: KitContext): Promise<KitWorker> {
  const workers = await kit.records.population(kit.records.workers.length + 1);
  return workers.at(-1)!;
}

/** The worker as the given callers see him on every read path, judged against the rules. */
async function judgeSight(
  kit: KitContext,
  worker: KitWorker,
  who: string,
  caller: Caller,
  sight: WorkerSight,
) {
  const direct = await kit.link.query('workers', WORKER, { id: worker.id }, caller);
  const problems = sightProblems(sight, worker, direct.data?.worker);
  if (problems.length || direct.errors?.length)
    throw new CheckFailure(
      `worker(id) read by ${who} must show ${sightWords(sight)}: ${problems.join('; ') || 'no error expected'}`,
      direct.exchange,
    );
  const entity = await kit.link.query(
    'workers',
    WORKER_ENTITY,
    { r: [{ __typename: 'Worker', id: worker.id }] },
    caller,
  );
  const entityProblems = sightProblems(sight, worker, entity.data?._entities?.[0]);
  if (entityProblems.length || entity.errors?.length)
    throw new CheckFailure(
      `_entities(Worker) read by ${who} must mask like worker(id) (${sightWords(sight)}): ${entityProblems.join('; ') || 'no error expected'}`,
      entity.exchange,
    );
}

function sightWords(sight: WorkerSight): string {
  return sight === 'everything'
    ? 'everything (his home side)'
    : sight === 'ministry'
      ? 'name and whereabouts, identifiers masked, no health nor poverty status'
      : 'his status only, name and identifiers masked, health, poverty status and whereabouts hidden';
}

/** Finds the worker in the `workers(homeRegion: testCounty)` list, page by page. */
async function fromList(
  kit: KitContext,
  worker: KitWorker,
  caller: Caller,
): Promise<{ node?: AnswerData; answer: LinkAnswer }> {
  let after: string | undefined;
  for (let page = 0; page < 50; page++) {
    const answer = await kit.link.query(
      'workers',
      WORKERS_PAGE,
      { region: kit.regions.testCounty, first: 100, ...(after ? { after } : {}) },
      caller,
    );
    const connection = answer.data?.workers;
    const node = connection?.edges?.find((e: AnswerData) => e.node?.id === worker.id)?.node;
    if (node || !connection?.pageInfo?.hasNextPage) return { node, answer };
    after = connection.pageInfo.endCursor;
  }
  throw new CheckFailure("workers(homeRegion:) must end within 50 pages of 100 for the kit's test county");
}

const readMasking: ConformanceCheck = {
  id: 'access.read-masking',
  title:
    "each caller sees of a worker's personal fields what the access rules allow (home side in full, ministry masked, another city or province status only)",
  writes: true,
  async run(kit) {
    const worker = await freshKitWorker(kit);
    const { callers } = kit;
    const key = () => kitIdempotencyKey(kit.runId);
    await kit.link.data(
      'workers',
      HEALTH_CHECK,
      { id: worker.id, input: kitHealthCheck(kit.province), key: key() },
      callers.testCityOfficer,
    );
    await kit.link.data(
      'workers',
      TRAVEL_INTENT,
      { id: worker.id, input: travelIntent(kit.regions.otherProvinceCounty), key: key() },
      callers.testCityOfficer,
    );
    await judgeSight(kit, worker, "the province's officer", callers.provinceOfficer, 'everything');
    await judgeSight(kit, worker, "the test city's officer", callers.testCityOfficer, 'everything');
    await judgeSight(kit, worker, 'the ministry', callers.ministry, 'ministry');
    await judgeSight(
      kit,
      worker,
      'the officer of another city of the same province',
      callers.otherCityOfficer,
      'nothing',
    );
    await judgeSight(kit, worker, "another province's officer", callers.otherProvinceOfficer, 'nothing');
    // The lists mask like the record: the home city in full, the ministry masked.
    for (const [who, caller, sight] of [
      ["the test city's officer", callers.testCityOfficer, 'everything'],
      ['the ministry', callers.ministry, 'ministry'],
    ] as const) {
      const { node, answer } = await fromList(kit, worker, caller);
      const problems = sightProblems(sight, worker, node);
      if (problems.length || answer.errors?.length)
        throw new CheckFailure(
          `workers(homeRegion: ${kit.regions.testCounty}) read by ${who} must list the kit's worker showing ${sightWords(sight)}: ${problems.join('; ') || 'no error expected'}`,
          answer.exchange,
        );
    }
  },
};

/** One list read and what the rules answer it: refused (FORBIDDEN, no data) or served. */
interface ListCase {
  who: string;
  caller: Caller;
  subgraph: string;
  field: string;
  query: string;
  variables: Record<string, unknown>;
  refused: boolean;
}

const WORKERS_COUNT =
  'query KitWorkersCount($region: RegionCode!) { workers(homeRegion: $region, first: 1) { totalCount } }';
const REFUSED_COUNT =
  'query KitRefusedCount($region: RegionCode!) { refusedBoardings(homeRegion: $region, first: 1) { totalCount } }';
const REQUESTS_COUNT =
  'query KitRequestsCount($origin: RegionCode!) { returnRequests(origin: $origin, first: 1) { totalCount } }';

/** The list reads of {@link listScope}: the neighbours an attacker would try, and the home side's own. */
export function listCases(kit: Pick<KitContext, 'callers' | 'regions' | 'province'>): ListCase[] {
  const { callers, regions } = kit;
  const workers = (who: string, caller: Caller, region: string, refused: boolean): ListCase => ({
    who,
    caller,
    subgraph: 'workers',
    field: 'workers',
    query: WORKERS_COUNT,
    variables: { region },
    refused,
  });
  const refusedBoardings = (who: string, caller: Caller, region: string, refused: boolean): ListCase => ({
    who,
    caller,
    subgraph: 'workers',
    field: 'refusedBoardings',
    query: REFUSED_COUNT,
    variables: { region },
    refused,
  });
  const returnRequests = (who: string, caller: Caller, origin: string, refused: boolean): ListCase => ({
    who,
    caller,
    subgraph: 'employment',
    field: 'returnRequests',
    query: REQUESTS_COUNT,
    variables: { origin },
    refused,
  });
  return [
    workers("the test city's officer", callers.testCityOfficer, regions.testCounty, false),
    workers("the province's officer", callers.provinceOfficer, regions.province, false),
    workers('the ministry', callers.ministry, regions.province, false),
    workers('the officer of another city', callers.otherCityOfficer, regions.testCity, true),
    workers('the officer of another city', callers.otherCityOfficer, regions.testCounty, true),
    workers('a city officer', callers.otherCityOfficer, regions.province, true),
    workers("the test city's officer", callers.testCityOfficer, regions.otherCity, true),
    workers("another province's officer", callers.otherProvinceOfficer, regions.province, true),
    workers("another province's officer", callers.otherProvinceOfficer, regions.testCounty, true),
    refusedBoardings("the test city's officer", callers.testCityOfficer, regions.testCounty, false),
    refusedBoardings('the officer of another city', callers.otherCityOfficer, regions.testCity, true),
    refusedBoardings("another province's officer", callers.otherProvinceOfficer, regions.province, true),
    refusedBoardings(
      'the ministry (health data: it reads the aggregate)',
      callers.ministry,
      regions.province,
      true,
    ),
    returnRequests("the test city's officer", callers.testCityOfficer, regions.testCity, false),
    returnRequests('the officer of another city', callers.otherCityOfficer, regions.testCity, true),
    returnRequests("another province's officer", callers.otherProvinceOfficer, regions.province, true),
  ];
}

const listScope: ConformanceCheck = {
  id: 'access.list-scope',
  title:
    "lists of people outside the caller's region are refused (FORBIDDEN); the home side's own are served",
  writes: false,
  async run(kit) {
    for (const c of listCases(kit)) {
      const answer = await kit.link.query(c.subgraph, c.query, c.variables, c.caller);
      const region = Object.values(c.variables)[0];
      const what = `${c.field}(${Object.keys(c.variables)[0]}: ${region}) read by ${c.who}`;
      if (c.refused) expectRefusal(answer, 'FORBIDDEN', what);
      else expectServed(answer, c.field, what);
    }
  },
};

/** One write the rules forbid. */
interface ForbiddenWrite {
  who: string;
  caller: Caller;
  subgraph: string;
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

/** What the kit's worker and region look like to the province's officer: equal before and after the refused writes. */
async function stateOf(
  kit: KitContext,
  worker: KitWorker,
): Promise<{ state: string; answers: LinkAnswer[] }> {
  const officer = kit.callers.provinceOfficer;
  const record = await kit.link.query(
    'workers',
    `query KitWorkerState($id: ID!) { worker(id: $id) { status health { code checkedAt } travelIntent { destination { code } } workRegion { code } employer { id } } }`,
    { id: worker.id },
    officer,
  );
  const count = await kit.link.query('workers', WORKERS_COUNT, { region: kit.regions.testCounty }, officer);
  const trips = await kit.link.query(
    'transport',
    'query KitTripsCount($origin: RegionCode!) { trips(origin: $origin, first: 1) { totalCount } }',
    { origin: kit.regions.testCounty },
    officer,
  );
  const answers = [record, count, trips];
  for (const a of answers)
    if (a.errors?.length || !a.data)
      throw new CheckFailure("the province's officer must read the kit's worker and region", a.exchange);
  return {
    state: JSON.stringify([record.data, count.data, trips.data]),
    answers,
  };
}

const writeRefusals: ConformanceCheck = {
  id: 'access.write-refusals',
  title:
    'writes the rules forbid (another city, another province, the ministry) are refused with FORBIDDEN and write nothing',
  writes: true,
  async run(kit) {
    const worker = await freshKitWorker(kit);
    const { callers, regions } = kit;
    const health = (who: string, caller: Caller): ForbiddenWrite => ({
      who,
      caller,
      subgraph: 'workers',
      field: 'recordHealthCheck',
      query: HEALTH_CHECK,
      variables: { id: worker.id, input: kitHealthCheck(kit.province) },
    });
    const register = (who: string, caller: Caller): ForbiddenWrite => ({
      who,
      caller,
      subgraph: 'workers',
      field: 'registerWorker',
      query: REGISTER,
      variables: { input: kit.records.newWorkerInput() },
    });
    const day = Date.now() + 3 * 86_400_000;
    const writes: ForbiddenWrite[] = [
      health("the officer of another city of the worker's province", callers.otherCityOfficer),
      {
        who: "the officer of another city of the worker's province",
        caller: callers.otherCityOfficer,
        subgraph: 'workers',
        field: 'reportEmployment',
        query: EMPLOYMENT,
        variables: { id: worker.id, region: regions.otherCityCounty },
      },
      {
        who: "the officer of another city of the worker's province",
        caller: callers.otherCityOfficer,
        subgraph: 'workers',
        field: 'reportTravelIntent',
        query: TRAVEL_INTENT,
        variables: { id: worker.id, input: travelIntent(regions.otherCityCounty) },
      },
      health("another province's officer", callers.otherProvinceOfficer),
      register(
        "another province's officer (a worker homed in the test county)",
        callers.otherProvinceOfficer,
      ),
      health('the ministry', callers.ministry),
      register('the ministry', callers.ministry),
      {
        who: 'the officer of another city (a trip leaving from the test county)',
        caller: callers.otherCityOfficer,
        subgraph: 'transport',
        field: 'planTrip',
        query: PLAN_TRIP,
        variables: {
          input: {
            mode: 'BUS',
            vehicleCode: `KIT-${kit.runId}`.slice(0, 20),
            origin: regions.testCounty,
            destination: regions.otherProvinceCounty,
            departureAt: new Date(day).toISOString(),
            expectedArrivalAt: new Date(day + 86_400_000).toISOString(),
            capacity: 10,
          },
        },
      },
    ];
    const before = await stateOf(kit, worker);
    for (const w of writes) {
      const answer = await kit.link.query(
        w.subgraph,
        w.query,
        { ...w.variables, key: kitIdempotencyKey(kit.runId) },
        w.caller,
      );
      const tripId = w.field === 'planTrip' ? answer.data?.planTrip?.id : undefined;
      if (typeof tripId === 'string') kit.records.planned(tripId);
      expectRefusal(answer, 'FORBIDDEN', `${w.field} by ${w.who}`);
    }
    const after = await stateOf(kit, worker);
    if (after.state !== before.state)
      throw new CheckFailure(
        `refused writes must write nothing: the kit's worker, the test county's workers and its trips changed (before ${before.state}, after ${after.state})`,
        after.answers[0]!.exchange,
      );
  },
};

/** The access-rule checks, in the order they run. */
export const ACCESS_CHECKS: readonly ConformanceCheck[] = [listScope, readMasking, writeRefusals];
