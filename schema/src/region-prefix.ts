/**
 * The code prefix every region inside a GB/T 2260 region starts with, by its level. No Node API:
 * the registry import runs it in the browser too, where the directory of regions.ts cannot load.
 */
import type { RegionLevel } from './regions.js';

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
