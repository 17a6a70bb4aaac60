/**
 * The role matrix of authorization.e2e.test.ts: for every query and mutation of the contract,
 * what each caller gets. Callers are chosen so that each role appears on its own region and on
 * another one, relative to the records: Guangxi workers whose home is Liuzhou (450203), their
 * return requests filed by a Beijing enterprise in Chaoyang (110105003), and trips organised by
 * Liuzhou into Chaoyang (110105); and two of those workers with worker tokens of their own (#13.7).
 */

/** The callers of the table. */
export const CALLERS = {
  /** Guangxi's officer: the workers' home province, the trips' organiser. */
  'province:450000': { role: 'province', region: '450000' },
  /** Beijing's officer: the enterprises' province, the trips' receiving province. */
  'province:110000': { role: 'province', region: '110000' },
  /** Liuzhou: the workers' home city. */
  'city:450200': { role: 'city', region: '450200' },
  /** Guilin: another city of Guangxi. */
  'city:450300': { role: 'city', region: '450300' },
  /** Chaoyang: the receiving district of the trips, where the enterprise is. */
  'city:110105': { role: 'city', region: '110105' },
  /** The enterprise that filed the return requests. */
  'enterprise:own': { role: 'enterprise', region: '110105003' },
  /** Another Beijing enterprise. */
  'enterprise:other': { role: 'enterprise', region: '110115004' },
  ministry: { role: 'ministry', region: undefined },
  /** The worker himself (#13.7): a worker token bound to the table's worker (`Fixture.worker`). */
  'worker:own': { role: 'worker', region: undefined },
  /** Another worker of the same Liuzhou township (`Fixture.otherWorker`), with his own worker token. */
  'worker:other': { role: 'worker', region: undefined },
  /** No token. */
  none: { role: 'none', region: undefined },
} as const;

/** A caller of the table. */
export type CallerName = keyof typeof CALLERS;

/**
 * What a caller gets: data without personal identifiers (`ok`), with the resident ID and phone
 * in full or masked, the guarded fields hidden (`hidden`: null), or a refusal (`CONFLICT`: the
 * caller may try, the stored record says no).
 */
export type Expected = 'ok' | 'full' | 'masked' | 'hidden' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

/** The records the table reads and changes (ids given by the hub during set-up). */
export interface Fixture {
  enterprise: string;
  otherEnterprise: string;
  worker: string;
  /** Another worker of the same home, holder of the `worker:other` token. */
  otherWorker: string;
  departing: string;
  arriving: string;
  handedOver: string;
  assignable: string;
  returnRequest: string;
  toConfirm: string;
  trip: string;
  emptyTrip: string;
  tripToDepart: string;
  tripToEta: string;
  tripToArrive: string;
  tripToHandOver: string;
  tripToCancel: string;
  /** #15: the enterprise's job post, recruiting from Liuzhou (450200). */
  job: string;
  /** #14.4: an observation in Chaoyang of `worker` (on a trip there), his home confirmed through the relay. */
  observation: string;
  /** State-changing rows run once per allowed caller (idempotency keys are per caller): one record each. */
  perCaller: {
    toConfirm: Partial<Record<CallerName, string>>;
    toWithdraw: Partial<Record<CallerName, string>>;
    tripToDepart: Partial<Record<CallerName, { trip: string; worker: string }>>;
    tripToArrive: Partial<Record<CallerName, string>>;
    tripToHandOver: Partial<Record<CallerName, string>>;
    tripToCancel: Partial<Record<CallerName, string>>;
    /** #14.4: observations in Chaoyang to end. */
    toEndObservation: Partial<Record<CallerName, string>>;
  };
  /** Guilin (450302) workers: one the province assigns to a Liuzhou trip, one only Liuzhou tries to take. */
  guilinAssigned: string;
  guilinRefused: string;
  /** Liuzhou trips for them. */
  guilinTripOfProvince: string;
  guilinTripOfLiuzhou: string;
  guilinPerson: { name: string; idNumber: string; phone: string; homeRegion: string };
  people: { name: string; idNumber: string; phone: string; homeRegion: string }[];
}

/** One operation and what each caller gets. */
export interface TableRow {
  operation: string;
  query: string;
  variables?: (f: Fixture, caller: CallerName) => Record<string, unknown>;
  /** The resident IDs and phones in an answer (to tell full from masked). */
  identifiers?: (data: any) => string[];
  /** What data without an error means, when not told by identifiers (e.g. `hidden` fields). */
  judge?: (data: any) => Expected;
  expect: Record<CallerName, Expected>;
}

/** The record a state-changing row acts on for `caller`: its own, or any for those refused first. */
const own = <T>(records: Partial<Record<CallerName, T>>, caller: CallerName): T =>
  records[caller] ?? Object.values(records)[0]!;

/** Every caller gets `base`, except those in `except`. */
function outcomes(
  base: Expected,
  except: Partial<Record<CallerName, Expected>> = {},
): Record<CallerName, Expected> {
  return Object.fromEntries(
    Object.keys(CALLERS).map((c) => [
      c,
      except[c as CallerName] ?? (c === 'none' ? 'UNAUTHENTICATED' : base),
    ]),
  ) as Record<CallerName, Expected>;
}
/** Allowed (`ok`) for `allowed`, FORBIDDEN for every other authenticated caller. */
const onlyFor = (...allowed: CallerName[]) =>
  outcomes('FORBIDDEN', Object.fromEntries(allowed.map((c) => [c, 'ok'])));

const ids = (person: { idNumber: string; phone: string } | null | undefined) =>
  person ? [person.idNumber, person.phone] : [];
const nodes = (connection: { edges: { node: unknown }[] }) => connection.edges.map((e) => e.node);
/** The worker himself reads his own records (in full), another worker nothing of them (#13.7). */
const HIMSELF: Partial<Record<CallerName, Expected>> = { 'worker:own': 'full', 'worker:other': 'FORBIDDEN' };
/** Neither worker: the rest of the contract is about others (#13.7). */
const NO_WORKER: Partial<Record<CallerName, Expected>> = {
  'worker:own': 'FORBIDDEN',
  'worker:other': 'FORBIDDEN',
};
/** Workers' identifiers: full for the home side and the receiving place of his current trip. */
const WORKER_PII = outcomes('masked', {
  'province:450000': 'full',
  'city:450200': 'full',
  'province:110000': 'full',
  'city:110105': 'full',
  ...HIMSELF,
});
/** A filed worker's identifiers: full for the filing enterprise and the worker's home side. */
const FILED_PII = outcomes('masked', {
  'province:450000': 'full',
  'city:450200': 'full',
  'enterprise:own': 'full',
  ...HIMSELF,
});
/** A bulk report's first item: its error code, or ok (#13.5: each item is judged by its single mutation's rule). */
const firstItem = (field: string) => (d: any) => (d[field].items[0].error?.code ?? 'ok') as Expected;
const PERSON = 'idNumber phone';
const key = (operation: string) => `authz-table:${operation}`;

/** The table. Mutations carry one idempotency key per row: every allowed caller gets the first result. */
export const AUTHORIZATION_TABLE: TableRow[] = [
  // ---- queries ----
  {
    operation: 'region (public)',
    query: '{ region(code: "450200") { name } }',
    expect: outcomes('ok', { none: 'ok' }),
  },
  { operation: 'regions (public)', query: '{ regions { code } }', expect: outcomes('ok', { none: 'ok' }) },
  {
    operation: 'summary',
    query:
      '{ summary(scope: "450000") { workers { registered } employment { openings } transport { outbound { trips } } } }',
    expect: outcomes('ok'),
  },
  {
    operation: 'worker',
    query: `query($id: ID!) { worker(id: $id) { name ${PERSON} } }`,
    variables: (f) => ({ id: f.worker }),
    identifiers: (d) => ids(d.worker),
    expect: WORKER_PII,
  },
  {
    operation: 'workers (the home city)',
    query: `{ workers(homeRegion: "450200", first: 5) { edges { node { ${PERSON} } } } }`,
    identifiers: (d) => nodes(d.workers).flatMap(ids as never),
    expect: outcomes('FORBIDDEN', { 'province:450000': 'full', 'city:450200': 'full', ministry: 'masked' }),
  },
  {
    operation: 'workers (grouped by travel intent, #13.6)',
    query: `{ workers(homeRegion: "450200", intent: { destination: "110000", from: "2020-03-01", to: "2020-03-31" }, first: 5) { edges { node { ${PERSON} } } } }`,
    identifiers: (d) => nodes(d.workers).flatMap(ids as never),
    expect: outcomes('FORBIDDEN', { 'province:450000': 'full', 'city:450200': 'full', ministry: 'masked' }),
  },
  {
    operation: 'workers (the whole province)',
    query: `{ workers(homeRegion: "450000", first: 5) { edges { node { ${PERSON} } } } }`,
    identifiers: (d) => nodes(d.workers).flatMap(ids as never),
    expect: outcomes('FORBIDDEN', { 'province:450000': 'full', ministry: 'masked' }),
  },
  {
    // #14: the home side's follow-up list (health data: not the ministry, which reads summary.health)
    operation: 'refusedBoardings (the home city)',
    query:
      '{ refusedBoardings(homeRegion: "450200", first: 5) { totalCount edges { node { id reason refusedAt worker { id } } } } }',
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'enterprise',
    query: 'query($id: ID!) { enterprise(id: $id) { name openings } }',
    variables: (f) => ({ id: f.enterprise }),
    expect: outcomes('ok', NO_WORKER),
  },
  {
    operation: 'enterprises',
    query: '{ enterprises(region: "110000") { totalCount edges { node { name } } } }',
    expect: outcomes('ok', NO_WORKER),
  },
  {
    operation: 'returnRequest',
    query: `query($id: ID!) { returnRequest(id: $id) { status filedWorker { name ${PERSON} } } }`,
    variables: (f) => ({ id: f.returnRequest }),
    identifiers: (d) => ids(d.returnRequest.filedWorker),
    // #11.2: the record follows the rule of its list (the filing enterprise, officers of the
    // worker's home or of the enterprise's region, the ministry)
    expect: {
      ...FILED_PII,
      'province:110000': 'masked',
      'city:110105': 'masked',
      'city:450300': 'FORBIDDEN',
      'enterprise:other': 'FORBIDDEN',
    },
  },
  {
    operation: "returnRequests (by the enterprises' region)",
    query: `{ returnRequests(destination: "110000") { edges { node { filedWorker { ${PERSON} } } } } }`,
    identifiers: (d) => nodes(d.returnRequests).flatMap((n: any) => ids(n.filedWorker)),
    // an enterprise lists only its own requests: the other one gets an empty page
    expect: outcomes('FORBIDDEN', {
      'province:110000': 'masked',
      'enterprise:own': 'full',
      'enterprise:other': 'ok',
      ministry: 'masked',
    }),
  },
  {
    operation: "returnRequests (by the workers' home)",
    query: `{ returnRequests(origin: "450200") { edges { node { filedWorker { ${PERSON} } } } } }`,
    identifiers: (d) => nodes(d.returnRequests).flatMap((n: any) => ids(n.filedWorker)),
    expect: outcomes('FORBIDDEN', {
      'province:450000': 'full',
      'city:450200': 'full',
      'enterprise:own': 'full',
      'enterprise:other': 'ok',
      ministry: 'masked',
    }),
  },
  {
    operation: 'trip (passengers)',
    query: `query($id: ID!) { trip(id: $id) { status passengers { worker { ${PERSON} } } } }`,
    variables: (f) => ({ id: f.trip }),
    identifiers: (d) => d.trip.passengers.flatMap((p: { worker: never }) => ids(p.worker)),
    expect: WORKER_PII,
  },
  {
    operation: 'trips',
    query: '{ trips(destination: "110105", first: 10) { totalCount edges { node { vehicleCode status } } } }',
    expect: outcomes('ok', NO_WORKER),
  },
  {
    // #11.4: the home side and the ends of his open trip; not the ministry (aggregate only), not enterprises
    operation: 'worker (health and poverty status, #11.4)',
    query: 'query($id: ID!) { worker(id: $id) { povertyStatus health { code nucleicAcid } } }',
    variables: (f) => ({ id: f.worker }),
    judge: (d) => (d.worker.povertyStatus === null && d.worker.health === null ? 'hidden' : 'ok'),
    expect: outcomes('hidden', {
      'province:450000': 'ok',
      'city:450200': 'ok',
      'province:110000': 'ok',
      'city:110105': 'ok',
      'worker:own': 'ok',
      'worker:other': 'FORBIDDEN',
    }),
  },
  {
    operation: 'worker (health of a passenger, through the trip, #11.4)',
    query: 'query($id: ID!) { trip(id: $id) { passengers { worker { name health { code } } } } }',
    variables: (f) => ({ id: f.trip }),
    judge: (d) => (d.trip.passengers.every((p: any) => p.worker.health === null) ? 'hidden' : 'ok'),
    expect: outcomes('hidden', {
      'province:450000': 'ok',
      'city:450200': 'ok',
      'province:110000': 'ok',
      'city:110105': 'ok',
      'worker:own': 'ok',
      'worker:other': 'FORBIDDEN',
      none: 'UNAUTHENTICATED',
    }),
  },
  {
    operation: 'trip (boarding temperatures, #11.4)',
    query: 'query($id: ID!) { trip(id: $id) { passengers { temperature } } }',
    variables: (f) => ({ id: f.tripToArrive }),
    judge: (d) => (d.trip.passengers.every((p: any) => p.temperature === null) ? 'hidden' : 'ok'),
    expect: outcomes('hidden', {
      'province:450000': 'ok',
      'city:450200': 'ok',
      'province:110000': 'ok',
      'city:110105': 'ok',
      ...NO_WORKER,
    }),
  },

  {
    // #15: job posts are public ads (no personal data): every person, a worker included
    operation: 'job',
    query: 'query($id: ID!) { job(id: $id) { title openings filled enterprise { name } } }',
    variables: (f) => ({ id: f.job }),
    judge: (d) => (d.job?.title ? 'ok' : ('hidden' as Expected)),
    expect: outcomes('ok'),
  },
  {
    operation: 'jobs',
    query: '{ jobs(region: "110000", first: 5) { totalCount edges { node { title from { code } } } } }',
    judge: (d) => (d.jobs.totalCount > 0 ? 'ok' : ('hidden' as Expected)),
    expect: outcomes('ok'),
  },
  {
    // #15: a list of people, like workers(homeRegion:)
    operation: 'matchWorkers (the home city)',
    query: `query($j: ID!) { matchWorkers(jobId: $j, homeRegion: "450200", first: 5) { edges { node { ${PERSON} } } } }`,
    variables: (f) => ({ j: f.job }),
    identifiers: (d) => nodes(d.matchWorkers).flatMap(ids as never),
    expect: outcomes('FORBIDDEN', { 'province:450000': 'full', 'city:450200': 'full', ministry: 'masked' }),
  },

  // ---- mutations: workers (the home province or its cities) ----
  {
    operation: 'registerWorker',
    query:
      'mutation($i: RegisterWorkerInput!, $k: String) { registerWorker(input: $i, idempotencyKey: $k) { id } }',
    variables: (f) => ({ i: f.people[6], k: key('registerWorker') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'registerWorkers',
    query:
      'mutation($i: [RegisterWorkerInput!]!, $k: String) { registerWorkers(inputs: $i, idempotencyKey: $k) { id } }',
    variables: (f) => ({ i: [f.people[7]], k: key('registerWorkers') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'reportEmployment',
    query:
      'mutation($w: ID!, $e: ID, $k: String) { reportEmployment(workerId: $w, workRegion: "110105", enterpriseId: $e, idempotencyKey: $k) { id } }',
    variables: (f) => ({ w: f.worker, e: f.enterprise, k: key('reportEmployment') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'recordHealthCheck',
    query:
      'mutation($w: ID!, $k: String) { recordHealthCheck(workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-19T09:00:00+08:00", validUntil: "2020-02-26T09:00:00+08:00", nucleicAcid: NEGATIVE, testedAt: "2020-02-19T09:00:00+08:00" }, idempotencyKey: $k) { id } }',
    variables: (f) => ({ w: f.worker, k: key('recordHealthCheck') }),
    // the worker's own report is stored as SELF-declared (#13.7)
    expect: onlyFor('province:450000', 'city:450200', 'worker:own'),
  },
  {
    operation: 'reportTravelIntent',
    query:
      'mutation($w: ID!, $k: String) { reportTravelIntent(workerId: $w, input: { earliestDate: "2020-03-01", latestDate: "2020-03-10", destination: "110105", mode: BUS }, idempotencyKey: $k) { id } }',
    variables: (f) => ({ w: f.worker, k: key('reportTravelIntent') }),
    expect: onlyFor('province:450000', 'city:450200', 'worker:own'),
  },
  {
    // #13.5: an officer outside the worker's home gets the item refused (FORBIDDEN), the others the call
    operation: 'recordHealthChecks',
    query:
      'mutation($w: ID!, $k: String) { recordHealthChecks(items: [{ workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-19T10:00:00+08:00", validUntil: "2020-02-26T10:00:00+08:00" } }], idempotencyKey: $k) { items { index error { code } } } }',
    variables: (f) => ({ w: f.worker, k: key('recordHealthChecks') }),
    judge: firstItem('recordHealthChecks'),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'reportTravelIntents',
    query:
      'mutation($w: ID!, $k: String) { reportTravelIntents(items: [{ workerId: $w, input: { earliestDate: "2020-03-01", latestDate: "2020-03-10", destination: "110105", mode: BUS } }], idempotencyKey: $k) { items { index error { code } } } }',
    variables: (f) => ({ w: f.worker, k: key('reportTravelIntents') }),
    judge: firstItem('reportTravelIntents'),
    expect: onlyFor('province:450000', 'city:450200'),
  },

  {
    // #11.3: judged on the stored record: a Guilin resident re-registered with a Liuzhou home
    operation: 'registerWorker (a resident of another city, #11.3)',
    query:
      'mutation($i: RegisterWorkerInput!, $k: String) { registerWorker(input: $i, idempotencyKey: $k) { id name status } }',
    variables: (f) => ({
      i: { ...f.guilinPerson, phone: '13700000000', homeRegion: '450203' },
      k: key('registerGuilinAsLiuzhou'),
    }),
    expect: outcomes('FORBIDDEN', { 'province:450000': 'CONFLICT', 'city:450200': 'CONFLICT' }),
  },

  // ---- mutations: employment (the enterprise itself, or an officer where it is) ----
  {
    operation: 'registerEnterprise',
    query:
      'mutation($k: String) { registerEnterprise(input: { name: "朝阳物业(测试)", region: "110105003", sector: "物业" }, idempotencyKey: $k) { id } }',
    variables: () => ({ k: key('registerEnterprise') }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    operation: 'reportLaborDemand',
    query:
      'mutation($e: ID!, $k: String) { reportLaborDemand(enterpriseId: $e, openings: 50, idempotencyKey: $k) { id } }',
    variables: (f) => ({ e: f.enterprise, k: key('reportLaborDemand') }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },
  {
    // #15: the enterprise's province or city officers decide, not the enterprise itself
    operation: 'setKeyEnterprise',
    query:
      'mutation($e: ID!, $k: String) { setKeyEnterprise(enterpriseId: $e, key: true, idempotencyKey: $k) { id key } }',
    // the enterprise is key from its registration: setting it again changes nothing
    variables: (f) => ({ e: f.enterprise, k: key('setKeyEnterprise') }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    // #15: the enterprise itself, or an officer where it is
    operation: 'postJob',
    query:
      'mutation($e: ID!, $k: String) { postJob(enterpriseId: $e, input: { title: "保洁", openings: 3, region: "110105", from: ["450000"] }, idempotencyKey: $k) { id } }',
    variables: (f) => ({ e: f.enterprise, k: key('postJob') }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },
  {
    operation: 'fileReturnRequest',
    query:
      'mutation($i: FileReturnRequestInput!, $k: String) { fileReturnRequest(input: $i, idempotencyKey: $k) { id } }',
    variables: (f) => ({
      i: {
        enterpriseId: f.enterprise,
        worker: f.people[8],
        plannedReturnDate: '2020-02-25',
        departureRegion: '450203',
      },
      k: key('fileReturnRequest'),
    }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },
  {
    operation: 'confirmOnPost',
    query: 'mutation($r: ID!, $k: String) { confirmOnPost(returnRequestId: $r, idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ r: own(f.perCaller.toConfirm, c), k: key('confirmOnPost') }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },
  {
    operation: 'withdrawReturnRequest',
    query:
      'mutation($r: ID!, $k: String) { withdrawReturnRequest(returnRequestId: $r, reason: "岗位已满", idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ r: own(f.perCaller.toWithdraw, c), k: key('withdrawReturnRequest') }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },
  {
    operation: 'reportStaffChange',
    query:
      'mutation($e: ID!, $w: ID!, $k: String) { reportStaffChange(enterpriseId: $e, workerId: $w, change: ON_POST, idempotencyKey: $k) { id } }',
    // a Guangxi worker id nobody reads in this table: his home record is not the subject here
    variables: (f) => ({ e: f.enterprise, w: 'W45-staffreportrow0001', k: key('reportStaffChange') }),
    expect: onlyFor('province:110000', 'city:110105', 'enterprise:own'),
  },

  // ---- mutations: transport (the organiser by origin, the receiving place by destination) ----
  {
    operation: 'planTrip',
    query: 'mutation($i: PlanTripInput!, $k: String) { planTrip(input: $i, idempotencyKey: $k) { id } }',
    variables: () => ({
      i: {
        mode: 'TRAIN',
        vehicleCode: 'L2020',
        origin: '450203',
        destination: '110105',
        departureAt: '2020-03-01T08:00:00+08:00',
        expectedArrivalAt: '2020-03-02T08:00:00+08:00',
        capacity: 1000,
      },
      k: key('planTrip'),
    }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'assignPassengers',
    query:
      'mutation($t: ID!, $w: [ID!]!, $k: String) { assignPassengers(tripId: $t, workerIds: $w, idempotencyKey: $k) { id } }',
    variables: (f) => ({ t: f.emptyTrip, w: [f.assignable], k: key('assignPassengers') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    // #11.1: a Guilin worker onto a Liuzhou trip: his home side (the province) may, Liuzhou may not
    operation: 'assignPassengers (a worker of another city of the province, #11.1)',
    query:
      'mutation($t: ID!, $w: [ID!]!, $k: String) { assignPassengers(tripId: $t, workerIds: $w, idempotencyKey: $k) { id } }',
    variables: (f, c) =>
      c === 'province:450000'
        ? { t: f.guilinTripOfProvince, w: [f.guilinAssigned], k: key('assignGuilin') }
        : { t: f.guilinTripOfLiuzhou, w: [f.guilinRefused], k: key('assignGuilin') },
    expect: onlyFor('province:450000'),
  },
  {
    operation: 'departTrip',
    query:
      'mutation($t: ID!, $b: [BoardingInput!]!, $k: String) { departTrip(tripId: $t, boarded: $b, idempotencyKey: $k) { id } }',
    variables: (f, c) => ({
      t: own(f.perCaller.tripToDepart, c).trip,
      b: [{ workerId: own(f.perCaller.tripToDepart, c).worker, temperature: 36.6 }],
      k: key('departTrip'),
    }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'updateEta',
    query:
      'mutation($t: ID!, $k: String) { updateEta(tripId: $t, expectedArrivalAt: "2020-02-21T22:00:00+08:00", idempotencyKey: $k) { id } }',
    variables: (f) => ({ t: f.tripToEta, k: key('updateEta') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },
  {
    operation: 'confirmArrival',
    query:
      'mutation($t: ID!, $k: String) { confirmArrival(tripId: $t, input: { arrivedAt: "2020-02-21T19:00:00+08:00", headcount: 1 }, idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ t: own(f.perCaller.tripToArrive, c), k: key('confirmArrival') }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    operation: 'handOverTrip',
    query:
      'mutation($t: ID!, $k: String) { handOverTrip(tripId: $t, handedOverTo: "朝阳区接收点", idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ t: own(f.perCaller.tripToHandOver, c), k: key('handOverTrip') }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    operation: 'cancelTrip',
    query:
      'mutation($t: ID!, $k: String) { cancelTrip(tripId: $t, reason: "企业推迟复工", idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ t: own(f.perCaller.tripToCancel, c), k: key('cancelTrip') }),
    expect: onlyFor('province:450000', 'city:450200'),
  },

  // ---- health (#14.4): observation, owned by the place where it happens (Chaoyang, Beijing) ----
  {
    // the place of observation, the worker's home officers (once his home confirmed it), himself;
    // not the ministry (aggregates only), not enterprises, not another city
    operation: 'observation',
    query: 'query($id: ID!) { observation(id: $id) { id active worker { id } } }',
    variables: (f) => ({ id: f.observation }),
    expect: onlyFor('province:110000', 'city:110105', 'province:450000', 'city:450200', 'worker:own'),
  },
  {
    operation: 'observations (the place of observation)',
    query: '{ observations(region: "110105", active: true) { totalCount edges { node { id } } } }',
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    operation: 'startObservation',
    query:
      'mutation($i: StartObservationInput!, $k: String) { startObservation(input: $i, idempotencyKey: $k) { id } }',
    // one worker per allowed caller (one active observation per worker and province); Guangxi
    // worker ids nobody reads in this table
    variables: (_f, c) => ({
      i: {
        workerId: c === 'city:110105' ? 'W45-authzobservecity01' : 'W45-authzobserveprov01',
        region: '110105',
        kind: 'CENTRALISED',
        site: '朝阳区集中隔离点',
      },
      k: key('startObservation'),
    }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
  {
    operation: 'endObservation',
    query:
      'mutation($o: ID!, $k: String) { endObservation(observationId: $o, outcome: TRANSFERRED_TO_HOSPITAL, idempotencyKey: $k) { id } }',
    variables: (f, c) => ({ o: own(f.perCaller.toEndObservation, c), k: key('endObservation') }),
    expect: onlyFor('province:110000', 'city:110105'),
  },
];
