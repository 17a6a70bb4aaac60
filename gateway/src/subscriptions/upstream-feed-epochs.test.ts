/**
 * The shared upstream feed across a restart of the province's event sequence (a restore from a
 * backup, DESIGN.md "Decisions"): it subscribes with `<epoch>:<seq>`, its clients' cursors carry the
 * epoch, and when the province refuses its position as of another epoch every client is ended with
 * CURSOR_EXPIRED (never skipped past, never replayed) while the feed starts again from the new head.
 */
import { silentLogger } from '@p2p/runtime';
import { describe, expect, it } from 'vitest';
import { ClientEventStream } from './client-stream.js';
import { TOPICS, type UpstreamEvent } from './topics.js';
import type { UpstreamSink } from './upstream-connection.js';
import { UpstreamFeed, type UpstreamLink } from './upstream-feed.js';
import { decodeVectorCursorWithEpochs } from './vector-cursor.js';

const HEBEI = '130000';

/** A province link whose head and epoch the test sets; it records each subscription's `after`. */
function fakeProvince(state: { head: number; epoch: string }) {
  const subscriptions: { after: string; sink: UpstreamSink; stopped: boolean }[] = [];
  const link: UpstreamLink = {
    subscribe(_query, variables, sink) {
      const sub = { after: String(variables.after), sink, stopped: false };
      subscriptions.push(sub);
      return () => (sub.stopped = true);
    },
    async query<T>() {
      return { outboxHead: String(state.head), outboxEpoch: state.epoch } as T;
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

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

function client(start: [string, number][] = [], epochs: [string, string][] = []) {
  const s = new ClientEventStream<string>({
    start: new Map(start),
    epochs: new Map(epochs),
    resolve: async (e: UpstreamEvent[]) => e.map((x) => x.entityId),
    onOverflow: () => {},
    onEnd: () => {},
  });
  const cursors: string[] = [];
  const ended: { error?: { extensions: Record<string, unknown> } } = {};
  void (async () => {
    try {
      for await (const e of s) cursors.push(e.cursor);
    } catch (error) {
      ended.error = error as never;
    }
  })();
  return { s, cursors, ended };
}

const feedOver = (link: UpstreamLink, onWentBack?: (epoch: string, head: number) => void) =>
  new UpstreamFeed({
    ...(onWentBack ? { onWentBack } : {}),
    province: HEBEI,
    topic: TOPICS.arrivals,
    region: '110000',
    link,
    logger: silentLogger,
    retryMs: 1,
    maxRetryMs: 2,
  });

describe('a shared upstream feed across epochs', () => {
  it('should subscribe with the epoch and hand out cursors that carry it', async () => {
    const fake = fakeProvince({ head: 40, epoch: 'e1' });
    const feed = feedOver(fake.link);
    const a = client();
    feed.attach(a.s, undefined);
    await tick();
    expect(fake.subscriptions.map((s) => s.after)).toEqual(['e1:40']);
    fake.push(41);
    await tick();
    expect(decodeVectorCursorWithEpochs(a.cursors.at(-1)!)).toEqual({
      positions: new Map([[HEBEI, 41]]),
      epochs: new Map([[HEBEI, 'e1']]),
    });
    feed.stop();
  });

  it('should end every client with CURSOR_EXPIRED when the province refuses its position as of another epoch, then follow the new one from its head', async () => {
    const province = { head: 40, epoch: 'e1' };
    const fake = fakeProvince(province);
    const feed = feedOver(fake.link);
    const a = client();
    const b = client([[HEBEI, 38]], [[HEBEI, 'e1']]);
    feed.attach(a.s, undefined);
    feed.attach(b.s, 38, 'e1');
    await tick();
    fake.push(41);
    await tick();
    // The province is restored to an earlier point: its sequence restarts at 30 in epoch e2.
    province.head = 30;
    province.epoch = 'e2';
    fake.live().sink.error('refused', { code: 'CURSOR_EXPIRED', epoch: 'e2' });
    await tick(30);
    for (const c of [a, b])
      expect(c.ended.error?.extensions).toMatchObject({
        code: 'CURSOR_EXPIRED',
        province: HEBEI,
        epoch: 'e2',
      });
    // Not a resubscription from 41 (a skip of 31..41 in the new sequence): from the new head.
    expect(fake.subscriptions.at(-1)!.after).toBe('e2:30');
    const fresh = client();
    feed.attach(fresh.s, undefined);
    fake.push(31);
    await tick();
    expect(decodeVectorCursorWithEpochs(fresh.cursors.at(-1)!).epochs.get(HEBEI)).toBe('e2');
    // A client still holding a position of the old epoch is ended at once, even one behind the stream.
    const stale = client([[HEBEI, 20]], [[HEBEI, 'e1']]);
    feed.attach(stale.s, 20, 'e1');
    await tick();
    expect(stale.ended.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', province: HEBEI });
    expect(fake.subscriptions.at(-1)!.after).toBe('e2:30');
    // A cursor issued before epochs is taken as the current epoch's.
    const old = client([[HEBEI, 30]]);
    feed.attach(old.s, 30);
    fake.push(32);
    await tick();
    expect(old.ended.error).toBeUndefined();
    expect(old.cursors).toHaveLength(2); // 31 from the history, 32
    feed.stop();
  });

  it('should end every client with CURSOR_EXPIRED when the province went back below its position in the same epoch (a restore it did not notice), then follow it from its new head', async () => {
    const province = { head: 40, epoch: 'e1' };
    const fake = fakeProvince(province);
    const wentBack: [string, number][] = [];
    const feed = feedOver(fake.link, (epoch, head) => wentBack.push([epoch, head]));
    const a = client();
    const b = client([[HEBEI, 38]], [[HEBEI, 'e1']]);
    feed.attach(a.s, undefined);
    feed.attach(b.s, 38, 'e1');
    await tick();
    fake.push(41);
    fake.push(42);
    await tick();
    // A head still settling (at the position again by the time it is read): resubscribed from it.
    province.head = 42;
    fake.live().sink.error('ahead', { code: 'BAD_USER_INPUT' });
    await tick(30);
    expect(fake.subscriptions.at(-1)!.after).toBe('e1:42');
    expect(a.ended.error).toBeUndefined();
    // Restored in place from a dump taken at #30: same epoch, #31.. will be new events.
    province.head = 30;
    fake.live().sink.error('ahead', { code: 'BAD_USER_INPUT' });
    await tick(30);
    for (const c of [a, b])
      expect(c.ended.error?.extensions).toMatchObject({
        code: 'CURSOR_EXPIRED',
        province: HEBEI,
        epoch: 'e1',
      });
    expect(wentBack).toEqual([['e1', 30]]);
    // Not a resubscription from 42 (a skip of the new #31..#42 once the head is back there): from #30.
    expect(fake.subscriptions.at(-1)!.after).toBe('e1:30');
    const fresh = client();
    feed.attach(fresh.s, undefined);
    fake.push(31);
    await tick();
    expect(decodeVectorCursorWithEpochs(fresh.cursors.at(-1)!).positions.get(HEBEI)).toBe(31);
    feed.stop();
  });
});
