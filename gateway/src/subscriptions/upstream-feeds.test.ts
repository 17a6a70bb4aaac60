import { describe, expect, it } from 'vitest';
import { silentLogger } from '@p2p/runtime';
import { ProvinceRegistry } from '../shard/province-registry.js';
import { TOPICS } from './topics.js';
import { UpstreamFeeds } from './upstream-feeds.js';

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
