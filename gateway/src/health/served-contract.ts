import { judgeServedSdl, type ServedContract } from '@p2p/schema';
import type { ShardedSubgraph } from '../shard/sharded-subgraph.js';

export type { ServedContract } from '@p2p/schema';

/**
 * Judges the SDL a province serves for `sg` against the gateway's contract: the shared judgement
 * of `@p2p/schema` ({@link judgeServedSdl}), which the conformance kit reports too.
 */
export function judgeServedContract(sg: ShardedSubgraph, sdl: string): ServedContract {
  return judgeServedSdl(sg, sdl);
}
