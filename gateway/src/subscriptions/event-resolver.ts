/**
 * Resolves events' entities through the gateway's own federated pipeline, shared and batched:
 * every client with the same selection (and the same caller) shares one resolver; the events
 * all of them ask for in one turn of the event loop become one query of padded batch size; the
 * answer for an event is kept a while, so a client that reads it later gets the same one.
 */
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '@p2p/runtime';
import {
  BATCH_SIZES,
  resolutionAlias,
  resolutionQuery,
  resolutionVariables,
  type EntitySelection,
} from './event-selection.js';
import type { UpstreamEvent } from './topics.js';

/** Runs a GraphQL operation through the gateway (e.g. `apollo.executeOperation`). */
export type FederatedExecutor = (
  query: string,
  variables: Record<string, unknown>,
  context: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

/** An event's entity as the client selected it. */
export interface ResolvedEntity {
  /** Response key of the entity field → its data (null when it could not be read). */
  data: Record<string, unknown>;
  /** Errors met, with paths relative to the event (`[responseKey, 'passengers', 0, 'worker']`). */
  errors: GraphQLFormattedError[];
}

/** Options of {@link EventResolver}. */
export interface EventResolverOptions {
  selection: EntitySelection;
  execute: FederatedExecutor;
  /** The caller's context, passed to the federated pipeline (authentication). */
  context: Record<string, unknown>;
  logger: Logger;
  /** Answers kept per resolver, by event. @default 2000 */
  cacheSize?: number;
}

interface Pending {
  entityId: string;
  resolve(entity: ResolvedEntity): void;
}

const largest = BATCH_SIZES[BATCH_SIZES.length - 1]!;

/** Delays before reading again a record whose province did not answer. */
const RETRY_DELAYS_MS = [250, 750, 2_000];

/** True when the entity itself is missing because its province was unavailable. */
function unreadable(entity: ResolvedEntity | undefined): boolean {
  if (!entity) return false;
  return Object.entries(entity.data).some(
    ([key, value]) =>
      value === null &&
      entity.errors.some(
        (e) => e.path?.length === 1 && e.path[0] === key && e.extensions?.code === 'PROVINCE_UNAVAILABLE',
      ),
  );
}

/** Batched, shared resolution of one selection's entities. */
export class EventResolver {
  private readonly cache = new Map<string, Promise<ResolvedEntity>>();
  private pending: Pending[] = [];
  private scheduled = false;
  /** Federated queries sent (for the benchmark). */
  queries = 0;

  constructor(private readonly options: EventResolverOptions) {}

  /** Resolves each event's entity (one answer per event, in order). */
  resolve(events: readonly UpstreamEvent[]): Promise<ResolvedEntity[]> {
    return Promise.all(events.map((event) => this.one(event)));
  }

  private one(event: UpstreamEvent): Promise<ResolvedEntity> {
    // The epoch too: after a restore the same seq is another event.
    const key = `${event.province}:${event.epoch ?? ''}:${event.seq}`;
    let answer = this.cache.get(key);
    if (!answer) {
      answer =
        this.options.selection.byResponseKey.size === 0
          ? Promise.resolve({ data: {}, errors: [] })
          : new Promise<ResolvedEntity>((resolve) => {
              this.pending.push({ entityId: event.entityId, resolve });
              this.schedule();
            });
      this.cache.set(key, answer);
      if (this.cache.size > (this.options.cacheSize ?? 2000))
        this.cache.delete(this.cache.keys().next().value!);
    }
    return answer;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = [];
      const ids = [...new Set(batch.map((p) => p.entityId))];
      for (let i = 0; i < ids.length; i += largest) void this.fetch(ids.slice(i, i + largest), batch);
    });
  }

  private async fetch(ids: string[], batch: Pending[], attempt = 0): Promise<void> {
    const { selection } = this.options;
    const size = BATCH_SIZES.find((s) => s >= ids.length) ?? largest;
    const keys = [...selection.byResponseKey.keys()];
    const byId = new Map<string, ResolvedEntity>();
    this.queries++;
    try {
      const answer = await this.options.execute(
        resolutionQuery(selection, size),
        resolutionVariables(selection, ids, size),
        this.options.context,
      );
      ids.forEach((id, i) => {
        const data: Record<string, unknown> = {};
        keys.forEach((key, j) => {
          data[key] = answer.data?.[resolutionAlias(i, j)] ?? null;
        });
        byId.set(id, { data, errors: [] });
      });
      for (const error of answer.errors ?? []) {
        const [alias, ...rest] = error.path ?? [];
        const match = typeof alias === 'string' ? /^e(\d+)_(\d+)$/.exec(alias) : null;
        const targets = match ? [ids[Number(match[1])]].filter((id): id is string => id !== undefined) : ids;
        for (const id of targets) {
          const key = match ? keys[Number(match[2])]! : keys[0]!;
          byId.get(id)?.errors.push({ ...error, path: [key, ...rest] });
        }
      }
    } catch (err) {
      this.options.logger.warn(
        {
          reason: (err as Error).message?.slice(0, 200),
        },
        'subscription event resolution failed',
      );
      const error: GraphQLFormattedError = {
        message: "the event's record could not be read",
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
      for (const id of ids)
        byId.set(id, {
          data: Object.fromEntries(keys.map((k) => [k, null])),
          errors: keys.map((k) => ({ ...error, path: [k] })),
        });
    }
    // The record's own province did not answer (restarting?): try again shortly, a few times.
    const unavailable = new Set(
      ids.filter((id) => attempt < RETRY_DELAYS_MS.length && unreadable(byId.get(id))),
    );
    for (const pending of batch) {
      const resolved = byId.get(pending.entityId);
      if (resolved && !unavailable.has(pending.entityId)) pending.resolve(resolved);
    }
    if (unavailable.size) {
      const again = batch.filter((p) => unavailable.has(p.entityId));
      setTimeout(() => void this.fetch([...unavailable], again, attempt + 1), RETRY_DELAYS_MS[attempt]);
    }
  }
}

/** A shared resolver, its key (principal and selection) and how many client subscriptions use it. */
interface ResolverEntry {
  resolver: EventResolver;
  key: string;
  users: number;
}

/** Resolvers shared by selection and caller. */
export class EventResolvers {
  private readonly entries = new Map<string, ResolverEntry>();
  /** The same entries by resolver: a release finds its entry at once (one release per client subscription that ends). */
  private readonly byResolver = new Map<EventResolver, ResolverEntry>();
  private retiredQueries = 0;

  constructor(private readonly base: Omit<EventResolverOptions, 'selection' | 'context'>) {}

  /** The shared resolver of `selection` for `principal`; {@link release} it when done. */
  acquire(selection: EntitySelection, principal: string, context: Record<string, unknown>): EventResolver {
    const key = `${principal}\u0000${selection.key}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { resolver: new EventResolver({ ...this.base, selection, context }), key, users: 0 };
      this.entries.set(key, entry);
      this.byResolver.set(entry.resolver, entry);
    }
    entry.users++;
    return entry.resolver;
  }

  /** Gives a resolver back; the last user's release drops it. */
  release(resolver: EventResolver): void {
    const entry = this.byResolver.get(resolver);
    if (!entry) return; // not ours, or already dropped
    if (--entry.users === 0) {
      this.entries.delete(entry.key);
      this.byResolver.delete(resolver);
      this.retiredQueries += resolver.queries;
    }
  }

  /** Federated queries sent since start. */
  get queries(): number {
    let n = this.retiredQueries;
    for (const { resolver } of this.entries.values()) n += resolver.queries;
    return n;
  }
}

/** What {@link apolloExecutor} needs of an Apollo Server (any context type). */
export interface OperationRunner {
  executeOperation(
    request: { query: string; variables: Record<string, unknown> },
    // biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments and contexts are shaped by the schema, not by TypeScript
    options: { contextValue: any },
  ): Promise<{
    body:
      | {
          kind: 'single';
          singleResult: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] };
        }
      | { kind: 'incremental' };
  }>;
}

/**
 * The gateway's own pipeline as a {@link FederatedExecutor}: Apollo Server's `executeOperation`
 * over the `@apollo/gateway` executor (query planning, shard routers, plugins, metrics).
 */
export function apolloExecutor(apollo: OperationRunner): FederatedExecutor {
  return async (query, variables, context) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single')
      throw new Error('incremental delivery is not used for subscription events');
    return response.body.singleResult;
  };
}
