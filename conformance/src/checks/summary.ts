import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import { kitIdempotencyKey, type AnswerData, type LinkAnswer } from '../province-link.js';

/**
 * The statistics: the `Summary` parts a province answers (`workers`, `employment`, `transport`,
 * `health`, each from its logical subgraph through `_entities`) move exactly by what the kit wrote.
 */

/** The `Summary` part each logical subgraph answers, and the fields the check reads of it. */
export const SUMMARY_PARTS = {
  workers:
    'workers { registered atHome travelling atWork underObservation priority out flow { withinTownship withinCounty withinCity withinProvince crossProvince } }',
  employment:
    'employment { enterprises keyEnterprises openings filled keyOpenings keyFilled jobPosts jobOpenings }',
  transport:
    'transport { outbound { trips passengers moved { trips passengers } } inbound { trips passengers moved { trips passengers } } internal { trips passengers moved { trips passengers } } byMode { mode trips passengers vehicles moved { trips passengers } } vehicles }',
  health: 'health { boardingRefused { fever healthCode } feverAtArrival underObservation released }',
} as const;

/** A logical subgraph that answers a part of `Summary`. */
export type SummaryPart = keyof typeof SUMMARY_PARTS;

/** Figures by path (`workers.atHome`, `transport.byMode.BUS.trips`): numbers only, lists keyed by their `mode`. */
export type Figures = Record<string, number>;

/** Flattens a `Summary` part into figures by path (a list of `ModeCount` by its mode). */
export function flattenFigures(value: unknown, prefix = ''): Figures {
  const out: Figures = {};
  if (typeof value === 'number') out[prefix] = value;
  else if (Array.isArray(value)) {
    for (const item of value) {
      const key = typeof item?.mode === 'string' ? item.mode : String(value.indexOf(item));
      Object.assign(out, flattenFigures(item, `${prefix}.${key}`));
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'mode') continue;
      Object.assign(out, flattenFigures(v, prefix ? `${prefix}.${k}` : k));
    }
  }
  return out;
}

/**
 * What differs between the figures' change (`after` − `before`) and the change the kit expects
 * (`expected`, by path; every other figure must not move): one sentence per figure, empty when
 * they agree. A figure missing on one side counts as 0.
 */
export function figureMismatches(before: Figures, after: Figures, expected: Figures): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(expected)]);
  const out: string[] = [];
  for (const path of [...paths].sort()) {
    const moved = (after[path] ?? 0) - (before[path] ?? 0);
    const wanted = expected[path] ?? 0;
    if (moved !== wanted)
      out.push(
        `${path} moved by ${moved} (${before[path] ?? 0} → ${after[path] ?? 0}), the kit's writes move it by ${wanted}`,
      );
  }
  return out;
}

/** The day meaning "now" (the live figures). */
export const LATEST = 'LATEST';

/** Today in China Standard Time (UTC+8, no daylight saving): the day a change is counted on. */
export function chinaDay(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The figures of every part of `Summary(scope, day)` for each of `days`, each part read from its
 * logical subgraph in one `_entities` call; keyed `<day>:<part>.<path>`.
 */
async function readFigures(
  kit: KitContext,
  scope: string,
  days: readonly string[],
): Promise<{ figures: Figures; answers: Record<string, LinkAnswer> }> {
  const figures: Figures = {};
  const answers: Record<string, LinkAnswer> = {};
  for (const [part, fields] of Object.entries(SUMMARY_PARTS)) {
    const answer = await kit.link.query(
      part,
      `query KitSummary($r: [_Any!]!) { _entities(representations: $r) { ... on Summary { scope day ${fields} } } }`,
      { r: days.map((day) => ({ __typename: 'Summary', scope, day })) },
      kit.callers.provinceOfficer,
    );
    days.forEach((day, i) => {
      const entity: AnswerData | undefined = answer.data?._entities?.[i];
      if (answer.errors?.length || !entity?.[part])
        throw new CheckFailure(
          `_entities(Summary { scope: ${scope}, day: ${day} }) must answer the ${part} part to the province's officer`,
          answer.exchange,
        );
      for (const [path, value] of Object.entries(flattenFigures({ [part]: entity[part] })))
        figures[`${day}:${path}`] = value;
    });
    answers[part] = answer;
  }
  return { figures, answers };
}

/** The figures of `days` only. */
function ofDays(figures: Figures, days: readonly string[]): Figures {
  return Object.fromEntries(Object.entries(figures).filter(([k]) => days.includes(k.split(':')[0]!)));
}

/**
 * How long the figures may take to show the kit's writes (a province may fold its counters
 * asynchronously; ours reads the unfolded deltas with the folded totals, so at once).
 */
export const SUMMARY_SETTLE_MS = 10_000;
const POLL_MS = 250;

const PLAN_TRIP = `mutation KitPlanTrip($input: PlanTripInput!, $key: String) {
  planTrip(input: $input, idempotencyKey: $key) { id }
}`;
const ASSIGN = `mutation KitAssign($trip: ID!, $workers: [ID!]!, $key: String) {
  assignPassengers(tripId: $trip, workerIds: $workers, idempotencyKey: $key) { id passengers { boarded } }
}`;
const EMPLOYMENT = `mutation KitEmployment($id: ID!, $region: RegionCode!, $key: String) {
  reportEmployment(workerId: $id, workRegion: $region, idempotencyKey: $key) { id status }
}`;

/** Workers the kit registers; how many of them it reports at work; how many it puts on its trip. */
const REGISTERED = 4;
const AT_WORK = 1;
const PASSENGERS = 2;

/**
 * The change the kit's writes make to the test county's figures: `REGISTERED` workers at home,
 * `AT_WORK` of them then at work in the test county itself (flow `withinCounty`: the same county
 * code), one BUS trip PLANNED out of the county into another province with `PASSENGERS` others of
 * them on its manifest (still at home: a planned trip moves no one), with a vehicle of its own.
 */
export function expectedChange(days: readonly string[] = [LATEST]): Figures {
  const change: Figures = {
    'workers.registered': REGISTERED,
    'workers.atHome': REGISTERED - AT_WORK,
    'workers.atWork': AT_WORK,
    'workers.out': AT_WORK,
    'workers.flow.withinCounty': AT_WORK,
    'transport.outbound.trips': 1,
    'transport.outbound.passengers': PASSENGERS,
    'transport.byMode.BUS.trips': 1,
    'transport.byMode.BUS.passengers': PASSENGERS,
    'transport.byMode.BUS.vehicles': 1,
    'transport.vehicles': 1,
  };
  return Object.fromEntries(
    days.flatMap((day) => Object.entries(change).map(([path, n]) => [`${day}:${path}`, n])),
  );
}

const recount: ConformanceCheck = {
  id: 'summary.recount',
  title:
    "the test county's Summary (workers, employment, transport, health) moves exactly by what the kit wrote",
  writes: true,
  async run(kit) {
    const { regions, callers } = kit;
    const key = () => kitIdempotencyKey(kit.runId);
    const scope = regions.testCounty;
    // The live figures (LATEST) and today's (the day the kit's writes are counted on) move alike.
    const today = chinaDay();
    const before = await readFigures(kit, scope, [LATEST, today]);
    const start = kit.records.workers.length;
    const workers = (await kit.records.population(start + REGISTERED)).slice(start);
    for (const w of workers.slice(0, AT_WORK))
      await kit.link.data(
        'workers',
        EMPLOYMENT,
        { id: w.id, region: scope, key: key() },
        callers.testCityOfficer,
      );
    const day = Date.now() + 5 * 86_400_000;
    const { data } = await kit.link.data(
      'transport',
      PLAN_TRIP,
      {
        input: {
          mode: 'BUS',
          // A vehicle of the kit's own (distinct vehicles are counted): unique per run.
          vehicleCode: `合规${kit.runId}`.slice(0, 20),
          origin: scope,
          destination: regions.otherProvinceCounty,
          departureAt: new Date(day).toISOString(),
          expectedArrivalAt: new Date(day + 86_400_000).toISOString(),
          capacity: 30,
        },
        key: key(),
      },
      callers.testCityOfficer,
    );
    const tripId = data.planTrip?.id;
    if (typeof tripId !== 'string') throw new CheckFailure("planTrip must answer the trip's id");
    kit.records.planned(tripId);
    const passengers = workers.slice(AT_WORK, AT_WORK + PASSENGERS).map((w) => w.id);
    await kit.link.data(
      'transport',
      ASSIGN,
      { trip: tripId, workers: passengers, key: key() },
      callers.testCityOfficer,
    );
    const deadline = Date.now() + SUMMARY_SETTLE_MS;
    for (;;) {
      // Past midnight in China, today's figures of before are yesterday's: the live ones only.
      const days = chinaDay() === today ? [LATEST, today] : [LATEST];
      const after = await readFigures(kit, scope, days);
      const mismatches = figureMismatches(ofDays(before.figures, days), after.figures, expectedChange(days));
      if (!mismatches.length) return;
      if (Date.now() >= deadline)
        throw new CheckFailure(
          `Summary(${scope}, ${days.join(' and ')}) must equal a recount of what the kit wrote within ${SUMMARY_SETTLE_MS / 1000} s (${REGISTERED} workers registered, ${AT_WORK} at work in the county, a BUS trip planned out of it with ${PASSENGERS} passengers): ${mismatches.join('; ')}`,
          after.answers[mismatches[0]!.split(/[:.]/)[1]!]?.exchange,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  },
};

/** The summary checks, in the order they run. */
export const SUMMARY_CHECKS: readonly ConformanceCheck[] = [recount];
