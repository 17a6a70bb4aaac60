import { describe, expect, it } from 'vitest';
import {
  ancestorAt,
  assertRegionCode,
  childRegionCodes,
  findRegion,
  provinceOf,
  regionContains,
  regionPrefix,
} from './regions.js';

describe('GB/T 2260 regions', () => {
  it('should know every level from the dataset', () => {
    expect(findRegion('450000')).toMatchObject({ name: '广西壮族自治区', level: 'PROVINCE', parent: null });
    expect(findRegion('450200')).toMatchObject({ name: '柳州市', level: 'CITY', parent: '450000' });
    expect(findRegion('450203')).toMatchObject({ level: 'COUNTY', parent: '450200' });
    expect(findRegion('450203001')).toMatchObject({ level: 'TOWNSHIP', parent: '450203' });
    expect(childRegionCodes(null)).toHaveLength(31);
  });

  it('should give every township a chain up to its province', () => {
    for (const province of childRegionCodes(null)) {
      for (const city of childRegionCodes(province)) {
        for (const county of childRegionCodes(city)) {
          for (const town of childRegionCodes(county)) {
            expect(ancestorAt(town, 'PROVINCE')).toBe(province);
            expect(regionContains(city, town)).toBe(true);
            expect(town.startsWith(regionPrefix(city))).toBe(true);
          }
        }
      }
    }
  });

  it('should reject malformed and unknown codes with BAD_USER_INPUT', () => {
    for (const bad of ['45', '4500000', '45000a', '450299', '999999', '450203999', 450000]) {
      expect(() => assertRegionCode(bad)).toThrowError(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
    expect(assertRegionCode('130730')).toBe('130730');
  });

  it('should map any code to its province and test containment', () => {
    expect(provinceOf('450203001')).toBe('450000');
    expect(regionContains('450200', '450203001')).toBe(true);
    expect(regionContains('450200', '440300')).toBe(false);
    expect(regionContains('450203001', '450203001')).toBe(true);
  });
});

describe('cities without counties', () => {
  it('should hang Dongguan townships directly under the city', () => {
    expect(findRegion('441900')).toMatchObject({ level: 'CITY', name: '东莞市' });
    const town = childRegionCodes('441900')[0]!;
    expect(findRegion(town)).toMatchObject({ level: 'TOWNSHIP', parent: '441900' });
    expect(ancestorAt(town, 'PROVINCE')).toBe('440000');
  });
});
