import { getNamedType, isObjectType, type GraphQLObjectType, type SelectionSetNode } from 'graphql';
import { compareKeysets, decodeCursor, type Keyset } from '@p2p/schema';
import { EDGES_ALIAS, PAGE_ALIAS } from './operation-analysis.js';
import { selectedFields } from './selected-fields.js';
import { firstNonNull, type MergeScope } from './merge-answers.js';

type Answer = Record<string, unknown>;

/** One province's page of a connection. */
export interface ConnectionPart {
  province: string;
  value: unknown;
}

/** The merged page and, per part, where each of its edges went. */
export interface MergedConnection {
  value: Answer | null;
  /** `edgeIndex[part][i]`: merged index of the part's edge i, or -1 when cut from the page. */
  edgeIndex: number[][];
}

interface Item {
  part: number;
  index: number;
  cursor: string | undefined;
  keyset: Keyset | undefined;
}

function keysetOf(cursor: unknown): Keyset | undefined {
  if (typeof cursor !== 'string') return undefined;
  try {
    return decodeCursor(cursor);
  } catch {
    return undefined;
  }
}

/** Keyset order; an edge without a readable cursor sorts last. */
function byKeyset(a: Item, b: Item): number {
  if (!a.keyset || !b.keyset) return a.keyset ? -1 : b.keyset ? 1 : 0;
  return compareKeysets(a.keyset, b.keyset);
}

/**
 * Merges pages of a Relay connection answered by several provinces. Each province was asked for
 * `first` items after the client's keyset cursor (valid in every shard), with its edge cursors under
 * {@link EDGES_ALIAS} and `hasNextPage` under {@link PAGE_ALIAS}; the merged page is the union in
 * keyset order cut to `first`, so paging on with `endCursor` neither loses nor repeats an item.
 * `hasNextPage` is true when a province had more or the union was cut; `totalCount` is summed.
 */
export function mergeConnections(
  parts: readonly ConnectionPart[],
  connectionType: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  first: number,
  scope: MergeScope,
): MergedConnection {
  const edgeIndex: number[][] = parts.map(() => []);
  const answers = parts.map((p) =>
    p.value && typeof p.value === 'object' ? (p.value as Answer) : undefined,
  );
  if (!answers.some(Boolean)) return { value: null, edgeIndex };

  const items: Item[] = [];
  let more = false;
  answers.forEach((answer, part) => {
    if (!answer) return;
    const edges = Array.isArray(answer[EDGES_ALIAS]) ? (answer[EDGES_ALIAS] as (Answer | null)[]) : [];
    edges.forEach((edge, index) => {
      const cursor = edge?.cursor;
      items.push({
        part,
        index,
        cursor: typeof cursor === 'string' ? cursor : undefined,
        keyset: keysetOf(cursor),
      });
      edgeIndex[part]![index] = -1;
    });
    if ((answer[PAGE_ALIAS] as Answer | null | undefined)?.hasNextPage === true) more = true;
  });
  items.sort(byKeyset);
  const kept = items.slice(0, Math.max(0, first));
  kept.forEach((item, merged) => {
    edgeIndex[item.part]![item.index] = merged;
  });
  const hasNextPage = more || items.length > kept.length;
  const endCursor = kept.at(-1)?.cursor ?? null;

  const fields = selectedFields(scope.schema, connectionType, sets, scope.fragments);
  const keys = new Set<string>();
  for (const a of answers) if (a) for (const k of Object.keys(a)) keys.add(k);
  const value: Answer = {};
  for (const key of keys) {
    if (key === EDGES_ALIAS || key === PAGE_ALIAS) continue;
    const values = answers.map((a) => a?.[key]);
    const selected = fields.get(key);
    switch (selected?.fieldName) {
      case 'edges':
        value[key] = kept.map(
          (item) => (answers[item.part]![key] as unknown[] | undefined)?.[item.index] ?? null,
        );
        break;
      case 'totalCount':
        value[key] = values.some((v) => typeof v === 'number')
          ? values.reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0)
          : null;
        break;
      case 'pageInfo': {
        const pageType = selected.type && getNamedType(selected.type);
        const template = firstNonNull(values) as Answer | null;
        if (!template || !pageType || !isObjectType(pageType)) {
          value[key] = template;
          break;
        }
        const pageFields = selectedFields(scope.schema, pageType, selected.selectionSets, scope.fragments);
        const page: Answer = {};
        for (const pageKey of Object.keys(template)) {
          const name = pageFields.get(pageKey)?.fieldName;
          page[pageKey] =
            name === 'hasNextPage' ? hasNextPage : name === 'endCursor' ? endCursor : template[pageKey];
        }
        value[key] = page;
        break;
      }
      default:
        value[key] = firstNonNull(values);
    }
  }
  return { value, edgeIndex };
}

/**
 * Moves an error path of a province's connection answer to the merged page: the edge index after
 * `responseKey` and an `edges` key is replaced by its merged index; undefined when that edge was cut.
 */
export function remapConnectionPath(
  path: readonly (string | number)[],
  part: number,
  merged: MergedConnection,
  edgesKeys: ReadonlySet<string>,
): (string | number)[] | undefined {
  const [root, edges, index, ...rest] = path;
  if (root === undefined || typeof edges !== 'string' || !edgesKeys.has(edges) || typeof index !== 'number')
    return [...path];
  const target = merged.edgeIndex[part]?.[index];
  return target === undefined || target < 0 ? undefined : [root, edges, target, ...rest];
}
