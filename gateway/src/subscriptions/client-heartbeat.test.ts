import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientHeartbeat, type HeartbeatSocket } from './client-heartbeat.js';

class FakeSocket implements HeartbeatSocket {
  readonly OPEN = 1;
  readonly CLOSED = 3;
  readyState = 1;
  pings: number[] = [];
  terminated = false;
  /** Answers each ping at once (a live client) unless told otherwise. */
  constructor(private readonly onPing: (socket: FakeSocket) => void = () => {}) {}
  ping(): void {
    this.pings.push(Date.now());
    this.onPing(this);
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
}

describe('ClientHeartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('should ping every client once per interval, in turns of a few each', () => {
    const heartbeat = new ClientHeartbeat<FakeSocket>({ intervalMs: 1_000, turnMs: 100 });
    const sockets = Array.from({ length: 100 }, () => new FakeSocket((s) => heartbeat.seen(s)));
    for (const socket of sockets) heartbeat.add(socket);
    const pingsPerTurn: number[] = [];
    for (let turn = 0; turn < 30; turn++) {
      const before = sockets.reduce((n, s) => n + s.pings.length, 0);
      vi.advanceTimersByTime(100);
      pingsPerTurn.push(sockets.reduce((n, s) => n + s.pings.length, 0) - before);
    }
    expect(Math.max(...pingsPerTurn)).toBe(10);
    for (const socket of sockets) {
      expect(socket.pings).toHaveLength(3);
      expect(socket.pings[1]! - socket.pings[0]!).toBe(1_000);
      expect(socket.terminated).toBe(false);
    }
    heartbeat.stop();
  });

  it('should drop a client that answered nothing by its next turn, and keep one that sent a message', () => {
    const heartbeat = new ClientHeartbeat<FakeSocket>({ intervalMs: 1_000, turnMs: 250 });
    const silent = new FakeSocket();
    const talking = new FakeSocket();
    heartbeat.add(silent);
    heartbeat.add(talking);
    vi.advanceTimersByTime(1_000); // every turn once: each pinged
    expect(silent.pings).toHaveLength(1);
    expect(talking.pings).toHaveLength(1);
    vi.advanceTimersByTime(200);
    heartbeat.seen(talking); // a message, not a pong, counts as well
    vi.advanceTimersByTime(800);
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toHaveLength(1);
    expect(talking.terminated).toBe(false);
    expect(talking.pings).toHaveLength(2);
    heartbeat.stop();
  });

  it('should neither ping nor drop a client removed, closing, or once stopped', () => {
    const heartbeat = new ClientHeartbeat<FakeSocket>({ intervalMs: 1_000, turnMs: 500 });
    const removed = new FakeSocket();
    const closing = new FakeSocket();
    const later = new FakeSocket();
    heartbeat.add(removed);
    heartbeat.add(closing);
    heartbeat.add(later);
    heartbeat.remove(removed);
    closing.readyState = 2;
    vi.advanceTimersByTime(3_000);
    expect(removed.pings).toHaveLength(0);
    expect(closing.pings).toHaveLength(0);
    expect(closing.terminated).toBe(false);
    expect(later.terminated).toBe(true); // it never answered
    const quiet = new FakeSocket();
    heartbeat.add(quiet);
    heartbeat.stop();
    vi.advanceTimersByTime(10_000);
    expect(quiet.pings).toHaveLength(0);
    expect(quiet.terminated).toBe(false);
  });

  it('should forget a client found closed on its turn', () => {
    const heartbeat = new ClientHeartbeat<FakeSocket>({ intervalMs: 1_000, turnMs: 1_000 });
    const closed = new FakeSocket();
    heartbeat.add(closed);
    closed.readyState = 3;
    vi.advanceTimersByTime(1_000);
    closed.readyState = 1; // were it still followed, this turn would ping it
    vi.advanceTimersByTime(1_000);
    expect(closed.pings).toHaveLength(0);
    heartbeat.stop();
  });

  it('should send no ping when the interval is 0 or Infinity', () => {
    for (const intervalMs of [0, Number.POSITIVE_INFINITY]) {
      const heartbeat = new ClientHeartbeat<FakeSocket>({ intervalMs });
      const socket = new FakeSocket();
      heartbeat.add(socket);
      vi.advanceTimersByTime(60_000);
      expect(socket.pings).toHaveLength(0);
      heartbeat.stop();
    }
  });
});
