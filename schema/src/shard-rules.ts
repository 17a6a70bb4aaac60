import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { findRegion, provinceOf } from './regions.js';
import { tryDecodeId } from './ids.js';

/** How the answers of several provinces combine. */
export type ShardMerge = 'FIRST' | 'CONNECTION' | 'SUM' | 'RATIO';

/** One `@shard` application, read from a logical subgraph's SDL. */
export interface ShardRule {
  /** Argument paths (root fields) or key-field paths (entities) naming the province; empty: every province. */
  by: string[];
  merge: ShardMerge;
  /** CONNECTION: the node field the keyset order starts with (then id). */
  orderBy?: string;
  /** SUM over a list: the field that identifies an item. */
  key?: string;
  /** RATIO: [numerator, denominator] sibling fields. */
  of?: [string, string];
}

/** The routing and merge rules of one logical subgraph. */
export interface ShardRules {
  /** Keyed by `Query.trips`, `Mutation.planTrip`. */
  rootFields: Map<string, ShardRule>;
  /** Keyed by entity type name. */
  entities: Map<string, ShardRule>;
  /** Merge rules on fields inside results, keyed by `Type.field`. */
  fields: Map<string, ShardRule>;
}

const MERGES = new Set<ShardMerge>(['FIRST', 'CONNECTION', 'SUM', 'RATIO']);

function toRule(d: ConstDirectiveNode, where: string): ShardRule {
  const rule: ShardRule = { by: [], merge: 'FIRST' };
  for (const arg of d.arguments ?? []) {
    const v = arg.value;
    const strings =
      v.kind === Kind.LIST
        ? v.values.map((x) => (x.kind === Kind.STRING ? x.value : ''))
        : v.kind === Kind.STRING
          ? [v.value]
          : [];
    switch (arg.name.value) {
      case 'by':
        rule.by = strings;
        break;
      case 'merge':
        rule.merge = strings[0] as ShardMerge;
        break;
      case 'orderBy':
        rule.orderBy = strings[0];
        break;
      case 'key':
        rule.key = strings[0];
        break;
      case 'of':
        rule.of = [strings[0]!, strings[1]!];
        break;
    }
  }
  if (!MERGES.has(rule.merge)) throw new Error(`@shard on ${where}: unknown merge "${rule.merge}"`);
  if (rule.merge === 'RATIO' && rule.of?.length !== 2)
    throw new Error(`@shard on ${where}: RATIO needs of: [numerator, denominator]`);
  return rule;
}

/** Reads every `@shard` application of a logical subgraph's SDL. */
export function readShardRules(doc: DocumentNode): ShardRules {
  const rules: ShardRules = { rootFields: new Map(), entities: new Map(), fields: new Map() };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = def.name.value;
    const root = type === 'Query' || type === 'Mutation' || type === 'Subscription';
    const own = def.directives?.find((d) => d.name.value === 'shard');
    if (own) rules.entities.set(type, toRule(own, type));
    for (const field of def.fields ?? []) {
      const d = field.directives?.find((x) => x.name.value === 'shard');
      if (!d) continue;
      const name = `${type}.${field.name.value}`;
      (root ? rules.rootFields : rules.fields).set(name, toRule(d, name));
    }
  }
  return rules;
}

/** The whole nation, as a routing value. */
export const NATION = 'CN';

/**
 * The province a routing value names: a RegionCode → its province; an entity id → its owner;
 * `CN` → 'ALL'. Undefined when the value names nothing we know (the caller reports BAD_USER_INPUT).
 */
export function provinceForValue(value: unknown): string | 'ALL' | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === NATION) return 'ALL';
  if (/^\d{6}$|^\d{9}$/.test(value)) return findRegion(value) ? provinceOf(value) : undefined;
  return tryDecodeId(value)?.province;
}

/** Reads a dotted path (`input.homeRegion`, `departureRegion.code`) from an object; lists are flattened. */
export function valuesAtPath(source: unknown, path: string): unknown[] {
  let current: unknown[] = [source];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (Array.isArray(item)) {
        for (const x of item) if (x && typeof x === 'object') next.push((x as Record<string, unknown>)[key]);
      } else if (item && typeof item === 'object') next.push((item as Record<string, unknown>)[key]);
    }
    current = next.flatMap((x) => (Array.isArray(x) ? x : [x])).filter((x) => x !== undefined && x !== null);
  }
  return current;
}
