import { describe, expect, it } from 'vitest';
import { useNational } from './test-client.js';

const url = useNational();

/** The status and body of a request to the national subgraph. */
async function answer(path: string, init: RequestInit = {}) {
  const res = await fetch(new URL(path, url()), init);
  return { status: res.status, allow: res.headers.get('allow'), body: (await res.json()) as any };
}

describe('edge errors of the national subgraph, as every service answers them (#12.1)', () => {
  it('should answer an unknown path with 404 and a NOT_FOUND GraphQL error', async () => {
    expect(await answer('/nowhere')).toMatchObject({
      status: 404,
      body: {
        errors: [
          { message: 'no such path: /nowhere; served: /graphql, /health', extensions: { code: 'NOT_FOUND' } },
        ],
      },
    });
  });

  it('should answer a body larger than the limit with 413 QUERY_TOO_COMPLEX (limit bodySize), not BAD_USER_INPUT', async () => {
    const big = JSON.stringify({ query: `{ __typename }${' '.repeat(1_100_000)}` });
    const { status, body } = await answer('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(status).toBe(413);
    expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'bodySize' });
  });

  it('should answer a body that is not JSON with 400 BAD_USER_INPUT', async () => {
    const { status, body } = await answer('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { message: 'the request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });

  it('should answer a method the path does not serve with 405, an allow header and BAD_USER_INPUT', async () => {
    expect(await answer('/graphql', { method: 'PUT' })).toMatchObject({
      status: 405,
      allow: 'GET, POST',
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
    });
  });
});
