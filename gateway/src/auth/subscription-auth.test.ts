import { encodeId } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { principalOf } from './subscription-auth.js';

describe('principalOf', () => {
  it('should never give two workers one principal (their events are resolved apart), officers as before', () => {
    const worker = (workerId: string) => ({
      subject: 's',
      role: 'worker' as const,
      region: '410000',
      workerId,
    });
    const [a, b] = [encodeId('Worker', '410000'), encodeId('Worker', '410000')];
    expect(principalOf(worker(a))).not.toBe(principalOf(worker(b)));
    expect(principalOf(worker(a))).toBe(`worker:410000::${a}`);
    expect(principalOf({ subject: 'x', role: 'city', region: '110105' })).toBe('city:110105:');
  });
});
