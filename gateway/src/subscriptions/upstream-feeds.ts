/**
 * The registry of shared upstream feeds: one {@link UpstreamFeed} per (province, field, region)
 * while at least one client uses it (and for `lingerMs` after the last one leaves, so a client
 * that reconnects is served from its history), and one graphql-ws link per (province, subgraph).
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '@p2p/runtime';
import type { ProvinceRefusal, ProvinceRegistry } from '../shard/province-registry.js';
import type { SubscriptionTopic } from './topics.js';
import { UpstreamConnection, type UpstreamConnectionOptions } from './upstream-connection.js';
import { UpstreamFeed, type UpstreamLink } from './upstream-feed.js';
import { readProvinceHead, type ProvinceHead } from './province-head.js';

/**
 * How long a province's head read is trusted for a client position at or below it (a crowd of
 * reconnecting clients shares one read). Not longer: a province restored in place since would go
 * back below it.
 */
export const HEAD_TRUST_MS = 1_000;

/** How long the furthest position of a province's feeds is reused (it only grows: a lower answer only costs a head read). */
export const FEEDS_HEAD_CACHE_MS = 100;

/** Options of {@link UpstreamFeeds}. */
export interface UpstreamFeedsOptions {
  registry: ProvinceRegistry;
  logger: Logger;
  /** Keeps a feed without clients this long. @default 10_000 */
  lingerMs?: number;
  /** Recent events each feed keeps. @default 1000 */
  historySize?: number;
  /** How long the furthest position of a province's feeds is reused for resuming clients' head checks. @default FEEDS_HEAD_CACHE_MS */
  feedsHeadCacheMs?: number;
  /** Protocol ping interval of the province links. @default 5_000 */
  keepAliveMs?: number;
  /** A ping without its pong after this long drops a link. @default 5_000 */
  pongTimeoutMs?: number;
  /** Upgrade headers of each province link (the hook for the gateway's signed caller assertion). */
  upstreamHeaders?: (province: string) => Promise<Record<string, string>> | Record<string, string>;
  /** How long a province's `outboxPrunedThrough` answer is reused. @default 10_000 */
  retentionCacheMs?: number;
  /** Builds a link; tests replace it. @default an {@link UpstreamConnection} */
  connect?: (
    province: string,
    subgraph: string,
  ) => UpstreamLink & { opened?: number; dispose(): Promise<void> };
}

/** Counters for `/metrics` and the benchmark. */
export interface UpstreamStats {
  /** Upstream feeds alive now. */
  feeds: number;
  /** Province links (WebSockets) open or openable now. */
  links: number;
  /** Upstream subscriptions started since the gateway started (resubscriptions included). */
  subscriptionsOpened: number;
  /** Clients attached to feeds now (one per client subscription and province). */
  taps: number;
  /** Feeds held now: their province is not routed to (see {@link UpstreamFeed.hold}). */
  held: number;
  /** Feeds whose province position is not known yet (their clients "from now" wait for it). */
  starting: number;
}

interface Entry {
  feed: UpstreamFeed;
  /** Its key in the registry: `province|topic|region`. */
  key: string;
  province: string;
  users: number;
  linger?: NodeJS.Timeout;
}

/** Shared upstream feeds and province links. */
export class UpstreamFeeds {
  private readonly feeds = new Map<string, Entry>();
  /**
   * The same entries by feed and by province: a release, a resuming client's head check and a
   * province's events never walk every feed (9,610 at 31 provinces × 310 filters; 10,000 clients
   * leaving at once walked them 310,000 times, ~10 s of a blocked event loop).
   */
  private readonly byFeed = new Map<UpstreamFeed, Entry>();
  private readonly byProvince = new Map<string, Set<Entry>>();
  /**
   * The furthest position a province's live feeds of one epoch have seen, kept
   * `feedsHeadCacheMs`: a crowd of clients resuming with cursors asks it once per
   * province and position. It only grows while no feed of the province restarts: a feed that
   * restarts (another epoch, or the province went back) clears it, and so does a feed removed.
   */
  private readonly feedsHeads = new Map<string, { epoch: string | undefined; head: number; at: number }>();
  private readonly links = new Map<string, UpstreamLink & { opened?: number; dispose(): Promise<void> }>();
  private closedLinksOpened = 0;
  /** The latest `outboxHead` read per province, with its epoch and when it was read (ms). */
  private readonly heads = new Map<string, ProvinceHead & { readAt: number }>();
  /**
   * Provinces whose head went back below positions they gave out in their current epoch (a
   * restore they did not notice), to that head: a client position beyond it in that epoch is
   * CURSOR_EXPIRED. Dropped when the province's epoch changes. In memory (this gateway's knowledge).
   */
  private readonly wentBack = new Map<string, ProvinceHead & { epoch: string }>();
  /** `outboxHead` reads in flight per (province, subgraph), shared by the clients asking meanwhile. */
  private readonly headReads = new Map<string, Promise<ProvinceHead | undefined>>();
  /** `outboxPrunedThrough` answers per (province, field, filter), for `retentionCacheMs`; bounded (any region of the country may be asked). */
  private readonly retention: LRUCache<string, Promise<number | undefined>>;

  /** Stops listening to the registry's refusals. */
  private readonly unlisten: () => void;

  constructor(private readonly options: UpstreamFeedsOptions) {
    this.retention = new LRUCache({ max: 10_000, ttl: options.retentionCacheMs ?? 10_000 });
    this.unlisten = options.registry.onRefusalChange((province, refusal) =>
      this.refusalChanged(province, refusal),
    );
  }

  /**
   * A province became refused (or routed to again): every feed of it is held (resumed), see
   * {@link UpstreamFeed.hold}. Its clients stay subscribed; none gets an event of it meanwhile.
   */
  private refusalChanged(province: string, refusal: ProvinceRefusal | undefined): void {
    let feeds = 0;
    for (const entry of this.feedsOf(province)) {
      feeds++;
      if (refusal) entry.feed.hold();
      else entry.feed.resume();
    }
    if (feeds > 0)
      this.options.logger[refusal ? 'warn' : 'info'](
        { province, reason: refusal ?? null, feeds },
        refusal
          ? 'province not routed to: its subscription feeds are held (no event of it reaches a client; each keeps its position)'
          : 'province routed to again: its subscription feeds resume from their positions',
      );
  }

  /** The connected provinces, in code order. */
  get provinces(): readonly string[] {
    return this.options.registry.codes;
  }

  /**
   * Why the gateway does not route to `province` now (its contract, or its last conformance kit
   * report: `CONFORMANCE_REPORT_DIR`); undefined when it does. A subscription opens no feed of it.
   */
  refusal(province: string): ProvinceRefusal | undefined {
    return this.options.registry.refusal(province);
  }

  /** The feed of (province, topic, region), created on first use; call {@link release} when done. */
  acquire(province: string, topic: SubscriptionTopic, region: string): UpstreamFeed {
    const key = `${province}|${topic.name}|${region}`;
    let entry = this.feeds.get(key);
    if (!entry) {
      const feed = new UpstreamFeed({
        province,
        topic,
        region,
        link: this.link(province, topic.subgraph),
        logger: this.options.logger,
        ...(this.options.historySize ? { historySize: this.options.historySize } : {}),
        onWentBack: (epoch, head) => this.provinceWentBack(province, epoch, head),
        onRestarted: () => this.feedsHeads.delete(province),
      });
      // Refused between the subscription's start and now: held from the first (see refusalChanged).
      if (this.refusal(province)) feed.hold();
      entry = { feed, key, province, users: 0 };
      this.add(entry);
    }
    clearTimeout(entry.linger);
    entry.linger = undefined;
    entry.users++;
    return entry.feed;
  }

  /** Gives a feed back; the last user's release stops it after `lingerMs`. */
  release(feed: UpstreamFeed): void {
    const entry = this.byFeed.get(feed);
    if (!entry || entry.users === 0) return; // not ours, or a release too many
    entry.users--;
    if (entry.users > 0) return;
    entry.linger = setTimeout(() => {
      if (entry.users > 0) return;
      entry.feed.stop();
      this.remove(entry);
    }, this.options.lingerMs ?? 10_000);
    entry.linger.unref();
  }

  /** The live feeds of `province`. */
  private feedsOf(province: string): Iterable<Entry> {
    return this.byProvince.get(province) ?? [];
  }

  private add(entry: Entry): void {
    this.feeds.set(entry.key, entry);
    this.byFeed.set(entry.feed, entry);
    let ofProvince = this.byProvince.get(entry.province);
    if (!ofProvince) this.byProvince.set(entry.province, (ofProvince = new Set()));
    ofProvince.add(entry);
  }

  private remove(entry: Entry): void {
    this.feeds.delete(entry.key);
    this.byFeed.delete(entry.feed);
    this.feedsHeads.delete(entry.province);
    const ofProvince = this.byProvince.get(entry.province);
    ofProvince?.delete(entry);
    if (ofProvince?.size === 0) this.byProvince.delete(entry.province);
  }

  /**
   * The highest seq a province pruned (retention) of an event its `topic` subscription filtered
   * by `filter` (a validated region code or id) would deliver: a client position below it cannot be
   * replayed. Read over the province link, reused for `retentionCacheMs` (it only grows) and shared
   * by the clients asking meanwhile (a reconnecting crowd asks once); undefined when the province
   * does not answer within `timeoutMs` (not remembered: the next client asks again).
   */
  prunedThrough(
    province: string,
    topic: Pick<SubscriptionTopic, 'name' | 'subgraph'>,
    filter: string,
    timeoutMs = 2_000,
  ): Promise<number | undefined> {
    const key = `${province}|${topic.name}|${filter}`;
    const cached = this.retention.get(key);
    if (cached) return cached;
    const through = withTimeout(
      this.link(province, topic.subgraph).query<{ outboxPrunedThrough: string }>(
        `query OutboxPrunedThrough { outboxPrunedThrough(region: ${JSON.stringify(filter)}, field: ${JSON.stringify(topic.name)}) }`,
      ),
      timeoutMs,
    )
      .then(
        (answer) => {
          const value = Number(answer.outboxPrunedThrough);
          return Number.isSafeInteger(value) ? value : undefined;
        },
        () => undefined,
      )
      .then((value) => {
        if (value === undefined) this.retention.delete(key);
        return value;
      });
    this.retention.set(key, through);
    return through;
  }

  /**
   * Whether `position` is at or below `province`'s head, i.e. a seq the province has given out:
   * true at once when an event or the start of a live feed of it, or a head read less than
   * {@link HEAD_TRUST_MS} ago, got that far; else its
   * `outboxHead` is read over the `subgraph` link, and again after 250 ms and 750 ms (a province
   * that has just started settles the holes below its head first). Undefined when the province
   * does not answer within `timeoutMs` (not checked: the shared feed never trusts the position).
   * An older head read is not trusted (the province may have been restored since). A head read
   * below an older one is NOT taken for a restore: a province process that has just restarted
   * reads its head below holes that transactions open at its start hold, for as long as they run.
   * Only a feed's resubscription the province refused as beyond every seq its database handed out
   * tells that (see {@link wentBackBelow}).
   */
  async headReaches(
    province: string,
    subgraph: string,
    position: number,
    timeoutMs = 2_000,
  ): Promise<boolean | undefined> {
    if (position <= this.knownHead(province)) return true;
    let read: ProvinceHead | undefined;
    for (const pauseMs of [0, 250, 750]) {
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      read = await this.readHead(province, subgraph, timeoutMs);
      if (read === undefined) return undefined;
      if (position <= read.head) return true;
    }
    return false;
  }

  /**
   * Where `province` went back to in its current epoch, when this gateway saw it go back below
   * positions it had given out (a restore it did not notice): a position beyond that head, of that
   * epoch, was given out before and means nothing now (CURSOR_EXPIRED).
   */
  wentBackBelow(province: string): (ProvinceHead & { epoch: string }) | undefined {
    return this.wentBack.get(province);
  }

  /** `province` went back to `head` in `epoch`: remembered, and every feed of it beyond that head restarts. */
  private provinceWentBack(province: string, epoch: string, head: number): void {
    const known = this.wentBack.get(province);
    if (!known || known.epoch !== epoch || head < known.head) this.wentBack.set(province, { epoch, head });
    this.heads.set(province, { epoch, head, readAt: Date.now() });
    this.feedsHeads.delete(province);
    for (const entry of this.feedsOf(province)) entry.feed.wentBackTo(epoch, head);
  }

  /**
   * The epoch of `province`'s event sequence now, read over its `subgraph` link (never from a
   * cache: a restore changes it). Undefined when the province does not answer within `timeoutMs`
   * or serves no epochs (not checked then: its own stream refuses a position of another epoch).
   */
  async currentEpoch(province: string, subgraph: string, timeoutMs = 2_000): Promise<string | undefined> {
    return (await this.readHead(province, subgraph, timeoutMs))?.epoch;
  }

  /** Current counters. */
  stats(): UpstreamStats {
    let taps = 0;
    let held = 0;
    let starting = 0;
    for (const entry of this.feeds.values()) {
      taps += entry.feed.size;
      if (entry.feed.isHeld) held++;
      if (entry.feed.streamPosition === undefined) starting++;
    }
    const opened = [...this.links.values()].reduce(
      (sum, link) => sum + (link.opened ?? 0),
      this.closedLinksOpened,
    );
    return {
      feeds: this.feeds.size,
      links: this.links.size,
      subscriptionsOpened: opened,
      taps,
      held,
      starting,
    };
  }

  /** Stops every feed and closes every link. */
  async close(): Promise<void> {
    this.unlisten();
    for (const entry of this.feeds.values()) {
      clearTimeout(entry.linger);
      entry.feed.stop();
    }
    this.feeds.clear();
    this.byFeed.clear();
    this.byProvince.clear();
    this.feedsHeads.clear();
    const links = [...this.links.values()];
    this.links.clear();
    this.closedLinksOpened += links.reduce((sum, link) => sum + (link.opened ?? 0), 0);
    await Promise.allSettled(links.map((link) => link.dispose()));
  }

  /**
   * The furthest position of `province` its live feeds of its latest epoch read have seen (their
   * start, their events), or its head read less than {@link HEAD_TRUST_MS} ago. Not an older head
   * read: the province may have gone back since (a feed finds that out when it resubscribes).
   */
  private knownHead(province: string): number {
    const read = this.heads.get(province);
    const trusted = read && Date.now() - read.readAt < HEAD_TRUST_MS ? read.head : 0;
    return Math.max(trusted, this.feedsHead(province, read?.epoch));
  }

  /** The furthest position the live feeds of `province` in `epoch` have seen (cached briefly, see {@link feedsHeads}). */
  private feedsHead(province: string, epoch: string | undefined): number {
    const now = performance.now(); // monotonic: a step of the wall clock does not stretch it
    const cached = this.feedsHeads.get(province);
    const keepMs = this.options.feedsHeadCacheMs ?? FEEDS_HEAD_CACHE_MS;
    if (cached && cached.epoch === epoch && now - cached.at < keepMs) return cached.head;
    let head = 0;
    for (const entry of this.feedsOf(province))
      if (entry.feed.streamEpoch === epoch) head = Math.max(head, entry.feed.knownHead);
    this.feedsHeads.set(province, { epoch, head, at: now });
    return head;
  }

  /** Reads `province`'s `outboxHead` over its `subgraph` link (one read in flight per link). */
  private readHead(province: string, subgraph: string, timeoutMs: number): Promise<ProvinceHead | undefined> {
    const key = `${province}|${subgraph}`;
    let read = this.headReads.get(key);
    if (!read) {
      read = withTimeout(readProvinceHead(this.link(province, subgraph)), timeoutMs)
        .then(
          (answer) => {
            // The latest read, not the furthest: a province restored in place goes back.
            this.heads.set(province, { ...answer, readAt: Date.now() });
            if (this.wentBack.get(province)?.epoch !== answer.epoch) this.wentBack.delete(province);
            return answer;
          },
          () => undefined,
        )
        .finally(() => this.headReads.delete(key));
      this.headReads.set(key, read);
    }
    return read;
  }

  private link(province: string, subgraph: string): UpstreamLink {
    const key = `${province}|${subgraph}`;
    let link = this.links.get(key);
    if (!link) {
      if (this.options.connect) link = this.options.connect(province, subgraph);
      else {
        const url = this.options.registry.subgraphUrl(province, subgraph)!.replace(/^http/, 'ws');
        const headers = this.options.upstreamHeaders;
        const connection: UpstreamConnectionOptions = {
          province,
          subgraph,
          url,
          logger: this.options.logger,
          ...(this.options.keepAliveMs ? { keepAliveMs: this.options.keepAliveMs } : {}),
          ...(this.options.pongTimeoutMs ? { pongTimeoutMs: this.options.pongTimeoutMs } : {}),
          ...(headers ? { headers: () => headers(province) } : {}),
        };
        link = new UpstreamConnection(connection);
      }
      this.links.set(key, link);
    }
    return link;
  }
}

/** `promise`, or a rejection after `timeoutMs` (the timer is cleared either way). */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}
