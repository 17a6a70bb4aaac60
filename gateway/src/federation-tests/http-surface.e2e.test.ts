import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeTrip, type ProvinceData } from '../testing/fake-data.js';
import { fetchAdmin, startHub, testAuthorization, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  HE = '130000',
  GD = '440000';

describe('HTTP surface', () => {
  let hub: Hub;
  let base: string;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [HE]: emptyData(), [GD]: emptyData() };

  beforeAll(async () => {
    data[GX]!.trips.push(makeTrip('450203', '110101', '2020-02-20T08:00:00Z'));
    hub = await startHub([GX, HE, GD], data);
    base = hub.gateway.url.replace(/\/graphql$/, '');
  });
  afterAll(() => hub?.close());

  it("should serve /health/details with the gateway status and every province's state", async () => {
    const res = await fetchAdmin(hub.gateway.url, '/health/details');
    expect(res.status).toBe(200);
    const health = (await res.json()) as any;
    expect(health.status).toBe('ok');
    expect(health.provinces.map((p: any) => [p.code, p.state])).toEqual([
      [HE, 'up'],
      [GD, 'up'],
      [GX, 'up'],
    ]);
    for (const p of health.provinces) {
      expect(Date.parse(p.checkedAt)).not.toBeNaN();
      expect(p.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('should count requests and province fetches in /metrics (Prometheus text)', async () => {
    await hub.query(`{ trips(destination: "110000") { totalCount } }`);
    await hub.province(GD).stop();
    await hub.query(`{ trips(destination: "110000") { totalCount } }`);
    await hub.province(GD).restart();
    const res = await fetchAdmin(hub.gateway.url, '/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/p2p_gateway_requests_total\{operation="query",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/p2p_gateway_requests_total\{operation="query",outcome="partial"\} 1/);
    expect(text).toMatch(
      new RegExp(
        `p2p_gateway_province_fetch_duration_seconds_count\\{province="${GX}",subgraph="transport",outcome="ok"\\} [1-9]`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `p2p_gateway_province_errors_total\\{province="${GD}",subgraph="transport",reason="network"\\} 1`,
      ),
    );
    expect(text).toContain('p2p_gateway_province_up{province="450000"} 1');
  });

  it('should serve the GraphiQL landing page at /graphiql and to browsers at /graphql, with no external URL', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    for (const [url, headers] of [
      [`${base}/graphiql`, {}],
      [`${base}/graphql`, { accept: 'text/html,application/xhtml+xml' }],
    ] as const) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('GraphiQL');
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).toContain('query NationalSummary');
      for (const src of html.match(/(?:src|href)="([^"]+)"/g)!.map((m) => m.split('"')[1]!)) {
        const asset = await fetch(`${base}${src}`);
        expect(asset.status, src).toBe(200);
        expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(1000);
      }
    }
  });

  it('should still answer GraphQL over GET for non-browser clients', async () => {
    const res = await fetch(
      `${base}/graphql?query=${encodeURIComponent('{ trips(origin: "450000") { totalCount } }')}`,
      { headers: { 'apollo-require-preflight': 'true', ...(await testAuthorization()) } },
    );
    expect(await res.json()).toEqual({ data: { trips: { totalCount: 1 } } });
  });

  it('should answer 404 elsewhere, as a NOT_FOUND GraphQL error like every service (#12.1)', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'no such path: /nope; served: /graphql, /health, /console/, /graphiql, /',
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
    expect((await fetch(`${base}/ide/../package.json`)).status).toBe(404);
  });
});

describe('main.ts', () => {
  it('should print one listening line, serve, and exit cleanly on SIGTERM', async () => {
    const hub = await startHub([GX], { [GX]: emptyData() });
    const main = fileURLToPath(new URL('../main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
      env: {
        ...process.env,
        PORT: '0',
        PROVINCES: `${GX}=${hub.province(GX).url}`,
        NATIONAL_URL: hub.national.url,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          for (const line of out.split('\n')) {
            try {
              const parsed = JSON.parse(line);
              if (parsed.msg === 'listening') resolve(parsed.url);
            } catch {
              /* partial line */
            }
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await testAuthorization()) },
        body: JSON.stringify({
          query: '{ region(code: "450203") { name } trips(origin: "450000") { totalCount } }',
        }),
      });
      expect(await res.json()).toEqual({ data: { region: { name: '鱼峰区' }, trips: { totalCount: 0 } } });
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await hub.close();
    }
  });
});
