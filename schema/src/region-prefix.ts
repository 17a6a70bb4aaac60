/**
 * The levels of GB/T 2260 regions and the code prefix every region inside one starts with. No
 * Node API: the registry import runs it in the browser too, where the directory of regions.ts
 * (which re-exports both) cannot load.
 */

/** Administrative level of a GB/T 2260 region. */
export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP';

/**
 * The prefix every region inside `scope` starts with (province: 2 digits, city: 4, county and
 * township: the code itself), given the level of `scope` (undefined: not in the directory).
 */
export function regionPrefixAt(scope: string, level: RegionLevel | undefined): string {
  switch (level) {
    case 'PROVINCE':
      return scope.slice(0, 2);
    case 'CITY':
      return scope.slice(0, 4);
    default:
      return scope;
  }
}
