import { describe, expect, it } from 'vitest';
import type { ReturnRequestStatus } from '../db/schema/index.js';
import { assertMayBecome, isFinal, mayBecome, REQUEST_LIFE, refusedChange } from './request-life.js';

const STATUSES: ReturnRequestStatus[] = [
  'FILED',
  'ACKNOWLEDGED',
  'ARRANGED',
  'ON_POST',
  'WITHDRAWN',
  'DECLINED',
];

/** Every allowed change, written out by hand: the table must say exactly this. */
const ALLOWED = new Set([
  'FILED>ACKNOWLEDGED',
  'FILED>ARRANGED',
  'FILED>ON_POST',
  'FILED>WITHDRAWN',
  'FILED>DECLINED',
  'ACKNOWLEDGED>ARRANGED',
  'ACKNOWLEDGED>ON_POST',
  'ACKNOWLEDGED>WITHDRAWN',
  'ACKNOWLEDGED>DECLINED',
  'ARRANGED>ACKNOWLEDGED',
  'ARRANGED>ON_POST',
  'ARRANGED>WITHDRAWN',
  'ARRANGED>DECLINED',
]);

describe('the life of a return request (#13.3)', () => {
  it('should cover every status of the contract, and no other', () => {
    expect(Object.keys(REQUEST_LIFE).sort()).toEqual([...STATUSES].sort());
    for (const next of Object.values(REQUEST_LIFE)) for (const to of next) expect(STATUSES).toContain(to);
  });

  it.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)))(
    'should decide %s → %s as the written list says',
    (from, to) => {
      const allowed = ALLOWED.has(`${from}>${to}`);
      expect(mayBecome(from, to)).toBe(allowed);
      expect(refusedChange('R11-abcdefgh', from, to) === undefined).toBe(allowed);
    },
  );

  it('should make ON_POST, WITHDRAWN and DECLINED final, and nothing else', () => {
    expect(STATUSES.filter(isFinal)).toEqual(['ON_POST', 'WITHDRAWN', 'DECLINED']);
  });

  it('should refuse going back from ON_POST with CONFLICT naming the status', () => {
    for (const to of STATUSES) {
      let thrown: unknown;
      try {
        assertMayBecome('R11-abcdefgh', 'ON_POST', to);
      } catch (err) {
        thrown = err;
      }
      const error = thrown as { message: string; extensions: Record<string, unknown> };
      expect(error.extensions).toEqual({ code: 'CONFLICT', id: 'R11-abcdefgh', status: 'ON_POST' });
      expect(error.message).toContain('ON_POST');
    }
  });

  it('should say "already" when the change would not change anything', () => {
    expect(refusedChange('R11-abcdefgh', 'WITHDRAWN', 'WITHDRAWN')?.message).toMatch(/already WITHDRAWN/);
    expect(refusedChange('R11-abcdefgh', 'DECLINED', 'WITHDRAWN')?.message).toMatch(
      /it is DECLINED, and a DECLINED request cannot become WITHDRAWN/,
    );
  });
});
