import type { TripFact } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { moveWorker, type MovingRecord } from './trip-facts.js';

const fact = (event: TripFact['event'], tripId = 'T45-busnumber1'): TripFact => ({
  fact: 'TRIP',
  event,
  trip: {
    id: tripId,
    organizer: '450200',
    mode: 'BUS',
    vehicleCode: '桂B-1',
    origin: '450200',
    destination: '440300',
    departureAt: '2020-02-20T08:00:00.000Z',
    expectedArrivalAt: '2020-02-21T08:00:00.000Z',
    arrivedAt: null,
    status: 'DEPARTED',
  },
  workers: [],
});

const atHome = (over: Partial<MovingRecord> = {}): MovingRecord => ({
  status: 'AT_HOME',
  workRegion: null,
  currentTripId: null,
  moved: false,
  ...over,
});

/** The record after the facts, in order. */
function replay(record: MovingRecord, ...steps: [TripFact, boolean][]): MovingRecord {
  for (const [f, boarded] of steps) moveWorker(record, f, boarded);
  return record;
}

describe('a worker’s record replayed through TRIP facts', () => {
  it('should put him on the trip, make him travel and hand him over at its destination', () => {
    expect(
      replay(atHome(), [fact('ASSIGNED'), false], [fact('DEPARTED'), true], [fact('ARRIVED'), true]),
    ).toEqual({ status: 'TRAVELLING', workRegion: null, currentTripId: 'T45-busnumber1', moved: true });
    expect(
      replay(atHome(), [fact('ASSIGNED'), false], [fact('DEPARTED'), true], [fact('HANDED_OVER'), true]),
    ).toEqual({ status: 'AT_WORK', workRegion: '440300', currentTripId: null, moved: true });
  });

  it('should take off the trip who was left behind or removed, and only from that trip', () => {
    expect(replay(atHome(), [fact('ASSIGNED'), false], [fact('DEPARTED'), false])).toMatchObject({
      status: 'AT_HOME',
      currentTripId: null,
    });
    const elsewhere = atHome({ currentTripId: 'T45-anotherbus' });
    expect(replay(elsewhere, [fact('REMOVED'), false], [fact('DEPARTED'), false])).toEqual({
      ...atHome({ currentTripId: 'T45-anotherbus' }),
      moved: false,
    });
    // Handed over from a trip that is no longer his current one: at work, the other trip kept.
    expect(replay(atHome({ currentTripId: 'T45-anotherbus' }), [fact('HANDED_OVER'), true])).toMatchObject({
      status: 'AT_WORK',
      currentTripId: 'T45-anotherbus',
      moved: true,
    });
  });

  it('should bring home, on a cancellation, only who boarded and travels on that trip (or none)', () => {
    expect(
      replay(atHome(), [fact('ASSIGNED'), false], [fact('DEPARTED'), true], [fact('CANCELLED'), true]),
    ).toEqual(atHome({ moved: true }));
    const onAnother = atHome({ status: 'TRAVELLING', currentTripId: 'T45-anotherbus' });
    expect(replay(onAnother, [fact('CANCELLED'), true])).toEqual({ ...onAnother, moved: false });
    expect(
      replay(atHome({ status: 'AT_WORK', workRegion: '440300' }), [fact('CANCELLED'), true]),
    ).toMatchObject({
      status: 'AT_WORK',
      moved: false,
    });
  });

  it('should write nothing for a new ETA or an arrival', () => {
    const travelling = atHome({ status: 'TRAVELLING', currentTripId: 'T45-busnumber1' });
    expect(replay({ ...travelling }, [fact('ETA_CHANGED'), true], [fact('ARRIVED'), true])).toEqual(
      travelling,
    );
  });
});

describe('a worker under observation at the receiving place (#14.4)', () => {
  it('should keep him OBSERVATION at the hand-over, recording his work region and clearing the trip', () => {
    const observed = atHome({ status: 'OBSERVATION', currentTripId: 'T45-busnumber1' });
    expect(replay(observed, [fact('HANDED_OVER'), true])).toEqual({
      status: 'OBSERVATION',
      workRegion: '440300',
      currentTripId: null,
      moved: true,
    });
  });
});

describe('a hand-over at one stop of a trip with several (#14.5)', () => {
  const withStops = (event: TripFact['event'], stop?: string): TripFact => ({
    ...fact(event),
    trip: { ...fact(event).trip, destination: '440600', stops: ['440300', '441900', '440600'] },
    ...(stop ? { stop } : {}),
  });

  it('should put him to work at his own stop, else at the fact’s stop, else at the destination', () => {
    const at = (stop: string | undefined, alightAt: string | null | undefined) => {
      const record = atHome({ status: 'TRAVELLING', currentTripId: 'T45-busnumber1' });
      moveWorker(record, withStops('HANDED_OVER', stop), true, alightAt);
      return record.workRegion;
    };
    expect(at('441900', '441900')).toBe('441900');
    expect(at('440300', undefined)).toBe('440300');
    expect(at(undefined, null)).toBe('440600');
  });
});
