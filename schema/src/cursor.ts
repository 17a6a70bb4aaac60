import { badInput } from './errors.js';

/**
 * Keyset cursor of a connection: the (order value, id) of an item. Every province orders the same
 * connection by the same key, so one keyset cursor is valid in every shard: the gateway passes a
 * client's `after` to each province unchanged and the merged order continues exactly.
 */
export interface Keyset {
  /** Value of the connection's orderBy field (string or number); equals id when ordered by id. */
  k: string | number;
  id: string;
}

/** Encodes a keyset as an opaque base64url cursor. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.k, keyset.id])).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}.
 * @throws GraphQLError BAD_USER_INPUT for anything else.
 */
export function decodeCursor(cursor: string, field = 'after'): Keyset {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      (typeof v[0] === 'string' || typeof v[0] === 'number') &&
      typeof v[1] === 'string'
    ) {
      return { k: v[0], id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw badInput(`${field}: not a cursor returned by this connection`, field);
}

/** Orders two keysets: by k, then by id. */
export function compareKeysets(a: Keyset, b: Keyset): number {
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Page size: `first` defaults to 20 and must be 1..100. */
export function pageSize(first: number | null | undefined, max = 100): number {
  if (first == null) return 20;
  if (!Number.isInteger(first) || first < 0 || first > max)
    throw badInput(`first: must be between 0 and ${max}`, 'first');
  return first;
}
