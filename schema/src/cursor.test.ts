import { describe, expect, it } from 'vitest';
import { compareKeysets, decodeCursor, encodeCursor, pageSize } from './cursor.js';

describe('keyset cursors', () => {
  it('should round-trip string and number keys', () => {
    for (const k of [
      { k: '2020-02-20T00:00:00.000Z', id: 'T45-a' },
      { k: 3, id: 'W11-b' },
    ]) {
      expect(decodeCursor(encodeCursor(k))).toEqual(k);
    }
  });

  it('should reject anything that is not one of our cursors', () => {
    for (const bad of [
      '',
      'abc',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrowError(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
  });

  it('should order by key then id in byte order', () => {
    expect(compareKeysets({ k: 'a', id: 'Z' }, { k: 'b', id: 'A' })).toBeLessThan(0);
    expect(compareKeysets({ k: 'a', id: 'Z' }, { k: 'a', id: 'a' })).toBeLessThan(0);
    expect(compareKeysets({ k: 'a', id: 'x' }, { k: 'a', id: 'x' })).toBe(0);
  });

  it('should bound page sizes', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(101)).toThrowError(/between 0 and 100/);
    expect(() => pageSize(-1)).toThrowError();
  });
});
