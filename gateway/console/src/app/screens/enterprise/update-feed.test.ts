import { describe, expect, it } from 'vitest';
import { eventsSince, receiveEvent, type ReceivedEvents } from './update-feed.js';

const receiveAll = (events: number[], keep: number, from?: ReceivedEvents<number>) =>
  events.reduce<ReceivedEvents<number> | undefined>((r, e) => receiveEvent(r, e, keep), from)!;

describe('receiveEvent', () => {
  it('should count every event and keep only the last ones', () => {
    expect(receiveAll([1, 2, 3, 4, 5], 3)).toEqual({ count: 5, recent: [3, 4, 5] });
    expect(receiveAll([1, 2], 3)).toEqual({ count: 2, recent: [1, 2] });
  });
});

describe('eventsSince', () => {
  it('should give the events that came since the last count applied, oldest first', () => {
    const received = receiveAll([1, 2, 3, 4], 10);
    expect(eventsSince(received, 2)).toEqual({ fresh: [3, 4], missed: false });
    expect(eventsSince(received, 4)).toEqual({ fresh: [], missed: false });
  });

  it('should say when more came than were kept', () => {
    expect(eventsSince(receiveAll([1, 2, 3, 4, 5], 2), 1)).toEqual({ fresh: [4, 5], missed: true });
  });
});
