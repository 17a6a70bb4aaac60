/**
 * Scenario 6, the boarding gate (#14): what `departTrip` of one trip of N passengers costs when
 * they are all the organising province's own workers (the gate reads their records in `workers`,
 * and they are moved in the same transaction) and when they are all of another province (judged
 * on the HEALTH_COPY their home relayed, kept in `health_copies`; their home is told through the
 * relay). Side by side in one run, for N = 100 and 1,000: one trip at a time, planned and
 * assigned, the organiser holding every copy and the relay quiet before the timed `departTrip`,
 * then handed over (untimed) so the same passengers ride the next trip. Outside --quick, the
 * statements the organiser logs for one departTrip of each kind and size are counted.
 */
import { formatMs } from '../latency.js';
import { emptyLoadResult, recordOutcome } from '../load-generator.js';
import * as op from '../operations.js';
import { receivingCounty, provinceGeography } from '../geography.js';
import { HealthCopyWatch, recordGreenChecks } from '../health-copies.js';
import { Random } from '../people.js';
import { workerIdentity } from '../population.js';
import type { ScenarioContext } from '../scenario.js';
import { countStatements } from '../statement-count.js';

const NAME = 'boarding gate';
/** Passengers per trip, and where each size's passengers start in the registered list. */
const SIZES = [
  { n: 100, offset: 1_000 },
  { n: 1_000, offset: 0 },
] as const;

type Trip = { tripId: string; destination: string; ids: readonly string[] };

/** Registers `count` fresh workers of `province` with a GREEN check; their ids. */
async function greenTravellers(ctx: ScenarioContext, province: string, count: number): Promise<string[]> {
  const people = Array.from({ length: count }, () =>
    workerIdentity(province, ctx.hub.freshWorkerIndex(province)),
  );
  for (let done = 0; done < count; done += 1_000)
    await ctx.hub.sharded.data(op.registerWorkers(province, people.slice(done, done + 1_000)));
  const ids = people.map((p) => p.id);
  await recordGreenChecks(ctx.hub.sharded, province, ids);
  return ids;
}

/** Plans and fills a train of `ids`; returns once the organiser holds their copies and the relay is quiet. */
async function readyTrip(
  ctx: ScenarioContext,
  watch: HealthCopyWatch,
  organizer: string,
  ids: readonly string[],
  serial: number,
): Promise<Trip> {
  const { hub } = ctx;
  const destination = receivingCounty(new Random(serial));
  const { planTrip } = await hub.sharded.data<{ planTrip: { id: string } }>(
    op.planTrip({
      organizer,
      mode: 'TRAIN',
      vehicleCode: `G${serial}`,
      origin: provinceGeography(organizer).counties[0]!,
      destination,
      capacity: ids.length,
    }),
  );
  const sentAt = Date.now();
  await hub.sharded.data(op.assignPassengers(organizer, planTrip.id, ids));
  const foreign = ids.filter((id) => id.slice(1, 3) !== organizer.slice(0, 2));
  if (!(await watch.waitFor(organizer, foreign, sentAt, { timeoutMs: 300_000, intervalMs: 50 })))
    throw new Error(`${NAME}: the copies of trip ${planTrip.id}'s passengers did not come in 300 s`);
  await hub.federation.waitForRelay({ timeoutMs: 300_000, intervalMs: 50 });
  return { tripId: planTrip.id, destination, ids };
}

/** Checks a departTrip answer: everybody boarded. */
function departed(trip: Trip, body: unknown): void {
  const answer = (body as { data?: { departTrip?: { status: string; stops: { expected: number }[] } } })?.data
    ?.departTrip;
  const boarded = answer?.stops.reduce((n, s) => n + s.expected, 0) ?? 0;
  if (answer?.status !== 'DEPARTED' || boarded !== trip.ids.length)
    throw new Error(
      `${NAME}: trip ${trip.tripId} ${answer?.status ?? 'failed'} with ${boarded} of ${trip.ids.length} aboard`,
    );
}

/** Runs the scenario. */
export async function boardingGate(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  if (hub.provinces.length < 2) throw new Error(`${NAME} needs at least 2 provinces`);
  const [organizer, other] = [hub.provinces[0]!, hub.provinces[1]!];
  const trips = Math.min(options.requests, options.quick ? 5 : 40);
  report.heading(
    `6. ${NAME}: departTrip of one train of N passengers organised by ${organizer}, all its own workers vs all of ${other} (judged on relayed copies); ${trips} trips per target after one warm-up, one at a time`,
  );
  const total = Math.max(...SIZES.map((s) => s.offset + s.n));
  const kinds = [
    { kind: 'own workers', ids: await greenTravellers(ctx, organizer, total) },
    { kind: `relayed copies (${other})`, ids: await greenTravellers(ctx, other, total) },
  ];
  const watch = new HealthCopyWatch(hub.databaseUrls);
  let serial = 0;
  try {
    for (const { n, offset } of SIZES)
      for (const { kind, ids } of kinds) {
        const load = emptyLoadResult();
        for (let t = 0; t <= trips; t++) {
          const trip = await readyTrip(ctx, watch, organizer, ids.slice(offset, offset + n), ++serial);
          const operation = op.departTrip(organizer, trip.tripId, trip.ids);
          const sent = performance.now();
          const outcome = await hub.sharded.send(operation);
          const ms = performance.now() - sent;
          departed(trip, outcome.body);
          if (t > 0) recordOutcome(load, operation, outcome, ms);
          load.elapsedMs += t > 0 ? ms : 0;
          await hub.sharded.data(op.confirmArrival(trip.tripId, trip.destination, n));
        }
        const s = load.latency.summary();
        report.measured(NAME, `departTrip, ${n.toLocaleString('en')} passengers, ${kind}`, load);
        report.fact(
          `  boarding gate: departTrip of ${n.toLocaleString('en')} passengers, ${kind}: p50 ${formatMs(s.p50)} / p99 ${formatMs(s.p99)} ms (${s.count} trips)`,
        );
      }

    if (options.quick) {
      report.say('  (statements not counted in --quick: it restarts the provinces at trace level)');
      return;
    }
    const prepared: Trip[] = [];
    for (const { n, offset } of SIZES)
      for (const { ids } of kinds)
        prepared.push(await readyTrip(ctx, watch, organizer, ids.slice(offset, offset + n), ++serial));
    const counted = await countStatements({
      federation: hub.federation,
      provinces: hub.provinces,
      log: hub.statementLog,
      requests: prepared.length + 1,
      table: 'trip_passengers',
      perRequestMs: 1_000,
      // Before the count: a read, until the restarted provinces answer; the last window: nothing (background).
      send: async (n) => {
        const trip = prepared[n];
        if (n < 0) await hub.sharded.data(op.workerById(kinds[0]!.ids[0]!));
        else if (trip)
          departed(trip, (await hub.sharded.send(op.departTrip(organizer, trip.tripId, trip.ids))).body);
      },
    });
    const windows = counted.perRequest[organizer] ?? [];
    const labels = SIZES.flatMap(({ n }) => kinds.map(({ kind }) => `${n.toLocaleString('en')} ${kind}`));
    report.fact(
      `  boarding gate: statements the organiser logged per departTrip (1 s window each, background included): ${labels.map((l, i) => `${l} ${windows[i]}`).join(' · ')}; an idle 1 s window: ${windows[labels.length]}`,
    );
  } finally {
    await watch.close();
  }
}
