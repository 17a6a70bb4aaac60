import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000';

describe('GraphQL over HTTP (graphql-http audit of the real gateway)', () => {
  let hub: Hub;
  beforeAll(async () => {
    // The audit sends ~40 anonymous requests at once: a rate limit that lets them all through.
    hub = await startHub(
      [GX],
      { [GX]: emptyData() },
      {
        gateway: { limits: { ratePerSecond: 1_000, rateBurst: 1_000 } },
      },
    );
  });
  afterAll(() => hub?.close());

  it('should pass every MUST and every SHOULD of the audit (#12.1: 200 for request errors to application/json clients)', async () => {
    const results = await auditServer({ url: hub.gateway.url });
    // `error`: a MUST failed, `warn`: a SHOULD failed (`notice`: a MAY, e.g. GET without Apollo's CSRF preflight header).
    const failed = results
      .filter((r) => r.status === 'error' || r.status === 'warn')
      .map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(13);
    expect(results.filter((r) => r.name.startsWith('SHOULD')).length).toBeGreaterThanOrEqual(23);
  });

  it('should answer a parse, validation or variable-coercion failure with 200 when the client accepts only application/json', async () => {
    for (const body of [
      { query: '{' },
      { query: '{ region(code: "110000") { nothing } }' },
      { query: 'query ($c: String!) { region(code: $c) { name } }', variables: { c: 1 } },
    ]) {
      const res = await fetch(hub.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, body.query).toBe(200);
      expect(((await res.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
  });

  it('should keep 400 for the same failure when the client accepts application/graphql-response+json', async () => {
    const res = await fetch(hub.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{' }),
    });
    expect(res.status).toBe(400);
  });
});
