import { describe, expect, it, vi } from 'vitest';
import { ClientBacklog } from './client-backlog.js';
import { ClientEventStream } from './client-stream.js';
import type { UpstreamEvent } from './topics.js';

const ev = (seq: number): UpstreamEvent => ({
  province: '450000',
  seq,
  kind: 'DEPARTED',
  at: '2020-02-20T08:00:00Z',
  entityId: `T45-${seq}`,
});

/** A client stream from seq 0 of Guangxi, counted in `backlog` as execution.ts counts it. */
function counted(backlog: ClientBacklog, maxBuffered: number) {
  const stream: ClientEventStream<string> = new ClientEventStream<string>({
    start: new Map([['450000', 0]]),
    resolve: async (events) => events.map((e) => e.entityId),
    maxBuffered,
    onOverflow: () => backlog.slowConsumerClosed(),
    onEnd: vi.fn(() => backlog.remove(stream)),
  });
  backlog.add(stream);
  return stream;
}

describe('the subscription backlog', () => {
  it('should sum and max the events waiting in live client buffers, and forget a stream once it ends', async () => {
    const backlog = new ClientBacklog();
    const quick = counted(backlog, 100);
    const behind = counted(backlog, 100);
    for (let seq = 1; seq <= 3; seq++) quick.deliver(ev(seq));
    for (let seq = 1; seq <= 7; seq++) behind.deliver(ev(seq));
    expect(backlog.stats()).toEqual({ bufferedEvents: 10, maxBufferedEvents: 7, slowConsumersClosed: 0 });
    await quick.next();
    expect(backlog.stats().bufferedEvents).toBeLessThan(10);
    await behind.return?.();
    expect(backlog.stats().maxBufferedEvents).toBeLessThanOrEqual(3);
  });

  it('should count a client cut off for reading too slowly, and drop its buffer', () => {
    const backlog = new ClientBacklog();
    const slow = counted(backlog, 2);
    for (let seq = 1; seq <= 3; seq++) slow.deliver(ev(seq));
    expect(slow.overflow).toBe(true);
    expect(backlog.stats()).toEqual({ bufferedEvents: 0, maxBufferedEvents: 0, slowConsumersClosed: 1 });
  });
});
