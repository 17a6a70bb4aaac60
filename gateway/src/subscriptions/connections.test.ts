import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { describe, expect, it, vi } from 'vitest';
import { admitConnection, connectionState } from './connections.js';
import { endingAtExpiry, tokenExpired } from './token-expiry.js';

/** A connection admitted with a token, as ws-server.ts admits one (no socket is used here). */
const admitted = () =>
  admitConnection({}, {} as WebSocket, { principal: 'city:451100', expiresAt: Date.now() + 60_000 }, {
    socket: { remoteAddress: '127.0.0.1' },
  } as IncomingMessage);

describe('connection expiry', () => {
  it('should call each live listener once at expiry, and none that was removed', () => {
    const state = admitted();
    const kept = vi.fn();
    const removed = vi.fn();
    state.onExpiry(kept);
    state.onExpiry(kept); // two subscriptions with the same listener: each is told
    state.onExpiry(removed)();
    expect(state.expired).toBe(false);
    state.expire();
    state.expire();
    expect(state.expired).toBe(true);
    expect(kept).toHaveBeenCalledTimes(2);
    expect(removed).not.toHaveBeenCalled();
  });

  it('should tell a listener added after expiry at once (in a microtask), and remove one of two equal listeners alone', async () => {
    const state = admitted();
    const listener = vi.fn();
    const first = state.onExpiry(listener);
    state.onExpiry(listener);
    first();
    state.expire();
    expect(listener).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    state.onExpiry(late);
    expect(late).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('should fail at once a subscription that starts after the expiry, and end its stream', async () => {
    const state = admitted();
    state.expire();
    let returned = false;
    const stream: AsyncIterableIterator<number> = {
      next: () => new Promise(() => {}),
      return: async () => {
        returned = true;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => stream,
    };
    const ending = endingAtExpiry(stream, state.onExpiry, () => tokenExpired(state.expiresAt));
    await expect(ending.next()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(returned).toBe(true);
  });

  it('should keep the state of the connection it was admitted for', () => {
    const key = {};
    const state = admitConnection(key, {} as WebSocket, {}, { socket: {} } as IncomingMessage);
    expect(connectionState(key)).toBe(state);
    expect(state.principal).toBe('anonymous');
    expect(state.callerKey).toBe('address:unknown');
  });
});
