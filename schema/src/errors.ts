import { GraphQLError } from 'graphql';

/**
 * The one registry of every `extensions.code` the hub emits, with what it means.
 * The README lists them; a test checks the two agree.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: 'The input is malformed or names something that does not exist; nothing was written.',
  NOT_FOUND: 'The record named by an id does not exist in the province that would own it.',
  WRONG_PROVINCE: 'The record belongs to another province; only its owner may change it.',
  IDEMPOTENCY_CONFLICT: 'The idempotency key was used before for a different operation.',
  CURSOR_EXPIRED:
    'A cursor or relay position older than a province keeps (30 days) or of another epoch; subscribe again without it.',
  CONFLICT: "The change is not allowed in the record's current state (e.g. departing a cancelled trip).",
  PROVINCE_UNAVAILABLE:
    'A province did not answer in time or failed, or its database refused (`reason: database`); the rest of the answer is partial.',
  PROVINCE_INCOMPATIBLE:
    'A province serves a schema incompatible with the contract and is not routed to, or, during a rolling upgrade, runs the previous minor contract and lacks what the request asks (`reason: behind`), or has no passing conformance kit report while the gateway requires one (`reason: conformance`).',
  UNAUTHENTICATED: 'The request carries no valid credentials where they are required.',
  FORBIDDEN: 'The caller may not read or change this record.',
  QUERY_TOO_COMPLEX: 'The query exceeds a depth, cost, page size, body size or batch limit.',
  RATE_LIMITED: 'The caller sent too many requests; retry later.',
  OPERATION_NOT_TRUSTED:
    'The gateway runs in safelist mode and the request carries a document text: send a registered operation by its id.',
  PERSISTED_QUERY_NOT_FOUND:
    'No operation is registered under this id (or hash); in apq mode send the text with its hash once.',
  PERSISTED_QUERY_NOT_SUPPORTED:
    'Operations by id are turned off here (TRUSTED_DOCUMENTS=off); send the text.',
  INTERNAL_SERVER_ERROR: 'An unexpected failure; the logs carry the details.',
} as const;

/** A code from the registry. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Builds a GraphQLError whose `extensions.code` comes from the registry. */
export function hubError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** BAD_USER_INPUT with an optional `field` naming the offending input path. */
export function badInput(message: string, field?: string): GraphQLError {
  return hubError('BAD_USER_INPUT', message, field ? { field } : {});
}

/** NOT_FOUND for a record `kind` with `id`. */
export function notFound(kind: string, id: string): GraphQLError {
  return hubError('NOT_FOUND', `${kind} ${id} does not exist`, { id });
}
