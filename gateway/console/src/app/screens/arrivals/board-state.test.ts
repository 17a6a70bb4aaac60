import { describe, expect, it } from 'vitest';
import type { ArrivalTripFragment } from '../../generated/graphql.js';
import {
  boardRows,
  emptyBoard,
  LOG_LIMIT,
  reloadedTrips,
  withEvent,
  withTrips,
  type ArrivalEvent,
} from './board-state.js';

const trip = (id: string, over: Partial<ArrivalTripFragment> = {}): ArrivalTripFragment => ({
  id,
  mode: 'BUS',
  vehicleCode: `豫P·${id}`,
  status: 'PLANNED',
  origin: { code: '411625', fullName: '河南省 周口市 郸城县' },
  destination: { code: '110105', name: '朝阳区' },
  departureAt: '2020-02-23T05:00:00+08:00',
  expectedArrivalAt: '2020-02-23T15:00:00+08:00',
  arrivedAt: null,
  capacity: 45,
  headcount: null,
  handedOverTo: null,
  cancelReason: null,
  stops: [],
  passengers: [],
  ...over,
});

const event = (
  cursor: string,
  t: ArrivalTripFragment,
  kind: ArrivalEvent['kind'] = 'PLANNED',
): ArrivalEvent => ({
  cursor,
  kind,
  at: '2020-02-23T05:00:00Z',
  stop: null,
  trip: t,
});

describe('withEvent', () => {
  it('should put the trip on the board and log the event', () => {
    const state = withEvent(emptyBoard(), event('c1', trip('T1')), 'now');
    expect([...state.trips.keys()]).toEqual(['T1']);
    expect(state.log.map((e) => [e.cursor, e.kind, e.tripId, e.vehicleCode])).toEqual([
      ['c1', 'PLANNED', 'T1', '豫P·T1'],
    ]);
  });

  it('should log an event seen twice once and keep the trip as it is now', () => {
    let state = withEvent(emptyBoard(), event('c1', trip('T1')), 'now');
    state = withEvent(state, event('c2', trip('T1', { status: 'DEPARTED' }), 'DEPARTED'), 'now');
    state = withEvent(state, event('c2', trip('T1', { status: 'DEPARTED' }), 'DEPARTED'), 'now');
    expect(state.log.map((e) => e.cursor)).toEqual(['c2', 'c1']);
    expect(state.trips.get('T1')?.status).toBe('DEPARTED');
  });

  it('should keep at most LOG_LIMIT lines, the newest', () => {
    let state = emptyBoard();
    for (let i = 0; i < LOG_LIMIT + 5; i++) state = withEvent(state, event(`c${i}`, trip('T1')), 'now');
    expect(state.log).toHaveLength(LOG_LIMIT);
    expect(state.log[0]?.cursor).toBe(`c${LOG_LIMIT + 4}`);
  });
});

describe('withTrips and reloadedTrips', () => {
  it('should replace trips by id and keep the others', () => {
    const state = withTrips(withTrips(emptyBoard(), [trip('T1'), trip('T2')]), [
      trip('T1', { status: 'ARRIVED' }),
    ]);
    expect([...state.trips.values()].map((t) => [t.id, t.status])).toEqual([
      ['T1', 'ARRIVED'],
      ['T2', 'PLANNED'],
    ]);
  });

  it('should drop trips a reload does not list and keep the log', () => {
    const before = withEvent(withTrips(emptyBoard(), [trip('T1')]), event('c1', trip('T2')), 'now');
    const after = reloadedTrips(before, [trip('T3')]);
    expect([...after.trips.keys()]).toEqual(['T3']);
    expect(after.log).toBe(before.log);
  });
});

describe('boardRows', () => {
  it('should list trips on the road first, then planned, then done, each by ETA', () => {
    const state = withTrips(emptyBoard(), [
      trip('A', { status: 'HANDED_OVER' }),
      trip('B', { status: 'PLANNED', expectedArrivalAt: '2020-02-23T18:00:00+08:00' }),
      trip('C', { status: 'PLANNED', expectedArrivalAt: '2020-02-23T12:00:00+08:00' }),
      trip('D', { status: 'DEPARTED' }),
    ]);
    expect(boardRows(state).map((t) => t.id)).toEqual(['D', 'C', 'B', 'A']);
  });
});
