import { describe, expect, it } from 'vitest';
import type { NationFiguresFragment } from '../../generated/graphql.js';
import {
  departedPassengers,
  regionFigures,
  unansweredChildren,
  unansweredProvinces,
} from './region-figures.js';

const count = (trips: number, passengers: number, moved = 0) => ({
  trips,
  passengers,
  moved: { trips: moved ? 1 : 0, passengers: moved },
});

function summary(
  overrides: { registered?: number; movedOut?: number; movedWithin?: number } = {},
): NationFiguresFragment {
  return {
    scope: '450000',
    day: 'LATEST',
    workers: {
      registered: overrides.registered ?? 0,
      atHome: 0,
      travelling: 0,
      atWork: 0,
      underObservation: 0,
      out: 0,
      outRate: 0,
      flow: { withinTownship: 0, withinCounty: 0, withinCity: 0, withinProvince: 0, crossProvince: 0 },
    },
    transport: {
      outbound: count(overrides.movedOut ? 1 : 0, overrides.movedOut ?? 0, overrides.movedOut ?? 0),
      inbound: count(0, 0),
      internal: count(0, overrides.movedWithin ?? 0, overrides.movedWithin ?? 0),
      vehicles: 0,
    },
    employment: {
      enterprises: 0,
      keyEnterprises: 0,
      openings: 0,
      filled: 0,
      keyOpenings: 0,
      keyFilled: 0,
      keyFillRate: 0,
    },
  } as NationFiguresFragment;
}

describe('regionFigures', () => {
  it('should count what moved today as departed now minus departed at the end of yesterday', () => {
    const today = summary({ registered: 10, movedOut: 7, movedWithin: 3 });
    const yesterday = summary({ movedOut: 4, movedWithin: 1 });
    expect(departedPassengers(today)).toBe(10);
    expect(regionFigures(today, '广西', { yesterday }).movedToday).toBe(5);
    expect(regionFigures(today, '广西', {}).movedToday).toBeNull();
  });

  it('should tell a region with figures, one with nothing recorded and one whose province did not answer', () => {
    expect(regionFigures(summary({ registered: 1 }), '广西', {}).status).toBe('ok');
    expect(regionFigures(summary(), '广西', {}).status).toBe('empty');
    expect(regionFigures(summary(), '广西', { unavailable: true }).status).toBe('unavailable');
  });
});

describe('unansweredChildren', () => {
  const scopes = [
    '110000',
    '120000',
    '130000',
    '140000',
    '150000',
    '210000',
    '220000',
    '230000',
    '310000',
    '320000',
  ];
  const unavailable = (path: (string | number)[], province?: string, code = 'PROVINCE_UNAVAILABLE') => ({
    path,
    extensions: { code, ...(province ? { province } : {}) },
  });

  it('should find the children whose own province did not answer a part', () => {
    const errors = [
      unavailable(['summary', 'children', 3, 'workers'], '140000'),
      unavailable(['summary', 'children', 5, 'employment'], '210000', 'PROVINCE_INCOMPATIBLE'),
      unavailable(['summary', 'workers'], '140000'),
      unavailable(['yesterday', 'children', 7, 'transport'], '230000'),
      { path: ['summary', 'children', 9], extensions: { code: 'FORBIDDEN' } },
    ];
    expect([...unansweredChildren(errors, scopes)].sort()).toEqual([3, 5]);
  });

  it("should leave a child whose transport lacks another province's trips as answered", () => {
    const errors = [
      unavailable(['summary', 'children', 0, 'transport'], '140000'),
      unavailable(['summary', 'children', 3, 'transport'], '140000'),
      unavailable(['summary', 'children', 4, 'workers']),
    ];
    expect([...unansweredChildren(errors, scopes)].sort()).toEqual([3, 4]);
    expect(unansweredProvinces(errors)).toEqual(['140000']);
  });
});
