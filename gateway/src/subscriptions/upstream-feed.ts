/**
 * ONE upstream subscription to one province for one (field, region) filter, shared by every
 * client with that filter. It keeps the province's position (the seq of the last event it
 * received) and a short history of recent events, so a client that joins behind the stream is
 * served from memory; a client further behind rewinds the stream once (the province replays
 * from its position, the others skip what they already had). When the link drops or the
 * province restarts, it resubscribes from its position with backoff: nothing is lost.
 *
 * Its position only ever comes from the province (the head it reads, the events it receives, a
 * retention point it is told), never from a client: a client's `after` above it only filters
 * what that client receives, so one client's cursor never moves the feed the others share.
 *
 * Epochs: the feed reads the epoch of the province's sequence with its head and subscribes with
 * `<epoch>:<seq>`, so its events belong to that epoch. When the province restarts its sequence (a
 * restore from a backup) the resubscription is refused with CURSOR_EXPIRED: every client of the
 * feed is ended with CURSOR_EXPIRED (`FeedTap.restarted`), never skipped past or replayed, and
 * the feed starts again from the new head. A client of another epoch than the feed's is ended so.
 *
 * A province restored without noticing it keeps its epoch while its head goes back below
 * positions it gave out: it refuses the feed's resubscription from its own position as ahead of
 * its events (BAD_USER_INPUT). The feed then reads the head: same epoch and below its position,
 * the province went back, and it is handled as a restart (every client CURSOR_EXPIRED, the feed
 * again from the new head, `onWentBack` told), never by waiting until the head is back there
 * (which would skip the new events up to it for every client).
 */
import type { Logger } from '@p2p/runtime';
import { readProvinceHead } from './province-head.js';
import { readUpstreamEvent, type SubscriptionTopic, type UpstreamEvent } from './topics.js';
import type { UpstreamSink } from './upstream-connection.js';

/** What a feed needs of the link to its province (an `UpstreamConnection`). */
export interface UpstreamLink {
  subscribe(query: string, variables: Record<string, unknown>, sink: UpstreamSink): () => void;
  query<T>(query: string): Promise<T>;
}

/** A client's end of a feed. */
export interface FeedTap {
  /** An event of the feed's province (possibly one the client already has: it dedupes by seq). */
  deliver(event: UpstreamEvent): void;
  /** The client joined "from now": this is the province's position it starts from (and its epoch, when known). */
  started(province: string, position: number, epoch?: string): void;
  /** The province pruned (retention) events of this feed up to `through`: a client behind it has lost some. */
  expired(province: string, through: number): void;
  /** The province's sequence restarted (new `epoch`, e.g. a restore): the client's position of it means nothing now. */
  restarted(province: string, epoch: string): void;
}

/** Options of {@link UpstreamFeed}. */
export interface UpstreamFeedOptions {
  province: string;
  topic: SubscriptionTopic;
  region: string;
  link: UpstreamLink;
  logger: Logger;
  /** Recent events kept to serve clients joining a little behind. @default 1000 */
  historySize?: number;
  /** First resubscription delay, doubled up to `maxRetryMs`. @default 200 */
  retryMs?: number;
  /** @default 2000 */
  maxRetryMs?: number;
  /** The province went back below this feed's position in `epoch`: its head is `head` now. */
  onWentBack?: (epoch: string, head: number) => void;
  /** Called when the feed starts again because the province's sequence restarted (another epoch, or went back): what it had seen means nothing now. */
  onRestarted?: () => void;
}

/** One shared upstream subscription. */
export class UpstreamFeed {
  private readonly taps = new Set<FeedTap>();
  /** Taps that joined "from now" before the position was known. */
  private readonly waitingForHead = new Set<FeedTap>();
  private position: number | undefined;
  /** The epoch of the province's sequence `position` belongs to (undefined until read, or not served). */
  private epoch: string | undefined;
  /** Clients that joined with a position before the head and epoch were read. */
  private readonly waitingWithPosition = new Map<FeedTap, { after: number; epoch: string | undefined }>();
  /** The furthest position this feed has known (the head read, events received); a rewind does not lower it. */
  private furthest = 0;
  /** Every event in (historyFrom, position] is in `history`. */
  private historyFrom: number | undefined;
  private history: UpstreamEvent[] = [];
  private stopUpstream: (() => void) | undefined;
  private generation = 0;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private stopped = false;
  private readingHead = false;
  /** Held while the gateway does not route to the province (see {@link hold}). */
  private held = false;

  constructor(private readonly options: UpstreamFeedOptions) {
    this.retryDelay = options.retryMs ?? 200;
  }

  /** The province's position of this stream (undefined until known). */
  get streamPosition(): number | undefined {
    return this.position;
  }

  /** The furthest position of the province this feed has seen (its head read, its events); 0 before any. */
  get knownHead(): number {
    return this.furthest;
  }

  /** The epoch of the stream's position (undefined until known, or when the province serves none). */
  get streamEpoch(): string | undefined {
    return this.epoch;
  }

  /** How many clients share it. */
  get size(): number {
    return this.taps.size;
  }

  /**
   * Adds a client that has everything up to `after` (undefined: from now on). Events after it
   * are delivered: from the history at once, or by rewinding the stream. An `after` beyond the
   * stream's position leaves the stream alone: the client skips what it already has. An `after`
   * of another `epoch` than the stream's ends the client (`restarted`); undefined: the current one.
   */
  attach(tap: FeedTap, after: number | undefined, epoch?: string): void {
    this.taps.add(tap);
    if (this.position === undefined) {
      if (after === undefined) this.waitingForHead.add(tap);
      else this.waitingWithPosition.set(tap, { after, epoch });
      this.ensureStarted();
      return;
    }
    if (after === undefined) {
      // "From now" is the furthest point known, even while the stream is rewound for a client behind.
      tap.started(this.options.province, Math.max(this.position, this.furthest), this.epoch);
      return;
    }
    if (epoch !== undefined && this.epoch !== undefined && epoch !== this.epoch) {
      tap.restarted(this.options.province, this.epoch);
      return;
    }
    if (after >= this.position) return;
    if (this.held) {
      // Nothing of a held province reaches a client, not even from the history: the stream goes
      // back to the client's position (nothing subscribed) and serves it from there on resume.
      this.subscribeFrom(after);
      return;
    }
    if (this.historyFrom !== undefined && after >= this.historyFrom) {
      for (const event of this.history) if (event.seq > after) tap.deliver(event);
      return;
    }
    this.options.logger.debug(
      {
        province: this.options.province,
        topic: this.options.topic.name,
      },
      'upstream feed rewinds for a client behind it',
    );
    this.subscribeFrom(after);
  }

  /** Removes a client. */
  detach(tap: FeedTap): void {
    this.taps.delete(tap);
    this.waitingForHead.delete(tap);
    this.waitingWithPosition.delete(tap);
  }

  /**
   * Holds the feed while the gateway does not route to its province (its contract, its conformance
   * report): the upstream subscription is stopped (the province is asked nothing: no resubscription,
   * no head read), no event reaches any client, and the position stays where it is. Delivery is
   * held in place rather than the clients being ended: nothing is lost and no client has to come
   * back; {@link resume} subscribes again from the position, so each client gets the events after
   * what it holds, none missed or repeated (it skips what it already has). A province that
   * restarted its sequence or pruned past the position meanwhile is told on resume, as after a
   * dropped link (CURSOR_EXPIRED to the clients concerned).
   */
  hold(): void {
    if (this.held || this.stopped) return;
    this.held = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopUpstream?.();
    this.stopUpstream = undefined;
    this.generation++;
  }

  /** The province is routed to again: the feed subscribes again from its position (see {@link hold}). */
  resume(): void {
    if (!this.held || this.stopped) return;
    this.held = false;
    this.retryDelay = this.options.retryMs ?? 200;
    if (this.position === undefined) this.ensureStarted();
    else this.subscribeFrom(this.position);
  }

  /** True while held (see {@link hold}). */
  get isHeld(): boolean {
    return this.held;
  }

  /** Stops the upstream subscription for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopUpstream?.();
    this.stopUpstream = undefined;
    this.generation++;
  }

  /**
   * Reads the province's head, then subscribes from the earliest position asked for, never from
   * beyond the head: a client's position is not trusted to start the stream everyone shares.
   */
  private ensureStarted(): void {
    if (this.readingHead || this.stopUpstream || this.retryTimer || this.stopped || this.held) return;
    this.readingHead = true;
    readProvinceHead(this.options.link).then(
      ({ head, epoch }) => {
        this.readingHead = false;
        if (this.stopped) return;
        this.epoch = epoch;
        this.furthest = Math.max(this.furthest, head);
        for (const tap of this.waitingForHead) tap.started(this.options.province, head, epoch);
        this.waitingForHead.clear();
        let start = head;
        for (const [tap, asked] of this.waitingWithPosition) {
          if (asked.epoch !== undefined && epoch !== undefined && asked.epoch !== epoch)
            tap.restarted(this.options.province, epoch);
          else start = Math.min(start, asked.after);
        }
        this.waitingWithPosition.clear();
        this.subscribeFrom(start);
      },
      (err: unknown) => {
        this.readingHead = false;
        this.options.logger.debug(
          {
            province: this.options.province,
            reason: (err as Error).message,
          },
          'province head not readable yet',
        );
        this.retryLater(() => this.ensureStarted());
      },
    );
  }

  /** (Re)subscribes upstream from `after`, dropping the current subscription. */
  private subscribeFrom(after: number): void {
    if (this.stopped) return;
    this.stopUpstream?.();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const generation = ++this.generation;
    if (this.position === undefined || after < this.position) {
      this.position = after;
      this.historyFrom = after;
      this.history = [];
    }
    if (this.held) return; // subscribed again from the position on resume
    this.startedAt = Date.now();
    const position = this.epoch === undefined ? String(after) : `${this.epoch}:${after}`;
    const variables = { region: this.options.region, after: position };
    this.stopUpstream = this.options.link.subscribe(this.options.topic.upstreamQuery, variables, {
      next: (data) => {
        if (generation !== this.generation) return;
        const event = readUpstreamEvent(this.options.topic, this.options.province, data);
        if (event) this.receive(event);
      },
      error: (reason, extensions) => this.lost(generation, reason, extensions),
      complete: () => this.lost(generation, 'completed'),
    });
  }

  private receive(event: UpstreamEvent): void {
    if (this.position !== undefined && event.seq <= this.position) return;
    this.position = event.seq;
    this.furthest = Math.max(this.furthest, event.seq);
    this.retryDelay = this.options.retryMs ?? 200;
    const stamped = this.epoch === undefined ? event : { ...event, epoch: this.epoch };
    this.history.push(stamped);
    if (this.history.length > (this.options.historySize ?? 1000))
      this.historyFrom = this.history.shift()!.seq;
    for (const tap of this.taps) tap.deliver(stamped);
  }

  private lost(generation: number, reason: string, extensions?: Record<string, unknown>): void {
    if (generation !== this.generation || this.stopped) return;
    this.stopUpstream = undefined;
    this.generation++;
    const epoch = extensions?.code === 'CURSOR_EXPIRED' ? extensions.epoch : undefined;
    if (typeof epoch === 'string' && epoch !== this.epoch) {
      this.restartedAt(epoch);
      return;
    }
    if (extensions?.code === 'BAD_USER_INPUT' && this.position !== undefined) {
      this.checkWentBack(this.position);
      return;
    }
    const through = extensions?.code === 'CURSOR_EXPIRED' ? Number(extensions.prunedThrough) : NaN;
    if (Number.isSafeInteger(through) && this.position !== undefined && through > this.position) {
      // The province pruned events of this feed past its position (retention): they are gone.
      // The clients behind them are ended with CURSOR_EXPIRED; the feed goes on from there.
      this.options.logger.warn(
        {
          province: this.options.province,
          topic: this.options.topic.name,
          position: this.position,
          prunedThrough: through,
        },
        'province pruned past the stream position; its clients behind are told CURSOR_EXPIRED',
      );
      for (const tap of [...this.taps]) tap.expired(this.options.province, through);
      this.position = through;
      this.historyFrom = through;
      this.history = [];
    }
    if (Date.now() - this.startedAt > 5_000) this.retryDelay = this.options.retryMs ?? 200;
    this.options.logger.info(
      {
        province: this.options.province,
        topic: this.options.topic.name,
        position: this.position,
        reason: reason.slice(0, 200),
      },
      'province subscription lost; resubscribing from its position',
    );
    this.retryLater(() => this.subscribeFrom(this.position!));
  }

  /**
   * The province refused the resubscription from `position` as ahead of its events: reads its
   * head and epoch. Another epoch: a restart. The same one, with the head below `position`: it went
   * back (a restore it did not notice), handled as a restart. Else (a head that is settling): retried.
   */
  private checkWentBack(position: number): void {
    const generation = this.generation;
    const retry = () => this.retryLater(() => this.subscribeFrom(this.position!));
    readProvinceHead(this.options.link).then(
      ({ head, epoch }) => {
        if (this.stopped || generation !== this.generation || this.stopUpstream) return;
        if (epoch !== undefined && epoch !== this.epoch) this.restartedAt(epoch);
        else if (epoch !== undefined && head < position) {
          this.restartedAt(epoch, head);
          this.options.onWentBack?.(epoch, head);
        } else retry();
      },
      () => {
        if (!this.stopped && generation === this.generation && !this.stopUpstream) retry();
      },
    );
  }

  /**
   * The province went back to `head` in `epoch` (another feed of it found out): a feed of that
   * epoch that has known a position beyond it is handled as a restart.
   */
  wentBackTo(epoch: string, head: number): void {
    if (this.stopped || this.epoch !== epoch || this.furthest <= head) return;
    this.stopUpstream?.();
    this.stopUpstream = undefined;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.restartedAt(epoch, head);
  }

  /**
   * The province's sequence restarted: every client is ended with CURSOR_EXPIRED (none of their
   * positions means anything in the new sequence), and the feed starts again from the new head.
   * `wentBackTo`: the same epoch, its head gone back below positions it gave out (to this head).
   */
  private restartedAt(epoch: string, wentBackTo?: number): void {
    this.options.logger.warn(
      {
        province: this.options.province,
        topic: this.options.topic.name,
        position: this.position,
        epoch,
        ...(wentBackTo === undefined ? {} : { head: wentBackTo }),
      },
      wentBackTo === undefined
        ? "province's event sequence restarted (new epoch, a restore?): its clients are told CURSOR_EXPIRED; the feed starts again from the new head"
        : "province's head went back below positions it gave out in this epoch (a restore it did not notice?): its clients are told CURSOR_EXPIRED; the feed starts again from the new head",
    );
    for (const tap of [...this.taps]) tap.restarted(this.options.province, epoch);
    this.options.onRestarted?.();
    this.position = undefined;
    this.epoch = undefined;
    this.furthest = 0;
    this.historyFrom = undefined;
    this.history = [];
    // The province answered: read its new head now (a client "from now" starts there).
    this.retryDelay = this.options.retryMs ?? 200;
    this.ensureStarted();
  }

  private retryLater(action: () => void): void {
    if (this.stopped || this.held || this.retryTimer) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        action();
      },
      this.retryDelay * (0.75 + Math.random() / 2),
    );
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryMs ?? 2_000);
  }
}
