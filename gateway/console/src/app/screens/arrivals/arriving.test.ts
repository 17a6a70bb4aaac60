import { describe, expect, it } from 'vitest';
import { isArriving, minutesToEta } from './arriving.js';

const NOW = Date.parse('2020-02-23T14:00:00+08:00');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('isArriving', () => {
  it('should mark a departed trip due within 30 minutes or late', () => {
    expect(isArriving({ status: 'DEPARTED', expectedArrivalAt: at(29) }, NOW)).toBe(true);
    expect(isArriving({ status: 'DEPARTED', expectedArrivalAt: at(-10) }, NOW)).toBe(true);
    expect(isArriving({ status: 'DEPARTED', expectedArrivalAt: at(31) }, NOW)).toBe(false);
  });

  it('should not mark a trip that has not left or has arrived', () => {
    expect(isArriving({ status: 'PLANNED', expectedArrivalAt: at(5) }, NOW)).toBe(false);
    expect(isArriving({ status: 'ARRIVED', expectedArrivalAt: at(5) }, NOW)).toBe(false);
  });
});

describe('minutesToEta', () => {
  it('should count minutes to the ETA, negative when late', () => {
    expect(minutesToEta({ expectedArrivalAt: at(12.5) }, NOW)).toBe(12);
    expect(minutesToEta({ expectedArrivalAt: at(-3) }, NOW)).toBe(-3);
  });
});
