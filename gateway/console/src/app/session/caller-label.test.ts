import { describe, expect, it } from 'vitest';
import { callerLabel } from './caller-label.js';

const ROLES = { ministry: '部委', province: '省级', city: '市县', enterprise: '企业', worker: '务工人员' };

describe('the label of a caller signed in at the identity provider', () => {
  it('should name the role and the region by its name once known', () => {
    expect(callerLabel({ role: 'province', region: '450000' }, '广西壮族自治区', ROLES)).toBe(
      '省级 · 广西壮族自治区',
    );
  });

  it('should show the region code until the name is known', () => {
    expect(callerLabel({ role: 'city', region: '450200' }, null, ROLES)).toBe('市县 · 450200');
  });

  it('should name a caller without a region by the role alone', () => {
    expect(callerLabel({ role: 'ministry' }, undefined, ROLES)).toBe('部委');
  });
});
