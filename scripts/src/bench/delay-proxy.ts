/**
 * A bench-only delaying proxy in front of one service: every request waits a fixed time before it
 * is forwarded, as if the service ran on its own machine some network distance away. The scatter
 * scenario puts one in front of each province (and national) so the fan-out is measured against
 * a latency the 2-core box's contention does not decide; production code has no delay setting.
 *
 * It also records how long each forwarded request took, from its arrival at the proxy to the end
 * of the answer (the injected delay included): the time the gateway waited for that service.
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running delaying proxy. */
export interface DelayProxy {
  /** The proxy's base URL (same path layout as the target). */
  url: string;
  /** The target's base URL. */
  target: string;
  /** Milliseconds every request waits before it is forwarded. */
  delayMs: number;
  /** Milliseconds added on top of {@link delayMs} (the "slow province" of the scenario). @default 0 */
  extraDelayMs: number;
  /** Requests forwarded since the last {@link takeWindow}. */
  readonly forwarded: number;
  /** The longest request time (arrival to end of answer) since the last call, and how many; resets both. */
  takeWindow(): { requests: number; longestMs: number };
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts a proxy on a loopback port that forwards to `target` after `delayMs`.
 * @param delayMs fixed delay per request
 */
export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const base = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let forwarded = 0;
  let windowRequests = 0;
  let longestMs = 0;
  const proxy: DelayProxy = {
    url: '',
    target,
    delayMs,
    extraDelayMs: 0,
    get forwarded() {
      return forwarded;
    },
    takeWindow() {
      const taken = { requests: windowRequests, longestMs };
      windowRequests = 0;
      longestMs = 0;
      return taken;
    },
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const arrived = performance.now();
    try {
      const payload = await body(req);
      const wait = proxy.delayMs + proxy.extraDelayMs;
      if (wait > 0) await sleep(wait);
      if (res.destroyed) return;
      const headers = { ...req.headers, host: base.host };
      const upstream = httpRequest(
        { host: base.hostname, port: base.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            forwarded++;
            windowRequests++;
            longestMs = Math.max(longestMs, performance.now() - arrived);
          });
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(payload);
    } catch {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}${base.pathname === '/' ? '' : base.pathname}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
  };
  return proxy;
}
