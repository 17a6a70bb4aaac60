import { describe, expect, it } from 'vitest';
import { chinaDay, expectedChange, figureMismatches, flattenFigures } from './summary.js';

describe('the figures of a Summary (flattenFigures)', () => {
  it('should flatten parts by path and key lists by their mode', () => {
    expect(
      flattenFigures({
        workers: { registered: 3, flow: { withinCounty: 1 } },
        transport: { byMode: [{ mode: 'BUS', trips: 1, moved: { trips: 0 } }] },
      }),
    ).toEqual({
      'workers.registered': 3,
      'workers.flow.withinCounty': 1,
      'transport.byMode.BUS.trips': 1,
      'transport.byMode.BUS.moved.trips': 0,
    });
  });
});

describe('the recount (figureMismatches)', () => {
  const before = { 'workers.registered': 10, 'workers.atHome': 8, 'transport.vehicles': 2 };

  it('should accept figures that moved exactly by what the kit wrote', () => {
    const after = { 'workers.registered': 14, 'workers.atHome': 11, 'transport.vehicles': 3 };
    expect(
      figureMismatches(before, after, {
        'workers.registered': 4,
        'workers.atHome': 3,
        'transport.vehicles': 1,
      }),
    ).toEqual([]);
  });

  it('should name a figure that moved by more, by less, or that the kit did not touch', () => {
    const after = {
      'workers.registered': 15,
      'workers.atHome': 8,
      'transport.vehicles': 2,
      'health.released': 1,
    };
    expect(figureMismatches(before, after, { 'workers.registered': 4, 'workers.atHome': 3 })).toEqual([
      "health.released moved by 1 (0 → 1), the kit's writes move it by 0",
      "workers.atHome moved by 0 (8 → 8), the kit's writes move it by 3",
      "workers.registered moved by 5 (10 → 15), the kit's writes move it by 4",
    ]);
  });

  it('should expect the people the kit registered at home or at work, and its trip out of the county', () => {
    const change = expectedChange(['LATEST', '2020-02-20']);
    expect(change['LATEST:workers.registered']).toBe(
      change['LATEST:workers.atHome']! + change['LATEST:workers.atWork']!,
    );
    expect(change['2020-02-20:transport.outbound.trips']).toBe(1);
    expect(change['LATEST:transport.inbound.trips']).toBeUndefined();
  });
});

describe('the day a change is counted on (chinaDay)', () => {
  it('should be the calendar day in China Standard Time', () => {
    expect(chinaDay(Date.parse('2020-02-19T15:59:59Z'))).toBe('2020-02-19');
    expect(chinaDay(Date.parse('2020-02-19T16:00:00Z'))).toBe('2020-02-20');
  });
});
