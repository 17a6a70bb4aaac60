import { describe, expect, it } from 'vitest';
import { parseBenchOptions, parseScenarios } from './options.js';
import { matchAppliedBatches, parseAppliedBatch, type AppliedBatchLine } from './relay-apply-log.js';
import type { RelayOutboxEvent } from './relay-events.js';
import { analyseRelayLag, drainRate } from './relay-lag.js';
import { relayEventsPerTrip, stepKey, TravellerPool } from './trip-desks.js';

const GUANGXI = '450000';
const HENAN = '410000';
const SICHUAN = '510000';
const T0 = Date.parse('2026-11-24T08:00:00.000Z');

const event = (over: Partial<RelayOutboxEvent> & { seq: number; at: number }): RelayOutboxEvent => ({
  source: GUANGXI,
  target: HENAN,
  fact: 'TRIP',
  event: 'DEPARTED',
  tripId: 'T45-a',
  workers: 10,
  ...over,
});

const batch = (over: Partial<AppliedBatchLine> & { position: number; at: number }): AppliedBatchLine => ({
  target: HENAN,
  source: GUANGXI,
  applied: 1,
  skipped: 0,
  ms: 10,
  ...over,
});

describe('the applied batches the provinces log', () => {
  const line = JSON.stringify({
    level: 'info',
    time: '2026-11-24T08:00:01.250Z',
    province: HENAN,
    source: GUANGXI,
    applied: 3,
    skipped: 1,
    position: 42,
    ms: 17.5,
    msg: 'relayed events applied',
  });

  it('should read the target, source, position, counts, duration and time of a province line', () => {
    expect(parseAppliedBatch(`province ${HENAN}`, line)).toEqual({
      target: HENAN,
      source: GUANGXI,
      position: 42,
      applied: 3,
      skipped: 1,
      ms: 17.5,
      at: T0 + 1_250,
    });
  });

  it('should ignore the gateway, other messages and lines that are not JSON', () => {
    expect(parseAppliedBatch('gateway', line)).toBeUndefined();
    expect(
      parseAppliedBatch(`province ${HENAN}`, line.replace('relayed events applied', 'sql')),
    ).toBeUndefined();
    expect(parseAppliedBatch(`province ${HENAN}`, 'relayed events applied {')).toBeUndefined();
  });
});

describe('matching events with the batch that applied them', () => {
  const batches = [
    batch({ position: 5, at: T0 + 100 }),
    batch({ position: 9, at: T0 + 200, applied: 2 }),
    // A redelivery that applied nothing: never the batch of an event.
    batch({ position: 9, at: T0 + 250, applied: 0, skipped: 2 }),
    batch({ position: 7, at: T0 + 150, target: SICHUAN }),
  ];

  it('should give each event the first batch of its own pair whose position reaches its seq', () => {
    const events = [
      event({ seq: 5, at: T0 }),
      event({ seq: 6, at: T0 }),
      event({ seq: 9, at: T0 }),
      event({ seq: 3, at: T0, target: SICHUAN }),
    ];
    const { applied, unmatched } = matchAppliedBatches(events, batches);
    expect(unmatched).toEqual([]);
    expect(applied.map((a) => [a.event.seq, a.event.target, a.batch.at])).toEqual([
      [5, HENAN, T0 + 100],
      [6, HENAN, T0 + 200],
      [9, HENAN, T0 + 200],
      [3, SICHUAN, T0 + 150],
    ]);
  });

  it('should leave apart events no batch reached and events of a pair without batches', () => {
    const late = event({ seq: 10, at: T0 });
    const otherSource = event({ seq: 2, at: T0, source: SICHUAN });
    const { applied, unmatched } = matchAppliedBatches([late, otherSource], batches);
    expect(applied).toEqual([]);
    expect(unmatched).toEqual([late, otherSource]);
  });
});

describe('the relay lag', () => {
  const first = batch({ position: 2, at: T0 + 300, applied: 2, ms: 40 });
  const second = batch({ position: 3, at: T0 + 500, applied: 1, ms: 20 });
  const applied = [
    { event: event({ seq: 1, at: T0, event: 'ASSIGNED' }), batch: first },
    { event: event({ seq: 2, at: T0 + 100, event: 'DEPARTED' }), batch: first },
    { event: event({ seq: 3, at: T0 + 200, event: 'HANDED_OVER', workers: 4 }), batch: second },
  ];
  const answers = new Map([
    [stepKey('T45-a', 'assignPassengers'), T0 + 50],
    [stepKey('T45-a', 'confirmArrival'), T0 + 260],
  ]);

  it('should measure from the source transaction, from its answer where known, and before the apply', () => {
    const lag = analyseRelayLag(applied, answers);
    expect(lag.events).toBe(3);
    expect(lag.workers).toBe(24);
    expect([...lag.fromSourceStart.values()]).toEqual([200, 300, 300]);
    // ASSIGNED answered at +50 → 250; HANDED_OVER by confirmArrival at +260 → 240; DEPARTED unknown.
    expect([...lag.fromSourceAnswer.values()]).toEqual([240, 250]);
    expect([...lag.beforeApply.values()]).toEqual([160, 260, 280]);
    expect(lag.byEvent.get('HANDED_OVER')?.summary().max).toBe(300);
  });

  it('should count each apply transaction once, with its size and duration', () => {
    const lag = analyseRelayLag(applied, answers);
    expect([...lag.applyTransaction.values()]).toEqual([20, 40]);
    expect([...lag.eventsPerBatch.values()]).toEqual([1, 2]);
  });

  it('should time a drain from the first apply’s start to the last commit', () => {
    expect(drainRate(applied)).toEqual({
      events: 3,
      workers: 24,
      batches: 2,
      windowMs: 240,
      eventsPerSecond: 12.5,
      workersPerSecond: 100,
    });
    expect(drainRate([])).toMatchObject({ events: 0, windowMs: 0, eventsPerSecond: 0 });
  });
});

describe('the trip desks’ travellers', () => {
  it('should hand out each province’s travellers round-robin, coming round only after the whole pool', () => {
    const pool = new TravellerPool(new Map([[HENAN, ['a', 'b', 'c', 'd', 'e']]]));
    expect(pool.take(HENAN, 2)).toEqual(['a', 'b']);
    expect(pool.take(HENAN, 2)).toEqual(['c', 'd']);
    expect(pool.take(HENAN, 2)).toEqual(['e', 'a']);
    expect(() => pool.take(HENAN, 6)).toThrow(/fewer than 6/);
    expect(() => pool.take(GUANGXI, 1)).toThrow(/450000/);
  });

  it('should make 4 TRIP facts per other province and a HEALTH_COPY per traveller of another province', () => {
    expect(relayEventsPerTrip(2, 10)).toBe(4 + 10);
    expect(relayEventsPerTrip(5, 10)).toBe(16 + 40);
  });
});

describe('the relay scenario’s options', () => {
  it('should run the relay by name, last, with its own duration and backlog', () => {
    expect(parseScenarios('relay,mixed')).toEqual(['mixed-load', 'relay']);
    expect(parseScenarios(undefined).at(-1)).toBe('relay');
    expect(parseScenarios('relay,boarding-gate')).toEqual(['boarding-gate', 'relay']);
    expect(parseBenchOptions([], {})).toMatchObject({ relayDurationSeconds: 60, relayBacklog: 5_000 });
    expect(parseBenchOptions(['--quick'], {})).toMatchObject({ relayDurationSeconds: 8, relayBacklog: 400 });
    expect(parseBenchOptions(['--relay-duration', '30', '--relay-backlog', '20_000'], {})).toMatchObject({
      relayDurationSeconds: 30,
      relayBacklog: 20_000,
    });
    expect(() => parseBenchOptions(['--relay-backlog', '0'], {})).toThrow(/--relay-backlog/);
  });
});
