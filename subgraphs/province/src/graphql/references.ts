/**
 * Entity stubs: references to records another logical subgraph (or the national directory)
 * resolves. The gateway's query planner fetches their other fields from the owner.
 */

/** A Region reference `{ code }`. */
export function regionRef(code: string): { code: string };
export function regionRef(code: string | null | undefined): { code: string } | null;
export function regionRef(code: string | null | undefined): { code: string } | null {
  return code ? { code } : null;
}

/** A reference to an entity of another subgraph, e.g. `{ __typename: 'Worker', id }`. */
export function entityRef<T extends 'Worker' | 'Enterprise' | 'Trip' | 'ReturnRequest'>(
  typename: T,
  id: string,
): { __typename: T; id: string };
export function entityRef<T extends 'Worker' | 'Enterprise' | 'Trip' | 'ReturnRequest'>(
  typename: T,
  id: string | null | undefined,
): { __typename: T; id: string } | null;
export function entityRef<T extends 'Worker' | 'Enterprise' | 'Trip' | 'ReturnRequest'>(
  typename: T,
  id: string | null | undefined,
): { __typename: T; id: string } | null {
  return id ? { __typename: typename, id } : null;
}
