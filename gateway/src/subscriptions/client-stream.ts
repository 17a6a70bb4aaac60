/**
 * One client subscription's merged stream: the events of every province's shared feed, each
 * province's in its seq order, none twice (a feed that rewinds or resubscribes may repeat what
 * this client already has), resolved in batches and handed out with the cursor VECTOR of what
 * was handed out so far. The buffer between the feeds and the client is bounded: a client that
 * falls `maxBuffered` events behind is cut off (its cursor only covers what it got) rather than
 * slowing the feeds that everyone shares.
 */
import type { GraphQLError } from 'graphql';
import { cursorExpired } from './retention-check.js';
import { epochExpired } from './epoch-check.js';
import { CursorState } from './cursor-state.js';
import type { UpstreamEvent } from './topics.js';
import type { FeedTap } from './upstream-feed.js';

/** Events a client may have waiting before it is cut off. @default 1000 */
export const DEFAULT_MAX_BUFFERED_EVENTS = 1000;

/** An event with its entity resolved, as the client gets it. */
export interface ClientEvent<R> {
  /** The vector cursor after this event. */
  cursor: string;
  kind?: string;
  status?: string;
  at: string;
  province: string;
  seq: number;
  /** The epoch of the province's sequence `seq` belongs to, when known (after a restore the same seq is another event). */
  epoch?: string;
  /** What `resolve` made of the event. */
  resolved: R;
}

/** Options of {@link ClientEventStream}. */
export interface ClientStreamOptions<R> {
  /**
   * Positions the client has (from its `after` cursor): each province's events after them are
   * delivered. Provinces not in it start from now (see {@link FeedTap.started}).
   */
  start: ReadonlyMap<string, number>;
  /** The epochs of the `start` positions (from the cursor; a province absent: not known). */
  epochs?: ReadonlyMap<string, string>;
  /** Resolves a batch of events, one answer per event, in order. */
  resolve(events: UpstreamEvent[]): Promise<R[]>;
  /** @default DEFAULT_MAX_BUFFERED_EVENTS */
  maxBuffered?: number;
  /** Events resolved together at most. @default 100 */
  batchSize?: number;
  /** Called once when the buffer overflows (the caller closes the client's connection). */
  onOverflow(): void;
  /** Called once when the stream ends (client gone, overflow): release the feeds. */
  onEnd(): void;
}

/** The merged, deduplicated, bounded stream of one client subscription. */
export class ClientEventStream<R> implements AsyncIterableIterator<ClientEvent<R>>, FeedTap {
  /** Highest seq per province taken into the buffer (the dedupe line). */
  private readonly received = new Map<string, number>();
  /**
   * Highest seq per province handed to the client and the epoch of each province's positions: the
   * cursor. Shared with every client that got the same (cursor-state.ts): encoded once for all.
   */
  private state: CursorState;
  private queue: UpstreamEvent[] = [];
  private ready: ClientEvent<R>[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private overflowed = false;
  /** Thrown by the next `next()` once: why the stream ended (CURSOR_EXPIRED). */
  private failure: GraphQLError | undefined;

  constructor(private readonly options: ClientStreamOptions<R>) {
    this.state = CursorState.of(options.start, options.epochs ?? new Map());
    for (const [province, seq] of options.start) this.received.set(province, seq);
  }

  /** Events waiting for the client (received, not yet handed out). */
  get buffered(): number {
    return this.queue.length + this.ready.length;
  }

  /** True once the client was cut off for reading too slowly. */
  get overflow(): boolean {
    return this.overflowed;
  }

  /** {@link FeedTap}: takes an event unless the client already has it. */
  deliver(event: UpstreamEvent): void {
    if (this.ended) return;
    const have = this.received.get(event.province);
    if (have !== undefined && event.seq <= have) return;
    if (have === undefined) return; // not started yet: `started` comes first for a client from now
    this.received.set(event.province, event.seq);
    if (event.epoch !== undefined) this.state = this.state.withEpoch(event.province, event.epoch);
    this.queue.push(event);
    if (this.buffered > (this.options.maxBuffered ?? DEFAULT_MAX_BUFFERED_EVENTS)) {
      this.overflowed = true;
      this.end();
      this.options.onOverflow();
      return;
    }
    this.notify();
  }

  /** {@link FeedTap}: a province this client follows from now on starts at `position`. */
  started(province: string, position: number, epoch?: string): void {
    if (this.received.has(province)) return;
    this.received.set(province, position);
    this.state = this.state.withPosition(province, position);
    if (epoch !== undefined) this.state = this.state.withEpoch(province, epoch);
  }

  /** {@link FeedTap}: the province's sequence restarted (a restore): this client's position of it means nothing now. */
  restarted(province: string, epoch: string): void {
    if (this.ended) return;
    this.failure = epochExpired(province, epoch);
    this.end();
  }

  /** {@link FeedTap}: the province pruned this feed's events up to `through`; behind it, this client lost some. */
  expired(province: string, through: number): void {
    const have = this.received.get(province);
    if (this.ended || have === undefined || have >= through) return;
    this.failure = cursorExpired(province, through);
    this.end();
  }

  /** The next event; waits while none is buffered; done once the stream ended (throws CURSOR_EXPIRED if it ended so). */
  async next(): Promise<IteratorResult<ClientEvent<R>>> {
    for (;;) {
      if (this.ended) {
        const failure = this.failure;
        this.failure = undefined;
        if (failure) throw failure;
        return { value: undefined, done: true };
      }
      const ready = this.ready.shift();
      if (ready) {
        this.state = this.state.withPosition(ready.province, ready.seq);
        return { value: { ...ready, cursor: this.state.cursor }, done: false };
      }
      if (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.batchSize ?? 100);
        const resolved = await this.options.resolve(batch);
        if (this.ended) continue; // the loop's top tells why: done, or the failure (CURSOR_EXPIRED)
        this.ready = batch.map((event, i) => ({
          cursor: '',
          at: event.at,
          province: event.province,
          seq: event.seq,
          resolved: resolved[i]!,
          ...(event.kind !== undefined ? { kind: event.kind } : {}),
          ...(event.status !== undefined ? { status: event.status } : {}),
          ...(event.epoch !== undefined ? { epoch: event.epoch } : {}),
        }));
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Ends the stream (the client completed or left). */
  async return(): Promise<IteratorResult<ClientEvent<R>>> {
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.ready = [];
    this.notify();
    this.options.onEnd();
  }

  private notify(): void {
    this.wake?.();
  }
}
