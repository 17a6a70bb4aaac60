/**
 * The cursor of a gateway subscription: a VECTOR of per-province positions, the seq of the last
 * event of each province the client received (or the point it started from), e.g.
 * `{"130000":41,"450000":7}` as base64url JSON. It holds the whole state of a subscription, so
 * any gateway replica resumes it: each province replays exactly what came after its position.
 */
import { badInput, findRegion } from '@p2p/schema';

/** Province code → position (outbox seq of that province). */
export type ProvincePositions = ReadonlyMap<string, number>;

/** Longest cursor accepted (a few dozen provinces fit in far less). */
export const MAX_CURSOR_LENGTH = 4096;

/** Encodes positions as an opaque cursor (provinces in code order, so equal vectors give equal cursors). */
export function encodeVectorCursor(positions: ProvincePositions): string {
  const sorted = [...positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(Object.fromEntries(sorted))).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeVectorCursor}.
 * @throws GraphQLError BAD_USER_INPUT (`extensions.field` = `field`) for anything else.
 */
export function decodeVectorCursor(cursor: string, field = 'after'): Map<string, number> {
  const refuse = (why: string) =>
    badInput(
      `${field}: not a cursor of this subscription (${why}); pass the cursor of the last event received, or omit it to start from now`,
      field,
    );
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !/^[A-Za-z0-9_-]+$/.test(cursor)
  )
    throw refuse('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('malformed');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw refuse('malformed');
  const positions = new Map<string, number>();
  for (const [province, position] of Object.entries(parsed)) {
    if (!/^\d{2}0000$/.test(province) || findRegion(province)?.level !== 'PROVINCE')
      throw refuse(`unknown province ${province.slice(0, 12)}`);
    if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0)
      throw refuse(`bad position for ${province}`);
    positions.set(province, position);
  }
  return positions;
}
