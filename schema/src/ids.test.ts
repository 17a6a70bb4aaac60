import { describe, expect, it } from 'vitest';
import { decodeId, encodeId, tryDecodeId, workerIdFor } from './ids.js';

describe('entity id codec', () => {
  it('should put the owning province into every id and read it back', () => {
    const id = encodeId('Trip', '450000');
    expect(id).toMatch(/^T45-[0-9a-f]{32}$/);
    expect(decodeId(id, 'Trip')).toMatchObject({ kind: 'Trip', province: '450000' });
  });

  it('should reject ids of another kind or shape', () => {
    expect(tryDecodeId('hello')).toBeUndefined();
    expect(() => decodeId(encodeId('Trip', '450000'), 'Worker')).toThrowError(/not a Worker id/);
  });

  it('should derive the same worker id for the same resident ID in any province, keyed', () => {
    const a = workerIdFor('11010519491231002X', '450000', 'k1');
    expect(workerIdFor('11010519491231002x', '450000', 'k1')).toBe(a);
    expect(workerIdFor('11010519491231002X', '450000', 'k2')).not.toBe(a);
    expect(a).not.toContain('1101051949');
    expect(decodeId(a, 'Worker').province).toBe('450000');
  });
});
