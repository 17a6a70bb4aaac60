import {
  Kind,
  TypeInfo,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type OperationTypeNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { ShardRule } from '@p2p/schema';
import { SHARD_ALIAS_PREFIX, type ShardedSubgraph } from './sharded-subgraph.js';

/** One top-level field of a fetch, with the rule that routes and merges it. */
export interface RootFieldPlan {
  /** Index among the fetch's top-level fields. */
  index: number;
  /** Alias or field name: the key of its answer in `data`. */
  responseKey: string;
  fieldName: string;
  /** The field as sent (after rewriting). */
  node: FieldNode;
  /** `@shard` rule of `Query.x` / `Mutation.x`; undefined for `__typename` and unruled fields. */
  rule: ShardRule | undefined;
}

/** A fetch of the query planner to a logical subgraph, parsed, rewritten and analysed once. */
export interface OperationAnalysis {
  operation: OperationTypeNode;
  operationName: string | undefined;
  /** The operation text sent to provinces (rewritten when `rewritten`). */
  text: string;
  /** True when `__shard_` aliases were added; answers must lose them. */
  rewritten: boolean;
  /** Top-level fields in order; for an `_entities` fetch, the single `_entities` field. */
  rootFields: RootFieldPlan[];
  /** Set when the fetch resolves entity representations. */
  entities: RootFieldPlan | undefined;
  /** Named fragments of the rewritten document. */
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  definition: OperationDefinitionNode;
  /** Printed sub-operations keyed by the indexes of the top-level fields they keep. */
  subOperations: Map<string, string>;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const field = (alias: string | undefined, fieldName: string, selections?: SelectionNode[]): FieldNode => ({
  kind: Kind.FIELD,
  ...(alias ? { alias: name(alias) } : {}),
  name: name(fieldName),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});
const withSelections = (set: SelectionSetNode, extra: SelectionNode[]): SelectionSetNode => ({
  ...set,
  selections: [...set.selections, ...extra],
});

/** Alias under which a CONNECTION fetch asks each province for its edge cursors. */
export const EDGES_ALIAS = `${SHARD_ALIAS_PREFIX}edges`;
/** Alias under which a CONNECTION fetch asks each province whether it has more. */
export const PAGE_ALIAS = `${SHARD_ALIAS_PREFIX}page`;
/** Alias of the key field added to lists merged by key. */
export const KEY_ALIAS = `${SHARD_ALIAS_PREFIX}key`;
/** Alias of a RATIO rule's numerator or denominator sibling. */
export const ratioAlias = (of: string) => `${SHARD_ALIAS_PREFIX}${of}`;

/**
 * Adds what merging needs but the client may not have asked: cursors and `hasNextPage` of
 * CONNECTION root fields, key fields of lists merged by key, the parts of RATIO fields.
 */
function rewrite(doc: DocumentNode, sg: ShardedSubgraph): { document: DocumentNode; rewritten: boolean } {
  const typeInfo = new TypeInfo(sg.schema);
  let rewritten = false;
  const document = visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node) {
          const parent = typeInfo.getParentType();
          if (!parent || !node.selectionSet) return undefined;
          const root = parent.name === 'Query' || parent.name === 'Mutation';
          const rule = root
            ? sg.rules.rootFields.get(`${parent.name}.${node.name.value}`)
            : sg.rules.fields.get(`${parent.name}.${node.name.value}`);
          if (root && rule?.merge === 'CONNECTION') {
            rewritten = true;
            return {
              ...node,
              selectionSet: withSelections(node.selectionSet, [
                field(EDGES_ALIAS, 'edges', [field(undefined, 'cursor')]),
                field(PAGE_ALIAS, 'pageInfo', [field(undefined, 'hasNextPage')]),
              ]),
            };
          }
          if (!root && rule?.key) {
            rewritten = true;
            return { ...node, selectionSet: withSelections(node.selectionSet, [field(KEY_ALIAS, rule.key)]) };
          }
          return undefined;
        },
      },
      SelectionSet: {
        leave(node) {
          const type = typeInfo.getParentType();
          if (!type) return undefined;
          const extra: SelectionNode[] = [];
          const added = new Set<string>();
          for (const s of node.selections) {
            if (s.kind !== Kind.FIELD) continue;
            const rule = sg.rules.fields.get(`${type.name}.${s.name.value}`);
            if (rule?.merge !== 'RATIO' || !rule.of) continue;
            for (const part of rule.of) {
              if (added.has(part)) continue;
              added.add(part);
              extra.push(field(ratioAlias(part), part));
            }
          }
          if (!extra.length) return undefined;
          rewritten = true;
          return withSelections(node, extra);
        },
      },
    }),
  );
  return { document, rewritten };
}

/** Top-level fields of an operation, looking through fragments on the root type. */
function topLevelFields(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) topLevelFields(s.selectionSet, fragments, out);
    else {
      const fragment = fragments.get(s.name.value);
      if (fragment) topLevelFields(fragment.selectionSet, fragments, out);
    }
  }
  return out;
}

/**
 * Parses, rewrites and analyses one fetch operation.
 * @throws when the text is not a GraphQL operation.
 */
export function analyzeOperation(
  sg: ShardedSubgraph,
  query: string,
  operationName?: string,
): OperationAnalysis {
  const { document, rewritten } = rewrite(parse(query), sg);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION) operations.push(def);
  }
  const definition =
    operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
  if (!definition) throw new Error('fetch carries no operation');
  const rootType =
    definition.operation === 'mutation'
      ? 'Mutation'
      : definition.operation === 'subscription'
        ? 'Subscription'
        : 'Query';
  const rootFields = topLevelFields(definition.selectionSet, fragments).map(
    (node, index): RootFieldPlan => ({
      index,
      responseKey: node.alias?.value ?? node.name.value,
      fieldName: node.name.value,
      node,
      rule: sg.rules.rootFields.get(`${rootType}.${node.name.value}`),
    }),
  );
  return {
    operation: definition.operation,
    operationName: definition.name?.value,
    text: rewritten ? print(document) : query,
    rewritten,
    rootFields,
    entities: rootFields.find((f) => f.fieldName === '_entities'),
    fragments,
    definition,
    subOperations: new Map(),
  };
}

/** Names of the variables and fragments a selection uses, fragments followed transitively. */
function usages(nodes: readonly SelectionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const variables = new Set<string>();
  const used = new Set<string>();
  const queue: SelectionNode[][] = [[...nodes]];
  while (queue.length) {
    for (const node of queue.pop()!) {
      visit(node, {
        Variable: (v) => {
          variables.add(v.name.value);
        },
        FragmentSpread: (s) => {
          if (used.has(s.name.value)) return;
          used.add(s.name.value);
          const fragment = fragments.get(s.name.value);
          if (fragment) queue.push([...fragment.selectionSet.selections]);
        },
      });
    }
  }
  return { variables, fragments: used };
}

/**
 * The operation text keeping only some top-level fields, with just the variables and fragments
 * they use (provinces reject unused ones). Printed once per field set and kept in the analysis.
 */
export function subOperation(analysis: OperationAnalysis, fields: readonly RootFieldPlan[]): string {
  if (fields.length === analysis.rootFields.length) return analysis.text;
  const key = fields.map((f) => f.index).join(',');
  let text = analysis.subOperations.get(key);
  if (text) return text;
  const nodes = fields.map((f) => f.node);
  const used = usages(nodes, analysis.fragments);
  const operation: OperationDefinitionNode = {
    ...analysis.definition,
    variableDefinitions: analysis.definition.variableDefinitions?.filter((v) =>
      used.variables.has(v.variable.name.value),
    ),
    selectionSet: { kind: Kind.SELECTION_SET, selections: nodes },
  };
  const kept = [...analysis.fragments.values()].filter((f) => used.fragments.has(f.name.value));
  text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...kept] });
  analysis.subOperations.set(key, text);
  return text;
}

/**
 * Analyses fetch operations of one logical subgraph, keeping the last `max` in an LRU cache
 * keyed by operation text, so a repeated operation costs a map lookup.
 */
export class OperationAnalyzer {
  private readonly cache: LRUCache<string, OperationAnalysis>;

  /** @param max operations kept; @default 1000 */
  constructor(
    private readonly subgraph: ShardedSubgraph,
    max = 1000,
  ) {
    this.cache = new LRUCache({ max });
  }

  /** The analysis of `query`, from the cache when seen before. */
  analyze(query: string, operationName?: string): OperationAnalysis {
    const key = operationName ? `${operationName}\n${query}` : query;
    let analysis = this.cache.get(key);
    if (!analysis) {
      analysis = analyzeOperation(this.subgraph, query, operationName);
      this.cache.set(key, analysis);
    }
    return analysis;
  }

  /** How many analyses the cache holds (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }
}

/** Removes, in place and deep, the `__shard_` fields the rewrite added; returns the value. */
export function stripShardAliases<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) stripShardAliases(item);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key.startsWith(SHARD_ALIAS_PREFIX)) delete record[key];
      else stripShardAliases(record[key]);
    }
  }
  return value;
}
