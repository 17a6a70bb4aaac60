/**
 * A bench-only delaying proxy in front of one service: every request waits a fixed time before it
 * is forwarded, as if the service ran on its own machine some network distance away. The scatter
 * scenario puts one in front of each province (and national) so the fan-out is measured against
 * a latency the 2-core box's contention does not decide; production code has no delay setting.
 *
 * It also records how long each request took, from its arrival at the proxy to the end of the
 * answer (the injected delay included): the time the gateway waited for that service.
 *
 * In replay mode ({@link DelayProxyOptions.replay}) it records the first answer to each distinct
 * request and serves it again from memory after the same delay, without asking the service: the
 * service then answers in exactly the injected latency, as one alone on an idle machine would.
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link startDelayProxy}. */
export interface DelayProxyOptions {
  /**
   * Replay mode: the first answer to each distinct request — same method, path and body bytes; the
   * headers are not compared (the gateway's caller assertion and trace headers differ on every
   * request) — is recorded as it is forwarded (status, headers, body), and every later identical
   * request is answered from memory after the same delay, without reaching the target. A 5xx answer
   * is not recorded (the next identical request is forwarded again).
   * @default false
   */
  replay?: boolean;
}

/** A running delaying proxy. */
export interface DelayProxy {
  /** The proxy's base URL (same path layout as the target). */
  url: string;
  /** The target's base URL. */
  target: string;
  /** Milliseconds every request waits before it is forwarded (or replayed). */
  delayMs: number;
  /** Milliseconds added on top of {@link delayMs} (the "slow province" of the scenario). @default 0 */
  extraDelayMs: number;
  /** Whether it replays recorded answers ({@link DelayProxyOptions.replay}). */
  readonly replay: boolean;
  /** Requests forwarded to the target so far (in replay mode: the misses). */
  readonly forwarded: number;
  /** Requests answered from a recorded answer so far (replay hits; 0 unless in replay mode). */
  readonly replayed: number;
  /** The longest request time (arrival to end of answer) since the last call, and how many; resets both. */
  takeWindow(): { requests: number; longestMs: number };
  close(): Promise<void>;
}

/** A recorded answer of replay mode. */
interface Recorded {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Headers of one connection, not of the answer: not replayed (content-length is set anew). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

function replayHeaders(headers: IncomingHttpHeaders, length: number): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  kept['content-length'] = length;
  return kept;
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
export async function startDelayProxy(
  target: string,
  delayMs: number,
  options: DelayProxyOptions = {},
): Promise<DelayProxy> {
  const base = new URL(target);
  const replay = options.replay ?? false;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** Replay mode: method, path and body (bytes as latin1) → the first answer. */
  const recorded = new Map<string, Recorded>();
  let forwarded = 0;
  let replayed = 0;
  let windowRequests = 0;
  let longestMs = 0;
  const answered = (arrived: number) => {
    windowRequests++;
    longestMs = Math.max(longestMs, performance.now() - arrived);
  };
  const proxy: DelayProxy = {
    url: '',
    target,
    delayMs,
    extraDelayMs: 0,
    replay,
    get forwarded() {
      return forwarded;
    },
    get replayed() {
      return replayed;
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
      const key = replay ? `${req.method} ${req.url}\n${payload.toString('latin1')}` : '';
      const wait = proxy.delayMs + proxy.extraDelayMs;
      if (wait > 0) await sleep(wait);
      if (res.destroyed) return;
      const memory = replay ? recorded.get(key) : undefined;
      if (memory) {
        res.writeHead(memory.status, memory.headers);
        res.end(memory.body, () => {
          replayed++;
          answered(arrived);
        });
        return;
      }
      const headers = { ...req.headers, host: base.host };
      const upstream = httpRequest(
        { host: base.hostname, port: base.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const chunks: Buffer[] = [];
          if (replay) answer.on('data', (c: Buffer) => chunks.push(c));
          res.writeHead(status, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            forwarded++;
            answered(arrived);
            if (replay && status < 500 && !recorded.has(key)) {
              const bytes = Buffer.concat(chunks);
              recorded.set(key, {
                status,
                headers: replayHeaders(answer.headers, bytes.length),
                body: bytes,
              });
            }
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
