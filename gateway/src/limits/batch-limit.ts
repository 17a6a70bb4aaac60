import { badInput } from '@p2p/schema';
import { tooComplex } from './limit-errors.js';

/**
 * How many operations a request body holds, checked against `maxBatch`: a JSON array is an HTTP
 * batch (each element one operation), anything else one operation.
 * @throws GraphQLError QUERY_TOO_COMPLEX when the batch is larger than `maxBatch` (or batching is
 *   off, `maxBatch` ≤ 1); BAD_USER_INPUT for an empty batch.
 */
export function batchSize(body: unknown, maxBatch: number): number {
  if (!Array.isArray(body)) return 1;
  if (body.length === 0) throw badInput('the batch is empty: send at least one operation');
  if (maxBatch <= 1)
    throw tooComplex('batched requests are turned off here; send one operation per request', 'batch');
  if (body.length > maxBatch)
    throw tooComplex(`the batch holds ${body.length} operations; at most ${maxBatch} per request`, 'batch');
  return body.length;
}

/**
 * Refuses a batch from an anonymous caller: each operation of a batch runs on the same request,
 * and without a token there is no caller to hold to account, only an address.
 * @throws GraphQLError QUERY_TOO_COMPLEX (`limit: 'batch'`) when `operations` > 1.
 */
export function assertAnonymousBatch(operations: number): void {
  if (operations > 1)
    throw tooComplex(
      `the batch holds ${operations} operations; without a token send one operation per request (or sign in to batch)`,
      'batch',
    );
}
