/**
 * Which fetches to `national` are `Region` entity fetches the gateway can answer from the
 * directory: one query whose only root field is `_entities(representations: $variable)`, no
 * directive on the operation or the root field. The rest of the document (the entities' selection)
 * is compiled by region-selection.ts; each fetch text is analysed once (LRU-cached), and whether
 * the representations are all `Region`s is checked per request.
 */
import {
  Kind,
  parse,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { compileRegionSelection, type RegionPlan } from './region-selection.js';

/** An `_entities` fetch as the gateway may answer it. */
export interface EntitiesFetch {
  document: DocumentNode;
  /** Response key of the `_entities` field. */
  key: string;
  /** The variable holding the representations. */
  variable: string;
  /** The compiled selection on a `Region`; undefined when it has to be executed. */
  plan: RegionPlan | undefined;
}

/** Fetch texts analysed, most recent kept (a planner has few distinct national fetches). */
const ANALYSED = 1_000;

/** Analyses fetch texts, each once. */
export class RegionFetchAnalyzer {
  private readonly cache = new LRUCache<string, EntitiesFetch | false>({ max: ANALYSED });

  /** The fetch as an `_entities` fetch, or undefined when it is anything else (or not parsable). */
  analyze(query: string, operationName?: string | null): EntitiesFetch | undefined {
    const cacheKey = operationName ? `${operationName}\n${query}` : query;
    let found = this.cache.get(cacheKey);
    if (found === undefined) {
      found = analyzeFetch(query, operationName ?? undefined) ?? false;
      this.cache.set(cacheKey, found);
    }
    return found || undefined;
  }
}

function analyzeFetch(query: string, operationName: string | undefined): EntitiesFetch | undefined {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind !== Kind.OPERATION_DEFINITION) return undefined;
  }
  if (operations.length !== 1) return undefined;
  const operation = operations[0]!;
  if (operationName && operation.name?.value !== operationName) return undefined;
  if (operation.operation !== 'query' || operation.directives?.length) return undefined;
  const [root, ...others] = operation.selectionSet.selections;
  if (others.length || root?.kind !== Kind.FIELD || root.name.value !== '_entities') return undefined;
  if (root.directives?.length || !root.selectionSet || root.arguments?.length !== 1) return undefined;
  const argument = root.arguments[0]!;
  if (argument.name.value !== 'representations' || argument.value.kind !== Kind.VARIABLE) return undefined;
  const variable = argument.value.name.value;
  const definition = operation.variableDefinitions?.find((v) => v.variable.name.value === variable);
  if (!definition || print(definition.type) !== '[_Any!]!' || definition.directives?.length) return undefined;
  return {
    document,
    key: root.alias?.value ?? '_entities',
    variable,
    plan: compileRegionSelection([root.selectionSet], 'entity', fragments),
  };
}
