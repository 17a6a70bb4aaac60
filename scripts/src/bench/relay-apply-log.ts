/**
 * When each relayed event took effect in its home province, read from what the province already
 * logs: after the transaction that applied a batch of one source's events commits, the target
 * logs `relayed events applied` with the source, the new inbox position (the seq of the last
 * event applied), the count, the transaction's duration (`ms`) and the time (pino's ISO `time`,
 * taken after the commit returned). Every event of that source for that target with a seq above
 * the previous position and up to this one committed in that transaction, so the first logged
 * position at or above an event's seq gives the commit of the home record it changed.
 *
 * Why the log and not `relay_inbox.applied_at`: the inbox row keeps only the last batch (each
 * apply overwrites it), and its `applied_at` is stamped before the commit (`clock_timestamp()` in
 * the UPDATE; the commit's WAL flush comes after it).
 */

/** One applied batch, as the target logged it. */
export interface AppliedBatchLine {
  /** The home province that applied it. */
  target: string;
  source: string;
  /** The inbox position after the batch: the seq of its last event. */
  position: number;
  /** Events that took effect. */
  applied: number;
  /** Events already applied before (a redelivery). */
  skipped: number;
  /** The apply transaction's time, commit included (ms). */
  ms: number;
  /** When the target logged it, after the commit (epoch ms). */
  at: number;
}

/**
 * Reads one output line of a service; the batch when it is a province's `relayed events applied`.
 * @param service the harness's service name, `province 410000` for a province
 */
export function parseAppliedBatch(service: string, line: string): AppliedBatchLine | undefined {
  if (!service.startsWith('province ') || !line.includes('"relayed events applied"')) return undefined;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.msg !== 'relayed events applied') return undefined;
    const at = Date.parse(String(entry.time));
    if (typeof entry.source !== 'string' || !Number.isFinite(at)) return undefined;
    return {
      target: service.slice('province '.length),
      source: entry.source,
      position: Number(entry.position),
      applied: Number(entry.applied ?? 0),
      skipped: Number(entry.skipped ?? 0),
      ms: Number(entry.ms ?? Number.NaN),
      at,
    };
  } catch {
    return undefined;
  }
}

/** Collects the applied batches the provinces log (fed every output line, like the statement log). */
export class RelayApplyLog {
  private readonly batches: AppliedBatchLine[] = [];

  /** Receives every output line of every service (the harness's `onLog`). */
  readonly onLine = (service: string, line: string): void => {
    const batch = parseAppliedBatch(service, line);
    if (batch) this.batches.push(batch);
  };

  /** The batches logged at or after `since` (epoch ms), in the order they were logged. */
  since(since = 0): AppliedBatchLine[] {
    return this.batches.filter((b) => b.at >= since);
  }

  /**
   * Resolves once every one of `events` has a logged batch (logged at or after `since`), watching
   * the lines as they come: no request to any service, so waiting costs the relay nothing.
   * @throws Error after `timeoutMs` with the number still missing
   */
  async waitForApplied(events: readonly SourceEvent[], since: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = matchAppliedBatches(events, this.since(since)).unmatched.length;
      if (missing === 0) return;
      if (Date.now() > deadline)
        throw new Error(`${missing} of ${events.length} relayed events not applied after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A relayed event as its source wrote it (its outbox row). */
export interface SourceEvent {
  source: string;
  target: string;
  seq: number;
  /** The outbox row's `at`: `now()` of the source's transaction, i.e. when it began (epoch ms). */
  at: number;
}

/** Where an event took effect: the batch that applied it. */
export interface AppliedEvent<E extends SourceEvent = SourceEvent> {
  event: E;
  batch: AppliedBatchLine;
}

/**
 * Matches each event with the batch that applied it: the first batch of its source → target pair
 * whose position reaches its seq. Events no batch reached are returned apart (not applied yet, or
 * applied before the log was collected).
 */
export function matchAppliedBatches<E extends SourceEvent>(
  events: readonly E[],
  batches: readonly AppliedBatchLine[],
): { applied: AppliedEvent<E>[]; unmatched: E[] } {
  const byPair = new Map<string, AppliedBatchLine[]>();
  for (const batch of batches) {
    if (batch.applied === 0) continue;
    const key = `${batch.source}>${batch.target}`;
    byPair.set(key, [...(byPair.get(key) ?? []), batch]);
  }
  // Positions only grow per pair; sort anyway (lines of two processes may interleave).
  for (const list of byPair.values()) list.sort((a, b) => a.position - b.position || a.at - b.at);
  const applied: AppliedEvent<E>[] = [];
  const unmatched: E[] = [];
  for (const event of events) {
    const list = byPair.get(`${event.source}>${event.target}`) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.position < event.seq) lo = mid + 1;
      else hi = mid;
    }
    const batch = list[lo];
    if (batch) applied.push({ event, batch });
    else unmatched.push(event);
  }
  return { applied, unmatched };
}
