import { describe, expect, it } from 'vitest';
import { childRegionCodes, findRegion, provinceOf } from '@p2p/schema';
import { kitRegions } from './kit-regions.js';

describe('kitRegions', () => {
  it('should pick a county of the province, its city, another city and another province', () => {
    const r = kitRegions('130000');
    expect(findRegion(r.testCounty)?.level).toBe('COUNTY');
    expect(findRegion(r.testCounty)?.parent).toBe(r.testCity);
    expect(provinceOf(r.testCounty)).toBe('130000');
    expect(findRegion(r.otherCity)?.level).toBe('CITY');
    expect(r.otherCity).not.toBe(r.testCity);
    expect(findRegion(r.otherCityCounty)?.parent).toBe(r.otherCity);
    expect(r.otherProvince).not.toBe('130000');
    expect(provinceOf(r.otherProvinceCounty)).toBe(r.otherProvince);
  });

  it('should use two counties as the officers’ regions in a province of one city (Beijing)', () => {
    const r = kitRegions('110000');
    expect(findRegion(r.testCity)?.level).toBe('COUNTY');
    expect(r.testCity).toBe(r.testCounty);
    expect(findRegion(r.otherCity)?.level).toBe('COUNTY');
    expect(r.otherCity).not.toBe(r.testCounty);
  });

  it('should take the test region given, and refuse one outside the province or not a county', () => {
    expect(kitRegions('450000', '450102').testCounty).toBe('450102');
    expect(() => kitRegions('450000', '130102')).toThrow(/not a county of province 450000/);
    expect(() => kitRegions('450000', '450100')).toThrow(/not a county/);
    expect(() => kitRegions('450100')).toThrow(/not a GB\/T 2260 province/);
  });

  it('should find its regions in every province of the mainland', () => {
    const mainland = childRegionCodes(null).filter((code) => !['710000', '810000', '820000'].includes(code));
    expect(mainland).toHaveLength(31);
    for (const code of mainland) expect(() => kitRegions(code)).not.toThrow();
  });
});
