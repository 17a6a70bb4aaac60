import { describe, expect, it, vi } from 'vitest';
import { ClientEventStream, type ClientEvent } from './client-stream.js';
import type { UpstreamEvent } from './topics.js';
import { decodeVectorCursor } from './vector-cursor.js';

const ev = (province: string, seq: number): UpstreamEvent => ({
  province,
  seq,
  kind: 'ETA_CHANGED',
  at: '2020-02-20T08:00:00Z',
  entityId: `T${province.slice(0, 2)}-${seq}`,
});

function stream(start: [string, number][] = [], maxBuffered = 1000) {
  const resolve = vi.fn(async (events: UpstreamEvent[]) => events.map((e) => e.entityId));
  const onOverflow = vi.fn();
  const onEnd = vi.fn();
  const s = new ClientEventStream<string>({ start: new Map(start), resolve, maxBuffered, onOverflow, onEnd });
  return { s, resolve, onOverflow, onEnd };
}

async function take(s: ClientEventStream<string>, n: number): Promise<ClientEvent<string>[]> {
  const out: ClientEvent<string>[] = [];
  for (let i = 0; i < n; i++) {
    const r = await s.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('a client event stream', () => {
  it('merges provinces, keeps each in seq order, drops what the client already has, and moves a vector cursor', async () => {
    const { s } = stream([
      ['130000', 10],
      ['410000', 3],
      ['650000', 99],
    ]);
    for (const e of [
      ev('130000', 9),
      ev('130000', 10),
      ev('130000', 11),
      ev('410000', 4),
      ev('130000', 11),
      ev('410000', 2),
      ev('130000', 12),
      ev('410000', 4),
      ev('410000', 5),
    ])
      s.deliver(e);
    const got = await take(s, 4);
    expect(s.buffered).toBe(0);
    expect(got.map((e) => `${e.province}:${e.seq}`)).toEqual([
      '130000:11',
      '410000:4',
      '130000:12',
      '410000:5',
    ]);
    expect(got.map((e) => e.resolved)).toEqual(['T13-11', 'T41-4', 'T13-12', 'T41-5']);
    expect(decodeVectorCursor(got[0]!.cursor)).toEqual(
      new Map([
        ['130000', 11],
        ['410000', 3],
        ['650000', 99],
      ]),
    );
    expect(decodeVectorCursor(got[3]!.cursor)).toEqual(
      new Map([
        ['130000', 12],
        ['410000', 5],
        ['650000', 99],
      ]),
    );
    void s.return();
  });

  it('resolves what is buffered in one batch', async () => {
    const { s, resolve } = stream([['130000', 0]]);
    for (let i = 1; i <= 5; i++) s.deliver(ev('130000', i));
    await take(s, 5);
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve.mock.calls[0]![0]).toHaveLength(5);
    void s.return();
  });

  it('starts a province from now: nothing before its start position, and the position is in the cursor', async () => {
    const { s } = stream();
    s.deliver(ev('450000', 5)); // not started yet: ignored
    s.started('450000', 7);
    s.started('450000', 1); // only the first start counts
    s.deliver(ev('450000', 7));
    s.deliver(ev('450000', 8));
    s.started('130000', 20);
    const [first] = await take(s, 1);
    expect(first!.seq).toBe(8);
    expect(decodeVectorCursor(first!.cursor)).toEqual(
      new Map([
        ['450000', 8],
        ['130000', 20],
      ]),
    );
    void s.return();
  });

  it('waits for events and ends at once on return(), releasing its feeds once', async () => {
    const { s, onEnd } = stream([['130000', 0]]);
    const pending = s.next();
    setTimeout(() => s.deliver(ev('130000', 1)), 10);
    expect((await pending).value?.seq).toBe(1);
    const waiting = s.next();
    await s.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await s.return();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('cuts a slow client off past its bounded buffer, without blocking the deliverer, and its cursor covers only what it got', async () => {
    const { s, onOverflow, onEnd } = stream([['130000', 0]], 3);
    s.deliver(ev('130000', 1));
    const [got] = await take(s, 1);
    for (let i = 2; i <= 4; i++) s.deliver(ev('130000', i));
    expect(onOverflow).not.toHaveBeenCalled();
    expect(s.buffered).toBe(3);
    s.deliver(ev('130000', 5));
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(s.overflow).toBe(true);
    s.deliver(ev('130000', 6));
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(decodeVectorCursor(got!.cursor)).toEqual(new Map([['130000', 1]]));
  });

  it('ends with CURSOR_EXPIRED, even while a batch is being resolved, when its province pruned past it; not when it is ahead', async () => {
    let release = () => {};
    const resolve = vi.fn(
      (events: UpstreamEvent[]) =>
        new Promise<string[]>((done) => (release = () => done(events.map((e) => e.entityId)))),
    );
    const onEnd = vi.fn();
    const s = new ClientEventStream<string>({
      start: new Map([
        ['130000', 3],
        ['410000', 50],
      ]),
      resolve,
      onOverflow: () => {},
      onEnd,
    });
    s.deliver(ev('410000', 51));
    const pending = s.next();
    await new Promise((r) => setTimeout(r, 5));
    s.expired('410000', 20); // ahead of it: nothing lost
    s.expired('130000', 9); // behind it: events 4..9 of Hebei may be gone
    release();
    await expect(pending).rejects.toMatchObject({
      extensions: { code: 'CURSOR_EXPIRED', province: '130000', prunedThrough: '9' },
    });
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });
});
