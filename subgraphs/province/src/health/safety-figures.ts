/**
 * The statistics of safety in the `health` subgraph: `Summary.health`, read from the counters of
 * migration 0009 like every other Summary part (`src/summary/`): one index probe per counter of
 * the scope's key, never a scan of trips or observations. Every province answers (the gateway
 * sums them): any province may organise a trip out of the scope or observe a worker inside it.
 */
import type { ProvinceContext } from '../context.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { healthStats } from '../summary/health.js';
import { summaryScope, type SummaryKey, type SummaryScope } from '../summary/scope.js';

/** The `Summary` resolvers of the `health` subgraph, spread into `healthResolvers`. */
export const safetyFigureResolvers: ResolverMap = {
  Summary: {
    __resolveReference: (ref: SummaryKey) => summaryScope(ref),
    health: (scope: SummaryScope, _: unknown, ctx: ProvinceContext) => healthStats(ctx, scope),
  },
};
