/**
 * What a client asked for inside an event's entity (`arrivals { trip { … } }`), taken from its
 * subscription document, and the federated query that reads exactly that for a batch of
 * entities: `query($id0: ID!, …) { e0_trip: trip(id: $id0) { …client selection } … }` plus the
 * client's fragments and variables that the selection uses. The selection may reach any logical
 * subgraph: the gateway's own query planner makes the hops.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  print,
  visit,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { SubscriptionTopic } from './topics.js';

/** The client's selection of the event's entity, per response key of the entity field. */
export interface EntitySelection {
  topic: SubscriptionTopic;
  /** Response key (alias or `trip`) → the merged selection set under it. */
  byResponseKey: Map<string, SelectionSetNode[]>;
  /** Fragment definitions used (transitively) inside the selections, printed. */
  fragments: string[];
  /** Variable definitions used inside the selections, printed (e.g. `$withNames: Boolean!`). */
  variableDefinitions: string[];
  /** The values of those variables. */
  variables: Record<string, unknown>;
  /** Equal for two clients whose resolution queries are equal (selection, fragments, variable values). */
  key: string;
}

function included(node: { directives?: readonly unknown[] }, variables: Record<string, unknown>): boolean {
  const n = node as FieldNode;
  if (getDirectiveValues(GraphQLSkipDirective, n, variables)?.if === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, n, variables)?.if === false) return false;
  return true;
}

/** Collects the entity field nodes of the event selection, as graphql-js's collectFields would. */
function collectEntityFields(
  selections: readonly SelectionNode[],
  entityField: string,
  info: Pick<GraphQLResolveInfo, 'fragments' | 'variableValues'>,
  out: Map<string, SelectionSetNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selections) {
    if (!included(selection, info.variableValues)) continue;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === entityField && selection.selectionSet) {
        const key = selection.alias?.value ?? selection.name.value;
        out.set(key, [...(out.get(key) ?? []), selection.selectionSet]);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectEntityFields(selection.selectionSet.selections, entityField, info, out, visited);
    } else {
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (!fragment || visited.has(name)) continue;
      visited.add(name);
      collectEntityFields(fragment.selectionSet.selections, entityField, info, out, visited);
    }
  }
}

/** Names of the fragments spread (transitively) and variables used inside `nodes`. */
function usages(nodes: readonly SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>) {
  const fragmentNames = new Set<string>();
  const variableNames = new Set<string>();
  const pending = [...nodes] as (SelectionSetNode | FragmentDefinitionNode)[];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        if (fragmentNames.has(node.name.value) || !fragments[node.name.value]) return;
        fragmentNames.add(node.name.value);
        pending.push(fragments[node.name.value]!);
      },
      Variable(node) {
        variableNames.add(node.name.value);
      },
    });
  }
  return { fragmentNames, variableNames };
}

/** Reads the client's selection of `topic`'s entity from the subscribe resolver's `info`. */
export function entitySelection(topic: SubscriptionTopic, info: GraphQLResolveInfo): EntitySelection {
  const byResponseKey = new Map<string, SelectionSetNode[]>();
  for (const node of info.fieldNodes) {
    if (node.selectionSet)
      collectEntityFields(node.selectionSet.selections, topic.entityField, info, byResponseKey, new Set());
  }
  const all = [...byResponseKey.values()].flat();
  const { fragmentNames, variableNames } = usages(all, info.fragments);
  const fragments = [...fragmentNames].sort().map((name) => print(info.fragments[name]!));
  const variableDefinitions = (info.operation.variableDefinitions ?? [])
    .filter((d) => variableNames.has(d.variable.name.value))
    .map((d) => print(d));
  const variables = Object.fromEntries(
    [...variableNames].sort().map((name) => [name, info.variableValues[name]]),
  );
  const printed = [...byResponseKey]
    .map(([key, sets]) => `${key}:${sets.map((s) => print(s)).join('')}`)
    .join('|');
  const key = `${topic.name}|${printed}|${fragments.join('')}|${variableDefinitions.join(',')}|${JSON.stringify(variables)}`;
  return { topic, byResponseKey, fragments, variableDefinitions, variables, key };
}

/** Batch sizes the resolution query is built for (padded up), so the gateway's plan cache hits. */
export const BATCH_SIZES = [1, 2, 4, 8, 16, 32] as const;

/** The alias of entity `index`'s response key number `keyIndex` in a resolution query. */
export const resolutionAlias = (index: number, keyIndex: number) => `e${index}_${keyIndex}`;

/**
 * The federated query that reads `size` entities with the client's selection. Its variables are
 * `$__id0`…`$__id{size-1}` (ID!; a client's own variables never start with `__id` in practice)
 * plus the variables the selection uses.
 */
export function resolutionQuery(selection: EntitySelection, size: number): string {
  const keys = [...selection.byResponseKey.keys()];
  const argument = selection.topic.queryArgument ?? { name: 'id', type: 'ID!' };
  const ids = Array.from({ length: size }, (_, i) => `$__id${i}: ${argument.type}`);
  const fields: string[] = [];
  for (let i = 0; i < size; i++) {
    keys.forEach((key, j) => {
      const sets = selection.byResponseKey.get(key)!;
      const body = sets.map((s) => print(s).slice(1, -1)).join('\n');
      fields.push(
        `${resolutionAlias(i, j)}: ${selection.topic.queryField}(${argument.name}: $__id${i}) {${body}}`,
      );
    });
  }
  const variables = [...ids, ...selection.variableDefinitions].join(', ');
  return `query SubscriptionEvents(${variables}) {\n${fields.join('\n')}\n}\n${selection.fragments.join('\n')}`;
}

/** The variables of {@link resolutionQuery} for `ids` (padded to the query's size with the last id). */
export function resolutionVariables(
  selection: EntitySelection,
  ids: readonly string[],
  size: number,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...selection.variables };
  for (let i = 0; i < size; i++) variables[`__id${i}`] = ids[Math.min(i, ids.length - 1)];
  return variables;
}
