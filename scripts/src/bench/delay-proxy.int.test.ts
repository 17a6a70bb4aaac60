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

  it('should forward every repeat of the same request when not in replay mode (the default)', async () => {
    const before = seen.length;
    await (await post('{"query":"{ again }"}')).text();
    await (await post('{"query":"{ again }"}')).text();
    expect(seen.length).toBe(before + 2);
    expect(proxy.replay).toBe(false);
    expect(proxy.replayed).toBe(0);
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

describe('the delaying proxy in replay mode', () => {
  let target: Server;
  let proxy: DelayProxy;
  /** Requests that reached the target; each answer carries its number, so a forwarded repeat differs. */
  let hits = 0;

  beforeAll(async () => {
    target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits++;
        const text = Buffer.concat(chunks).toString();
        if (text === 'fail') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end(`down ${hits}`);
          return;
        }
        // Chunked (no content-length): the replay must send a content-length of its own.
        res.writeHead(201, { 'content-type': 'application/json', 'x-answer': `n${hits}` });
        res.write(`{"hit":${hits},`);
        res.end(`"path":${JSON.stringify(req.url)},"body":${JSON.stringify(text)}}`);
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const { port } = target.address() as AddressInfo;
    proxy = await startDelayProxy(`http://127.0.0.1:${port}/graphql`, 80, { replay: true });
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => target.close(resolve));
  });

  const post = (body: string, caller: string, path = '') =>
    fetch(`${proxy.url}${path}`, {
      method: 'POST',
      headers: { 'x-caller': caller, 'content-type': 'application/json' },
      body,
    });

  it('should forward the first request to the target and record it', async () => {
    const before = { hits, forwarded: proxy.forwarded, replayed: proxy.replayed };
    const res = await post('{"query":"{ first }"}', 'signed-1');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      hit: before.hits + 1,
      path: '/graphql',
      body: '{"query":"{ first }"}',
    });
    expect(hits).toBe(before.hits + 1);
    expect(proxy.forwarded).toBe(before.forwarded + 1);
    expect(proxy.replayed).toBe(before.replayed);
  });

  it('should answer a repeat with the same body from memory: same status, headers and body, the target not asked', async () => {
    const first = await post('{"query":"{ repeat }"}', 'signed-1');
    const firstBody = await first.text();
    const before = { hits, forwarded: proxy.forwarded, replayed: proxy.replayed };
    // Other headers (a fresh signature): still the same request.
    const again = await post('{"query":"{ repeat }"}', 'signed-2');
    const againBody = await again.text();
    expect(hits).toBe(before.hits);
    expect(proxy.forwarded).toBe(before.forwarded);
    expect(proxy.replayed).toBe(before.replayed + 1);
    expect(again.status).toBe(201);
    expect(againBody).toBe(firstBody);
    expect(again.headers.get('x-answer')).toBe(first.headers.get('x-answer'));
    expect(again.headers.get('content-type')).toBe('application/json');
    expect(again.headers.get('content-length')).toBe(String(Buffer.byteLength(againBody)));
    expect(again.headers.get('transfer-encoding')).toBeNull();
  });

  it('should forward a request with another body, or to another path', async () => {
    await (await post('{"query":"{ one }"}', 'signed-1')).text();
    const before = hits;
    const other = await post('{"query":"{ two }"}', 'signed-1');
    expect(await other.json()).toEqual({ hit: before + 1, path: '/graphql', body: '{"query":"{ two }"}' });
    const elsewhere = await post('{"query":"{ one }"}', 'signed-1', '/other');
    expect(await elsewhere.json()).toEqual({
      hit: before + 2,
      path: '/graphql/other',
      body: '{"query":"{ one }"}',
    });
    expect(hits).toBe(before + 2);
  });

  it("should wait the fixed delay (and a slow service's extra) before a replayed answer too", async () => {
    await (await post('{"query":"{ late }"}', 'signed-1')).text();
    const before = proxy.replayed;
    proxy.takeWindow();
    let started = performance.now();
    await (await post('{"query":"{ late }"}', 'signed-1')).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(79);
    expect(proxy.replayed).toBe(before + 1);
    const window = proxy.takeWindow();
    expect(window.requests).toBe(1);
    expect(window.longestMs).toBeGreaterThanOrEqual(79);
    proxy.extraDelayMs = 150;
    try {
      started = performance.now();
      await (await post('{"query":"{ late }"}', 'signed-1')).text();
      expect(performance.now() - started).toBeGreaterThanOrEqual(229);
      expect(proxy.replayed).toBe(before + 2);
    } finally {
      proxy.extraDelayMs = 0;
    }
  });

  it('should not record a 5xx answer: the repeat is forwarded again', async () => {
    const first = await post('fail', 'signed-1');
    expect(first.status).toBe(503);
    const firstText = await first.text();
    const before = hits;
    const again = await post('fail', 'signed-1');
    expect(again.status).toBe(503);
    expect(await again.text()).not.toBe(firstText);
    expect(hits).toBe(before + 1);
  });
});
