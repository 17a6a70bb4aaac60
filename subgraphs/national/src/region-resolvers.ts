/**
 * Resolvers of the regions directory: `Query.region`, `Query.regions` and the `Region` entity.
 * Codes arriving as arguments are already checked by the RegionCode scalar (BAD_USER_INPUT);
 * codes arriving in `_entities` representations are not, so an unknown one resolves to null.
 * The `Region` resolvers are `@p2p/schema`'s, which the gateway runs too (gateway/src/national/).
 */
import { childRegions, lookupRegion, type DirectoryRegion } from './directory.js';

export { regionTypeResolvers, type RegionReference } from '@p2p/schema';

/** `Query` fields of the directory. */
export const regionQueryResolvers = {
  /** The region with a valid code (the scalar has rejected unknown codes). */
  region: (_: unknown, args: { code: string }): DirectoryRegion | null => lookupRegion(args.code) ?? null,
  /** Children of `parent`; with no parent, the provinces. */
  regions: (_: unknown, args: { parent?: string | null }): DirectoryRegion[] =>
    childRegions(args.parent ?? null),
};
