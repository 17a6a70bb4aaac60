import { createHmac, randomUUID } from 'node:crypto';
import { badInput } from './errors.js';

/** Entity kinds that carry their owning province in their id. */
export const ID_PREFIX = {
  Worker: 'W',
  Enterprise: 'E',
  Trip: 'T',
  ReturnRequest: 'R',
  Observation: 'O',
  Job: 'J',
} as const;
/** A kind of entity id. */
export type EntityKind = keyof typeof ID_PREFIX;

const KIND_OF = Object.fromEntries(Object.entries(ID_PREFIX).map(([k, v]) => [v, k])) as Record<
  string,
  EntityKind
>;
const ID_SHAPE = /^([WETROJ])(\d{2})-([A-Za-z0-9_-]{8,64})$/;

/** A decoded entity id. */
export interface DecodedId {
  kind: EntityKind;
  /** Six-digit province code, e.g. 450000. */
  province: string;
  local: string;
}

/** Builds an id such as `T45-3f0c…`: kind letter, two-digit province, local part. */
export function encodeId(
  kind: EntityKind,
  province: string,
  local: string = randomUUID().replaceAll('-', ''),
): string {
  return `${ID_PREFIX[kind]}${province.slice(0, 2)}-${local}`;
}

/** Decodes an entity id, or returns undefined when it is not one of ours. */
export function tryDecodeId(id: string): DecodedId | undefined {
  const m = ID_SHAPE.exec(id);
  if (!m) return undefined;
  return { kind: KIND_OF[m[1]!]!, province: `${m[2]}0000`, local: m[3]! };
}

/**
 * Decodes an id and checks its kind.
 * @throws GraphQLError BAD_USER_INPUT when the id is malformed or of another kind.
 */
export function decodeId(id: string, kind?: EntityKind, field = 'id'): DecodedId {
  const d = tryDecodeId(id);
  if (!d || (kind && d.kind !== kind)) {
    const what = kind ? `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind} id` : 'an id of this hub';
    throw badInput(`${field}: "${id.slice(0, 80)}" is not ${what}`, field);
  }
  return d;
}

/** Development key for worker ids; production sets WORKER_ID_KEY, the same in every province. */
export const DEV_WORKER_ID_KEY = 'dev-only-worker-id-key-change-me';

/**
 * The worker id for a resident ID number: home province plus a keyed hash (HMAC-SHA256) of the
 * number, so every province computes the same id and the number cannot be read back from it.
 */
export function workerIdFor(
  idNumber: string,
  homeProvince: string,
  key: string = process.env.WORKER_ID_KEY ?? DEV_WORKER_ID_KEY,
): string {
  const digest = createHmac('sha256', key).update(idNumber.toUpperCase()).digest('base64url').slice(0, 22);
  return encodeId('Worker', homeProvince, digest);
}
