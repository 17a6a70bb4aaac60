/**
 * The cursor of a gateway subscription: a VECTOR of per-province positions, the seq of the last
 * event of each province the client received (or the point it started from) with the epoch of
 * that province's event sequence it belongs to, e.g. `{"130000":["9f…",41],"450000":["c2…",7]}`
 * as base64url JSON. It holds the whole state of a subscription, so any gateway replica resumes
 * it: each province replays exactly what came after its position, and a position of an epoch the
 * province left (a restore from a backup) is refused with CURSOR_EXPIRED (`head-check.ts`).
 * A bare number (`{"130000":41}`, the cursors issued before epochs) is accepted as a position
 * of the province's current epoch during the transition (docs/backups.md); the cursor of the
 * next event received carries the epoch.
 */
import { badInput, findRegion } from '@p2p/schema';

/** Province code → position (outbox seq of that province). */
export type ProvincePositions = ReadonlyMap<string, number>;

/** Province code → the epoch of its position (absent: a cursor issued before epochs). */
export type ProvinceEpochs = ReadonlyMap<string, string>;

/** A decoded cursor. */
export interface VectorCursor {
  positions: Map<string, number>;
  epochs: Map<string, string>;
}

/** Longest cursor accepted (a few dozen provinces with their epochs fit in far less). */
export const MAX_CURSOR_LENGTH = 4096;

const EPOCH = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Encodes positions (and their epochs, where known) as an opaque cursor (provinces in code order,
 * so equal vectors give equal cursors).
 */
export function encodeVectorCursor(positions: ProvincePositions, epochs: ProvinceEpochs = new Map()): string {
  const sorted = [...positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const entries = sorted.map(([province, seq]) => {
    const epoch = epochs.get(province);
    return [province, epoch === undefined ? seq : [epoch, seq]] as const;
  });
  return Buffer.from(JSON.stringify(Object.fromEntries(entries))).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeVectorCursor}, epochs included.
 * @throws GraphQLError BAD_USER_INPUT (`extensions.field` = `field`) for anything else.
 */
export function decodeVectorCursorWithEpochs(cursor: string, field = 'after'): VectorCursor {
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
  const epochs = new Map<string, string>();
  for (const [province, value] of Object.entries(parsed)) {
    if (!/^\d{2}0000$/.test(province) || findRegion(province)?.level !== 'PROVINCE')
      throw refuse(`unknown province ${province.slice(0, 12)}`);
    const [epoch, position] = Array.isArray(value) && value.length === 2 ? value : [undefined, value];
    if (epoch !== undefined && (typeof epoch !== 'string' || !EPOCH.test(epoch)))
      throw refuse(`bad epoch for ${province}`);
    if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0)
      throw refuse(`bad position for ${province}`);
    positions.set(province, position);
    if (epoch !== undefined) epochs.set(province, epoch);
  }
  return { positions, epochs };
}

/**
 * The positions of a cursor made by {@link encodeVectorCursor} (without their epochs).
 * @throws GraphQLError BAD_USER_INPUT (`extensions.field` = `field`) for anything else.
 */
export function decodeVectorCursor(cursor: string, field = 'after'): Map<string, number> {
  return decodeVectorCursorWithEpochs(cursor, field).positions;
}
