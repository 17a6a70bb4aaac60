import { describe, expect, it } from 'vitest';
import { addDays, chinaToday } from './days.js';

describe('chinaToday', () => {
  it('should count the day in China Standard Time', () => {
    expect(chinaToday(new Date('2020-02-09T15:59:59Z'))).toBe('2020-02-09');
    expect(chinaToday(new Date('2020-02-09T16:00:00Z'))).toBe('2020-02-10');
  });
});

describe('addDays', () => {
  it('should move across months and leap days', () => {
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(addDays('2020-02-28', 14)).toBe('2020-03-13');
  });
});
