import type { Caller } from '@p2p/schema';

/**
 * The context of a gateway operation: who is asking (null: anonymous). It is a plain property,
 * not WeakMap state, because Apollo Server shallow-clones the context for every operation of a
 * request (a batch runs several) and the query planner hands the clone to the data sources.
 */
export interface GatewayContext {
  caller: Caller | null;
}

/** The caller of a gateway operation's context (null for anonymous or a context without one). */
export function callerOfContext(context: unknown): Caller | null {
  const caller = (context as Partial<GatewayContext> | undefined)?.caller;
  return caller ?? null;
}
