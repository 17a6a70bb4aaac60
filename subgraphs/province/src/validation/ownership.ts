import { decodeId, hubError, provinceOf, type EntityKind } from '@p2p/schema';

/** The words a clerk reads for an entity kind. */
const KIND_WORDS: Record<EntityKind, string> = {
  Worker: 'worker',
  Enterprise: 'enterprise',
  Trip: 'trip',
  ReturnRequest: 'return request',
  Observation: 'observation',
  Job: 'job post',
};

/**
 * Checks that a region code given to a mutation lies in this province.
 * @throws WRONG_PROVINCE naming the province that owns it.
 */
export function ownRegion(code: string, province: string, field: string, what = 'region'): string {
  const owner = provinceOf(code);
  if (owner !== province) {
    throw hubError(
      'WRONG_PROVINCE',
      `${field}: ${what} ${code} belongs to province ${owner}; send it there (this is province ${province})`,
      { field, province: owner },
    );
  }
  return code;
}

/**
 * Decodes an id given to a mutation and checks this province owns the record.
 * @throws BAD_USER_INPUT when malformed or of another kind; WRONG_PROVINCE when owned elsewhere.
 */
export function ownId(id: string, kind: EntityKind, province: string, field: string): string {
  const decoded = decodeId(id, kind, field);
  if (decoded.province !== province) {
    throw hubError(
      'WRONG_PROVINCE',
      `${KIND_WORDS[kind]} ${id} belongs to province ${decoded.province}; send it there (this is province ${province})`,
      { field, province: decoded.province },
    );
  }
  return id;
}

/** True when an id is well formed, of `kind` and owned by `province` (queries answer null otherwise). */
export function isOwnId(id: string, kind: EntityKind, province: string): boolean {
  try {
    return decodeId(id, kind).province === province;
  } catch {
    return false;
  }
}
