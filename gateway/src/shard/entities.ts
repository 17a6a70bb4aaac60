import { isObjectType, type GraphQLFormattedError } from 'graphql';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { stripShardAliases, type OperationAnalysis } from './operation-analysis.js';
import { routeRepresentation } from './routing.js';
import { mergeAnswers } from './merge-answers.js';
import { askProvinces, mergeScope } from './province-fanout.js';
import type { ShardContext } from './shard-context.js';
import { dedupeErrors, fromProvince, provinceError, type ProvinceFailure } from './province-errors.js';
import { summedParts, zeroAnswer } from './zero-answer.js';

type Representation = Record<string, unknown> & { __typename?: unknown };
type Part = { province: string; value: unknown };

/**
 * Resolves an `_entities` fetch across provinces. Each representation goes to the provinces its
 * type's rule names (the owner encoded in an id, the province of a region, every province for
 * `CN` or a rule without `by`); each province gets only its representations, all in parallel,
 * and the answers go back in the original order. A representation answered by several provinces
 * is merged by its rule (`SUM`: added up). A province that fails leaves its representations null
 * with a PROVINCE_UNAVAILABLE error at `_entities.<index>`, which the gateway maps to the field;
 * a summed (`SUM`) representation that no province answered reads zeros instead, with the errors
 * at each of its parts (`_entities.<index>.workers`). A summed (`SUM`) representation is not sent to a province that is not connected to the hub:
 * nothing is recorded there in this hub, so its part is zero (a `Summary` of a province outside
 * the federation, alone or among a nation's children, reads zeros, see {@link zeroAnswer}).
 */
export async function fetchEntities(
  ctx: ShardContext,
  analysis: OperationAnalysis,
  request: GatewayGraphQLRequest,
): Promise<GatewayGraphQLResponse> {
  const field = analysis.entities!;
  const variables = request.variables ?? {};
  const representations = Array.isArray(variables.representations)
    ? (variables.representations as Representation[])
    : [];
  const { rules, schema } = ctx.subgraph;
  const codes = ctx.registry.codes;

  const byProvince = new Map<string, number[]>();
  /** Summed representations no province of the hub answers (outside it, or failed): they read zeros. */
  const outside = new Set<number>();
  representations.forEach((rep, index) => {
    const rule = typeof rep?.__typename === 'string' ? rules.entities.get(rep.__typename) : undefined;
    let route = routeRepresentation(rep, rule, codes);
    if (rule?.merge === 'SUM' && route.length) {
      route = route.filter((province) => ctx.registry.has(province));
      if (!route.length) outside.add(index);
    }
    for (const province of route) {
      const indexes = byProvince.get(province);
      if (indexes) indexes.push(index);
      else byProvince.set(province, [index]);
    }
  });

  const provinces = [...byProvince.keys()].sort();
  const results = await askProvinces(ctx, provinces, (p) => ({
    query: analysis.text,
    operationName: request.operationName,
    variables: { ...variables, representations: byProvince.get(p)!.map((i) => representations[i]) },
  }));

  const parts: Part[][] = representations.map(() => []);
  const errors: GraphQLFormattedError[] = [];
  const failures = new Map<number, { province: string; failure: ProvinceFailure; detail?: string }[]>();
  for (const result of results) {
    const indexes = byProvince.get(result.province)!;
    if (result.failure) {
      for (const index of indexes) {
        const list = failures.get(index);
        const failure = { province: result.province, failure: result.failure, detail: result.detail };
        if (list) list.push(failure);
        else failures.set(index, [failure]);
      }
      continue;
    }
    const answered = result.answer.data?.[field.responseKey];
    const list = Array.isArray(answered) ? answered : [];
    indexes.forEach((index, j) => {
      parts[index]!.push({ province: result.province, value: list[j] ?? null });
    });
    for (const error of result.answer.errors ?? []) {
      const [root, j, ...rest] = error.path ?? [];
      const index = typeof j === 'number' ? indexes[j] : undefined;
      errors.push(
        fromProvince(
          error,
          result.province,
          root === field.responseKey && index !== undefined ? [root, index, ...rest] : error.path,
        ),
      );
    }
  }

  const scope = mergeScope(ctx, analysis.fragments);
  const sets = field.node.selectionSet ? [field.node.selectionSet] : [];
  const summedType = (rep: Representation) => {
    const typename = typeof rep?.__typename === 'string' ? rep.__typename : '';
    const type = schema.getType(typename);
    return rules.entities.get(typename)?.merge === 'SUM' && isObjectType(type) ? type : undefined;
  };
  // A province that failed: its representations carry PROVINCE_UNAVAILABLE. A summed one that no
  // province answered reads as the sum of no part (zeros) with the errors on each of its parts, so
  // that one child of a Summary whose province is down does not null its siblings.
  for (const [index, failed] of failures) {
    const type = parts[index]!.length ? undefined : summedType(representations[index]!);
    if (type) outside.add(index);
    const paths = type
      ? summedParts(representations[index]!, type, sets, scope).map((key) => [field.responseKey, index, key])
      : [[field.responseKey, index]];
    for (const { province, failure, detail } of failed)
      for (const path of paths) errors.push(provinceError(province, failure, path, detail));
  }
  const entities = representations.map((rep, index) => {
    const answers = parts[index]!;
    if (outside.has(index)) {
      const type = summedType(rep);
      return type ? zeroAnswer(rep, type, sets, scope) : null;
    }
    if (answers.length <= 1) return answers[0]?.value ?? null;
    const typename = typeof rep?.__typename === 'string' ? rep.__typename : '';
    const type = schema.getType(typename);
    if (!isObjectType(type)) return answers.find((a) => a.value != null)?.value ?? null;
    return mergeAnswers(
      rules.entities.get(typename)?.merge ?? 'FIRST',
      answers.map((a) => a.value),
      type,
      sets,
      scope,
    );
  });

  const data = { [field.responseKey]: analysis.rewritten ? stripShardAliases(entities) : entities };
  return errors.length ? { data, errors: dedupeErrors(errors) } : { data };
}
