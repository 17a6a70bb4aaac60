import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000';
const ADMIN_TOKEN = 'admin-token-for-the-tests-0123456789';

/** The gateway's base URL (without /graphql). */
const baseOf = (hub: Hub) => hub.gateway.url.replace(/\/graphql$/, '');

describe('admin endpoints behind a token (#11.13)', () => {
  let hub: Hub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(
      [GX, HE],
      { [GX]: emptyData(), [HE]: emptyData() },
      {
        gateway: { adminToken: ADMIN_TOKEN },
      },
    );
    base = baseOf(hub);
  });
  afterAll(() => hub?.close());

  it('should say only up or down per province in the public /health, no URL, latency or problems', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toMatch(/https?:/);
    expect(JSON.parse(text)).toEqual({
      status: 'ok',
      provinces: [
        { code: HE, state: 'up' },
        { code: GX, state: 'up' },
      ],
    });
  });

  it('should refuse /metrics and /health/details without the admin token, or with a caller token or a wrong one', async () => {
    for (const path of ['/metrics', '/health/details']) {
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer not-the-admin-token' },
        { authorization: `Basic ${ADMIN_TOKEN}` },
        { authorization: `Bearer ${ADMIN_TOKEN}x` },
      ]) {
        const res = await fetch(`${base}${path}`, { headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
        expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
        expect(JSON.stringify(body)).not.toContain('127.0.0.1');
      }
    }
  });

  it('should serve /metrics and /health/details (with the province URLs) to the admin token', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const metrics = await fetch(`${base}/metrics`, { headers: auth });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('p2p_gateway_province_up{province="450000"} 1');
    // The subscription backlog (an alert of docs/operations.md): nothing waits with no client.
    for (const gauge of ['buffered_events', 'buffered_events_max', 'slow_consumers_closed'])
      expect(text).toMatch(new RegExp(`^p2p_gateway_subscription_${gauge} 0$`, 'm'));
    const details = await fetch(`${base}/health/details`, { headers: auth });
    expect(details.status).toBe(200);
    const body = (await details.json()) as { provinces: { code: string; url: string; latencyMs: number }[] };
    expect(body.provinces.find((p) => p.code === GX)?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    for (const p of body.provinces) expect(p.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe('admin port (#11.13)', () => {
  it('should serve /metrics and /health/details on the admin port only; the public port refuses them without a token setting', async () => {
    const hub = await startHub(
      [GX],
      { [GX]: emptyData() },
      { gateway: { adminPort: 0, adminToken: undefined } },
    );
    try {
      const base = baseOf(hub);
      expect(hub.gateway.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const path of ['/metrics', '/health/details']) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(401);
        expect(
          (await fetch(`${base}${path}`, { headers: { authorization: 'Bearer anything' } })).status,
        ).toBe(401);
        expect((await fetch(`${hub.gateway.adminUrl}${path}`)).status, path).toBe(200);
      }
      expect(await (await fetch(`${hub.gateway.adminUrl}/metrics`)).text()).toContain('p2p_gateway_');
      // The admin listener serves nothing else: no GraphQL there.
      expect((await fetch(`${hub.gateway.adminUrl}/graphql`)).status).toBe(404);
    } finally {
      await hub.close();
    }
  });

  it('should refuse the admin paths on the public port by default (no token, no admin port)', async () => {
    const hub = await startHub([GX], { [GX]: emptyData() }, { gateway: { adminToken: undefined } });
    try {
      expect((await fetch(`${baseOf(hub)}/metrics`)).status).toBe(401);
      expect((await fetch(`${baseOf(hub)}/health/details`)).status).toBe(401);
    } finally {
      await hub.close();
    }
  });
});
