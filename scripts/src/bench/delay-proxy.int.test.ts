import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';

describe('the delaying proxy of the scatter benchmark', () => {
  let target: Server;
  let proxy: DelayProxy;
  const seen: { path: string; header: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          path: req.url ?? '',
          header: req.headers['x-caller'] as string | undefined,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as AddressInfo;
    proxy = await startDelayProxy(`http://127.0.0.1:${port}/graphql`, 80);
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => target.close(resolve));
  });

  const post = (body: string) =>
    fetch(proxy.url, {
      method: 'POST',
      headers: { 'x-caller': 'signed', 'content-type': 'application/json' },
      body,
    });

  it('should forward the exact body and headers after the fixed delay, and record the wait', async () => {
    proxy.takeWindow();
    const started = performance.now();
    const res = await post('{"query":"{ ok }"}');
    const elapsed = performance.now() - started;
    expect(await res.json()).toEqual({ data: { ok: true } });
    expect(elapsed).toBeGreaterThanOrEqual(79);
    expect(seen.at(-1)).toEqual({ path: '/graphql', header: 'signed', body: '{"query":"{ ok }"}' });
    const window = proxy.takeWindow();
    expect(window.requests).toBe(1);
    expect(window.longestMs).toBeGreaterThanOrEqual(79);
    expect(proxy.takeWindow()).toEqual({ requests: 0, longestMs: 0 });
  });

  it('should add the extra delay of a slow service on top', async () => {
    proxy.extraDelayMs = 150;
    try {
      const started = performance.now();
      await (await post('{}')).text();
      expect(performance.now() - started).toBeGreaterThanOrEqual(229);
    } finally {
      proxy.extraDelayMs = 0;
    }
  });
});
