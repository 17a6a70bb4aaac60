/**
 * A `Region` selection set compiled once into the list of response keys it asks for, so that an
 * entity fetch of regions is answered by walking the directory, with no GraphQL execution: the
 * keys come out in the order and with the merging `graphql-js` gives them (fields collected in
 * document order, inline fragments and fragment spreads flattened, a key selected twice merged,
 * sub-selections of a merged key concatenated). Anything this does not cover — directives, a
 * field the `Region` type does not have, arguments, a type condition other than `Region` — is not
 * compiled (undefined), and the fetch is answered another way.
 */
import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { childRegions, fullRegionName, parentRegion, type DirectoryRegion } from '@p2p/schema';

/** The fields of the contract's `Region` (schema/sdl/national.graphql), and `__typename`. */
const REGION_FIELDS = ['__typename', 'code', 'name', 'level', 'parent', 'children', 'fullName'] as const;
type RegionField = (typeof REGION_FIELDS)[number];
const OBJECT_FIELDS: ReadonlySet<RegionField> = new Set(['parent', 'children']);
const isRegionField = (name: string): name is RegionField =>
  (REGION_FIELDS as readonly string[]).includes(name);

/** One response key of a compiled selection. */
interface PlannedField {
  key: string;
  field: RegionField;
  /** The sub-selection of `parent` / `children`. */
  sub?: RegionPlan;
}

/** A compiled `Region` selection: its response keys in order. */
export type RegionPlan = readonly PlannedField[];

/** Where a selection set sits: directly under `_entities` (the `_Entity` union) or on `Region`. */
export type SelectionLevel = 'entity' | 'region';

/**
 * Compiles the selection sets selected at one place (one, or several merged under one key) on a
 * `Region` object.
 * @returns undefined when the selection uses anything the plan does not cover
 */
export function compileRegionSelection(
  selectionSets: readonly SelectionSetNode[],
  level: SelectionLevel,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): RegionPlan | undefined {
  const collected = new Map<string, { field: RegionField; nodes: FieldNode[] }>();
  const visited = new Set<string>();
  const collect = (selections: readonly SelectionNode[], at: SelectionLevel): boolean => {
    for (const selection of selections) {
      if (selection.directives?.length) return false;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!isRegionField(name) || selection.arguments?.length) return false;
        // On the union only `__typename` may be selected directly.
        if (at === 'entity' && name !== '__typename') return false;
        const key = selection.alias?.value ?? name;
        const entry = collected.get(key);
        if (entry && entry.field !== name) return false;
        if (entry) entry.nodes.push(selection);
        else collected.set(key, { field: name, nodes: [selection] });
        continue;
      }
      let condition: string | undefined;
      let selectionSet: SelectionSetNode;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        condition = selection.typeCondition?.name.value;
        selectionSet = selection.selectionSet;
      } else {
        const name = selection.name.value;
        // graphql-js collects a fragment once per selection set.
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments.get(name);
        if (!fragment) return false;
        condition = fragment.typeCondition.name.value;
        selectionSet = fragment.selectionSet;
      }
      // A fragment on the other entity of `_Entity` does not apply to a Region.
      if (at === 'entity' && condition === 'Summary') continue;
      if (condition === 'Region') {
        if (!collect(selectionSet.selections, 'region')) return false;
      } else if (condition === undefined || (at === 'entity' && condition === '_Entity')) {
        if (!collect(selectionSet.selections, at)) return false;
      } else return false;
    }
    return true;
  };
  for (const set of selectionSets) if (!collect(set.selections, level)) return undefined;
  const plan: PlannedField[] = [];
  for (const [key, { field, nodes }] of collected) {
    const subSets = nodes.map((n) => n.selectionSet);
    if (!OBJECT_FIELDS.has(field)) {
      if (subSets.some((s) => s !== undefined)) return undefined;
      plan.push({ key, field });
      continue;
    }
    if (subSets.some((s) => s === undefined)) return undefined;
    const sub = compileRegionSelection(subSets as SelectionSetNode[], 'region', fragments);
    if (!sub) return undefined;
    plan.push({ key, field, sub });
  }
  return plan;
}

/** A directory record as the plan selects it (what the national subgraph answers for it). */
export function renderRegion(region: DirectoryRegion, plan: RegionPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, field, sub } of plan) {
    switch (field) {
      case '__typename':
        out[key] = 'Region';
        break;
      case 'code':
      case 'name':
      case 'level':
        out[key] = region[field];
        break;
      case 'fullName':
        out[key] = fullRegionName(region.code);
        break;
      case 'parent': {
        const parent = parentRegion(region);
        out[key] = parent ? renderRegion(parent, sub!) : null;
        break;
      }
      case 'children':
        out[key] = childRegions(region.code).map((child) => renderRegion(child, sub!));
        break;
    }
  }
  return out;
}
