/**
 * The relay's record of how each source province and each source → target pair stands (the
 * pump writes it, `/health`, `/health/details` and `/metrics` read it): reads, positions,
 * backlogs, lags and alarms. In memory only: the positions themselves live in each target's inbox.
 */
import type { RelayApplyAnswer, RelayedEvent, RelayEventsAnswer } from '@p2p/schema';
import type { RelayMetrics } from './relay-metrics.js';

/** An alarm on a pair: the relay retries, never skips; an operator must look. */
export interface RelayAlarm {
  /** Who refused: the source (the position) or the target (the batch). */
  side: 'source' | 'target';
  /** CURSOR_EXPIRED (another epoch, pruned events), BAD_USER_INPUT or REFUSED. */
  code: string;
  message: string;
  /** ISO 8601 */
  since: string;
  /**
   * Not cleared by the source answering again: the source went back below a position it had
   * given out (a restore it did not notice); only an operator's change of the target's inbox or
   * of the source's epoch lifts it (docs/backups.md).
   */
  sticky: boolean;
}

/** How a source → target pair stands. */
export interface RelayPairState {
  source: string;
  target: string;
  /** The source's epoch the target follows (null until known). */
  epoch: string | null;
  /** The target's inbox position for the source. */
  position: number;
  /** The source's highest event for the target, at the last read. */
  head: number;
  /** Events the target has not applied, as of the last read and apply. */
  backlog: number;
  /** Source commit → applied, of the last applied event (seconds). */
  lagSeconds: number | null;
  /** When the target last applied a batch (its clock). */
  appliedAt: string | null;
  /** The source's commit time of the oldest event read but not applied yet. */
  oldestPendingAt: string | null;
  /** The last failure to deliver to the target (down, unreachable), cleared by a delivery. */
  failure: string | null;
  alarm: RelayAlarm | null;
  /**
   * Why the relay holds the pair, null when it does not: its source or target is a province the
   * gateway does not route to (its contract, its conformance report). Nothing is read, applied or
   * skipped meanwhile; the facts flow from where the target's inbox stands once it is routed to again.
   */
  held: string | null;
}

/** How a source stands. */
export interface RelaySourceState {
  source: string;
  /** `up` while its last read succeeded. */
  state: 'up' | 'down';
  /** When it was last read (ISO 8601). */
  readAt: string | null;
  /** Days it keeps its events (0: for ever), as it said. */
  retentionDays: number | null;
  failure: string | null;
}

const now = () => new Date().toISOString();

/** The relay's record (see the module comment). */
export class RelayBook {
  private readonly sources = new Map<string, RelaySourceState>();
  private readonly pairs = new Map<string, RelayPairState>();

  constructor(
    provinces: readonly string[],
    private readonly metrics?: RelayMetrics,
  ) {
    for (const source of provinces) {
      this.sources.set(source, { source, state: 'down', readAt: null, retentionDays: null, failure: null });
      this.metrics?.sourceUp.set({ source }, 0);
      for (const target of provinces)
        if (target !== source)
          this.pairs.set(`${source}>${target}`, {
            source,
            target,
            epoch: null,
            position: 0,
            head: 0,
            backlog: 0,
            lagSeconds: null,
            appliedAt: null,
            oldestPendingAt: null,
            failure: null,
            alarm: null,
            held: null,
          });
    }
  }

  private pair(source: string, target: string): RelayPairState {
    const pair = this.pairs.get(`${source}>${target}`);
    if (!pair) throw new Error(`no relay pair ${source} → ${target}`);
    return pair;
  }

  /** A read of `source` answered. */
  sourceRead(source: string, answer: RelayEventsAnswer): void {
    Object.assign(this.sources.get(source)!, {
      state: 'up',
      readAt: now(),
      retentionDays: answer.retentionDays,
      failure: null,
    });
    this.metrics?.sourceUp.set({ source }, 1);
    for (const batch of answer.consumers) {
      // A refused position: the pump raises the alarm (and logs it once) when it handles the batch.
      if (batch.refused) continue;
      const pair = this.pair(source, batch.target);
      if (pair.alarm?.side === 'source' && !pair.alarm.sticky) this.clearAlarm(pair);
      Object.assign(pair, {
        epoch: answer.epoch,
        head: batch.head,
        backlog: batch.pending,
        oldestPendingAt: batch.events[0]?.at ?? null,
      });
      this.metrics?.backlog.set({ source, target: batch.target }, batch.pending);
    }
  }

  /** A read of `source` failed. */
  sourceFailed(source: string, failure: string): void {
    Object.assign(this.sources.get(source)!, { state: 'down', failure });
    this.metrics?.sourceUp.set({ source }, 0);
  }

  /** `target` applied a batch of `source` (`events`, of which `answer.appliedNow` took effect now). */
  applied(source: string, target: string, events: readonly RelayedEvent[], answer: RelayApplyAnswer): void {
    const pair = this.pair(source, target);
    const appliedAt = answer.appliedAt ? Date.parse(answer.appliedAt) : Date.now();
    const fresh = answer.appliedNow > 0 ? events.slice(-answer.appliedNow) : [];
    for (const event of fresh)
      this.metrics?.lag.observe({ source, target }, Math.max(0, appliedAt - Date.parse(event.at)) / 1000);
    if (fresh.length > 0) this.metrics?.applied.inc({ source, target }, fresh.length);
    const delivered = events.filter((e) => e.seq <= answer.position).length;
    const last = fresh[fresh.length - 1];
    Object.assign(pair, {
      epoch: answer.epoch,
      position: answer.position,
      backlog: Math.max(0, pair.backlog - delivered),
      lagSeconds: last ? Math.max(0, appliedAt - Date.parse(last.at)) / 1000 : pair.lagSeconds,
      appliedAt: answer.appliedAt ?? pair.appliedAt,
      oldestPendingAt: null,
      failure: null,
    });
    this.clearAlarm(pair);
    this.metrics?.backlog.set({ source, target }, pair.backlog);
  }

  /** Where the target's inbox stands for `source` (read from the target). */
  position(source: string, target: string, epoch: string | null, position: number): void {
    Object.assign(this.pair(source, target), { epoch, position });
  }

  /** Delivering to `target` failed for a passing reason (down, unreachable). */
  deliveryFailed(source: string, target: string, failure: string): void {
    this.pair(source, target).failure = failure;
  }

  /**
   * A pair is refused (needs an operator); the relay keeps retrying, never skips. A `sticky`
   * alarm stays when the source answers again, until {@link resolved}.
   * @returns true when the alarm is new (not the one already raised).
   */
  alarm(
    source: string,
    target: string,
    side: RelayAlarm['side'],
    code: string,
    message: string,
    sticky = false,
  ): boolean {
    const pair = this.pair(source, target);
    this.metrics?.alarm.set({ source, target }, 1);
    if (
      pair.alarm?.code === code &&
      pair.alarm.side === side &&
      pair.alarm.message === message &&
      pair.alarm.sticky === sticky
    )
      return false;
    pair.alarm = { side, code, message, since: now(), sticky };
    return true;
  }

  /** The pump holds the pair (`why`), or no longer does (null); see {@link RelayPairState.held}. */
  held(source: string, target: string, why: string | null): void {
    const pair = this.pair(source, target);
    if (pair.held === why) return;
    pair.held = why;
    this.metrics?.held.set({ source, target }, why === null ? 0 : 1);
  }

  /** An operator resolved the pair's alarm (the target's inbox or the source's epoch changed). */
  resolved(source: string, target: string): void {
    this.clearAlarm(this.pair(source, target));
  }

  private clearAlarm(pair: RelayPairState): void {
    if (!pair.alarm) return;
    pair.alarm = null;
    this.metrics?.alarm.set({ source: pair.source, target: pair.target }, 0);
  }

  /** Every source's state, in code order. */
  sourceStates(): RelaySourceState[] {
    return [...this.sources.values()].map((s) => ({ ...s })).sort((a, b) => a.source.localeCompare(b.source));
  }

  /**
   * Every pair's state, in code order, with `behindRetention`: the oldest event it has not applied
   * is older than its source keeps events (retention keeps it; an operator must look).
   */
  pairStates(): (RelayPairState & { behindRetention: boolean })[] {
    return [...this.pairs.values()]
      .map((p) => {
        const days = this.sources.get(p.source)?.retentionDays ?? 0;
        const behindRetention =
          days > 0 &&
          p.oldestPendingAt !== null &&
          Date.now() - Date.parse(p.oldestPendingAt) > days * 86_400_000;
        return { ...p, alarm: p.alarm && { ...p.alarm }, behindRetention };
      })
      .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  }
}
