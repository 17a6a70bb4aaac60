/**
 * The relay pump: carries each source province's RELAY events to their target provinces. One
 * loop per source: it long-polls the source for the events of every target after the position
 * that target's inbox holds, and hands each target its batch (`/relay/apply`), which the target
 * applies in one transaction with its inbox position. Stateless: the positions live in the
 * targets' inboxes (read at start and after a refusal, then followed from each apply's answer),
 * so a restarted gateway, or a second replica pumping at the same time, never applies an event
 * twice and never skips one (the target skips what it already applied, and refuses a batch read
 * past its position or of another epoch).
 * Failures: a source that does not answer is retried with backoff (200 ms doubling to 5 s); a
 * target that does not answer is left out of the reads for as long; a refusal (another epoch,
 * pruned events, a batch the target refuses) is an alarm (`RelayBook`) retried every 30 s, never
 * a skip.
 * A source that refuses a target's position as ahead of its events, in its current epoch, has
 * gone back below a position it gave out (the target's inbox holds only positions the source
 * served): a restore it did not notice. Its new events up to that position are not the ones the
 * target applied, and waiting until its head gets there again would skip them silently. So that
 * alarm is sticky: it stays, and nothing is delivered to the pair, while the target's inbox and
 * the source's epoch are where they were; an operator resolves it (docs/backups.md).
 * A province the gateway does not route to (`refusal`: its contract, its conformance report) is
 * neither read nor written: every pair whose source or target it is, is held (`RelayBook.held`),
 * never skipped: the positions stay in the targets' inboxes, so its facts flow from there once it
 * is routed to again.
 */
import type { RelayConsumerBatch } from '@p2p/schema';
import { silentLogger, type Logger } from '@p2p/runtime';
import { InboxPositions, type InboxPosition } from './inbox-positions.js';
import type { RelayBook } from './relay-book.js';
import { RelayCallError, type RelayTransport } from './relay-transport.js';

/** Options of {@link RelayPump}. */
export interface RelayPumpOptions {
  /** The connected provinces: each is a source for every other. */
  provinces: readonly string[];
  transport: RelayTransport;
  book: RelayBook;
  /** @default silentLogger */
  logger?: Logger;
  /** How long one read waits at a source for a first event. @default 20_000 */
  waitMs?: number;
  /** Events per target per read. @default 500 */
  batchSize?: number;
  /** First retry delay after a failure (doubling). @default 200 */
  retryMs?: number;
  /** Longest retry delay after a failure. @default 5_000 */
  maxRetryMs?: number;
  /** Retry delay of a pair in alarm. @default 30_000 */
  alarmRetryMs?: number;
  /** Pause after a read that came back early with nothing, so the pump never spins. @default 1_000 */
  idleMs?: number;
  /**
   * Why the gateway does not route to a province now (undefined: it does), asked before each read
   * and each apply: a pair with such a source or target is held. @default every province routed to
   */
  refusal?: (province: string) => string | undefined;
}

type Settings = Required<Omit<RelayPumpOptions, 'provinces' | 'transport' | 'book' | 'logger' | 'refusal'>>;

const DEFAULTS: Settings = {
  waitMs: 20_000,
  batchSize: 500,
  retryMs: 200,
  maxRetryMs: 5_000,
  alarmRetryMs: 30_000,
  idleMs: 1_000,
};

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

const describe = (err: unknown) =>
  err instanceof RelayCallError ? `${err.failure}: ${err.message}` : `unexpected: ${(err as Error).message}`;

interface LoopDeps {
  transport: RelayTransport;
  book: RelayBook;
  inboxes: InboxPositions;
  logger: Logger;
  settings: Settings;
  refusal: (province: string) => string | undefined;
}

/** The loop of one source province (see the module comment). */
class SourceLoop {
  private readonly positions = new Map<string, InboxPosition>();
  /** When a target left out after a failure is asked for again. */
  private readonly retryAt = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private sourceFailures = 0;
  /** A read of the source has answered since the loop started. */
  private readOnce = false;
  /** Targets whose position the source went back below (a sticky alarm): that position and the alarm's message. */
  private readonly wentBack = new Map<string, { position: InboxPosition; message: string }>();
  /** Targets whose pair is held now, and why (see {@link held}). */
  private readonly heldNow = new Map<string, string>();

  constructor(
    private readonly source: string,
    private readonly targets: readonly string[],
    private readonly deps: LoopDeps,
  ) {}

  private backoff(failures: number): number {
    const { retryMs, maxRetryMs } = this.deps.settings;
    return Math.min(maxRetryMs, retryMs * 2 ** Math.min(20, failures - 1));
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.step(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.deps.logger.error({ source: this.source, err: describe(err) }, 'relay loop failed; retrying');
        await sleep(this.deps.settings.maxRetryMs, signal);
      }
    }
  }

  /**
   * Why the pair to `target` is held now (its source or target not routed to), recorded in the
   * book and logged when it changes; null when it is not.
   */
  private held(target: string): string | null {
    const source = this.deps.refusal(this.source);
    const other = source ? undefined : this.deps.refusal(target);
    const why = source
      ? `source ${this.source} is not routed to (${source})`
      : other
        ? `target ${target} is not routed to (${other})`
        : null;
    const was = this.heldNow.get(target) ?? null;
    if (why !== was) {
      if (why) this.heldNow.set(target, why);
      else {
        this.heldNow.delete(target);
        // Routed to again: its inbox is read again first (it may have been restored meanwhile).
        this.forget(target);
      }
      this.deps.book.held(this.source, target, why);
      this.deps.logger[why ? 'warn' : 'info'](
        { source: this.source, target, ...(why ? { held: why } : {}) },
        why ? 'relay: pair held (nothing is read, applied or skipped)' : 'relay: pair no longer held',
      );
    }
    return why;
  }

  private async step(signal: AbortSignal): Promise<void> {
    const { settings, transport, book } = this.deps;
    const now = Date.now();
    const routed = this.targets.filter((t) => this.held(t) === null);
    const due = routed.filter((t) => (this.retryAt.get(t) ?? 0) <= now);
    await Promise.all(due.filter((t) => !this.positions.has(t)).map((t) => this.loadPosition(t, signal)));
    const asked = due.filter((t) => this.positions.has(t));
    const nextRetry = Math.min(...routed.map((t) => this.retryAt.get(t) ?? 0).filter((at) => at > now));
    if (asked.length === 0) {
      await sleep(Number.isFinite(nextRetry) ? nextRetry - now : settings.idleMs, signal);
      return;
    }
    // A target coming back from its backoff joins at the next read: wait no longer than that. The
    // first read (and the first after a failure) does not wait: it tells at once the source is up.
    const probe = this.sourceFailures > 0 || !this.readOnce;
    // A held target joins once it is routed to again: while one is, a read waits no longer than
    // maxRetryMs, so it joins within that.
    const heldWait = routed.length < this.targets.length ? settings.maxRetryMs : Infinity;
    const waitMs = probe
      ? 0
      : Math.max(
          0,
          Math.min(settings.waitMs, heldWait, Number.isFinite(nextRetry) ? nextRetry - now : Infinity),
        );
    const started = Date.now();
    let answer: Awaited<ReturnType<RelayTransport['readEvents']>>;
    try {
      answer = await transport.readEvents(
        this.source,
        {
          consumers: asked.map((target) => ({ target, ...this.consumerPosition(target) })),
          limit: settings.batchSize,
          waitMs,
        },
        signal,
      );
    } catch (err) {
      if (signal.aborted) return;
      this.sourceFailures++;
      book.sourceFailed(this.source, describe(err));
      if (this.sourceFailures === 1)
        this.deps.logger.warn(
          { source: this.source, failure: describe(err) },
          'relay: source not readable; retrying',
        );
      await sleep(this.backoff(this.sourceFailures), signal);
      return;
    }
    if (this.sourceFailures > 0)
      this.deps.logger.info({ source: this.source }, 'relay: source readable again');
    this.sourceFailures = 0;
    this.readOnce = true;
    book.sourceRead(this.source, answer);
    await Promise.all(answer.consumers.map((batch) => this.deliver(batch, answer.epoch, signal)));
    // Nothing, and sooner than the source was asked to wait (a wait of 0, a source that does not
    // wait): pause rather than ask again at once.
    const empty = answer.consumers.every((c) => c.events.length === 0);
    if (empty && !probe && Date.now() - started < Math.max(1, waitMs / 2)) {
      const untilRetry = Number.isFinite(nextRetry) ? Math.max(0, nextRetry - Date.now()) : Infinity;
      await sleep(Math.min(settings.idleMs, untilRetry), signal);
    }
  }

  private consumerPosition(target: string) {
    const p = this.positions.get(target)!;
    return { epoch: p.epoch, after: p.position };
  }

  private async loadPosition(target: string, signal: AbortSignal): Promise<void> {
    try {
      const position = await this.deps.inboxes.of(target, this.source, signal);
      this.positions.set(target, position);
      this.deps.book.position(this.source, target, position.epoch, position.position);
    } catch (err) {
      if (!signal.aborted) this.failed(target, err);
    }
  }

  /** A passing failure to reach `target`: left out of the reads for a while. */
  private failed(target: string, err: unknown): void {
    const failures = (this.failures.get(target) ?? 0) + 1;
    this.failures.set(target, failures);
    this.retryAt.set(target, Date.now() + this.backoff(failures));
    this.deps.book.deliveryFailed(this.source, target, describe(err));
    if (failures === 1)
      this.deps.logger.warn(
        { source: this.source, target, failure: describe(err) },
        'relay: target not reachable; retrying',
      );
  }

  /** A refusal: an alarm, retried slowly, never skipped. */
  private alarmed(
    target: string,
    side: 'source' | 'target',
    code: string,
    message: string,
    sticky = false,
  ): void {
    this.retryAt.set(target, Date.now() + this.deps.settings.alarmRetryMs);
    if (this.deps.book.alarm(this.source, target, side, code, message, sticky))
      this.deps.logger.warn(
        { source: this.source, target, side, code, message },
        'relay: pair refused; an operator must look (nothing is skipped)',
      );
  }

  /**
   * Whether `target` is held by a sticky alarm (see the module comment): its inbox `position` and
   * the source's `epoch` are still those the source went back below. Else the alarm is lifted.
   */
  private stillWentBack(target: string, position: InboxPosition, epoch: string): boolean {
    const held = this.wentBack.get(target);
    if (!held) return false;
    // Lifted only by what an operator does: the target's inbox reset below the held position, or
    // the source's epoch renewed. An inbox that moved FORWARD in the same epoch was moved by
    // another gateway replica that did not see the source go back (its memory is its own): the
    // alarm stays, as the only trace of what it may have skipped.
    const reset = position.epoch === held.position.epoch && position.position < held.position.position;
    const renewed = epoch !== held.position.epoch || position.epoch !== held.position.epoch;
    if (!reset && !renewed) {
      this.forget(target);
      const moved = position.position > held.position.position;
      const message = moved
        ? `${held.message}; the target's inbox has since moved on to ${position.position} in the same epoch (another gateway replica delivered past the position the source went back below: events may have been skipped; check the target against the source)`
        : held.message;
      this.alarmed(target, 'source', 'BAD_USER_INPUT', message, true);
      return true;
    }
    this.wentBack.delete(target);
    this.deps.book.resolved(this.source, target);
    this.deps.logger.info({ source: this.source, target }, 'relay: pair released by an operator');
    return false;
  }

  /** Forgets where `target` stands: read its inbox again before the next read. */
  private forget(target: string): void {
    this.positions.delete(target);
    this.deps.inboxes.forget(target);
  }

  private async deliver(batch: RelayConsumerBatch, epoch: string, signal: AbortSignal): Promise<void> {
    const { target } = batch;
    // Refused while the read was under way: not applied (the inbox keeps its position).
    if (this.held(target) !== null) return;
    const from = this.positions.get(target)!;
    if (batch.refused) {
      // Read the target's inbox again before retrying: an operator's decision lands there.
      this.forget(target);
      const { code } = batch.refused;
      if (code === 'BAD_USER_INPUT' && from.epoch !== null && from.epoch === epoch) {
        // Ahead of the source's events in its epoch: the source went back (see the module comment).
        const message = `${batch.refused.message}; the source went back below a position it gave out in epoch ${epoch} (a restore it did not notice?): the events it writes up to there are not those the target applied. Held until an operator renews the source's epoch or resets the target's inbox (docs/backups.md)`;
        this.wentBack.set(target, { position: from, message });
        this.alarmed(target, 'source', code, message, true);
      } else {
        this.wentBack.delete(target);
        this.alarmed(target, 'source', code, batch.refused.message);
      }
      return;
    }
    if (this.stillWentBack(target, from, epoch)) return;
    if (batch.events.length === 0) return;
    try {
      const answer = await this.deps.transport.apply(
        target,
        { source: this.source, epoch, after: from.position, events: batch.events },
        signal,
      );
      this.positions.set(target, { epoch: answer.epoch, position: answer.position });
      this.failures.delete(target);
      this.retryAt.delete(target);
      this.deps.book.applied(this.source, target, batch.events, answer);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof RelayCallError && err.failure !== 'UNREACHABLE') {
        // Refused: another epoch, a batch read past the inbox's position (a restored inbox) or a
        // fact the target cannot apply. Read its inbox again, and retry slowly: an operator must look.
        this.forget(target);
        this.alarmed(target, 'target', err.failure, err.message);
      } else this.failed(target, err);
    }
  }
}

/** The relay pump (see the module comment). */
export class RelayPump {
  private readonly stopper = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly deps: LoopDeps;

  constructor(private readonly options: RelayPumpOptions) {
    const settings = { ...DEFAULTS } as Settings;
    for (const key of Object.keys(DEFAULTS) as (keyof Settings)[])
      if (options[key] !== undefined) settings[key] = options[key]!;
    this.deps = {
      transport: options.transport,
      book: options.book,
      inboxes: new InboxPositions(options.transport),
      logger: options.logger ?? silentLogger,
      settings,
      refusal: options.refusal ?? (() => undefined),
    };
  }

  /** Starts one loop per source (no-op when started). */
  start(): void {
    if (this.loops.length > 0) return;
    const { provinces } = this.options;
    this.loops = provinces.map((source) =>
      new SourceLoop(
        source,
        provinces.filter((t) => t !== source),
        this.deps,
      ).run(this.stopper.signal),
    );
  }

  /** Stops every loop (aborting reads and applies under way: an interrupted apply is applied or not, never half). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await Promise.all(this.loops);
  }
}
