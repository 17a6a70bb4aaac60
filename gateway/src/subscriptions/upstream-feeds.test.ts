import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@p2p/runtime';
import { ProvinceRegistry } from '../shard/province-registry.js';
import { TOPICS } from './topics.js';
import { UpstreamFeeds } from './upstream-feeds.js';
import type { UpstreamSink } from './upstream-connection.js';

/** Feeds over links whose `outboxPrunedThrough` answers are scripted; counts the questions. */
function feedsAnswering(answer: () => Promise<unknown>, retentionCacheMs = 10_000) {
  const asked: string[] = [];
  const queries: string[] = [];
  const feeds = new UpstreamFeeds({
    registry: new ProvinceRegistry({ '130000': 'http://127.0.0.1:1' }),
    logger: silentLogger,
    retentionCacheMs,
    connect: (province, subgraph) => ({
      subscribe: () => () => {},
      async query<T>(query: string) {
        asked.push(`${province}/${subgraph}`);
        queries.push(query);
        return (await answer()) as T;
      },
      async dispose() {},
    }),
  });
  return { feeds, asked, queries };
}

describe("a province's retention point, read by the gateway", () => {
  it('should ask the province once for a crowd of clients and reuse the answer', async () => {
    const { feeds, asked } = feedsAnswering(async () => ({ outboxPrunedThrough: '42' }));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => feeds.prunedThrough('130000', TOPICS.arrivals, '110000')),
    );
    expect(new Set(answers)).toEqual(new Set([42]));
    expect(await feeds.prunedThrough('130000', TOPICS.arrivals, '110000')).toBe(42);
    expect(asked).toEqual(['130000/transport']);
    expect(await feeds.prunedThrough('130000', TOPICS.arrivals, '310000')).toBe(42); // another filter: asked again
    expect(asked).toHaveLength(2);
    await feeds.close();
  });

  it("should ask for the subscription's own filter: departures and arrivals of one region are two questions (#13.4)", async () => {
    const { feeds, asked, queries } = feedsAnswering(async () => ({ outboxPrunedThrough: '3' }));
    await feeds.prunedThrough('410000', TOPICS.arrivals, '411600');
    await feeds.prunedThrough('410000', TOPICS.departures, '411600');
    await feeds.prunedThrough('110000', TOPICS.returnRequestUpdates, 'E11-0123456789abcdef');
    expect(asked).toEqual(['410000/transport', '410000/transport', '110000/employment']);
    expect(queries).toEqual([
      'query OutboxPrunedThrough { outboxPrunedThrough(region: "411600", field: "arrivals") }',
      'query OutboxPrunedThrough { outboxPrunedThrough(region: "411600", field: "departures") }',
      'query OutboxPrunedThrough { outboxPrunedThrough(region: "E11-0123456789abcdef", field: "returnRequestUpdates") }',
    ]);
    await feeds.close();
  });

  it('should give up after the timeout without remembering the failure', async () => {
    let slow = true;
    const { feeds, asked } = feedsAnswering(() =>
      slow ? new Promise(() => {}) : Promise.resolve({ outboxPrunedThrough: '7' }),
    );
    expect(await feeds.prunedThrough('130000', TOPICS.arrivals, '110000', 20)).toBeUndefined();
    slow = false;
    expect(await feeds.prunedThrough('130000', TOPICS.arrivals, '110000', 20)).toBe(7);
    expect(asked).toHaveLength(2);
    await feeds.close();
  });
});

describe("a province's head, read by the gateway", () => {
  it('should read the head once for a crowd, reuse it for positions below it, and read again for one above', async () => {
    let head = 40;
    const { feeds, asked } = feedsAnswering(async () => ({ outboxHead: String(head) }));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => feeds.headReaches('130000', 'transport', 40)),
    );
    expect(new Set(answers)).toEqual(new Set([true]));
    expect(asked).toEqual(['130000/transport']);
    expect(await feeds.headReaches('130000', 'employment', 12)).toBe(true); // one outbox per province
    expect(asked).toHaveLength(1);
    head = 45;
    expect(await feeds.headReaches('130000', 'transport', 45)).toBe(true);
    expect(asked).toHaveLength(2);
    await feeds.close();
  });

  it('should answer false for a position the head does not reach after a second look (#11.7 feed poisoning)', async () => {
    const { feeds, asked } = feedsAnswering(async () => ({ outboxHead: '40' }));
    expect(await feeds.headReaches('130000', 'transport', 41)).toBe(false);
    expect(asked.length).toBeGreaterThanOrEqual(2);
    await feeds.close();
  });

  it('should answer undefined when the province does not answer', async () => {
    const { feeds } = feedsAnswering(() => new Promise(() => {}));
    expect(await feeds.headReaches('130000', 'transport', 1, 20)).toBeUndefined();
    await feeds.close();
  });
});

describe('a province that went back below positions it gave out (a restore it did not notice)', () => {
  afterEach(() => vi.useRealTimers());

  it('should not trust an old head read, nor take a head read below it for a restore (a restarted province settles its holes)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const province = { head: 40, epoch: 'e1' };
    const { feeds } = feedsAnswering(async () => ({
      outboxHead: String(province.head),
      outboxEpoch: province.epoch,
    }));
    expect(await feeds.headReaches('130000', 'transport', 40)).toBe(true);
    // A while later the province's process restarted and a long transaction holds a hole below #12:
    // its head reads #10. A client back at #30 is not let in yet, but nothing is marked for everyone.
    province.head = 10;
    vi.setSystemTime(Date.now() + 60_000);
    expect(await feeds.headReaches('130000', 'transport', 30)).toBe(false);
    expect(feeds.wentBackBelow('130000')).toBeUndefined();
    // The hole settles: #30 is reached again.
    province.head = 41;
    vi.setSystemTime(Date.now() + 60_000);
    expect(await feeds.headReaches('130000', 'transport', 30)).toBe(true);
    await feeds.close();
  });

  it("should restart the province's other feeds that are beyond where it went back, and leave those below alone", async () => {
    const province = { head: 40, epoch: 'e1' };
    const subscriptions: { region: unknown; after: string; sink: UpstreamSink; stopped: boolean }[] = [];
    const feeds = new UpstreamFeeds({
      registry: new ProvinceRegistry({ '130000': 'http://127.0.0.1:1' }),
      logger: silentLogger,
      feedsHeadCacheMs: 60_000, // what the feeds saw is kept throughout, unless the went-back clears it
      connect: () => ({
        subscribe(_query, variables, sink) {
          const sub = { region: variables.region, after: String(variables.after), sink, stopped: false };
          subscriptions.push(sub);
          return () => (sub.stopped = true);
        },
        async query<T>() {
          return { outboxHead: String(province.head), outboxEpoch: province.epoch } as T;
        },
        async dispose() {},
      }),
    });
    const restarted: string[] = [];
    const tap = (name: string) => ({
      deliver() {},
      started() {},
      expired() {},
      restarted: (_province: string, epoch: string) => restarted.push(`${name}:${epoch}`),
    });
    const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
    const beijing = feeds.acquire('130000', TOPICS.arrivals, '110000');
    beijing.attach(tap('beijing'), undefined);
    await tick();
    // A client's position #40 is reached: the head is read, then what the feeds saw is kept.
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 40)).toBe(true);
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 40)).toBe(true);
    // The province goes back to #30; the feed of Shanghai starts there (below where it went back).
    province.head = 30;
    const live = (region: string) => subscriptions.filter((s) => s.region === region && !s.stopped).at(-1)!;
    const shanghai = feeds.acquire('130000', TOPICS.arrivals, '310000');
    shanghai.attach(tap('shanghai'), undefined);
    await tick();
    expect(live('310000').after).toBe('e1:30');
    // Beijing's feed resubscribes from #40 and is refused as ahead: the province went back.
    live('110000').sink.error('ahead', { code: 'BAD_USER_INPUT' });
    await tick(50);
    expect(restarted).toEqual(['beijing:e1']);
    expect(live('110000').after).toBe('e1:30');
    expect(feeds.wentBackBelow('130000')).toEqual({ epoch: 'e1', head: 30 });
    // What the feeds had seen before is forgotten at once: #35 is beyond the province now.
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 35)).toBe(false);
    await feeds.close();
  });
});

describe('the shared feeds, acquired and released', () => {
  it('should share a feed among its users, keep it while one remains, stop it lingerMs after the last, and give it back to one who comes within that time', async () => {
    const stopped: string[] = [];
    const feeds = new UpstreamFeeds({
      registry: new ProvinceRegistry({ '130000': 'http://127.0.0.1:1', '410000': 'http://127.0.0.1:2' }),
      logger: silentLogger,
      lingerMs: 40,
      connect: (province) => ({
        subscribe: (_query, variables) => () => stopped.push(`${province}:${String(variables.region)}`),
        async query<T>() {
          return { outboxHead: '0', outboxEpoch: 'e1' } as T;
        },
        async dispose() {},
      }),
    });
    const tap = { deliver() {}, started() {}, expired() {}, restarted() {} };
    const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const first = feeds.acquire('130000', TOPICS.arrivals, '130100');
    const second = feeds.acquire('130000', TOPICS.arrivals, '130100');
    const other = feeds.acquire('410000', TOPICS.arrivals, '130100');
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    for (const feed of [first, other]) feed.attach(tap, undefined);
    await tick(20);
    expect(feeds.stats().feeds).toBe(2);

    feeds.release(first);
    await tick(60);
    expect(stopped).toEqual([]); // one user left
    feeds.release(second);
    await tick(20);
    // Back within lingerMs: the same feed, never stopped.
    expect(feeds.acquire('130000', TOPICS.arrivals, '130100')).toBe(first);
    await tick(60);
    expect(stopped).toEqual([]);
    feeds.release(first);
    feeds.release(first); // a release too many changes nothing
    await tick(60);
    expect(stopped).toEqual(['130000:130100']);
    expect(feeds.stats().feeds).toBe(1);
    // A new user after the stop gets a new feed; the other province's feed was never touched.
    expect(feeds.acquire('130000', TOPICS.arrivals, '130100')).not.toBe(first);
    feeds.release(other);
    await tick(60);
    expect(stopped).toEqual(['130000:130100', '410000:130100']);
    await feeds.close();
  });
});

describe("what a province's feeds have seen, for resuming clients", () => {
  it('should not trust it once a feed of the province restarted in another epoch (a restore), even within the time it is kept', async () => {
    const province = { head: 40, epoch: 'e1' };
    const sinks: UpstreamSink[] = [];
    const feeds = new UpstreamFeeds({
      registry: new ProvinceRegistry({ '130000': 'http://127.0.0.1:1' }),
      logger: silentLogger,
      feedsHeadCacheMs: 60_000,
      connect: () => ({
        subscribe(_query, _variables, sink) {
          sinks.push(sink);
          return () => {};
        },
        async query<T>() {
          return { outboxHead: String(province.head), outboxEpoch: province.epoch } as T;
        },
        async dispose() {},
      }),
    });
    const tap = { deliver() {}, started() {}, expired() {}, restarted() {} };
    const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
    feeds.acquire('130000', TOPICS.arrivals, '110000').attach(tap, undefined);
    await tick(20);
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 40)).toBe(true);
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 40)).toBe(true);
    await tick(1_100); // the head read is no longer trusted; what the feeds saw still would be
    // The province is restored as e2 at #10; its feed's resubscription is told so.
    Object.assign(province, { head: 10, epoch: 'e2' });
    sinks.at(-1)!.error('restored', { code: 'CURSOR_EXPIRED', epoch: 'e2' });
    await tick(20);
    // A cursor without epochs at #35: beyond what the province has handed out in e2.
    expect(await feeds.headReaches('130000', TOPICS.arrivals.subgraph, 35)).toBe(false);
    await feeds.close();
  });
});
