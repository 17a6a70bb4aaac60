import { Kind, parse } from 'graphql';
import type { AssertionBinding, Caller } from '@p2p/schema';

/**
 * The province's read-only key (`CONFORMANCE_PUBLIC_KEY`): a key pair the province issues itself
 * so the conformance kit's `--read-only` run can check its production service. An assertion this
 * key verifies is served only for GraphQL queries: no mutation, no subscription link, no relay
 * delivery — whatever caller it names. (Assertions the gateway's key verifies are unaffected.)
 */

/**
 * Why a request admitted by the read-only key may not be served, or undefined when it is a read:
 * a POST whose body is one GraphQL request (or a batch of them) holding only `query` operations.
 */
export function readOnlyRefusal(binding: AssertionBinding, caller: Caller): string | undefined {
  if ('webSocket' in binding) return 'the read-only key opens no subscription link';
  if (caller.role === 'relay') return 'the read-only key delivers no relay events';
  let requests: unknown;
  try {
    requests = JSON.parse(Buffer.from(binding.body).toString('utf8'));
  } catch {
    return 'the read-only key serves GraphQL queries only (the body is not JSON)';
  }
  for (const request of Array.isArray(requests) ? requests : [requests]) {
    const query = (request as { query?: unknown } | null)?.query;
    if (typeof query !== 'string')
      return 'the read-only key serves GraphQL queries only (a request has no query text)';
    let operations: string[];
    try {
      operations = parse(query)
        .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
        .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? d.operation : 'query'));
    } catch {
      return 'the read-only key serves GraphQL queries only (the query does not parse)';
    }
    if (operations.some((op) => op !== 'query'))
      return `the read-only key serves GraphQL queries only, not a ${operations.find((op) => op !== 'query')}`;
  }
  return undefined;
}
