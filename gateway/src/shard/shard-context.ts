import type { Caller } from '@p2p/schema';
import type { ProvinceBreaker } from './province-breaker.js';
import type { ProvinceClient } from './province-client.js';
import type { ProvinceRegistry } from './province-registry.js';
import type { ShardedSubgraph } from './sharded-subgraph.js';

/** Everything a fetch to a logical subgraph's provinces needs; one per shard router. */
export interface ShardContext {
  subgraph: ShardedSubgraph;
  registry: ProvinceRegistry;
  client: ProvinceClient;
  /** Skips provinces known to be down; absent: every connected province is always tried. */
  breaker?: ProvinceBreaker;
  /** Who is asking (per request; see ShardRouter.process): the provinces receive it signed. */
  caller?: Caller | null;
}
