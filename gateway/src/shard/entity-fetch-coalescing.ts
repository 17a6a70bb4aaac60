import type { Caller } from '@p2p/schema';
import { askProvinces, type ProvinceResult } from './province-fanout.js';
import type { ShardContext } from './shard-context.js';

type Representation = Record<string, unknown>;

/**
 * `_entities` fetches of one client operation that ask the same subgraph the same selection (same
 * fetch text, operation name and other variables) and start in the same turn of the event loop,
 * gathered into ONE request per province. Apollo's query planner makes a fetch per response path:
 * the nation's `summary` and its `children` are two `_entities` fetches per logical subgraph, each
 * scattered to every province (186 province requests over 31 provinces instead of 93, #17.3); each
 * province request costs the gateway an HTTP exchange and a signed caller assertion.
 */
interface Batch {
  ctx: ShardContext;
  fetch: { query: string; operationName?: string; variables: Record<string, unknown> };
  /** Representations per province, in the order the fetches added them. */
  perProvince: Map<string, Representation[]>;
  results: Promise<Map<string, ProvinceResult>>;
}

/** Open batches per caller (one caller object per client operation), then per fetch key. */
const open = new WeakMap<Caller, Map<string, Batch>>();

/** `_entities.<index>` at the head of an error path, or undefined. */
function entityIndex(path: readonly (string | number)[] | undefined, field: string): number | undefined {
  return path && path[0] === field && typeof path[1] === 'number' ? path[1] : undefined;
}

/**
 * Sends each province its representations, in the same request as the other `_entities` fetches of
 * this operation with the same key that start before the next macrotask; returns each province's
 * result as if it had been asked for this fetch's representations alone (the answer list and the
 * error paths cut to this fetch's slice; errors without an entity index go to every fetch).
 * Fetches without an authenticated caller are sent alone.
 * @param field the response key of `_entities` in the fetch
 */
export function askForEntities(
  ctx: ShardContext,
  fetch: { query: string; operationName?: string; variables: Record<string, unknown> },
  representationsOf: ReadonlyMap<string, Representation[]>,
  field: string,
): Promise<ProvinceResult[]> {
  const provinces = [...representationsOf.keys()];
  const { representations: _, ...rest } = fetch.variables;
  if (!ctx.caller)
    return askProvinces(ctx, provinces, (p) => ({
      query: fetch.query,
      operationName: fetch.operationName,
      variables: { ...rest, representations: representationsOf.get(p) },
    }));
  const key = JSON.stringify([ctx.subgraph.name, fetch.query, fetch.operationName ?? null, rest]);
  let batches = open.get(ctx.caller);
  if (!batches) open.set(ctx.caller, (batches = new Map()));
  let batch = batches.get(key);
  if (!batch) {
    const created: Batch = {
      ctx,
      fetch,
      perProvince: new Map(),
      results: new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        batches!.delete(key);
        const asked = [...created.perProvince.keys()];
        const results = await askProvinces(created.ctx, asked, (p) => ({
          query: created.fetch.query,
          operationName: created.fetch.operationName,
          variables: { ...rest, representations: created.perProvince.get(p) },
        }));
        return new Map(results.map((r) => [r.province, r]));
      }),
    };
    batch = created;
    batches.set(key, batch);
  }
  const slices = new Map<string, { start: number; count: number }>();
  for (const [province, reps] of representationsOf) {
    const list = batch.perProvince.get(province) ?? [];
    slices.set(province, { start: list.length, count: reps.length });
    list.push(...reps);
    batch.perProvince.set(province, list);
  }
  return batch.results.then((all) =>
    provinces.map((province) => {
      const result = all.get(province)!;
      if (!result.answer) return result;
      const { start, count } = slices.get(province)!;
      const answered = result.answer.data?.[field];
      const list = Array.isArray(answered) ? answered.slice(start, start + count) : answered;
      const errors = (result.answer.errors ?? []).flatMap((error) => {
        const index = entityIndex(error.path, field);
        if (index === undefined) return [error];
        if (index < start || index >= start + count) return [];
        return [{ ...error, path: [field, index - start, ...error.path!.slice(2)] }];
      });
      return {
        province,
        answer: {
          data: result.answer.data ? { ...result.answer.data, [field]: list } : result.answer.data,
          ...(errors.length ? { errors } : {}),
        },
      };
    }),
  );
}
