import { describe, expect, it } from 'vitest';
import { silentLogger } from '@p2p/runtime';
import { ClientEventStream } from './client-stream.js';
import { TOPICS, type UpstreamEvent } from './topics.js';
import type { UpstreamSink } from './upstream-connection.js';
import { UpstreamFeed, type UpstreamLink } from './upstream-feed.js';

/** A province link that records subscriptions and lets the test push events or drop them. */
function fakeLink(head: number) {
  const subscriptions: { after: number; sink: UpstreamSink; stopped: boolean }[] = [];
  const link: UpstreamLink = {
    subscribe(_query, variables, sink) {
      const sub = { after: Number(variables.after), sink, stopped: false };
      subscriptions.push(sub);
      return () => (sub.stopped = true);
    },
    async query<T>() {
      return { outboxHead: String(head) } as T;
    },
  };
  const live = () => subscriptions.filter((s) => !s.stopped).at(-1)!;
  const push = (seq: number) =>
    live().sink.next({
      arrivals: {
        cursor: String(seq),
        kind: 'PLANNED',
        at: '2020-02-20T00:00:00Z',
        trip: { id: `T13-${seq}` },
      },
    });
  return { link, subscriptions, live, push };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

function client(start: [string, number][] = []) {
  const s = new ClientEventStream<string>({
    start: new Map(start),
    resolve: async (e: UpstreamEvent[]) => e.map((x) => x.entityId),
    onOverflow: () => {},
    onEnd: () => {},
  });
  const seqs: number[] = [];
  const ended: { error?: { extensions: Record<string, unknown> } } = {};
  void (async () => {
    try {
      for await (const e of s) seqs.push(e.seq);
    } catch (error) {
      ended.error = error as never;
    }
  })();
  return { s, seqs, ended };
}

const feedOver = (link: UpstreamLink, historySize = 1000) =>
  new UpstreamFeed({
    province: '130000',
    topic: TOPICS.arrivals,
    region: '110000',
    link,
    logger: silentLogger,
    historySize,
    retryMs: 1,
    maxRetryMs: 2,
  });

describe('a shared upstream feed', () => {
  it('starts from the province head for clients from now, with one upstream subscription for all', async () => {
    const fake = fakeLink(40);
    const feed = feedOver(fake.link);
    const a = client();
    const b = client();
    feed.attach(a.s, undefined);
    feed.attach(b.s, undefined);
    await tick();
    expect(fake.subscriptions.map((s) => s.after)).toEqual([40]);
    fake.push(41);
    fake.push(42);
    await tick();
    expect(a.seqs).toEqual([41, 42]);
    expect(b.seqs).toEqual([41, 42]);
    feed.stop();
  });

  it('serves a client a little behind from its history, without a new upstream subscription', async () => {
    const fake = fakeLink(0);
    const feed = feedOver(fake.link);
    const a = client([['130000', 0]]);
    feed.attach(a.s, 0);
    await tick();
    for (let seq = 1; seq <= 5; seq++) fake.push(seq);
    const late = client([['130000', 2]]);
    feed.attach(late.s, 2);
    fake.push(6);
    await tick();
    expect(late.seqs).toEqual([3, 4, 5, 6]);
    expect(fake.subscriptions).toHaveLength(1);
    feed.stop();
  });

  it('rewinds once for a client behind its history; the others see nothing twice', async () => {
    const fake = fakeLink(0);
    const feed = feedOver(fake.link, 2);
    const a = client([['130000', 10]]);
    feed.attach(a.s, 10);
    await tick();
    for (let seq = 11; seq <= 15; seq++) fake.push(seq);
    const behind = client([['130000', 11]]);
    feed.attach(behind.s, 11);
    expect(fake.live().after).toBe(11);
    for (let seq = 12; seq <= 16; seq++) fake.push(seq); // the province replays 12..15, then 16 is new
    await tick();
    expect(a.seqs).toEqual([11, 12, 13, 14, 15, 16]);
    expect(behind.seqs).toEqual([12, 13, 14, 15, 16]);
    feed.stop();
  });

  it('resubscribes from its position when the province link drops, and loses nothing', async () => {
    const fake = fakeLink(0);
    const feed = feedOver(fake.link);
    const a = client([['130000', 0]]);
    feed.attach(a.s, 0);
    await tick();
    fake.push(1);
    fake.push(2);
    fake.live().sink.error('closed 1006');
    await tick();
    await tick();
    expect(fake.subscriptions.map((s) => s.after)).toEqual([0, 2]);
    fake.push(3);
    await tick();
    expect(a.seqs).toEqual([1, 2, 3]);
    feed.stop();
  });

  it('ends the clients behind a pruned point with CURSOR_EXPIRED and goes on from it for the others', async () => {
    const fake = fakeLink(9);
    const feed = feedOver(fake.link);
    const behind = client([['130000', 3]]);
    const ahead = client([['130000', 9]]);
    feed.attach(behind.s, 3);
    feed.attach(ahead.s, 9);
    await tick();
    expect(fake.live().after).toBe(3);
    fake
      .live()
      .sink.error(
        'after: events after this cursor are no longer kept (pruned through #9); subscribe again without after and re-read the current state',
        { code: 'CURSOR_EXPIRED', field: 'after', prunedThrough: '9' },
      );
    await tick();
    await tick();
    expect(behind.ended.error?.extensions).toMatchObject({
      code: 'CURSOR_EXPIRED',
      province: '130000',
      prunedThrough: '9',
    });
    expect(fake.subscriptions.map((s) => s.after)).toEqual([3, 9]);
    fake.push(10);
    await tick();
    expect(ahead.seqs).toEqual([10]);
    expect(behind.seqs).toEqual([]);
    feed.stop();
  });

  it("should never let a client's cursor beyond the province head move the shared feed (#11.7 feed poisoning)", async () => {
    const fake = fakeLink(40);
    const feed = feedOver(fake.link);
    const poisoner = client([['130000', 1e12]]);
    feed.attach(poisoner.s, 1e12); // the first client of the feed, with a position from the future
    const fromNow = client();
    feed.attach(fromNow.s, undefined);
    await tick();
    expect(fake.subscriptions.map((s) => s.after)).toEqual([40]);
    expect(feed.streamPosition).toBe(40);
    fake.push(41);
    const later = client();
    feed.attach(later.s, undefined);
    fake.push(42);
    await tick();
    expect(fromNow.seqs).toEqual([41, 42]);
    expect(later.seqs).toEqual([42]);
    expect(poisoner.seqs).toEqual([]); // its own position only filters what it receives
    feed.stop();
  });

  it('starts a client "from now" at the furthest point known while the stream is rewound for a client behind', async () => {
    const fake = fakeLink(100);
    const feed = feedOver(fake.link, 2);
    const live = client();
    feed.attach(live.s, undefined);
    await tick();
    for (let seq = 101; seq <= 105; seq++) fake.push(seq);
    const behind = client([['130000', 5]]);
    feed.attach(behind.s, 5);
    expect(fake.live().after).toBe(5);
    const fresh = client();
    feed.attach(fresh.s, undefined);
    fake
      .live()
      .sink.error(
        'after: events after this cursor are no longer kept (pruned through #50); subscribe again without after and re-read the current state',
        { code: 'CURSOR_EXPIRED', field: 'after', prunedThrough: '50' },
      );
    await tick();
    await tick();
    expect(behind.ended.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED' });
    expect(fresh.ended.error).toBeUndefined();
    expect(live.ended.error).toBeUndefined();
    fake.push(106);
    await tick();
    expect(fresh.seqs).toEqual([106]);
    feed.stop();
  });

  it('is held while its province is refused: nothing subscribed or delivered, not even from its history, and resumes from its position', async () => {
    const fake = fakeLink(40);
    const feed = feedOver(fake.link);
    const a = client();
    feed.attach(a.s, undefined);
    await tick();
    fake.push(41);
    fake.push(42);
    await tick();
    expect(a.seqs).toEqual([41, 42]);
    const before = fake.live();
    feed.hold();
    expect(fake.subscriptions.every((s) => s.stopped)).toBe(true);
    // What the province still sends on the stopped subscription, or a drop of it, changes nothing.
    before.sink.next({
      arrivals: { cursor: '43', kind: 'PLANNED', at: '2020-02-20T00:00:00Z', trip: { id: 'T13-43' } },
    });
    before.sink.error('closed 1006');
    // A client behind joins: not served from the history while held.
    const b = client([['130000', 40]]);
    feed.attach(b.s, 40);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.subscriptions).toHaveLength(1);
    expect(a.seqs).toEqual([41, 42]);
    expect(b.seqs).toEqual([]);
    feed.resume();
    expect(fake.subscriptions.map((s) => [s.after, s.stopped])).toEqual([
      [40, true],
      [40, false],
    ]);
    for (const seq of [41, 42, 43]) fake.push(seq);
    await tick();
    expect(a.seqs).toEqual([41, 42, 43]);
    expect(b.seqs).toEqual([41, 42, 43]);
    feed.stop();
  });

  it('subscribes nothing when held during its first head read, and starts on resume', async () => {
    const fake = fakeLink(40);
    const feed = feedOver(fake.link);
    const a = client();
    feed.attach(a.s, undefined);
    feed.hold();
    await tick();
    expect(fake.subscriptions).toHaveLength(0);
    feed.resume();
    expect(fake.subscriptions.map((s) => s.after)).toEqual([40]);
    fake.push(41);
    await tick();
    expect(a.seqs).toEqual([41]);
    feed.stop();
  });
});
