/**
 * Broken provinces for the access, summary and subscription checks: each breaks one rule of the
 * contract, so a test shows the kit names exactly the checks that rule belongs to.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLER_HEADER, generateGatewayKeyPair } from '@p2p/schema';
import type { ProvinceService } from '@p2p/province';
import { startTestProvince } from '@p2p/province/testing';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

/** A broken province a test points the kit at. */
export interface RulesDouble {
  /** Its base URL (subgraphs at `<url>/<subgraph>/graphql`). */
  url: string;
  /** A key the kit may sign with (the double takes any, or trusts this one). */
  signingKeyPem: string;
  close(): Promise<void>;
}

/**
 * A province that applies no access rules: ours started as its own tests start it (`startTestProvince`:
 * no gateway key, every request served unrestricted whatever assertion it carries) (it shows
 * everyone everything, lets anyone write, lets any officer subscribe).
 */
export async function startUnguardedProvince(province: string): Promise<RulesDouble> {
  const unguarded = await startTestProvince(province);
  const { privateKeyPem } = await generateGatewayKeyPair();
  return { url: unguarded.service.url, signingKeyPem: privateKeyPem, close: () => unguarded.close() };
}

/** How {@link startTwistingProxy} breaks the province behind it. */
export type Twist =
  /** `_entities(Summary)` answers the first figures it read, forever: figures that never move. */
  | 'stale-summary'
  /** A subscription resumed with `after` loses the first event after the cursor. */
  | 'replay-skips-one';

/**
 * A proxy in front of a real province (`upstream`) that forwards every request as it is (the
 * body and the caller assertion untouched, so the province's signature checks still apply) and
 * breaks one rule on the way back (`twist`).
 */
export async function startTwistingProxy(
  upstream: ProvinceService,
  signingKeyPem: string,
  twist: Twist,
): Promise<RulesDouble> {
  const staleSummaries = new Map<string, string>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const assertion = req.headers[CALLER_HEADER];
    if (typeof assertion === 'string') headers[CALLER_HEADER] = assertion;
    const answer = await fetch(`${upstream.url}${req.url}`, { method: req.method ?? 'POST', headers, body });
    let text = await answer.text();
    if (twist === 'stale-summary' && body.includes('"Summary"')) {
      const first = staleSummaries.get(req.url ?? '');
      if (first === undefined) staleSummaries.set(req.url ?? '', text);
      else text = first;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (client, req) => {
    const assertion = req.headers[CALLER_HEADER];
    const upstreamSocket = new WebSocket(
      `${upstream.url.replace(/^http/, 'ws')}${req.url}`,
      client.protocol,
      {
        headers: typeof assertion === 'string' ? { [CALLER_HEADER]: assertion } : {},
      },
    );
    const pending: RawData[] = [];
    /** Subscriptions resumed with `after` whose first event is still to drop. */
    const toSkip = new Set<string>();
    client.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type?: string;
        id?: string;
        payload?: { variables?: { after?: unknown } };
      };
      if (twist === 'replay-skips-one' && message.type === 'subscribe' && message.payload?.variables?.after)
        toSkip.add(message.id ?? '');
      if (upstreamSocket.readyState === WebSocket.OPEN) upstreamSocket.send(String(data));
      else pending.push(data);
    });
    upstreamSocket.on('open', () => {
      for (const data of pending.splice(0)) upstreamSocket.send(String(data));
    });
    upstreamSocket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type?: string; id?: string };
      if (message.type === 'next' && toSkip.delete(message.id ?? '')) return;
      client.send(String(data));
    });
    upstreamSocket.on('close', (code, reason) => client.close(closable(code), reason));
    upstreamSocket.on('error', () => client.close(1011));
    client.on('close', () => upstreamSocket.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signingKeyPem,
    async close() {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A close code a server may send on (1005 and 1006 are reserved for "none received"). */
function closable(code: number): number {
  return code === 1005 || code === 1006 ? 1000 : code;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
