/**
 * Trusted documents through the real gateway over fake provinces, for each mode and transport
 * (#18.6): registered operations by id over POST, GET, batches and graphql-ws; unknown ids;
 * texts refused in safelist mode; the APQ round trip in apq mode; ids refused when off; the
 * limits and the rate limit on registered operations; the rollout counter.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphqlRequest } from '@p2p/runtime';
import { generateGatewayKeyPair } from '@p2p/schema';
import { signDevToken } from '../auth/dev-token.js';
import { emptyData } from '../testing/fake-data.js';
import {
  fetchAdmin,
  startHub,
  testAuthorization,
  type ClientAnswer,
  type Hub,
} from '../testing/hub-fixture.js';
import { documentId, MANIFEST_FORMAT, type PersistedQueryManifest } from './manifest.js';
import type { TrustedDocumentsMode } from './trusted-documents.js';

const BJ = '110000';
const REGION = 'query RegionName($code: RegionCode!) { region(code: $code) { code name } }';
const DEEP = 'query Deep { region(code: "110000") { parent { parent { parent { code } } } } }';
const ARRIVALS = 'subscription Arrivals($d: RegionCode!) { arrivals(destination: $d) { cursor kind } }';
const UNREGISTERED = '{ region(code: "110000") { name } }';
const INTROSPECTION = '{ __schema { queryType { name } } }';

const manifest: PersistedQueryManifest = {
  format: MANIFEST_FORMAT,
  version: 1,
  operations: [
    { id: documentId(REGION), name: 'RegionName', type: 'query', body: REGION },
    { id: documentId(DEEP), name: 'Deep', type: 'query', body: DEEP },
    { id: documentId(ARRIVALS), name: 'Arrivals', type: 'subscription', body: ARRIVALS },
  ],
};
const UNKNOWN_ID = documentId('query Nobody { __typename }');
const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: documentId(query) } });

/** A hub whose gateway runs in `mode` with the test's manifest (and not the built one). */
const hubIn = (mode: TrustedDocumentsMode) =>
  startHub(
    [BJ],
    { [BJ]: emptyData() },
    {
      gateway: {
        trustedDocuments: { mode, manifests: [manifest], builtManifest: false },
        // A refill of one operation per 1,000 s: the rate test does not depend on how fast the machine is.
        limits: { maxDepth: 4, ratePerSecond: 0.001, rateBurst: 60, maxBatch: 5 },
      },
    },
  );

/** POSTs a body (an operation or a batch) with the tests' token; the status and the answer. */
async function post(hub: Hub, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(hub.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await testAuthorization()), ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, answer: (await res.json()) as ClientAnswer & ClientAnswer[] };
}

/** GETs /graphql with `params`, the tests' token and Apollo's CSRF preflight header. */
async function get(hub: Hub, params: Record<string, string>) {
  const url = `${hub.gateway.url}?${new URLSearchParams(params)}`;
  const res = await fetch(url, {
    headers: { accept: 'application/json', 'apollo-require-preflight': '1', ...(await testAuthorization()) },
  });
  return { status: res.status, answer: (await res.json()) as ClientAnswer };
}

const codeOf = (answer: ClientAnswer) => answer.errors?.[0]?.extensions?.code;
const beijing = { region: { code: BJ, name: '北京市' } };

/** A graphql-ws client of the gateway with the tests' token. */
async function wsClient(hub: Hub): Promise<Client> {
  const token = await signDevToken({ role: 'ministry', subject: `trusted-ws-${Math.random()}` });
  return createClient({
    url: hub.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

/**
 * Subscribes with `payload`; the first event, the first error, or `timeout` after 5 s. Beijing's
 * log gets an event every 100 ms once the gateway follows it (a subscription joining a shared feed
 * starts at its head, so one event could come before it joined).
 */
function firstOf(
  hub: Hub,
  client: Client,
  payload: Record<string, unknown>,
): Promise<{ event?: unknown; code?: string }> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (hub.province(BJ).subscriptions.subscriptions('arrivals').length > 0)
        hub
          .province(BJ)
          .subscriptions.emit({ topic: 'arrivals', keys: [BJ], kind: 'ARRIVED', entityId: 'T1' });
    }, 100);
    setTimeout(() => {
      clearInterval(timer);
      resolve({ code: 'timeout' });
    }, 5_000).unref();
    const stop = client.subscribe(payload as { query: string }, {
      next: (r) => {
        clearInterval(timer);
        stop();
        resolve({ event: r.data ? Object.values(r.data)[0] : r });
      },
      error: (e) => {
        clearInterval(timer);
        const errors = Array.isArray(e) ? e : [e];
        resolve({ code: (errors[0] as { extensions?: { code?: string } }).extensions?.code });
      },
      complete: () => clearInterval(timer),
    });
  });
}

describe('trusted documents in safelist mode (#18.6)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await hubIn('safelist');
  });
  afterAll(() => hub?.close());

  it('should answer a registered operation sent by documentId, sha256:-prefixed id or APQ hash', async () => {
    for (const body of [
      { documentId: documentId(REGION), variables: { code: BJ } },
      { documentId: `sha256:${documentId(REGION)}`, variables: { code: BJ } },
      { extensions: apq(REGION), variables: { code: BJ } },
    ]) {
      const { status, answer } = await post(hub, body);
      expect(answer, JSON.stringify(body)).toEqual({ data: beijing });
      expect(status).toBe(200);
    }
  });

  it('should refuse a document text with OPERATION_NOT_TRUSTED, even the text of a registered operation or with its hash', async () => {
    for (const body of [
      { query: UNREGISTERED },
      { query: REGION, variables: { code: BJ } },
      { query: REGION, variables: { code: BJ }, extensions: apq(REGION) },
      { query: INTROSPECTION },
      {},
    ]) {
      const { status, answer } = await post(hub, body);
      expect(codeOf(answer), JSON.stringify(body)).toBe('OPERATION_NOT_TRUSTED');
      expect(answer.data).toBeUndefined();
      expect(status).toBe(400);
    }
  });

  it('should answer an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const body of [{ documentId: UNKNOWN_ID }, { extensions: apq('query Nobody { __typename }') }]) {
      const { answer } = await post(hub, body);
      expect(answer.errors).toEqual([
        { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      ]);
    }
  });

  it('should apply the same rule to GET requests', async () => {
    const byId = await get(hub, { documentId: documentId(REGION), variables: JSON.stringify({ code: BJ }) });
    expect(byId.answer).toEqual({ data: beijing });
    const byHash = await get(hub, {
      extensions: JSON.stringify(apq(REGION)),
      variables: JSON.stringify({ code: BJ }),
    });
    expect(byHash.answer).toEqual({ data: beijing });
    const text = await get(hub, { query: UNREGISTERED });
    expect(codeOf(text.answer)).toBe('OPERATION_NOT_TRUSTED');
    expect(codeOf((await get(hub, { documentId: UNKNOWN_ID })).answer)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('should answer a batch of ids, and refuse a batch holding one text', async () => {
    const byIds = await post(hub, [
      { documentId: documentId(REGION), variables: { code: BJ } },
      { extensions: apq(REGION), variables: { code: '450000' } },
    ]);
    expect(byIds.answer).toHaveLength(2);
    expect(byIds.answer[0]).toEqual({ data: beijing });
    expect(byIds.answer[1]!.data?.region?.code).toBe('450000');
    const mixed = await post(hub, [
      { documentId: documentId(REGION), variables: { code: BJ } },
      { query: UNREGISTERED },
    ]);
    expect(codeOf(mixed.answer)).toBe('OPERATION_NOT_TRUSTED');
    expect(mixed.status).toBe(400);
  });

  it('should still apply the depth limit and the rate limit to registered operations', async () => {
    const deep = await post(hub, { documentId: documentId(DEEP) });
    expect(codeOf(deep.answer)).toBe('QUERY_TOO_COMPLEX');
    expect(deep.answer.errors![0]!.extensions!.limit).toBe('depth');
    // Its own caller, its own bucket of 60.
    const authorization = `Bearer ${await signDevToken({ role: 'ministry', subject: 'trusted-rate' })}`;
    const codes: unknown[] = [];
    for (let i = 0; i < 61; i++)
      codes.push(
        codeOf(
          (await post(hub, { documentId: documentId(REGION), variables: { code: BJ } }, { authorization }))
            .answer,
        ),
      );
    expect(codes.slice(0, 60).every((c) => c === undefined)).toBe(true);
    expect(codes[60]).toBe('RATE_LIMITED');
  });

  it('should follow a registered subscription sent by id over graphql-ws, and refuse its text or an unknown id', async () => {
    const client = await wsClient(hub);
    try {
      const text = await firstOf(hub, client, { query: ARRIVALS, variables: { d: BJ } });
      expect(text.code).toBe('OPERATION_NOT_TRUSTED');
      const unknown = await firstOf(hub, client, { query: '', documentId: UNKNOWN_ID, variables: { d: BJ } });
      expect(unknown.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      // A text that is no subscription, sent to the WebSocket: refused the same way.
      expect((await firstOf(hub, client, { query: UNREGISTERED })).code).toBe('OPERATION_NOT_TRUSTED');
      const byId = await firstOf(hub, client, {
        query: '',
        documentId: documentId(ARRIVALS),
        variables: { d: BJ },
      });
      expect(byId).toEqual({ event: expect.objectContaining({ kind: 'ARRIVED' }) });
      const byHash = await firstOf(hub, client, {
        query: '',
        extensions: apq(ARRIVALS),
        variables: { d: BJ },
      });
      expect(byHash).toEqual({ event: expect.objectContaining({ kind: 'ARRIVED' }) });
    } finally {
      await client.dispose();
    }
  });

  it('should accept a subscribe message by id without any query field (raw graphql-ws)', async () => {
    const token = await signDevToken({ role: 'ministry', subject: 'trusted-raw' });
    const socket = new WebSocket(hub.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: Record<string, any>[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((r) => socket.once('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 100 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => messages.some((m) => m.type === 'connection_ack'));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { documentId: UNKNOWN_ID } }));
    await until(() => messages.some((m) => m.type === 'error'));
    expect(messages.find((m) => m.type === 'error')?.payload[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('should answer the shared client sending by id (persisted: true), and refuse it an unregistered text', async () => {
    const headers = await testAuthorization();
    const registered = await graphqlRequest(hub.gateway.url, REGION, { code: BJ }, headers, {
      persisted: true,
    });
    expect(registered).toEqual({ data: beijing });
    const unregistered = await graphqlRequest(hub.gateway.url, UNREGISTERED, undefined, headers, {
      persisted: true,
    });
    expect(codeOf(unregistered as ClientAnswer)).toBe('OPERATION_NOT_TRUSTED');
  });
});

describe('trusted documents in apq mode (#18.6)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await hubIn('apq');
  });
  afterAll(() => hub?.close());

  it('should run texts and registered ids, and count unregistered operations for the rollout', async () => {
    expect((await post(hub, { query: UNREGISTERED })).answer).toEqual({
      data: { region: { name: '北京市' } },
    });
    expect((await post(hub, { query: REGION, variables: { code: BJ } })).answer).toEqual({ data: beijing });
    expect((await post(hub, { documentId: documentId(REGION), variables: { code: BJ } })).answer).toEqual({
      data: beijing,
    });
    expect(codeOf((await post(hub, { documentId: UNKNOWN_ID })).answer)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const metrics = await (await fetchAdmin(hub.gateway.url, '/metrics')).text();
    for (const outcome of ['unregistered', 'registered_text', 'by_id', 'refused'])
      expect(metrics).toMatch(
        new RegExp(`p2p_gateway_trusted_documents_total\\{transport="http",outcome="${outcome}"\\} [1-9]`),
      );
  });

  it('should register an unknown hash on the APQ round trip: not found, then text with hash, then hash alone', async () => {
    const query = `query Apq${Date.now()} { region(code: "110000") { name } }`;
    const miss = await post(hub, { extensions: apq(query) });
    expect(miss.status).toBe(200);
    expect(miss.answer.errors).toEqual([
      { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    ]);
    expect((await post(hub, { query, extensions: apq(query) })).answer).toEqual({
      data: { region: { name: '北京市' } },
    });
    expect((await post(hub, { extensions: apq(query) })).answer).toEqual({
      data: { region: { name: '北京市' } },
    });
    // GET and a batch reach the same cache.
    expect((await get(hub, { extensions: JSON.stringify(apq(query)) })).answer).toEqual({
      data: { region: { name: '北京市' } },
    });
    const batch = await post(hub, [
      { extensions: apq(query) },
      { documentId: documentId(REGION), variables: { code: BJ } },
    ]);
    expect(batch.answer).toEqual([{ data: { region: { name: '北京市' } } }, { data: beijing }]);
    // A hash that is not the text's is refused.
    const wrong = await post(hub, { query: UNREGISTERED, extensions: apq(query) });
    expect(codeOf(wrong.answer)).toBe('BAD_USER_INPUT');
  });

  it('should take subscriptions over graphql-ws by text and by registered id', async () => {
    const client = await wsClient(hub);
    try {
      expect(await firstOf(hub, client, { query: ARRIVALS, variables: { d: BJ } })).toEqual({
        event: expect.objectContaining({ kind: 'ARRIVED' }),
      });
      expect(
        await firstOf(hub, client, { query: '', documentId: documentId(ARRIVALS), variables: { d: BJ } }),
      ).toEqual({ event: expect.objectContaining({ kind: 'ARRIVED' }) });
      expect(
        (await firstOf(hub, client, { query: '', extensions: apq('subscription X { __typename }') })).code,
      ).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });

  it('should let the shared client (persisted: true) register an unknown operation and run it', async () => {
    const headers = await testAuthorization();
    const query = '{ region(code: "110000") { code } }';
    expect(await graphqlRequest(hub.gateway.url, query, undefined, headers, { persisted: true })).toEqual({
      data: { region: { code: BJ } },
    });
    expect((await post(hub, { extensions: apq(query) })).answer).toEqual({ data: { region: { code: BJ } } });
  });
});

describe('trusted documents off (#18.6)', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await hubIn('off');
  });
  afterAll(() => hub?.close());

  it('should run texts and answer any id with PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    expect((await post(hub, { query: REGION, variables: { code: BJ } })).answer).toEqual({ data: beijing });
    for (const body of [{ documentId: documentId(REGION) }, { extensions: apq(REGION) }])
      expect(codeOf((await post(hub, body)).answer), JSON.stringify(body)).toBe(
        'PERSISTED_QUERY_NOT_SUPPORTED',
      );
    const client = await wsClient(hub);
    try {
      expect((await firstOf(hub, client, { query: '', documentId: documentId(ARRIVALS) })).code).toBe(
        'PERSISTED_QUERY_NOT_SUPPORTED',
      );
    } finally {
      await client.dispose();
    }
  });

  it('should let the shared client (persisted: true) fall back to the text', async () => {
    const answer = await graphqlRequest(hub.gateway.url, REGION, { code: BJ }, await testAuthorization(), {
      persisted: true,
    });
    expect(answer).toEqual({ data: beijing });
  });
});

describe('trusted documents by default outside development mode (#18.6)', () => {
  let hub: Hub;
  beforeAll(async () => {
    const { privateKeyPem } = await generateGatewayKeyPair();
    hub = await startHub(
      [BJ],
      { [BJ]: emptyData() },
      {
        gateway: {
          development: false,
          auth: { jwtSecret: 'a-real-secret-of-this-deployment-0123456789', signingKeyPem: privateKeyPem },
          trustedDocuments: { manifests: [manifest], builtManifest: false },
        },
      },
    );
  });
  afterAll(() => hub?.close());

  it('should run in safelist mode: a registered id answers an anonymous caller, a text is refused', async () => {
    const send = async (body: unknown) =>
      (await (
        await fetch(hub.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as ClientAnswer;
    expect(await send({ documentId: documentId(REGION), variables: { code: BJ } })).toEqual({
      data: beijing,
    });
    expect(codeOf(await send({ query: UNREGISTERED }))).toBe('OPERATION_NOT_TRUSTED');
  });
});
