/**
 * Resolvers of the `health` logical subgraph (epidemic control at the receiving place:
 * observations and the statistics of safety).
 */
import type { ResolverMap } from '../graphql/resolver-map.js';
import { safetyFigureResolvers } from './safety-figures.js';

/** The `health` subgraph's resolvers. */
export const healthResolvers: ResolverMap = { ...safetyFigureResolvers };
