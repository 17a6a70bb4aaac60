/**
 * Scenario 5, the relay (#13): provinces act on each other's events. Trip desks
 * (`trip-desks.ts`) run cross-province bus trips through the gateway — every province organises
 * trips carrying travellers of every province, so each step tells the other home provinces a TRIP
 * fact (RELAY events for every source → target pair), which the gateway's relay pump carries and
 * each home applies in one transaction with its inbox position. Measured:
 * 1. **Lag per event** (`relay-lag.ts`): from the source's transaction to the home's commit of the
 *    batch that applied it, p50/p95/p99/max — with the trips alone, then with the mixed load of
 *    scenario 4 at the same time (`--relay-duration`), side by side in one run; with the part
 *    before the apply began, the apply transactions' duration and size, and the events/s the
 *    sources produced.
 * 2. **Throughput** of a backlog: the gateway is restarted with `RELAY=off`, the desks write
 *    `--relay-backlog` events, the gateway is restarted with the relay on, and the drain is timed
 *    from the applied batches (first apply's start → last commit) and from the gateway's start to
 *    "caught up" (`/relay/backlog`), with each process's CPU per event.
 * The travellers are registered for the scenario (fresh people, untouched by the mixed load), each
 * with a GREEN health check (the boarding gate, #14); the desks depart once the organiser holds the
 * health copies of its travellers from other provinces. With the relay off no copy can come: before
 * the backlog, each organiser is given copies of its own share of the travellers (a staging trip
 * assigned, the copies awaited, the trip cancelled), and the backlog's desks depart on those.
 */
import { formatMs, type LatencyRecorder } from '../latency.js';
import { runLoad } from '../load-generator.js';
import * as op from '../operations.js';
import { Random } from '../people.js';
import { workerIdentity } from '../population.js';
import { matchAppliedBatches } from '../relay-apply-log.js';
import { outboxHeads, relayEventsBetween, type RelayOutboxEvent } from '../relay-events.js';
import { analyseRelayLag, drainRate } from '../relay-lag.js';
import type { ScenarioContext } from '../scenario.js';
import { cpuSnapshot, postgresBackendCpu, postgresCpuSpent } from '../service-usage.js';
import { HealthCopyWatch, recordGreenChecks } from '../health-copies.js';
import { provinceGeography, receivingCounty } from '../geography.js';
import { relayEventsPerTrip, runTripDesks, TravellerPool, type TripDeskResult } from '../trip-desks.js';
import { mixedOperation } from './mixed-load.js';

const NAME = 'relay';
/** Travellers of each province on every trip (the organiser's own included): a bus of 10 × provinces seats. */
const PER_PROVINCE = 10;
/** Desks per province while the backlog is written (the relay is off: only the sources work). */
const BACKLOG_DESKS = 2;

/** `p50 … p95 … p99 … max … ms` of a recorder. */
function percentiles(recorder: LatencyRecorder): string {
  const s = recorder.summary();
  return `p50 ${formatMs(s.p50)}  p95 ${formatMs(s.p95)}  p99 ${formatMs(s.p99)}  max ${formatMs(s.max)} ms`;
}

/** Registers `count` fresh workers in every province (calls of 1,000); their ids by province. */
async function registerTravellers(ctx: ScenarioContext, count: number): Promise<Map<string, string[]>> {
  const { hub } = ctx;
  const travellers = new Map<string, string[]>();
  await Promise.all(
    hub.provinces.map(async (province) => {
      const ids: string[] = [];
      for (let done = 0; done < count; done += 1_000) {
        const people = Array.from({ length: Math.min(1_000, count - done) }, () =>
          workerIdentity(province, hub.freshWorkerIndex(province)),
        );
        const { registerWorkers } = await hub.sharded.data<{ registerWorkers: { id: string }[] }>(
          op.registerWorkers(province, people),
        );
        const expected = people.map((p) => p.id);
        if (JSON.stringify(registerWorkers.map((w) => w.id)) !== JSON.stringify(expected))
          throw new Error(`province ${province} registered other ids than the population's`);
        ids.push(...expected);
      }
      await recordGreenChecks(hub.sharded, province, ids);
      travellers.set(province, ids);
    }),
  );
  return travellers;
}

/** The RELAY events written while `write` runs, with the desks' result. */
async function writtenEvents(
  ctx: ScenarioContext,
  write: () => Promise<TripDeskResult>,
): Promise<{ desks: TripDeskResult; events: RelayOutboxEvent[] }> {
  const before = await outboxHeads(ctx.hub.databaseUrls);
  const desks = await write();
  const after = await outboxHeads(ctx.hub.databaseUrls);
  return { desks, events: await relayEventsBetween(ctx.hub.databaseUrls, before, after) };
}

/**
 * Waits until the homes logged the apply of every one of `events` (watching their log lines, so
 * the wait adds no load to the relay), then asks the gateway's `/relay/backlog` once to confirm
 * that nothing else is pending.
 * @returns when the last of them was seen applied
 */
async function caughtUp(
  ctx: ScenarioContext,
  events: readonly RelayOutboxEvent[],
  logSince: number,
): Promise<number> {
  await ctx.hub.relayApplies.waitForApplied(events, logSince, 600_000);
  const at = Date.now();
  await ctx.hub.federation.waitForRelay({ timeoutMs: 60_000, intervalMs: 500 });
  return at;
}

/** Events per second written by each source, and in all. */
function productionLine(events: readonly RelayOutboxEvent[], desks: TripDeskResult): string {
  const seconds = (desks.endedAt - desks.startedAt) / 1000;
  const bySource = new Map<string, number>();
  for (const e of events) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  const workers = events.reduce((n, e) => n + e.workers, 0);
  return `sources wrote ${events.length.toLocaleString('en')} RELAY events (${workers.toLocaleString('en')} workers named) in ${seconds.toFixed(1)} s: ${(events.length / seconds).toFixed(1)} events/s (${[
    ...bySource,
  ]
    .sort()
    .map(([s, n]) => `${s} ${(n / seconds).toFixed(1)}`)
    .join(', ')}); ${desks.tripsCompleted} trips handed over`;
}

/** Measures and prints the lag of one phase; returns its summary line for the end of the run. */
async function reportLag(
  ctx: ScenarioContext,
  label: string,
  events: readonly RelayOutboxEvent[],
  desks: TripDeskResult,
  logSince: number,
): Promise<void> {
  const { report, hub } = ctx;
  await caughtUp(ctx, events, logSince);
  const { applied, unmatched } = matchAppliedBatches(events, hub.relayApplies.since(logSince));
  const lag = analyseRelayLag(applied, desks.answeredAt);
  report.say(`  ${label}: ${productionLine(events, desks)}`);
  report.measured(NAME, `${label}: trip mutations`, desks.load);
  for (const [name, recorder] of [...desks.load.byOperation].sort())
    report.say(`    ${name.padEnd(20)} ${String(recorder.count).padStart(6)}  ${percentiles(recorder)}`);
  report.say(
    `    lag from the source's transaction to the home's commit, ${lag.events.toLocaleString('en')} events: ${percentiles(lag.fromSourceStart)}`,
  );
  report.say(
    `      from the source mutation's answer at the client:    ${percentiles(lag.fromSourceAnswer)}`,
  );
  report.say(`      before the apply transaction began:                 ${percentiles(lag.beforeApply)}`);
  report.say(
    `      apply transactions: ${lag.applyTransaction.count} of ${percentiles(lag.eventsPerBatch).replace(' ms', '')} events; each ${percentiles(lag.applyTransaction)}`,
  );
  report.say(
    `      by fact: ${[...lag.byEvent]
      .sort()
      .map(([kind, r]) => `${kind} p50 ${formatMs(r.summary().p50)} p99 ${formatMs(r.summary().p99)}`)
      .join(' · ')}`,
  );
  if (unmatched.length > 0) report.say(`    ${unmatched.length} events without a logged apply (not counted)`);
  const s = lag.fromSourceStart.summary();
  const a = lag.fromSourceAnswer.summary();
  const seconds = (desks.endedAt - desks.startedAt) / 1000;
  report.fact(
    `  relay lag, ${label}: p50 ${formatMs(s.p50)} / p95 ${formatMs(s.p95)} / p99 ${formatMs(s.p99)} / max ${formatMs(s.max)} ms from the source's transaction (${formatMs(a.p50)} / ${formatMs(a.p95)} / ${formatMs(a.p99)} / ${formatMs(a.max)} from its answer) over ${lag.events.toLocaleString('en')} events; sources ${(events.length / seconds).toFixed(1)} events/s`,
  );
}

/** Runs the scenario. */
export async function relay(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  const provinces = hub.provinces;
  if (provinces.length < 2) throw new Error('the relay scenario needs at least 2 provinces (--provinces 2)');
  const perTrip = relayEventsPerTrip(provinces.length, PER_PROVINCE);
  const quietSeconds = Math.max(3, Math.round(options.relayDurationSeconds / 4));
  report.heading(
    `5. ${NAME}: cross-province bus trips (${PER_PROVINCE} travellers of each of the ${provinces.length} provinces, ${perTrip} RELAY events per trip: 4 TRIP facts per other province and a HEALTH_COPY per traveller of another province), one desk per province: alone ${quietSeconds} s, then with the mixed load at concurrency ${options.concurrency} for ${options.relayDurationSeconds} s; then a backlog of ${options.relayBacklog.toLocaleString('en')} events drained`,
  );
  // Enough travellers that none comes round again while a trip of his is in flight.
  const backlogTrips = Math.ceil(options.relayBacklog / relayEventsPerTrip(provinces.length, 0));
  const poolSize = Math.max(200, Math.min(2_000, backlogTrips * PER_PROVINCE));
  const travellers = await registerTravellers(ctx, poolSize);
  const pool = new TravellerPool(travellers);
  report.say(
    `  ${poolSize.toLocaleString('en')} travellers registered in each province, each with a GREEN health check`,
  );
  const watch = new HealthCopyWatch(hub.databaseUrls);
  try {
    await relayPhases(ctx, travellers, pool, watch, quietSeconds);
  } finally {
    await watch.close();
  }
}

/** Gives each organiser copies of its share of the travellers of the other provinces (relay on). */
async function stageCopies(
  ctx: ScenarioContext,
  share: ReadonlyMap<string, Map<string, string[]>>,
  watch: HealthCopyWatch,
): Promise<void> {
  const { hub } = ctx;
  await Promise.all(
    [...share].map(async ([organizer, byHome]) => {
      const foreign = [...byHome].filter(([home]) => home !== organizer).flatMap(([, ids]) => ids);
      const counties = provinceGeography(organizer).counties;
      const { planTrip } = await hub.sharded.data<{ planTrip: { id: string } }>(
        op.planTrip({
          organizer,
          vehicleCode: `STAGE-${organizer.slice(0, 2)}`,
          origin: counties[0]!,
          destination: receivingCounty(new Random(7)),
          capacity: foreign.length,
        }),
      );
      const sentAt = Date.now();
      await hub.sharded.data(op.assignPassengers(organizer, planTrip.id, foreign));
      const held = await watch.waitFor(organizer, foreign, sentAt, { timeoutMs: 300_000, intervalMs: 200 });
      await hub.sharded.data(op.cancelTrip(organizer, planTrip.id, 'benchmark: health copies staged'));
      if (!held) throw new Error(`province ${organizer} did not get the staged health copies within 300 s`);
    }),
  );
  await hub.federation.waitForRelay({ timeoutMs: 120_000, intervalMs: 500 });
}

/** The measured phases of {@link relay}. */
async function relayPhases(
  ctx: ScenarioContext,
  travellers: Map<string, string[]>,
  pool: TravellerPool,
  watch: HealthCopyWatch,
  quietSeconds: number,
): Promise<void> {
  const { hub, options, report } = ctx;
  const provinces = hub.provinces;
  let fresh = true;
  const copyWaits: string[] = [];
  const desks = async (
    until: number,
    extra: {
      desksPerProvince?: number;
      maxTrips?: number;
      seed: number;
      pool?: ReadonlyMap<string, TravellerPool>;
    },
  ) => {
    const result = await runTripDesks(hub.sharded, {
      provinces,
      pool,
      perProvince: PER_PROVINCE,
      until,
      // Fresh copies (sent for this assignment) while the relay runs; the staged ones for the backlog.
      awaitCopies: (organizer, ids, sentAt) =>
        watch.waitFor(organizer, ids, fresh ? sentAt : 0, { timeoutMs: 60_000 }),
      ...extra,
    });
    const wait = result.copyWait.summary();
    copyWaits.push(
      `seed ${extra.seed}: ${result.tripsCompleted} trips handed over, ${result.tripsRefused} with refusals at the gate, ${result.copiesMissing} cancelled for missing copies; wait for the copies after assigning p50 ${formatMs(wait.p50)} p99 ${formatMs(wait.p99)} ms`,
    );
    report.say(`    desks (${copyWaits.at(-1)})`);
    if (result.tripsRefused > 0 || result.copiesMissing > 0)
      throw new Error(`trip desks: ${copyWaits.at(-1)} — passengers must all board`);
    return result;
  };

  // Warm-up: a trip per desk, applied.
  await desks(Date.now() + 120_000, { maxTrips: provinces.length, seed: 1 });
  await hub.federation.waitForRelay({ timeoutMs: 120_000 });

  // 1a. The trips alone.
  let logSince = Date.now();
  const alone = await writtenEvents(ctx, () => desks(Date.now() + quietSeconds * 1000, { seed: 2 }));
  await reportLag(ctx, 'trips alone', alone.events, alone.desks, logSince);

  // 1b. The trips with the mixed load.
  logSince = Date.now();
  let mixed: Awaited<ReturnType<typeof runLoad>> | undefined;
  const durationMs = options.relayDurationSeconds * 1000;
  const underLoad = await writtenEvents(ctx, async () => {
    const [trips, load] = await Promise.all([
      desks(Date.now() + durationMs, { seed: 3 }),
      runLoad(hub.sharded, (n) => mixedOperation(ctx, 20_000_000 + n), {
        concurrency: options.concurrency,
        maxRequests: Number.MAX_SAFE_INTEGER,
        maxDurationMs: durationMs,
      }),
    ]);
    mixed = load;
    return trips;
  });
  report.measured(NAME, `mixed load beside the trips, ${options.relayDurationSeconds} s`, mixed!);
  await reportLag(ctx, 'trips + mixed load', underLoad.events, underLoad.desks, logSince);

  // 2. A backlog: written with the relay off, then drained. No copy can come with the relay off:
  // each organiser carries its own share of the travellers, whose copies it was given before.
  const share = new Map(
    provinces.map((organizer, i) => [
      organizer,
      new Map(
        provinces.map((home) => [home, travellers.get(home)!.filter((_, k) => k % provinces.length === i)]),
      ),
    ]),
  );
  await stageCopies(ctx, share, watch);
  report.say(
    `  backlog: each organiser holds copies of its share of the travellers; the gateway restarted with RELAY=off…`,
  );
  fresh = false;
  await hub.federation.restartGateway({ env: { RELAY: 'off' } });
  const backlog = await writtenEvents(ctx, () =>
    desks(Date.now() + 600_000, {
      desksPerProvince: BACKLOG_DESKS,
      // With the relay off no home learns of an assignment: no HEALTH_COPY, 4 TRIP facts per other province.
      maxTrips: Math.ceil(options.relayBacklog / relayEventsPerTrip(provinces.length, 0)),
      seed: 4,
      pool: new Map([...share].map(([organizer, byHome]) => [organizer, new TravellerPool(byHome)])),
    }),
  );
  report.say(`  backlog written, relay off: ${productionLine(backlog.events, backlog.desks)}`);
  report.measured(NAME, 'backlog written (relay off): trip mutations', backlog.desks.load);
  const databases = Object.values(hub.databaseUrls).map((url) => new URL(url).pathname.slice(1));
  const restartedAt = Date.now();
  await hub.federation.restartGateway();
  const readyAt = Date.now();
  const [cpuBefore, postgresBefore] = [cpuSnapshot(), await postgresBackendCpu(hub.serverUrl, databases)];
  await hub.relayApplies.waitForApplied(backlog.events, restartedAt, 900_000);
  const caughtUpAt = Date.now();
  const [cpuAfter, postgresAfter] = [cpuSnapshot(), await postgresBackendCpu(hub.serverUrl, databases)];
  await hub.federation.waitForRelay({ timeoutMs: 60_000, intervalMs: 500 });
  const { applied, unmatched } = matchAppliedBatches(backlog.events, hub.relayApplies.since(restartedAt));
  const drain = drainRate(applied);
  const lag = analyseRelayLag(applied, new Map());
  const beforeReady = applied.filter((a) => a.batch.at < readyAt).length;
  const perEvent = (ms: number) => (ms / Math.max(1, drain.events)).toFixed(2);
  const spent = (group: (service: string) => boolean) =>
    [...cpuAfter].filter(([s]) => group(s)).reduce((n, [s, ms]) => n + ms - (cpuBefore.get(s) ?? 0), 0);
  report.say(
    `  drain: ${drain.events.toLocaleString('en')} events (${drain.workers.toLocaleString('en')} workers) in ${drain.batches} apply transactions, ${(drain.windowMs / 1000).toFixed(2)} s from the first apply's start to the last commit: ${drain.eventsPerSecond.toFixed(0)} events/s (${drain.workersPerSecond.toFixed(0)} workers/s)`,
  );
  report.say(
    `    gateway started in ${((readyAt - restartedAt) / 1000).toFixed(1)} s (${beforeReady} events applied before it said it listens); from its start to the last apply seen ${((caughtUpAt - readyAt) / 1000).toFixed(2)} s (${((drain.events * 1000) / Math.max(1, caughtUpAt - readyAt)).toFixed(0)} events/s)`,
  );
  report.say(
    `    apply transactions: ${percentiles(lag.applyTransaction)}; events each ${percentiles(lag.eventsPerBatch).replace(' ms', '')}`,
  );
  report.say(
    `    CPU ms per event from the gateway's start to the last apply seen: gateway ${perEvent(spent((s) => s === 'gateway'))}, provinces ${perEvent(spent((s) => s.startsWith('province')))}, postgres backends ${perEvent(postgresCpuSpent(postgresBefore, postgresAfter))}, load generator ${perEvent(spent((s) => s === 'load generator'))}`,
  );
  if (unmatched.length > 0)
    report.say(`    ${unmatched.length} backlog events without a logged apply (not counted)`);
  report.fact(
    `  relay throughput, backlog of ${drain.events.toLocaleString('en')} events over ${provinces.length * (provinces.length - 1)} pairs: ${drain.eventsPerSecond.toFixed(0)} events/s (${drain.workersPerSecond.toFixed(0)} workers/s) applied; sources wrote ${(backlog.events.length / ((backlog.desks.endedAt - backlog.desks.startedAt) / 1000)).toFixed(1)} events/s with the relay off`,
  );
}
