import { valueFromASTUntyped, type FieldNode } from 'graphql';
import { provinceForValue, valuesAtPath, type ShardRule } from '@p2p/schema';

/** Where one root field or representation goes. */
export type Route =
  /** These provinces (`all`: every province, chosen by the absence of a routing value or by `CN`). */
  | { kind: 'provinces'; provinces: readonly string[]; all: boolean }
  /** Nowhere: the input names no province we can use; `message` names the field, `argument` the input path. */
  | { kind: 'invalid'; message: string; argument?: string }
  /** Answered by the gateway itself (`__typename`). */
  | { kind: 'local' };

/** Argument values of a field, variables resolved. */
export function argumentValues(
  field: FieldNode,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.arguments ?? [])
    args[arg.name.value] = valueFromASTUntyped(arg.value, variables ?? undefined);
  return args;
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);

/**
 * `valuesAtPath` of a one-segment path (an entity's key field, e.g. `id`), without its
 * intermediate arrays: it runs for every representation of every entity fetch.
 */
function valuesAtKey(source: unknown, key: string): unknown[] {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return valuesAtPath(source, key);
  const value = (source as Record<string, unknown>)[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((x) => x !== undefined && x !== null) : [value];
}

/**
 * The values of the first `by` path that has any, with the path; undefined when no path has a value.
 * A path's first segment is an argument (root fields) or key field (entities).
 */
function routingValues(rule: ShardRule, source: unknown): { path: string; values: unknown[] } | undefined {
  for (const path of rule.by) {
    const values = path.includes('.') ? valuesAtPath(source, path) : valuesAtKey(source, path);
    if (values.length) return { path, values };
  }
  return undefined;
}

/**
 * The provinces named by routing values: a RegionCode → its province, an entity id → its owner,
 * `CN` → all. Returns the offending value when one names nothing.
 */
function provincesFor(
  values: readonly unknown[],
  all: readonly string[],
): { provinces: string[]; all: boolean } | { bad: unknown } {
  const out = new Set<string>();
  for (const value of values) {
    const province = provinceForValue(value);
    if (province === undefined) return { bad: value };
    if (province === 'ALL') return { provinces: [...all], all: true };
    out.add(province);
  }
  return { provinces: [...out], all: false };
}

/**
 * Routes a root field of a query: by the first `by` argument path with a value; no value (or
 * `CN`) → every province. A value naming no region or id → invalid. A province that is not
 * connected stays in the route (the router answers PROVINCE_UNAVAILABLE for it).
 */
export function routeQueryField(
  fieldName: string,
  rule: ShardRule | undefined,
  args: Record<string, unknown>,
  provinces: readonly string[],
): Route {
  if (fieldName === '__typename') return { kind: 'local' };
  const found = rule && routingValues(rule, args);
  if (!found) return { kind: 'provinces', provinces, all: true };
  const named = provincesFor(found.values, provinces);
  if ('bad' in named)
    return {
      kind: 'invalid',
      argument: found.path,
      message: `${fieldName}: ${found.path} ${show(named.bad)} names no region or record of a province`,
    };
  return { kind: 'provinces', ...named };
}

/**
 * Routes a mutation field to exactly one connected province, decided by its input. Values naming
 * several provinces, none, the whole nation, an unknown region or a province that is not
 * connected → invalid: a mutation is never broadcast.
 */
export function routeMutationField(
  fieldName: string,
  rule: ShardRule | undefined,
  args: Record<string, unknown>,
  provinces: readonly string[],
): Route {
  if (fieldName === '__typename') return { kind: 'local' };
  if (!rule?.by.length)
    return { kind: 'invalid', message: `${fieldName}: the contract declares no province for this mutation` };
  const found = routingValues(rule, args);
  if (!found)
    return {
      kind: 'invalid',
      argument: rule.by[0],
      message: `${fieldName}: ${rule.by.join(' or ')} must name the province that owns the change`,
    };
  const named = provincesFor(found.values, provinces);
  if ('bad' in named)
    return {
      kind: 'invalid',
      argument: found.path,
      message: `${fieldName}: ${found.path} ${show(named.bad)} names no region or record of a province`,
    };
  if (named.all)
    return {
      kind: 'invalid',
      argument: found.path,
      message: `${fieldName}: ${found.path} must name one province, not the whole nation`,
    };
  if (named.provinces.length !== 1) {
    return {
      kind: 'invalid',
      argument: found.path,
      message: `${fieldName}: ${found.path} names ${named.provinces.length} provinces (${named.provinces.join(', ')}); one mutation changes one province`,
    };
  }
  const province = named.provinces[0]!;
  if (!provinces.includes(province))
    return {
      kind: 'invalid',
      argument: found.path,
      message: `${fieldName}: ${found.path} names province ${province}, which is not connected to the hub`,
    };
  return { kind: 'provinces', provinces: [province], all: false };
}

/**
 * The provinces an entity representation goes to, by its type's rule: the province named by the
 * first `by` key-field path with a value (`CN`: all); no `by` or no value → every province; empty
 * when the value names no region or record.
 */
export function routeRepresentation(
  representation: unknown,
  rule: ShardRule | undefined,
  provinces: readonly string[],
): readonly string[] {
  if (!rule?.by.length) return provinces;
  const found = routingValues(rule, representation);
  if (!found) return provinces;
  const named = provincesFor(found.values, provinces);
  return 'bad' in named ? [] : named.provinces;
}
