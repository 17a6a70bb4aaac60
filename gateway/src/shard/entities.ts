import { isObjectType, type GraphQLFormattedError } from 'graphql';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { stripShardAliases, type OperationAnalysis } from './operation-analysis.js';
import { routeRepresentation } from './routing.js';
import { mergeAnswers } from './merge-answers.js';
import { askProvinces, mergeScope } from './province-fanout.js';
import type { ShardContext } from './shard-context.js';
import { dedupeErrors, fromProvince, provinceError } from './province-errors.js';

type Representation = Record<string, unknown> & { __typename?: unknown };
type Part = { province: string; value: unknown };

/**
 * Resolves an `_entities` fetch across provinces. Each representation goes to the provinces its
 * type's rule names (the owner encoded in an id, the province of a region, every province for
 * `CN` or a rule without `by`); each province gets only its representations, all in parallel,
 * and the answers go back in the original order. A representation answered by several provinces
 * is merged by its rule (`SUM`: added up). A province that fails leaves its representations null
 * with a PROVINCE_UNAVAILABLE error at `_entities.<index>`, which the gateway maps to the field.
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
  representations.forEach((rep, index) => {
    const rule = typeof rep?.__typename === 'string' ? rules.entities.get(rep.__typename) : undefined;
    for (const province of routeRepresentation(rep, rule, codes)) {
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
  for (const result of results) {
    const indexes = byProvince.get(result.province)!;
    if (result.failure) {
      for (const index of indexes)
        errors.push(provinceError(result.province, result.failure, [field.responseKey, index]));
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
  const entities = representations.map((rep, index) => {
    const answers = parts[index]!;
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
