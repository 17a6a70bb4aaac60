/**
 * The relay's lag per event, from what the source and the home province recorded:
 * - **from the source's transaction** (the main figure): the home's commit of the batch that
 *   applied the event (`relay-apply-log.ts`) minus the outbox row's `at`. `at` is `now()` of the
 *   source's transaction, i.e. when it BEGAN: Postgres records no commit time unless
 *   `track_commit_timestamp` is on (a server restart), so this overstates the lag from the
 *   source's commit by the source transaction's own duration;
 * - **from the source's answer**: the home's commit minus the moment the benchmark had the
 *   answer of the mutation that wrote the event, which came after the source's commit, so this
 *   understates it by the answer's way back through the gateway. The lag from the source's commit
 *   lies between the two;
 * - **before the apply began**: the first figure minus the apply transaction's own duration (the
 *   rest: waiting for the source's feed, the pump's read, the HTTP hops);
 * and per applied batch: its transaction's duration (commit included) and its size.
 */
import { LatencyRecorder } from './latency.js';
import type { AppliedEvent } from './relay-apply-log.js';
import type { RelayOutboxEvent } from './relay-events.js';
import { MUTATION_OF_EVENT, stepKey } from './trip-desks.js';

/** The lags of a set of applied events (milliseconds). */
export interface RelayLagAnalysis {
  /** Events matched with the batch that applied them. */
  events: number;
  /** Workers named in their facts. */
  workers: number;
  /** Home commit − source transaction's start (`outbox.at`). */
  fromSourceStart: LatencyRecorder;
  /** Home commit − the source mutation's answer at the client (events whose answer is known). */
  fromSourceAnswer: LatencyRecorder;
  /** Apply transaction's start − source transaction's start. */
  beforeApply: LatencyRecorder;
  /** Per batch: the apply transaction's duration, commit included. */
  applyTransaction: LatencyRecorder;
  /** Per batch: events applied. */
  eventsPerBatch: LatencyRecorder;
  /** `fromSourceStart` per fact event (ASSIGNED, DEPARTED…). */
  byEvent: Map<string, LatencyRecorder>;
}

/** The lags of `applied` (see the module comment); `answeredAt` from the trip desks. */
export function analyseRelayLag(
  applied: readonly AppliedEvent<RelayOutboxEvent>[],
  answeredAt: ReadonlyMap<string, number>,
): RelayLagAnalysis {
  const analysis: RelayLagAnalysis = {
    events: applied.length,
    workers: 0,
    fromSourceStart: new LatencyRecorder(),
    fromSourceAnswer: new LatencyRecorder(),
    beforeApply: new LatencyRecorder(),
    applyTransaction: new LatencyRecorder(),
    eventsPerBatch: new LatencyRecorder(),
    byEvent: new Map(),
  };
  const batches = new Set<AppliedEvent['batch']>();
  for (const { event, batch } of applied) {
    analysis.workers += event.workers;
    const lag = batch.at - event.at;
    analysis.fromSourceStart.record(lag);
    if (Number.isFinite(batch.ms)) analysis.beforeApply.record(lag - batch.ms);
    const mutation = event.event ? MUTATION_OF_EVENT[event.event] : undefined;
    const answer = mutation && event.tripId ? answeredAt.get(stepKey(event.tripId, mutation)) : undefined;
    if (answer !== undefined) analysis.fromSourceAnswer.record(batch.at - answer);
    const kind = event.event ?? event.fact;
    let perKind = analysis.byEvent.get(kind);
    if (!perKind) analysis.byEvent.set(kind, (perKind = new LatencyRecorder()));
    perKind.record(lag);
    batches.add(batch);
  }
  for (const batch of batches) {
    if (Number.isFinite(batch.ms)) analysis.applyTransaction.record(batch.ms);
    analysis.eventsPerBatch.record(batch.applied);
  }
  return analysis;
}

/** How fast a backlog drained, from the applied batches' log lines. */
export interface DrainRate {
  events: number;
  workers: number;
  batches: number;
  /** From the start of the first apply transaction to the last commit (ms). */
  windowMs: number;
  eventsPerSecond: number;
  workersPerSecond: number;
}

/** The drain rate of `applied` (all of a backlog's events, matched with their batches). */
export function drainRate(applied: readonly AppliedEvent<RelayOutboxEvent>[]): DrainRate {
  const batches = new Set(applied.map((a) => a.batch));
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const batch of batches) {
    first = Math.min(first, batch.at - (Number.isFinite(batch.ms) ? batch.ms : 0));
    last = Math.max(last, batch.at);
  }
  const workers = applied.reduce((n, a) => n + a.event.workers, 0);
  const windowMs = batches.size > 0 ? Math.max(1, last - first) : 0;
  return {
    events: applied.length,
    workers,
    batches: batches.size,
    windowMs,
    eventsPerSecond: windowMs > 0 ? (applied.length * 1000) / windowMs : 0,
    workersPerSecond: windowMs > 0 ? (workers * 1000) / windowMs : 0,
  };
}
