import { addSpanEvent } from '@p2p/runtime';
import type { ProvinceAnswer, ProvinceRequest } from './province-client.js';
import { ProvinceFetchError, type ProvinceFailure } from './province-errors.js';
import type { MergeScope } from './merge-answers.js';
import type { ShardContext } from './shard-context.js';
import { whatProvinceLacks } from './lagging-province.js';

/** What one province gave: an answer, or the reason it gave none. */
export type ProvinceResult =
  | { province: string; answer: ProvinceAnswer; failure?: undefined; detail?: undefined }
  | { province: string; failure: ProvinceFailure; answer?: undefined; detail?: string };

/**
 * Sends a request to one province of the subgraph. A province that is not connected, was found
 * incompatible or refused for its conformance report, is down with its breaker open, or runs an earlier minor of the contract that lacks
 * what the request asks (`behind`, during a rolling upgrade) is not called; its result says why.
 */
export async function askProvince(
  ctx: ShardContext,
  province: string,
  body: ProvinceRequest,
  mutation: boolean,
): Promise<ProvinceResult> {
  const url = ctx.registry.subgraphUrl(province, ctx.subgraph.name);
  const skipped = (failure: ProvinceFailure, detail?: string): ProvinceResult => {
    addSpanEvent('province.skipped', { 'p2p.province': province, 'p2p.failure': failure });
    return detail === undefined ? { province, failure } : { province, failure, detail };
  };
  if (!url) return skipped('not_connected');
  const refused = ctx.registry.refusal(province);
  if (refused) return skipped(refused);
  const lagging = ctx.registry.laggingSchema(province, ctx.subgraph.name);
  const lacks = lagging && whatProvinceLacks(lagging, body);
  if (lacks) {
    ctx.client.countNotSent({ province, subgraph: ctx.subgraph.name }, 'behind');
    return skipped('behind', lacks);
  }
  if (ctx.breaker && !(await ctx.breaker.available(province))) return skipped('down');
  try {
    return {
      province,
      answer: await ctx.client.send({ province, subgraph: ctx.subgraph.name, url }, body, {
        mutation,
        caller: ctx.caller,
      }),
    };
  } catch (err) {
    const failure = err instanceof ProvinceFetchError ? err.reason : 'network';
    ctx.breaker?.failed(province, failure);
    return { province, failure };
  }
}

/** Sends requests to several provinces in parallel; results in the order of `provinces`. */
export function askProvinces(
  ctx: ShardContext,
  provinces: readonly string[],
  body: (province: string) => ProvinceRequest,
  mutation = false,
): Promise<ProvinceResult[]> {
  return Promise.all(provinces.map((p) => askProvince(ctx, p, body(p), mutation)));
}

/** The merge scope of a fetch: the subgraph's types and rules plus the fetch's fragments. */
export function mergeScope(ctx: ShardContext, fragments: MergeScope['fragments']): MergeScope {
  return { schema: ctx.subgraph.schema, rules: ctx.subgraph.rules, fragments };
}
