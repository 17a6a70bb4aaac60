import { childRegionCodes, findRegion, provinceOf } from '@p2p/schema';

/** The regions the kit works in, all from GB/T 2260. */
export interface KitRegions {
  /** The province under test. */
  province: string;
  /** The county every record the kit writes is homed in or leaves from (`--test-region`). */
  testCounty: string;
  /** The region of the test city's officer: the test county's city (the county itself in a province of one city). */
  testCity: string;
  /** Another city of the same province (another county in a province of one city): its officer must not see the test city's people. */
  otherCity: string;
  /** A county of the other city. */
  otherCityCounty: string;
  /** Another province (its ids must be refused, its officers kept out). */
  otherProvince: string;
  /** A county of the other province (a trip's destination, an id's home). */
  otherProvinceCounty: string;
}

/**
 * Picks the kit's regions in `province`: the test county is `testRegion` when given (a county of the
 * province), else the last county of the province's last city (rarely a place with real records);
 * the other city is the province's first city that is not the test city.
 * @throws Error when the codes do not fit (not a province, a test region outside it, a province of one city).
 */
export function kitRegions(province: string, testRegion?: string): KitRegions {
  if (findRegion(province)?.level !== 'PROVINCE')
    throw new Error(`--province: ${province} is not a GB/T 2260 province`);
  const cities = childRegionCodes(province).filter((c) => childRegionCodes(c).some(isCounty));
  const counties = cities.flatMap((c) => childRegionCodes(c).filter(isCounty));
  if (counties.length < 2) throw new Error(`province ${province} has fewer than two counties`);
  let testCounty: string;
  if (testRegion) {
    if (findRegion(testRegion)?.level !== 'COUNTY' || provinceOf(testRegion) !== province)
      throw new Error(`--test-region: ${testRegion} is not a county of province ${province}`);
    testCounty = testRegion;
  } else {
    testCounty = counties.at(-1)!;
  }
  const city = findRegion(testCounty)!.parent!;
  // A province of one city with counties (Beijing, Shanghai, Tianjin) has no other city: its
  // officers' regions are then two of its counties (a `city` caller's region may be a county).
  const otherCityCode = cities.find((c) => c !== city);
  const testCity = otherCityCode ? city : testCounty;
  const otherCity = otherCityCode ?? counties.find((c) => c !== testCounty)!;
  const otherProvince = childRegionCodes(null).find((p) => p !== province && p !== '710000')!;
  const otherProvinceCity = childRegionCodes(otherProvince).find((c) => childRegionCodes(c).some(isCounty))!;
  return {
    province,
    testCounty,
    testCity,
    otherCity,
    otherCityCounty: otherCityCode ? childRegionCodes(otherCityCode).find(isCounty)! : otherCity,
    otherProvince,
    otherProvinceCounty: childRegionCodes(otherProvinceCity).find(isCounty)!,
  };
}

function isCounty(code: string): boolean {
  return findRegion(code)?.level === 'COUNTY';
}
