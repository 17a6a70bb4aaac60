/**
 * Generated hostile operations for the fuzz test of the gateway (`hostile-input.e2e.test.ts`):
 * wrong types, huge strings, deep nesting, unknown ids, other provinces' ids, malformed HTTP.
 *
 * Every MUTATION generated here is refused by construction (a poisoned required argument, an id
 * that exists nowhere, or a caller who may not change that record), so a run that writes
 * anything has found a hole, not a valid input.
 */
import { encodeId, residentIdFrom } from '@p2p/schema';
import { Random } from '../bench/people.js';

/** Who sends an operation (the test maps each to its headers). */
export type HostileCaller =
  | 'anonymous'
  | 'ministry'
  | 'guangxi'
  | 'liuzhou'
  | 'chaoyang'
  | 'enterprise'
  | 'forged'
  | 'expired'
  | 'garbage';

/** One request to send: a GraphQL operation, or a raw HTTP body. */
export interface HostileRequest {
  /** What was generated, for the failure message (never sent). */
  label: string;
  caller: HostileCaller;
  method?: 'POST' | 'GET';
  /** A JSON-encodable body; absent when `rawBody` is set. */
  body?: unknown;
  /** A body sent as is. */
  rawBody?: string;
  contentType?: string;
  /** GET only: the query string. */
  search?: string;
}

/** Real records the generator may aim at (ids the demo gave). */
export interface HostileTargets {
  /** Guangxi workers (home 4502…), Beijing enterprises, Guangxi trips, Beijing return requests. */
  guangxiWorkers: string[];
  beijingEnterprises: string[];
  guangxiTrips: string[];
  returnRequests: string[];
}

const HUGE = 'x'.repeat(200_000);
const LONG_NAME = '名'.repeat(65);
const GARBAGE_STRINGS = [
  '',
  ' ',
  "'; DROP TABLE workers; --",
  '%',
  '_%_',
  '\u0000',
  '\uffff\ud800',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, sent as plain text
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'NaN',
  '-0',
  LONG_NAME,
  HUGE,
];
const BAD_REGIONS = [
  '',
  '45000',
  '4500000',
  '999999',
  '450000; DROP',
  'abcdef',
  '45020300',
  '4502030011',
  HUGE,
];
const BAD_IDS = [
  '',
  'garbage',
  'W45-',
  'T99-abcdefgh',
  'X45-abcdefgh',
  `W45-${'a'.repeat(65)}`,
  'W45-abc%def_h',
  HUGE,
  "W45-'; DROP TABLE workers; --",
];
const UNKNOWN = {
  worker: encodeId('Worker', '450000', 'fuzzunknownworker0001'),
  trip: encodeId('Trip', '450000', 'fuzzunknowntrip000001'),
  enterprise: encodeId('Enterprise', '110000', 'fuzzunknownent0000001'),
  returnRequest: encodeId('ReturnRequest', '110000', 'fuzzunknownrr00000001'),
  beijingWorker: encodeId('Worker', '110000', 'fuzzunknownworker0002'),
};
const WRONG_TYPES: unknown[] = [1, -1, 2 ** 31, 1e308, 3.5, true, null, [], [1, 2], {}, { a: { b: 1 } }];
const INTS = [-1, 0, 2 ** 31, -(2 ** 31) - 1, 1e9, 101, 1_000_001, 3.5, '12'];
const BAD_DATES = ['2020-02-30', '2020-13-01', '20200201', 'tomorrow', '2099-01-01', '0000-00-00'];
const BAD_DATETIMES = ['2020-02-20', '2020-02-20T25:00:00Z', 'now', '2099-01-01T00:00:00Z', '1'];

/** A resident ID number with a wrong check digit. */
const badCheckDigit = (serial: number) => {
  const good = residentIdFrom('450203', '19900101', serial);
  const wrong = good.endsWith('0') ? '1' : '0';
  return good.slice(0, 17) + wrong;
};

const goodWorker = (serial: number) => ({
  name: '测试工人',
  idNumber: residentIdFrom('450203', '19910101', 700 + serial),
  phone: '13907720000',
  homeRegion: '450203',
});

/** Generates hostile requests from a seed (the same seed gives the same requests). */
export class HostileGenerator {
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly targets: HostileTargets,
  ) {
    this.random = new Random(seed);
  }

  /** `count` requests, mixing every family. */
  generate(count: number): HostileRequest[] {
    const families = [
      () => this.poisonedMutation(),
      () => this.poisonedMutation(),
      () => this.foreignMutation(),
      () => this.hostileQuery(),
      () => this.hostileQuery(),
      () => this.structural(),
      () => this.transport(),
    ];
    return Array.from({ length: count }, () => this.random.pick(families)());
  }

  private pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  private anyValue(): unknown {
    return this.random.chance(0.5) ? this.pick(WRONG_TYPES) : this.pick(GARBAGE_STRINGS);
  }

  private officer(): HostileCaller {
    return this.pick<HostileCaller>(['guangxi', 'liuzhou', 'chaoyang', 'enterprise', 'ministry']);
  }

  private caller(): HostileCaller {
    return this.pick<HostileCaller>([
      'anonymous',
      'ministry',
      'guangxi',
      'liuzhou',
      'chaoyang',
      'enterprise',
      'forged',
      'expired',
      'garbage',
    ]);
  }

  private badId(kind: 'worker' | 'trip' | 'enterprise' | 'returnRequest'): unknown {
    const r = this.random.next();
    if (r < 0.45) return UNKNOWN[kind];
    if (r < 0.9) return this.pick(BAD_IDS);
    return this.pick(WRONG_TYPES);
  }

  /** A mutation with at least one required argument that no province accepts. */
  private poisonedMutation(): HostileRequest {
    const serial = this.random.int(0, 9_999);
    const caller = this.officer();
    const key = this.random.chance(0.3) ? { key: this.pick(['', HUGE, 'k'.repeat(129), 'fuzz']) } : {};
    const variants: (() => HostileRequest)[] = [
      () => {
        const input: Record<string, unknown> = { ...goodWorker(serial) };
        const poison = this.pick(['idNumber', 'phone', 'homeRegion', 'name', 'povertyStatus', 'skills']);
        input[poison] = {
          idNumber: this.pick([badCheckDigit(serial), '12345', HUGE, 450203199001010]),
          phone: this.pick(['123', '1390772000a', HUGE, 13907720000]),
          homeRegion: this.pick(BAD_REGIONS),
          name: this.pick([LONG_NAME, HUGE, null]),
          povertyStatus: this.pick(['RICH', 1, '']),
          skills: this.pick([Array.from({ length: 21 }, (_, i) => `s${i}`), ['x'.repeat(33)], [1, 2]]),
        }[poison];
        return {
          label: `registerWorker poisoned ${poison}`,
          caller,
          body: {
            query:
              'mutation($input: RegisterWorkerInput!, $key: String) { registerWorker(input: $input, idempotencyKey: $key) { id name phone } }',
            variables: { input, ...key },
          },
        };
      },
      () => {
        const inputs: unknown[] = Array.from({ length: this.random.int(1, 40) }, (_, i) =>
          goodWorker(serial + i),
        );
        inputs.splice(this.random.int(0, inputs.length), 0, {
          ...goodWorker(serial + 99),
          idNumber: badCheckDigit(serial),
        });
        return {
          label: 'registerWorkers with one bad item among good ones (all or nothing)',
          caller,
          body: {
            query: 'mutation($inputs: [RegisterWorkerInput!]!) { registerWorkers(inputs: $inputs) { id } }',
            variables: { inputs },
          },
        };
      },
      () => ({
        label: 'reportEmployment poisoned',
        caller,
        body: {
          query:
            'mutation($id: ID!, $region: RegionCode!, $e: ID) { reportEmployment(workerId: $id, workRegion: $region, enterpriseId: $e) { id status } }',
          variables: this.random.chance(0.5)
            ? { id: this.badId('worker'), region: '440300' }
            : { id: this.pick(this.targets.guangxiWorkers), region: this.pick(BAD_REGIONS) },
        },
      }),
      () => {
        // #14.4: an observation nobody may start (a place that is no region, a site too long or
        // empty, days out of 1..60, a start in the future, a worker id of no province)
        const input: Record<string, unknown> = {
          workerId: this.pick(this.targets.guangxiWorkers),
          region: '110105',
          kind: 'HOME',
          site: '朝阳区某小区',
        };
        const poison = this.pick(['region', 'site', 'days', 'startedAt', 'workerId', 'kind']);
        input[poison] = {
          region: this.pick(BAD_REGIONS),
          site: this.pick(['', '   ', '站'.repeat(201), HUGE]),
          days: this.pick([0, 61, -14, 1.5, '14']),
          startedAt: this.pick(['2099-01-01T00:00:00Z', 'yesterday', 0]),
          workerId: this.pick(['W99-nosuchprovince01', 'T45-notaworker00001', HUGE]),
          kind: this.pick(['HOTEL', 1, null]),
        }[poison];
        return {
          label: `startObservation poisoned ${poison}`,
          caller,
          body: {
            query:
              'mutation($i: StartObservationInput!, $key: String) { startObservation(input: $i, idempotencyKey: $key) { id } }',
            variables: { i: input, ...key },
          },
        };
      },
      () => ({
        label: 'recordHealthCheck poisoned',
        caller,
        body: {
          query:
            'mutation($id: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $input) { id } }',
          variables: this.random.chance(0.5)
            ? {
                id: this.badId('worker'),
                input: {
                  code: 'GREEN',
                  issuedBy: '450000',
                  checkedAt: '2020-02-10T08:00:00Z',
                  validUntil: '2020-02-17T08:00:00Z',
                },
              }
            : {
                id: this.pick(this.targets.guangxiWorkers),
                input: this.pick([
                  {
                    code: 'PURPLE',
                    issuedBy: '450000',
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-02-17T08:00:00Z',
                  },
                  {
                    code: 'GREEN',
                    issuedBy: '450000',
                    checkedAt: this.pick(BAD_DATETIMES),
                    validUntil: '2020-02-17T08:00:00Z',
                  },
                  {
                    code: 'GREEN',
                    issuedBy: this.pick(BAD_REGIONS),
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-02-17T08:00:00Z',
                  },
                  {
                    code: 'GREEN',
                    issuedBy: '450200',
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-02-17T08:00:00Z',
                  },
                  {
                    code: 'GREEN',
                    issuedBy: '450000',
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-04-17T08:00:00Z',
                  },
                  {
                    code: 'GREEN',
                    issuedBy: '450000',
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-02-17T08:00:00Z',
                    nucleicAcid: 'MAYBE',
                    testedAt: '2020-02-10T08:00:00Z',
                  },
                  {
                    code: this.anyValue(),
                    issuedBy: '450000',
                    checkedAt: '2020-02-10T08:00:00Z',
                    validUntil: '2020-02-17T08:00:00Z',
                  },
                ]),
              },
        },
      }),
      () => ({
        label: 'reportTravelIntent poisoned',
        caller,
        body: {
          query:
            'mutation($id: ID!, $input: TravelIntentInput!) { reportTravelIntent(workerId: $id, input: $input) { id } }',
          variables: this.random.chance(0.5)
            ? {
                id: this.badId('worker'),
                input: { earliestDate: '2020-02-20', latestDate: '2020-02-25', destination: '440300' },
              }
            : {
                id: this.pick(this.targets.guangxiWorkers),
                input: this.pick([
                  { earliestDate: '2020-02-25', latestDate: '2020-02-20', destination: '440300' },
                  { earliestDate: this.pick(BAD_DATES), latestDate: '2020-02-25', destination: '440300' },
                  {
                    earliestDate: '2020-02-20',
                    latestDate: '2020-02-25',
                    destination: this.pick(BAD_REGIONS),
                  },
                  {
                    earliestDate: '2020-02-20',
                    latestDate: '2020-02-25',
                    destination: '440300',
                    mode: 'ROCKET',
                  },
                ]),
              },
        },
      }),
      () => ({
        label: 'registerEnterprise poisoned',
        caller,
        body: {
          query: 'mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { id } }',
          variables: {
            input: this.pick([
              { name: LONG_NAME, region: '110105', sector: '建筑' },
              { name: '测试企业', region: this.pick(BAD_REGIONS), sector: '建筑' },
              { name: '测试企业', region: '110105', sector: 'x'.repeat(65) },
              { name: '测试企业', region: '110105', sector: '建筑', key: 'yes' },
              { name: this.pick(WRONG_TYPES), region: '110105', sector: '建筑' },
            ]),
          },
        },
      }),
      () => ({
        label: 'reportLaborDemand poisoned',
        caller,
        body: {
          query:
            'mutation($id: ID!, $openings: Int!, $filled: Int) { reportLaborDemand(enterpriseId: $id, openings: $openings, filled: $filled) { id openings } }',
          variables: this.random.chance(0.5)
            ? { id: this.badId('enterprise'), openings: 10 }
            : {
                id: this.pick(this.targets.beijingEnterprises),
                ...this.pick([
                  { openings: this.pick(INTS.filter((n) => n !== 0 && n !== 101)) },
                  { openings: 10, filled: 11 },
                  { openings: 10, filled: -1 },
                ]),
              },
        },
      }),
      () => ({
        label: 'fileReturnRequest poisoned',
        caller,
        body: {
          query:
            'mutation($input: FileReturnRequestInput!) { fileReturnRequest(input: $input) { id worker { name } } }',
          variables: {
            input: this.random.chance(0.5)
              ? {
                  enterpriseId: this.badId('enterprise'),
                  worker: goodWorker(serial),
                  plannedReturnDate: '2020-02-25',
                  departureRegion: '450203',
                }
              : {
                  enterpriseId: this.pick(this.targets.beijingEnterprises),
                  worker: this.pick([
                    { ...goodWorker(serial), idNumber: badCheckDigit(serial) },
                    { ...goodWorker(serial), homeRegion: this.pick(BAD_REGIONS) },
                    { ...goodWorker(serial), phone: 'x' },
                  ]),
                  plannedReturnDate: '2020-02-25',
                  departureRegion: '450203',
                },
          },
        },
      }),
      () => ({
        label: 'confirmOnPost unknown',
        caller,
        body: {
          query: 'mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id status } }',
          variables: { id: this.badId('returnRequest') },
        },
      }),
      () => ({
        label: 'planTrip poisoned',
        caller,
        body: {
          query: 'mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }',
          variables: {
            input: {
              mode: 'BUS',
              vehicleCode: '桂B·F0001',
              origin: '450203',
              destination: '440300',
              departureAt: '2020-02-20T08:00:00+08:00',
              expectedArrivalAt: '2020-02-21T08:00:00+08:00',
              capacity: 40,
              ...this.pick([
                { capacity: this.pick([0, -1, 3001, 2 ** 31, 1.5]) },
                { expectedArrivalAt: '2020-02-19T08:00:00+08:00' },
                { origin: this.pick(BAD_REGIONS) },
                { destination: this.pick(BAD_REGIONS) },
                { vehicleCode: 'v'.repeat(33) },
                { mode: 'ROCKET' },
                { departureAt: this.pick(BAD_DATETIMES) },
              ]),
            },
          },
        },
      }),
      () => {
        const op = this.pick([
          ['assignPassengers', '$w: [ID!]!', 'workerIds: $w', { w: [UNKNOWN.worker] }],
          [
            'departTrip',
            '$b: [BoardingInput!]!',
            'boarded: $b',
            { b: [{ workerId: UNKNOWN.worker, temperature: 36.5 }] },
          ],
          ['updateEta', '$at: DateTime!', 'expectedArrivalAt: $at', { at: '2020-02-21T08:00:00Z' }],
          [
            'confirmArrival',
            '$i: ConfirmArrivalInput!',
            'input: $i',
            { i: { arrivedAt: '2020-02-21T08:00:00Z', headcount: 1 } },
          ],
          ['handOverTrip', '$to: String!', 'handedOverTo: $to', { to: '某公司' }],
          ['cancelTrip', '$r: String!', 'reason: $r', { r: this.pick(GARBAGE_STRINGS) }],
        ] as const);
        return {
          label: `${op[0]} on a trip that does not exist`,
          caller,
          body: {
            query: `mutation($id: ID!, ${op[1]}) { ${op[0]}(tripId: $id, ${op[2]}) { id status } }`,
            variables: { id: this.badId('trip'), ...op[3] },
          },
        };
      },
    ];
    return this.pick(variants)();
  }

  /** A well-formed mutation on a real record of another place, by a caller who may not change it. */
  private foreignMutation(): HostileRequest {
    const onWorker = this.pick<HostileCaller>(['chaoyang', 'enterprise', 'ministry']);
    const onEnterprise = this.pick<HostileCaller>(['guangxi', 'liuzhou', 'ministry']);
    const onTrip = this.pick<HostileCaller>(['enterprise', 'ministry']);
    return this.pick<() => HostileRequest>([
      () => ({
        // #14.4: only the officers of the place of observation start one
        label: 'startObservation in Chaoyang by an outsider',
        caller: this.pick<HostileCaller>(['guangxi', 'liuzhou', 'enterprise', 'ministry']),
        body: {
          query: 'mutation($i: StartObservationInput!) { startObservation(input: $i) { id } }',
          variables: {
            i: {
              workerId: this.pick(this.targets.guangxiWorkers),
              region: '110105',
              kind: 'CENTRALISED',
              site: '朝阳区集中隔离点',
            },
          },
        },
      }),
      () => ({
        label: 'recordHealthCheck on a Guangxi worker by an outsider',
        caller: onWorker,
        body: {
          query:
            'mutation($id: ID!) { recordHealthCheck(workerId: $id, input: { code: RED, issuedBy: "450000", checkedAt: "2020-02-10T08:00:00Z", validUntil: "2020-02-17T08:00:00Z" }) { id health { code } } }',
          variables: { id: this.pick(this.targets.guangxiWorkers) },
        },
      }),
      () => ({
        label: 'reportEmployment of a Guangxi worker by an outsider',
        caller: onWorker,
        body: {
          query: 'mutation($id: ID!) { reportEmployment(workerId: $id, workRegion: "110105") { id status } }',
          variables: { id: this.pick(this.targets.guangxiWorkers) },
        },
      }),
      () => ({
        label: 'reportLaborDemand of a Beijing enterprise by an outsider',
        caller: onEnterprise,
        body: {
          query: 'mutation($id: ID!) { reportLaborDemand(enterpriseId: $id, openings: 5) { id openings } }',
          variables: { id: this.pick(this.targets.beijingEnterprises) },
        },
      }),
      () => ({
        label: 'cancelTrip of a Guangxi trip by an outsider',
        caller: onTrip,
        body: {
          query: 'mutation($id: ID!) { cancelTrip(tripId: $id, reason: "fuzz") { id status } }',
          variables: { id: this.pick(this.targets.guangxiTrips) },
        },
      }),
      () => ({
        label: 'registerWorker of a Guangxi resident by a Beijing officer',
        caller: 'chaoyang',
        body: {
          query: 'mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id phone } }',
          variables: { input: goodWorker(this.random.int(0, 9_999)) },
        },
      }),
      () => ({
        label: 'planTrip from Guangxi by a Beijing officer',
        caller: 'chaoyang',
        body: {
          query: 'mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }',
          variables: {
            input: {
              mode: 'BUS',
              vehicleCode: '桂B·F0002',
              origin: '450203',
              destination: '110105',
              departureAt: '2020-02-20T08:00:00+08:00',
              expectedArrivalAt: '2020-02-21T08:00:00+08:00',
              capacity: 40,
            },
          },
        },
      }),
      () => ({
        label: 'mutation by a caller whose token is not accepted',
        caller: this.pick<HostileCaller>(['anonymous', 'forged', 'expired', 'garbage']),
        body: {
          query: 'mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }',
          variables: { input: goodWorker(this.random.int(0, 9_999)) },
        },
      }),
    ])();
  }

  /** A read with hostile arguments. */
  private hostileQuery(): HostileRequest {
    const caller = this.caller();
    const region = () =>
      this.random.chance(0.6) ? this.pick(BAD_REGIONS) : this.pick(['450000', '110000', '440300']);
    const first = () => (this.random.chance(0.6) ? this.pick(INTS) : 5);
    const after = () => this.pick(['', 'garbage', HUGE, 'eyJrIjoiMjAyMCJ9', '%%%', 'e30', null]);
    const id = () =>
      this.random.chance(0.5)
        ? this.pick(BAD_IDS)
        : this.pick([
            UNKNOWN.worker,
            UNKNOWN.beijingWorker,
            UNKNOWN.trip,
            ...this.targets.guangxiWorkers,
            ...this.targets.guangxiTrips,
            ...this.targets.returnRequests,
          ]);
    const variants: [string, string, () => Record<string, unknown>][] = [
      [
        'worker',
        'query($id: ID!) { worker(id: $id) { id name idNumber phone povertyStatus health { code } } }',
        () => ({ id: id() }),
      ],
      [
        'workers',
        'query($r: RegionCode!, $f: Int, $a: String) { workers(homeRegion: $r, first: $f, after: $a) { totalCount edges { node { id idNumber } } } }',
        () => ({ r: region(), f: first(), a: after() }),
      ],
      [
        'trip',
        'query($id: ID!) { trip(id: $id) { id passengers { worker { idNumber phone } temperature } } }',
        () => ({ id: id() }),
      ],
      [
        'trips',
        'query($o: RegionCode, $d: RegionCode, $s: [TripStatus!], $f: Int, $a: String) { trips(origin: $o, destination: $d, status: $s, first: $f, after: $a) { totalCount edges { cursor node { id } } } }',
        () => ({
          o: region(),
          d: region(),
          s: this.pick([['FLYING'], [], null, 'PLANNED']),
          f: first(),
          a: after(),
        }),
      ],
      ['enterprise', 'query($id: ID!) { enterprise(id: $id) { id name openings } }', () => ({ id: id() })],
      [
        'enterprises',
        'query($r: RegionCode!, $f: Int, $a: String) { enterprises(region: $r, first: $f, after: $a) { totalCount } }',
        () => ({ r: region(), f: first(), a: after() }),
      ],
      ['returnRequest', 'query($id: ID!) { returnRequest(id: $id) { id status } }', () => ({ id: id() })],
      [
        'returnRequests',
        'query($o: RegionCode, $d: RegionCode, $f: Int) { returnRequests(origin: $o, destination: $d, first: $f) { totalCount } }',
        () => (this.random.chance(0.3) ? {} : { o: region(), d: region(), f: first() }),
      ],
      [
        'summary',
        'query($s: RegionCode, $d: Date) { summary(scope: $s, day: $d) { workers { registered } } }',
        () => ({ s: region(), d: this.pick([...BAD_DATES, null]) }),
      ],
      [
        'dailySeries',
        'query($s: RegionCode, $f: Date!, $t: Date!) { dailySeries(scope: $s, from: $f, to: $t) { workers { registered } } }',
        () => ({
          s: region(),
          f: this.pick(['1900-01-01', ...BAD_DATES]),
          t: this.pick(['2100-01-01', ...BAD_DATES]),
        }),
      ],
      [
        'region',
        'query($c: RegionCode!) { region(code: $c) { code children { code } } }',
        () => ({ c: region() }),
      ],
      [
        '_entities',
        'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        () => ({ r: [{ __typename: 'Worker', id: id() }] }),
      ],
      ['_service', '{ _service { sdl } }', () => ({})],
    ];
    const [name, query, variables] = this.pick(variants);
    const vars = variables();
    if (this.random.chance(0.15)) {
      const keys = Object.keys(vars);
      if (keys.length > 0) vars[this.pick(keys)] = this.anyValue();
    }
    return { label: `query ${name}`, caller, body: { query, variables: vars } };
  }

  /** Operations hostile by their shape: depth, aliases, size, syntax, fragments, batches. */
  private structural(): HostileRequest {
    const caller = this.caller();
    const depth = this.random.int(13, 80);
    const variants: (() => HostileRequest)[] = [
      () => ({
        label: `regions nested ${depth} deep`,
        caller,
        body: { query: `{ regions { ${'children { '.repeat(depth)}code${' }'.repeat(depth)} } }` },
      }),
      () => {
        const n = this.random.int(200, 3_000);
        return {
          label: `${n} aliases of region`,
          caller,
          body: {
            query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: region(code: "110000") { code }`).join(' ')} }`,
          },
        };
      },
      () => {
        const n = this.random.int(20, 60);
        return {
          label: `${n} aliased dailySeries`,
          caller,
          body: {
            query: `{ ${Array.from({ length: n }, (_, i) => `d${i}: dailySeries(from: "2020-01-01", to: "2020-12-31") { workers { registered } }`).join(' ')} }`,
          },
        };
      },
      () => ({
        label: 'trips with 100 × passengers × worker × regions',
        caller,
        body: {
          query:
            '{ trips(destination: "440000", first: 100) { edges { node { passengers { worker { homeRegion { children { children { code } } } } } } } } }',
        },
      }),
      () => ({
        label: 'introspection nested deep',
        caller,
        body: {
          query: `{ __schema { types { ${'fields { type { ofType { '.repeat(this.random.int(5, 30))}name${' } } }'.repeat(1)} } } }`,
        },
      }),
      () => ({
        label: 'fragment cycle',
        caller,
        body: {
          query:
            'query { regions { ...A } } fragment A on Region { children { ...B } } fragment B on Region { children { ...A } }',
        },
      }),
      () => ({
        label: 'syntax garbage',
        caller,
        body: {
          query: this.pick([
            '{',
            '}}}}',
            'query {{{ }',
            'mutation',
            '{ region(code: ) }',
            '{ region(code: "110000" { code }',
            'subscription { arrivals(destination: "110000") { cursor } }',
            '{ __typename @skip }',
            '{ __typename @include(if: "yes") }',
            '{ unknownField }',
            '{ region(code: 110000) { code } }',
            `{ region(code: "${HUGE}") { code } }`,
            `{ ${'a '.repeat(20_000)} }`,
            '\u0000\u0001\u0002',
            `query ${'Q'.repeat(10_000)} { __typename }`,
          ]),
        },
      }),
      () => ({
        label: 'operationName that does not exist / two anonymous operations',
        caller,
        body: this.pick([
          { query: 'query A { __typename } query B { __typename }' },
          { query: 'query A { __typename }', operationName: 'Z' },
          { query: '{ __typename } { __typename }' },
          { query: 'query A { __typename }', operationName: 12 },
        ]),
      }),
      () => ({
        label: 'variables of the wrong shape',
        caller,
        body: {
          query: 'query($c: RegionCode!) { region(code: $c) { code } }',
          variables: this.pick(['string', [], 12, null, { c: null }, {}]),
        },
      }),
      () => ({
        label: 'query of the wrong type',
        caller,
        body: { query: this.pick([12, null, [], {}, true]) },
      }),
      () => {
        const n = this.random.int(2, 60);
        return {
          label: `batch of ${n}`,
          caller,
          body: Array.from({ length: n }, () => ({
            query: this.pick([
              '{ __typename }',
              `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: region(code: "110000") { code }`).join(' ')} }`,
              'mutation { cancelTrip(tripId: "garbage", reason: "x") { id } }',
            ]),
          })),
        };
      },
    ];
    return this.pick(variants)();
  }

  /** Malformed HTTP: bodies that are not JSON, wrong methods and content types, GET mutations. */
  private transport(): HostileRequest {
    const caller = this.caller();
    return this.pick<() => HostileRequest>([
      () => ({
        label: 'body not JSON',
        caller,
        rawBody: this.pick(['{', 'null', '"x"', '12', '[]', '{"query":', '\u0000', 'query { __typename }']),
      }),
      () => ({ label: 'empty body', caller, rawBody: '' }),
      () => ({
        label: 'text/plain body',
        caller,
        rawBody: '{"query":"{ __typename }"}',
        contentType: 'text/plain',
      }),
      () => ({
        label: 'form body',
        caller,
        rawBody: 'query=%7B__typename%7D',
        contentType: 'application/x-www-form-urlencoded',
      }),
      () => ({
        label: 'body over the size limit',
        caller,
        rawBody: JSON.stringify({ query: `{ __typename }`, variables: { x: 'y'.repeat(600_000) } }),
      }),
      () => ({
        label: 'GET mutation',
        caller,
        method: 'GET',
        search: `query=${encodeURIComponent('mutation { cancelTrip(tripId: "garbage", reason: "x") { id } }')}`,
      }),
      () => ({
        label: 'GET with bad variables',
        caller,
        method: 'GET',
        search: `query=${encodeURIComponent('query($c: RegionCode!) { region(code: $c) { code } }')}&variables=%7Bbad`,
      }),
      () => ({ label: 'GET without query', caller, method: 'GET', search: 'x=1' }),
    ])();
  }
}
