import { CheckFailure, CheckSkipped, type Exchange } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import { kitIdempotencyKey, type AnswerData } from '../province-link.js';

/**
 * The live events (`transport`'s `arrivals` and `departures` over graphql-ws): a subscription
 * resumed with `after` replays exactly what followed that cursor, a cursor ahead of the province's
 * sequence is refused, and a subscription to people outside the caller's region is refused.
 */

/** A subscription's answer as the link collects it. */
interface Collected {
  events: AnswerData[];
  errors: unknown[];
  exchange: Exchange;
}

/**
 * The codes of a subscription's errors, whether the server sent them as a result's `errors`, as a
 * graphql-ws `error` message (an array) or closed the socket (a close event: `CLOSED <code>`).
 */
export function subscriptionErrorCodes(errors: readonly unknown[]): string[] {
  const codes: string[] = [];
  for (const error of errors.flat()) {
    const e = error as { extensions?: { code?: unknown }; code?: unknown; message?: unknown } | null;
    if (typeof e?.extensions?.code === 'string') codes.push(e.extensions.code);
    else if (typeof e?.code === 'number') codes.push(`CLOSED ${e.code}`);
    else codes.push(typeof e?.message === 'string' ? e.message : String(error));
  }
  return codes;
}

/**
 * A cursor of the same epoch as `cursor` but far ahead of it (a sequence the province has not
 * reached): a province cursor is its event sequence number, optionally `<epoch>:<seq>`.
 * Undefined when `cursor` is not of that form.
 */
export function cursorFromTheFuture(cursor: string, ahead = 1_000_000): string | undefined {
  const match = /^(?:(.+):)?(\d+)$/.exec(cursor);
  if (!match) return undefined;
  const seq = BigInt(match[2]!) + BigInt(ahead);
  return match[1] === undefined ? String(seq) : `${match[1]}:${seq}`;
}

/**
 * What is wrong with a replay: `replayed` must be exactly `expected` (same cursors, same order,
 * each once). One sentence, undefined when it is right.
 */
export function replayMismatch(expected: readonly string[], replayed: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const cursor of replayed) {
    if (seen.has(cursor)) return `cursor ${cursor} came back twice`;
    seen.add(cursor);
  }
  const missing = expected.filter((c) => !seen.has(c));
  if (missing.length) return `missing ${missing.join(', ')}`;
  const extra = replayed.filter((c) => !expected.includes(c));
  if (extra.length) return `events not after the cursor or unknown: ${extra.join(', ')}`;
  if (expected.some((c, i) => replayed[i] !== c))
    return `out of order: ${replayed.join(', ')} instead of ${expected.join(', ')}`;
  return undefined;
}

const ARRIVALS = `subscription KitArrivals($d: RegionCode!, $after: String) {
  arrivals(destination: $d, after: $after) { cursor kind trip { id } }
}`;
const DEPARTURES = `subscription KitDepartures($h: RegionCode!) {
  departures(homeRegion: $h) { cursor kind trip { id } }
}`;
const PLAN_TRIP = `mutation KitPlanTrip($input: PlanTripInput!, $key: String) {
  planTrip(input: $input, idempotencyKey: $key) { id }
}`;

/** Trips the replay check plans per round. */
const TRIPS = 5;
/** Rounds of trips at most, when the live subscription was up too late to catch two of them. */
const ROUNDS = 2;
/** How long the live subscription waits for the next trip's event (the kit plans them one after another). */
const LIVE_QUIET_MS = 3_000;
/** How long a subscription waits for a further event before it is judged complete. */
const QUIET_MS = 1_000;
/** How long a refusal may take to come (a cursor ahead of the sequence: ours waits 1 s for it first). */
const REFUSAL_WAIT_MS = 5_000;

/** Plans one kit trip from the test county into `destination` (noted, so the runner cancels it). */
async function planKitTrip(kit: KitContext, destination: string, n: number): Promise<string> {
  const day = Date.now() + (10 + n) * 86_400_000;
  const { data, exchange } = await kit.link.data(
    'transport',
    PLAN_TRIP,
    {
      input: {
        mode: 'BUS',
        vehicleCode: `合规${kit.runId}-${n}`.slice(0, 20),
        origin: kit.regions.testCounty,
        destination,
        departureAt: new Date(day).toISOString(),
        expectedArrivalAt: new Date(day + 86_400_000).toISOString(),
        capacity: 10,
      },
      key: kitIdempotencyKey(kit.runId),
    },
    kit.callers.testCityOfficer,
  );
  const id = data.planTrip?.id;
  if (typeof id !== 'string') throw new CheckFailure("planTrip must answer the trip's id", exchange);
  kit.records.planned(id);
  return id;
}

function cursorsOf(events: readonly AnswerData[]): string[] {
  return events.map((e) => e.arrivals?.cursor);
}

function expectEvents(collected: Collected, what: string): AnswerData[] {
  if (collected.errors.length)
    throw new CheckFailure(
      `${what} must be served, got ${subscriptionErrorCodes(collected.errors).join(', ')}`,
      collected.exchange,
    );
  for (const e of collected.events)
    if (typeof e.arrivals?.cursor !== 'string' || typeof e.arrivals?.trip?.id !== 'string')
      throw new CheckFailure(`${what}: every event must carry its cursor and its trip`, collected.exchange);
  return collected.events;
}

const replay: ConformanceCheck = {
  id: 'subscriptions.replay',
  title:
    'arrivals followed live, then resumed with `after`, replays exactly the events after that cursor, in order, once each; a cursor ahead of the sequence is BAD_USER_INPUT',
  writes: true,
  async run(kit) {
    const destination = kit.regions.otherProvinceCounty;
    // Only the gateway's link (the system caller) subscribes to a province.
    const system = kit.callers.system;
    const subscribe = (after: string | undefined, take: number, quietMs = QUIET_MS) =>
      kit.link.subscribe('transport', ARRIVALS, { d: destination, ...(after ? { after } : {}) }, system, {
        take,
        quietMs,
      });
    // 1. Followed live from now: the PLANNED event of each trip the kit plans into the destination.
    // The subscription may be up only after the first trips were written (it starts "from now"):
    // it must then carry the last ones, in order; when it caught fewer than two, another round.
    let events: AnswerData[] = [];
    let live: Collected | undefined;
    for (let round = 0; round < ROUNDS && events.length < 2; round++) {
      const planned: string[] = [];
      const following = subscribe(undefined, TRIPS, LIVE_QUIET_MS);
      await new Promise((resolve) => setTimeout(resolve, 300 * (round + 1)));
      for (let n = 0; n < TRIPS; n++) planned.push(await planKitTrip(kit, destination, round * TRIPS + n));
      live = await following;
      events = expectEvents(live, `arrivals(destination: ${destination}) from now`);
      const kitTrips = events
        .filter((e) => e.arrivals.kind === 'PLANNED' && planned.includes(e.arrivals.trip.id))
        .map((e) => e.arrivals.trip.id as string);
      const wrong = replayMismatch(planned.slice(planned.length - kitTrips.length), kitTrips);
      if (wrong || (events.length > 0 && kitTrips.length === 0))
        throw new CheckFailure(
          `arrivals(destination: ${destination}) followed from now must deliver the PLANNED event of each trip then planned into it, in order, once each: ${wrong ?? "none of the kit's trips"}`,
          live.exchange,
        );
    }
    if (events.length < 2)
      throw new CheckFailure(
        `arrivals(destination: ${destination}) followed from now must deliver the PLANNED events of the ${TRIPS} trips the kit planned into it within ${LIVE_QUIET_MS / 1000} s of each other (${ROUNDS} rounds)`,
        live?.exchange,
      );
    const cursors = cursorsOf(events);
    // 3. Resuming after event i replays exactly events i+1…: after the first, and after a random one.
    const positions = new Set([0, Math.floor(kit.random() * (cursors.length - 1))]);
    for (const i of positions) {
      const again = await subscribe(cursors[i], cursors.length - i);
      const replayed = cursorsOf(expectEvents(again, `arrivals(after: ${cursors[i]})`));
      const wrong = replayMismatch(cursors.slice(i + 1), replayed);
      if (wrong)
        throw new CheckFailure(
          `arrivals(after: ${cursors[i]}) must replay exactly the events after it (${cursors.slice(i + 1).join(', ')}), in order, once each: ${wrong}`,
          again.exchange,
        );
    }
    // 4. A cursor the sequence has not reached (same epoch, later sequence): BAD_USER_INPUT.
    const last = cursors.at(-1)!;
    const future = cursorFromTheFuture(last);
    if (!future)
      throw new CheckFailure(
        `a province's arrivals cursor must be its event sequence number (or <epoch>:<seq>), got ${last}`,
        live!.exchange,
      );
    // A province may first wait a moment for its sequence to reach the cursor (ours: 1 s), then refuses.
    const ahead = await kit.link.subscribe('transport', ARRIVALS, { d: destination, after: future }, system, {
      take: 1,
      quietMs: REFUSAL_WAIT_MS,
    });
    if (ahead.events.length || !subscriptionErrorCodes(ahead.errors).includes('BAD_USER_INPUT'))
      throw new CheckFailure(
        `arrivals(after: ${future}), a cursor ahead of the province's latest event, must be refused with BAD_USER_INPUT within ${REFUSAL_WAIT_MS / 1000} s`,
        ahead.exchange,
      );
  },
};

/** True when a subscription was refused: the connection closed 4403, or UNAUTHENTICATED / FORBIDDEN. */
export function subscriptionRefused(codes: readonly string[]): boolean {
  return codes.some((c) => c === 'CLOSED 4403' || c === 'UNAUTHENTICATED' || c === 'FORBIDDEN');
}

const scope: ConformanceCheck = {
  id: 'subscriptions.scope',
  title:
    "a province's subscriptions serve only the gateway's link (the system caller, which applies each client's rule): an officer's own subscription, in or out of his region, is refused and delivers nothing",
  writes: false,
  async run(kit) {
    const { callers, regions } = kit;
    const cases = [
      ['the officer of another city', callers.otherCityOfficer, ARRIVALS, { d: regions.testCity }],
      ['the officer of another city', callers.otherCityOfficer, DEPARTURES, { h: regions.testCity }],
      ["another province's officer", callers.otherProvinceOfficer, DEPARTURES, { h: regions.province }],
      ["the test city's officer", callers.testCityOfficer, DEPARTURES, { h: regions.otherCity }],
      [
        "the test city's officer (its own region)",
        callers.testCityOfficer,
        ARRIVALS,
        { d: regions.testCity },
      ],
    ] as const;
    // The gateway's link first (its shared feed of the province's people): served, no error while
    // quiet. Else the refusals below prove nothing: a read-only key opens no subscription link.
    const link = await kit.link.subscribe('transport', DEPARTURES, { h: regions.province }, callers.system, {
      take: 1,
      quietMs: QUIET_MS,
    });
    if (link.errors.length && kit.readOnly)
      throw new CheckSkipped(
        `the key of this --read-only run opens no subscription link (${subscriptionErrorCodes(link.errors).join(', ')}): run with a key that may subscribe to check who may`,
      );
    if (link.errors.length)
      throw new CheckFailure(
        `departures(homeRegion: ${regions.province}) followed by the gateway's link (the system caller) must be served, got ${subscriptionErrorCodes(link.errors).join(', ')}`,
        link.exchange,
      );
    for (const [who, caller, query, variables] of cases) {
      const answer = await kit.link.subscribe('transport', query, variables, caller, {
        take: 1,
        quietMs: QUIET_MS,
      });
      const codes = subscriptionErrorCodes(answer.errors);
      if (answer.events.length || !subscriptionRefused(codes))
        throw new CheckFailure(
          `${query === ARRIVALS ? 'arrivals' : 'departures'}(${JSON.stringify(variables)}) followed by ${who} must be refused (connection closed 4403, or UNAUTHENTICATED / FORBIDDEN) and deliver nothing: only the gateway's link (the system caller) subscribes to a province, and the gateway applies each client's rule; got ${codes.join(', ') || `${answer.events.length} events and no error`}`,
          answer.exchange,
        );
    }
  },
};

/** The subscription checks, in the order they run. */
export const SUBSCRIPTION_CHECKS: readonly ConformanceCheck[] = [scope, replay];
