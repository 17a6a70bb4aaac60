import { describe, expect, it } from 'vitest';
import { beijingDateTime, etaDistance, fillRate } from './beijing-time.js';

describe('beijingDateTime', () => {
  it('should show an instant in Beijing time (UTC+8) to the minute', () => {
    expect(beijingDateTime('2020-02-25T06:30:59Z')).toBe('2020-02-25 14:30');
    expect(beijingDateTime('2020-02-25T20:05:00.000Z')).toBe('2020-02-26 04:05');
  });

  it('should read offsets other than UTC', () => {
    expect(beijingDateTime('2020-02-25T14:30:00+08:00')).toBe('2020-02-25 14:30');
  });

  it('should give back what is not a date-time', () => {
    expect(beijingDateTime('soon')).toBe('soon');
  });
});

describe('fillRate', () => {
  it('should give a whole percentage, and a dash without openings', () => {
    expect(fillRate(75, 100)).toBe('75%');
    expect(fillRate(1, 3)).toBe('33%');
    expect(fillRate(0, 0)).toBe('—');
  });
});

describe('etaDistance', () => {
  const now = Date.parse('2020-02-25T06:00:00Z');
  it('should give the hours and minutes to go', () => {
    expect(etaDistance('2020-02-25T08:30:20Z', now)).toEqual({ overdue: false, hours: 2, minutes: 30 });
  });

  it('should say by how much an arrival is overdue', () => {
    expect(etaDistance('2020-02-25T05:45:00Z', now)).toEqual({ overdue: true, hours: 0, minutes: 15 });
  });

  it('should give nothing for what is not a date-time', () => {
    expect(etaDistance('soon', now)).toBeUndefined();
  });
});
