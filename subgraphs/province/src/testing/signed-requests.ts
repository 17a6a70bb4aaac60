/** Requests to a signed test province as the gateway would send them: GraphQL as a caller, the relay's endpoints as the relay. */
import { RELAY_CALLER, type Caller } from '@p2p/schema';
import type { SignedTestProvince } from './signed-province.js';
import type { GraphQLAnswer } from './test-province.js';

/** An HTTP answer of a relay endpoint: status and parsed body. */
export interface RelayAnswer<T = any> {
  status: number;
  body: T;
}

/** What {@link signedRequests} returns. */
export interface SignedRequests {
  /** POSTs GraphQL to a logical subgraph as `caller` (an assertion for this exact body). */
  gql(
    subgraph: string,
    query: string,
    variables: Record<string, unknown>,
    caller: Caller,
  ): Promise<GraphQLAnswer>;
  /** POSTs JSON to a relay path (`/relay/events`, …) as `caller` (@default RELAY_CALLER). */
  relay<T = any>(path: string, body: unknown, caller?: Caller): Promise<RelayAnswer<T>>;
}

/** Request helpers for `signed` (see {@link SignedRequests}). */
export function signedRequests(signed: SignedTestProvince): SignedRequests {
  const { service, keys } = signed;
  const post = async (path: string, body: string, caller: Caller) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await keys.headers(caller, { province: service.province, body })),
      },
      body,
    });
  return {
    async gql(subgraph, query, variables, caller) {
      const res = await post(`/${subgraph}/graphql`, JSON.stringify({ query, variables }), caller);
      return { status: res.status, ...((await res.json()) as object) };
    },
    async relay(path, body, caller = RELAY_CALLER) {
      const res = await post(path, JSON.stringify(body), caller);
      return { status: res.status, body: await res.json() };
    },
  };
}
