/**
 * Resolvers of the regions directory: `Query.region`, `Query.regions` and the `Region` entity.
 * Codes arriving as arguments are already checked by the RegionCode scalar (BAD_USER_INPUT);
 * codes arriving in `_entities` representations are not, so an unknown one resolves to null.
 */
import {
  childRegions,
  fullRegionName,
  lookupRegion,
  parentRegion,
  type DirectoryRegion,
} from './directory.js';

/** What another subgraph sends for a Region: its key (unchecked). */
export interface RegionReference {
  code?: unknown;
}

/** `Query` fields of the directory. */
export const regionQueryResolvers = {
  /** The region with a valid code (the scalar has rejected unknown codes). */
  region: (_: unknown, args: { code: string }): DirectoryRegion | null => lookupRegion(args.code) ?? null,
  /** Children of `parent`; with no parent, the provinces. */
  regions: (_: unknown, args: { parent?: string | null }): DirectoryRegion[] =>
    childRegions(args.parent ?? null),
};

/** The `Region` entity: resolvable by code, with its place in the tree. */
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

/** The full record behind a region value that may be only a `{ code }` reference. */
function ensureRecord(region: DirectoryRegion | RegionReference): DirectoryRegion | undefined {
  if ('level' in region && 'name' in region) return region as DirectoryRegion;
  return lookupRegion(region.code);
}
