import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleRegionNameDocument } from '../generated/graphql.js';
import { createHubClients } from './hub-client.js';

const CONFIG = { signIn: 'none', trustedDocuments: 'off' } as const;

/** The gateway as the clients see it: answers `body`, records each request's authorization and method. */
function fakeGateway(answer: () => { status: number; body: unknown }) {
  const seen: { authorization: string | null; method: string }[] = [];
  vi.stubGlobal('location', new URL('http://console.test/console/'));
  // The socket is lazy: never opened by queries (and never in a unit test).
  vi.stubGlobal('WebSocket', class {});
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      seen.push({
        authorization: new Headers(init.headers).get('authorization'),
        method: init.method ?? 'GET',
      });
      const { status, body } = answer();
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return seen;
}

const ask = (clients: ReturnType<typeof createHubClients>) =>
  clients.urql.query(ConsoleRegionNameDocument, { code: '450000' }).toPromise();

describe('the console GraphQL clients', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('should send the session current token with each request, by POST, without being recreated', async () => {
    const seen = fakeGateway(() => ({ status: 200, body: { data: { region: null } } }));
    let token = 'first';
    const clients = createHubClients(CONFIG, { token: () => token });
    await ask(clients);
    token = 'renewed';
    await ask(clients);
    expect(seen).toEqual([
      { authorization: 'Bearer first', method: 'POST' },
      { authorization: 'Bearer renewed', method: 'POST' },
    ]);
    clients.dispose();
  });

  it('should tell the session when the gateway refuses the token (UNAUTHENTICATED or HTTP 401)', async () => {
    const refusals: string[] = [];
    const answers = [
      {
        status: 401,
        body: { errors: [{ message: 'the token expired', extensions: { code: 'UNAUTHENTICATED' } }] },
      },
      {
        status: 200,
        body: { data: { region: null }, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] },
      },
    ];
    fakeGateway(() => answers.shift()!);
    const clients = createHubClients(CONFIG, {
      token: () => 't',
      onUnauthenticated: (m) => refusals.push(m),
    });
    await ask(clients);
    await ask(clients);
    expect(refusals).toEqual(['the token expired']);
    clients.dispose();
  });
});
