/**
 * A closed-loop load generator: `concurrency` virtual clients, each sending its next operation as
 * soon as the previous answer came back, until a request count or a deadline is reached —
 * whichever comes first, so every run is bounded in count and in time. Latency is measured per
 * request from send to fully read answer.
 */
import { LatencyRecorder } from './latency.js';
import type { GraphQLClient, Operation, OperationOutcome } from './graphql-client.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /**
   * Requests in flight at once.
   * @default 16
   */
  concurrency?: number;
  /** Stop after this many requests (all virtual clients together). */
  maxRequests: number;
  /** Stop sending after this many milliseconds (requests in flight finish). */
  maxDurationMs: number;
  /** Called after each answer (e.g. to sample memory or count rows); must be cheap. */
  onOutcome?: (operation: Operation, outcome: OperationOutcome, ms: number) => void;
}

/** What a load run measured. */
export interface LoadResult {
  /** Requests answered (errors included). */
  requests: number;
  errors: number;
  /** Up to 5 distinct error reasons, with their counts. */
  errorSamples: Map<string, number>;
  /** Wall time from the first send to the last answer, in milliseconds. */
  elapsedMs: number;
  /** All requests. */
  latency: LatencyRecorder;
  /** Per operation name. */
  byOperation: Map<string, LatencyRecorder>;
}

/** An empty result, to accumulate several runs into. */
export function emptyLoadResult(): LoadResult {
  return {
    requests: 0,
    errors: 0,
    errorSamples: new Map(),
    elapsedMs: 0,
    latency: new LatencyRecorder(),
    byOperation: new Map(),
  };
}

/** Adds `part` into `total` (requests, errors, time, samples). */
export function accumulate(total: LoadResult, part: LoadResult): LoadResult {
  total.requests += part.requests;
  total.errors += part.errors;
  total.elapsedMs += part.elapsedMs;
  total.latency.merge(part.latency);
  for (const [reason, n] of part.errorSamples) noteError(total, reason, n);
  for (const [name, recorder] of part.byOperation) {
    let mine = total.byOperation.get(name);
    if (!mine) total.byOperation.set(name, (mine = new LatencyRecorder()));
    mine.merge(recorder);
  }
  return total;
}

function noteError(result: LoadResult, reason: string, n = 1): void {
  if (result.errorSamples.has(reason) || result.errorSamples.size < 5)
    result.errorSamples.set(reason, (result.errorSamples.get(reason) ?? 0) + n);
}

/** Counts one answered request into `result` (latency overall and per operation, errors). */
export function recordOutcome(
  result: LoadResult,
  operation: Operation,
  outcome: OperationOutcome,
  ms: number,
): void {
  result.requests++;
  result.latency.record(ms);
  let perOperation = result.byOperation.get(operation.name);
  if (!perOperation) result.byOperation.set(operation.name, (perOperation = new LatencyRecorder()));
  perOperation.record(ms);
  if (outcome.error) {
    result.errors++;
    noteError(result, `${operation.name}: ${outcome.error}`);
  }
}

/** Requests per second of a result. */
export function throughput(result: Pick<LoadResult, 'requests' | 'elapsedMs'>): number {
  return result.elapsedMs > 0 ? (result.requests * 1000) / result.elapsedMs : 0;
}

/**
 * Runs load against `client`: operation `n` (0, 1, 2… across all virtual clients) is `next(n)`.
 */
export async function runLoad(
  client: GraphQLClient,
  next: (n: number) => Operation,
  options: LoadOptions,
): Promise<LoadResult> {
  const result = emptyLoadResult();
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const started = performance.now();
  const deadline = started + options.maxDurationMs;
  let issued = 0;

  const virtualClient = async () => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const operation = next(issued++);
      const sent = performance.now();
      const outcome = await client.send(operation);
      const ms = performance.now() - sent;
      recordOutcome(result, operation, outcome, ms);
      options.onOutcome?.(operation, outcome, ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, virtualClient));
  result.elapsedMs = performance.now() - started;
  return result;
}

/** One side of an interleaved comparison. */
export interface ComparedTarget {
  label: string;
  client: GraphQLClient;
}

/** Options of {@link runInterleaved}. */
export interface InterleavedOptions {
  /** Batches per target. */
  rounds: number;
  /** Requests per batch. */
  requestsPerBatch: number;
  /**
   * Requests in flight at once within a batch.
   * @default 16
   */
  concurrency?: number;
  /** Stop starting new rounds after this many milliseconds. */
  maxDurationMs: number;
  /** Called around each batch (e.g. to read a process's CPU time). */
  onBatch?: (label: string, phase: 'start' | 'end') => void;
}

/**
 * Measures targets side by side: batch after batch, alternating the targets and reversing their
 * order every round (A B, B A, A B…), so machine noise and drift hit every target alike. All
 * targets get the same operations (`next(n)` with the same n).
 * @returns one accumulated result per target label.
 */
export async function runInterleaved(
  targets: readonly ComparedTarget[],
  next: (n: number) => Operation,
  options: InterleavedOptions,
): Promise<Map<string, LoadResult>> {
  const totals = new Map(targets.map((t) => [t.label, emptyLoadResult()]));
  const started = performance.now();
  for (
    let round = 0;
    round < options.rounds && performance.now() - started < options.maxDurationMs;
    round++
  ) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    const offset = round * options.requestsPerBatch;
    for (const target of order) {
      options.onBatch?.(target.label, 'start');
      const part = await runLoad(target.client, (n) => next(offset + n), {
        concurrency: options.concurrency,
        maxRequests: options.requestsPerBatch,
        maxDurationMs: 60_000,
      });
      options.onBatch?.(target.label, 'end');
      accumulate(totals.get(target.label)!, part);
    }
  }
  return totals;
}
