import type { Client as WsClient, Sink } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArrivalEvent } from './board-state.js';
import {
  followArrivals,
  isFinal,
  refusesCursor,
  type FeedListener,
  type FeedState,
} from './arrivals-feed.js';
import { resumeStore } from './resume-store.js';

interface FakeSubscription {
  variables: Record<string, unknown>;
  sink: Sink;
  disposed: boolean;
}

/** A graphql-ws client that records subscriptions and lets the test emit its events. */
function fakeWs() {
  const subscriptions: FakeSubscription[] = [];
  const listeners: Record<string, ((...args: unknown[]) => void)[]> = {};
  const client = {
    subscribe(payload: { variables?: Record<string, unknown> }, sink: Sink) {
      const sub: FakeSubscription = { variables: payload.variables ?? {}, sink, disposed: false };
      subscriptions.push(sub);
      return () => {
        sub.disposed = true;
      };
    },
    on(event: string, listener: (...args: unknown[]) => void) {
      (listeners[event] ??= []).push(listener);
      return () => {
        listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
      };
    },
  } as unknown as WsClient;
  return {
    client,
    subscriptions,
    emit: (event: string, ...args: unknown[]) => {
      for (const l of listeners[event] ?? []) l(...args);
    },
    live: () => subscriptions.filter((s) => !s.disposed),
  };
}

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  } as unknown as Storage;
}

const payloadOf = (variables: Record<string, unknown>) => ({ query: 'subscription ArrivalsFeed', variables });

const tripEvent = (cursor: string) =>
  ({ data: { arrivals: { cursor, kind: 'PLANNED', at: 'x', stop: null, trip: { id: 'T1' } } } }) as never;

function recorder() {
  const events: ArrivalEvent[] = [];
  const states: FeedState[] = [];
  const expired: unknown[] = [];
  const errors: unknown[] = [];
  const listener: FeedListener = {
    event: (e) => events.push(e),
    state: (s) => states.push(s),
    cursorExpired: (e) => expired.push(e),
    errors: (e) => errors.push(e),
  };
  return { events, states, expired, errors, listener };
}

describe('followArrivals', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('should subscribe after the stored cursor and store every cursor received', () => {
    const ws = fakeWs();
    const store = resumeStore(memoryStorage(), 'city', '110105');
    store.saveCursor('c0');
    const rec = recorder();
    followArrivals(ws.client, '110105', store, payloadOf, rec.listener);
    expect(ws.subscriptions[0]?.variables).toEqual({ destination: '110105', after: 'c0' });
    ws.subscriptions[0]?.sink.next(tripEvent('c1'));
    ws.subscriptions[0]?.sink.next(tripEvent('c2'));
    expect([store.cursor(), rec.events.map((e) => e.cursor)]).toEqual(['c2', ['c1', 'c2']]);
  });

  it('should end its subscription when the socket closes and resume from the last cursor', () => {
    const ws = fakeWs();
    const store = resumeStore(memoryStorage(), 'city', '110105');
    const rec = recorder();
    followArrivals(ws.client, '110105', store, payloadOf, rec.listener);
    ws.subscriptions[0]?.sink.next(tripEvent('c1'));
    ws.emit('closed', { code: 1006 });
    expect(ws.subscriptions[0]?.disposed).toBe(true);
    expect(rec.states.at(-1)).toBe('reconnecting');
    vi.runAllTimers();
    expect(ws.live().map((s) => s.variables.after)).toEqual(['c1']);
  });

  it('should drop an expired cursor, say so and follow on from now', () => {
    const ws = fakeWs();
    const store = resumeStore(memoryStorage(), 'city', '110105');
    store.saveCursor('old');
    const rec = recorder();
    followArrivals(ws.client, '110105', store, payloadOf, rec.listener);
    ws.subscriptions[0]?.sink.error([{ message: 'expired', extensions: { code: 'CURSOR_EXPIRED' } }]);
    vi.runAllTimers();
    expect([store.cursor(), rec.expired.length, ws.subscriptions.map((s) => s.variables.after)]).toEqual([
      null,
      1,
      ['old', null],
    ]);
  });

  it('should read a result without data as the end of the subscription', () => {
    const ws = fakeWs();
    const store = resumeStore(memoryStorage(), 'city', '110105');
    store.saveCursor('bad');
    const rec = recorder();
    followArrivals(ws.client, '110105', store, payloadOf, rec.listener);
    ws.subscriptions[0]?.sink.next({
      errors: [{ message: 'malformed', extensions: { code: 'BAD_USER_INPUT', field: 'after' } }],
    } as never);
    ws.subscriptions[0]?.sink.complete();
    vi.runAllTimers();
    expect([store.cursor(), rec.expired.length, ws.subscriptions.map((s) => s.variables.after)]).toEqual([
      null,
      1,
      ['bad', null],
    ]);
  });

  it('should stop on FORBIDDEN and retry after a province was unavailable', () => {
    const ws = fakeWs();
    const rec = recorder();
    followArrivals(
      ws.client,
      '110105',
      resumeStore(memoryStorage(), 'city', '110105'),
      payloadOf,
      rec.listener,
    );
    ws.subscriptions[0]?.sink.error([{ message: 'down', extensions: { code: 'PROVINCE_UNAVAILABLE' } }]);
    vi.runAllTimers();
    expect(ws.subscriptions).toHaveLength(2);
    ws.subscriptions[1]?.sink.error([{ message: 'no', extensions: { code: 'FORBIDDEN' } }]);
    vi.runAllTimers();
    expect([ws.subscriptions.length, rec.states.at(-1)]).toEqual([2, 'stopped']);
  });

  it('should end everything when stopped', () => {
    const ws = fakeWs();
    const stop = followArrivals(
      ws.client,
      '110105',
      resumeStore(memoryStorage(), 'city', '110105'),
      payloadOf,
      recorder().listener,
    );
    stop();
    ws.emit('closed', { code: 1006 });
    vi.runAllTimers();
    expect([ws.subscriptions.length, ws.live().length]).toEqual([1, 0]);
  });
});

describe('refusesCursor and isFinal', () => {
  it('should read CURSOR_EXPIRED and a bad after as a refused cursor', () => {
    expect(refusesCursor([{ message: '', extensions: { code: 'CURSOR_EXPIRED' } }])).toBe(true);
    expect(refusesCursor([{ message: '', extensions: { code: 'BAD_USER_INPUT', field: 'after' } }])).toBe(
      true,
    );
    expect(
      refusesCursor([{ message: '', extensions: { code: 'BAD_USER_INPUT', field: 'destination' } }]),
    ).toBe(false);
  });

  it('should read FORBIDDEN as final and PROVINCE_UNAVAILABLE as passing', () => {
    expect(isFinal([{ message: '', extensions: { code: 'FORBIDDEN' } }])).toBe(true);
    expect(isFinal([{ message: '', extensions: { code: 'PROVINCE_UNAVAILABLE' } }])).toBe(false);
  });
});
