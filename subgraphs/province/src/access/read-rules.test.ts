import type { Caller } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { assertMayFollowEnterprise, assertMayReadWorkerRequests } from './read-rules.js';

const FACTORY = 'E11-factory00000001';
const OTHER = 'E11-factory00000002';
const ENTERPRISE: Caller = { subject: 'e', role: 'enterprise', region: '110105', enterpriseId: FACTORY };
const CHAOYANG: Caller = { subject: 'cy', role: 'city', region: '110105' };
const HAIDIAN: Caller = { subject: 'hd', role: 'city', region: '110108' };
const BEIJING: Caller = { subject: 'bj', role: 'province', region: '110000' };
const HENAN: Caller = { subject: 'ha', role: 'province', region: '410000' };
const ZHOUKOU: Caller = { subject: 'zk', role: 'city', region: '411600' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const SYSTEM: Caller = { subject: 'p2p-gateway', role: 'system' };
const RELAY: Caller = { subject: 'p2p-relay', role: 'relay' };

const refusal = (check: () => void) => {
  try {
    check();
    return undefined;
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('returnRequestUpdates(enterpriseId:): who follows an enterprise (#13.3)', () => {
  it.each([
    ['the enterprise itself', ENTERPRISE, FACTORY, undefined],
    ["an officer of the enterprise's district", CHAOYANG, FACTORY, undefined],
    ["an officer of the enterprise's province", BEIJING, FACTORY, undefined],
    ['the ministry', MINISTRY, FACTORY, undefined],
    ["the gateway's shared feed", SYSTEM, FACTORY, undefined],
    ["an enterprise, for another enterprise's id", ENTERPRISE, OTHER, 'FORBIDDEN'],
    ['an officer of another district of the city', HAIDIAN, FACTORY, 'FORBIDDEN'],
    ["an officer of the workers' home province", HENAN, FACTORY, 'FORBIDDEN'],
    ['the relay', RELAY, FACTORY, 'FORBIDDEN'],
  ] as const)('should decide %s', (_label, caller, enterpriseId, code) => {
    expect(refusal(() => assertMayFollowEnterprise(caller, enterpriseId, '110105'))).toBe(code);
  });

  it('should refuse officers when the enterprise is not found (no region to judge by)', () => {
    expect(refusal(() => assertMayFollowEnterprise(BEIJING, FACTORY, undefined))).toBe('FORBIDDEN');
    expect(refusal(() => assertMayFollowEnterprise(ENTERPRISE, FACTORY, undefined))).toBeUndefined();
  });
});

describe("Worker.returnRequests: the worker's home side only (#13.3)", () => {
  const worker = { id: 'W41-worker000000001', homeRegion: '411602' };
  it.each([
    ['his home city', ZHOUKOU, undefined],
    ['his home province', HENAN, undefined],
    ['the city of the enterprise', CHAOYANG, 'FORBIDDEN'],
    ['an enterprise', ENTERPRISE, 'FORBIDDEN'],
    ['the ministry', MINISTRY, 'FORBIDDEN'],
    ["the gateway's system caller", SYSTEM, 'FORBIDDEN'],
  ] as const)('should decide %s', (_label, caller, code) => {
    expect(refusal(() => assertMayReadWorkerRequests(caller, worker))).toBe(code);
  });
});
