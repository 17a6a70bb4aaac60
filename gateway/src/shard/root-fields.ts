import { getNamedType, isObjectType, type GraphQLFormattedError, type GraphQLObjectType } from 'graphql';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { badInput } from '@p2p/schema';
import {
  stripShardAliases,
  subOperation,
  type OperationAnalysis,
  type RootFieldPlan,
} from './operation-analysis.js';
import { argumentValues, routeMutationField, routeQueryField, type Route } from './routing.js';
import { firstNonNull, mergeAnswers, type MergeScope } from './merge-answers.js';
import { mergeConnections, remapConnectionPath } from './merge-connection.js';
import { selectedFields } from './selected-fields.js';
import { askProvince, askProvinces, mergeScope, type ProvinceResult } from './province-fanout.js';
import type { ShardContext } from './shard-context.js';
import { dedupeErrors, fromProvince, provinceError } from './province-errors.js';

type Data = Record<string, unknown>;
type Variables = Record<string, unknown>;

/** Default page size of a connection when `first` is absent (as `pageSize` in the contract). */
const DEFAULT_PAGE = 20;

const invalid = (field: RootFieldPlan, route: Route) => {
  const { message = '', argument } = route.kind === 'invalid' ? route : {};
  return {
    ...badInput(message, argument ? `${field.fieldName}.${argument}` : field.fieldName).toJSON(),
    path: [field.responseKey],
  };
};

/** Puts together one field from its provinces' results, by the field's merge rule. */
function gatherField(
  ctx: ShardContext,
  field: RootFieldPlan,
  results: readonly ProvinceResult[],
  variables: Variables,
  scope: MergeScope,
  errors: GraphQLFormattedError[],
): unknown {
  const key = field.responseKey;
  const answered = results.filter((r) => r.answer);
  for (const r of results) if (r.failure) errors.push(provinceError(r.province, r.failure, [key], r.detail));
  const values = answered.map((r) => r.answer!.data?.[key] ?? null);
  const ownErrors = (r: ProvinceResult) => (r.answer?.errors ?? []).filter((e) => e.path?.[0] === key);
  const rootType = ctx.subgraph.schema.getQueryType()!;
  const fieldType = rootType.getFields()[field.fieldName]?.type;
  const sets = field.node.selectionSet ? [field.node.selectionSet] : [];

  if (
    field.rule?.merge === 'CONNECTION' &&
    fieldType &&
    isObjectType(getNamedType(fieldType)) &&
    answered.length > 1
  ) {
    const connectionType = getNamedType(fieldType) as GraphQLObjectType;
    const first = argumentValues(field.node, variables).first;
    const merged = mergeConnections(
      answered.map((r, i) => ({ province: r.province, value: values[i] })),
      connectionType,
      sets,
      typeof first === 'number' ? first : DEFAULT_PAGE,
      scope,
    );
    const edgesKeys = new Set(
      [...selectedFields(scope.schema, connectionType, sets, scope.fragments)]
        .filter(([, f]) => f.fieldName === 'edges')
        .map(([k]) => k),
    );
    answered.forEach((r, part) => {
      for (const e of ownErrors(r)) {
        const path = remapConnectionPath(e.path!, part, merged, edgesKeys);
        if (path) errors.push(fromProvince(e, r.province, path));
      }
    });
    return merged.value;
  }
  for (const r of answered)
    for (const e of ownErrors(r))
      errors.push(
        fromProvince(e, r.province, answered.length > 1 && field.rule?.merge === 'SUM' ? [key] : e.path),
      );
  if (answered.length <= 1 || !fieldType) return firstNonNull(values);
  return mergeAnswers(field.rule?.merge ?? 'FIRST', values, fieldType, sets, scope);
}

/** Errors of an answer that belong to no field of the fetch (e.g. a province's validation error). */
function looseErrors(
  results: readonly ProvinceResult[],
  keys: ReadonlySet<unknown>,
): GraphQLFormattedError[] {
  return results.flatMap((r) =>
    (r.answer?.errors ?? []).filter((e) => !keys.has(e.path?.[0])).map((e) => fromProvince(e, r.province)),
  );
}

/**
 * Resolves a query fetch's root fields: each field goes where its rule's `by` argument points
 * (first non-null; none or `CN` → every province); fields with the same route share one request
 * per province, different routes are split and their `data` recombined. Answers of several
 * provinces merge by the field's rule (CONNECTION in keyset order, SUM, FIRST); a failed province
 * leaves PROVINCE_UNAVAILABLE at the field's path and the rest of the answer stands.
 */
async function fetchQuery(
  ctx: ShardContext,
  analysis: OperationAnalysis,
  request: GatewayGraphQLRequest,
): Promise<GatewayGraphQLResponse> {
  const variables = request.variables ?? {};
  const data: Data = {};
  const errors: GraphQLFormattedError[] = [];
  const groups = new Map<string, { provinces: readonly string[]; fields: RootFieldPlan[] }>();
  for (const field of analysis.rootFields) {
    const route: Route = routeQueryField(
      field.fieldName,
      field.rule,
      argumentValues(field.node, variables),
      ctx.registry.codes,
    );
    if (route.kind === 'local') data[field.responseKey] = 'Query';
    else if (route.kind === 'invalid') {
      data[field.responseKey] = null;
      errors.push(invalid(field, route));
    } else {
      const key = route.provinces.join(',');
      const group = groups.get(key);
      if (group) group.fields.push(field);
      else groups.set(key, { provinces: route.provinces, fields: [field] });
    }
  }
  const scope = mergeScope(ctx, analysis.fragments);
  await Promise.all(
    [...groups.values()].map(async ({ provinces, fields }) => {
      const query = subOperation(analysis, fields);
      const results = await askProvinces(ctx, provinces, () => ({
        query,
        variables,
        operationName: request.operationName,
      }));
      for (const field of fields)
        data[field.responseKey] = gatherField(ctx, field, results, variables, scope, errors);
      errors.push(...looseErrors(results, new Set(fields.map((f) => f.responseKey))));
    }),
  );
  if (analysis.rewritten) stripShardAliases(data);
  return errors.length ? { data, errors: dedupeErrors(errors) } : { data };
}

/**
 * Resolves a mutation fetch: every field goes to exactly one connected province named by its input,
 * never broadcast. If any field's input names several provinces, none, the nation or an unknown
 * region, nothing is sent and each such field gets BAD_USER_INPUT. Fields run in order, consecutive
 * fields of one province in one request; after a failure the later fields are not sent.
 */
async function fetchMutation(
  ctx: ShardContext,
  analysis: OperationAnalysis,
  request: GatewayGraphQLRequest,
): Promise<GatewayGraphQLResponse> {
  const variables = request.variables ?? {};
  const routes = analysis.rootFields.map((f) => ({
    field: f,
    route: routeMutationField(f.fieldName, f.rule, argumentValues(f.node, variables), ctx.registry.codes),
  }));
  const rejected = routes.filter((r) => r.route.kind === 'invalid');
  if (rejected.length) {
    return {
      data: null,
      errors: rejected.map(({ field, route }) => invalid(field, route)),
    };
  }
  const data: Data = {};
  const errors: GraphQLFormattedError[] = [];
  const batches: { province: string; fields: RootFieldPlan[] }[] = [];
  for (const { field, route } of routes) {
    if (route.kind === 'local') {
      data[field.responseKey] = 'Mutation';
      continue;
    }
    const province = route.kind === 'provinces' ? route.provinces[0]! : '';
    const last = batches.at(-1);
    if (last?.province === province) last.fields.push(field);
    else batches.push({ province, fields: [field] });
  }
  for (const { province, fields } of batches) {
    const result = await askProvince(
      ctx,
      province,
      { query: subOperation(analysis, fields), variables, operationName: request.operationName },
      true,
    );
    if (result.failure) {
      for (const f of fields) {
        data[f.responseKey] = null;
        errors.push(provinceError(province, result.failure, [f.responseKey], result.detail));
      }
      break;
    }
    for (const f of fields) data[f.responseKey] = result.answer.data?.[f.responseKey] ?? null;
    errors.push(...(result.answer.errors ?? []).map((e) => fromProvince(e, province)));
    if (result.answer.errors?.length) break;
  }
  if (analysis.rewritten) stripShardAliases(data);
  return errors.length ? { data, errors } : { data };
}

/** Resolves a fetch of root fields (queries and mutations) across provinces. */
export function fetchRootFields(
  ctx: ShardContext,
  analysis: OperationAnalysis,
  request: GatewayGraphQLRequest,
): Promise<GatewayGraphQLResponse> {
  return analysis.operation === 'mutation'
    ? fetchMutation(ctx, analysis, request)
    : fetchQuery(ctx, analysis, request);
}
