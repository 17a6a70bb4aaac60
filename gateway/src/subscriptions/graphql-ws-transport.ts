/**
 * graphql-ws's protocol server (`makeServer`) on a `ws` WebSocketServer, as graphql-ws's own
 * `useServer` does (subprotocol check, keep-alive pings, closing on errors), with one difference:
 * a `next` result that carries its payload already serialised (shared-execution.ts) is sent as
 * those bytes instead of being stringified again for every client. graphql-ws builds the message
 * and stringifies it with our replacer, which puts a placeholder where the payload goes; `send`,
 * called at once with that text, writes the message into one buffer with the payload's parts in
 * the placeholder's place (no string of the whole message is made per client).
 */
import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '@p2p/runtime';
import { ClientHeartbeat } from './client-heartbeat.js';
import { SERIALISED_PAYLOAD } from './shared-execution.js';

/** What each graphql-ws connection context carries as `extra`. */
export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Stands for a serialised payload in graphql-ws's message text. */
const PAYLOAD_PLACEHOLDER = '\u0000serialised payload\u0000';
const PAYLOAD_PLACEHOLDER_JSON = JSON.stringify(PAYLOAD_PLACEHOLDER);

/** Close reasons are at most 123 bytes. */
const closeReason = (reason: string) => (reason.length > 120 ? `${reason.slice(0, 117)}...` : reason);

/**
 * Serves `options` (graphql-ws server options) on `wss`; pings each client every `keepAliveMs` and
 * drops one that sent nothing by its next ping (`client-heartbeat.ts`). Returns the function that closes every connection
 * (1001 Going away) and the server.
 */
export function serveGraphqlWs<E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<E, WsExtra>,
  wss: WebSocketServer,
  keepAliveMs: number,
  logger: Logger,
): { dispose(): Promise<void> } {
  /** The serialised payload's parts of the message being stringified (set by the replacer, taken by `send`). */
  let pending: readonly string[] | undefined;
  const server = makeServer<E, WsExtra>({
    ...options,
    jsonMessageReplacer(key, value) {
      if (key === 'payload' && value && typeof value === 'object' && SERIALISED_PAYLOAD in value) {
        pending = (value as { [SERIALISED_PAYLOAD]: readonly string[] })[SERIALISED_PAYLOAD];
        return PAYLOAD_PLACEHOLDER;
      }
      return value;
    },
  });
  /** The message with the serialised payload put in (UTF-8 bytes), if the replacer took one; else its text. */
  const withPayload = (data: string): string | Buffer => {
    if (pending === undefined) return data;
    const parts = pending;
    pending = undefined;
    const at = data.lastIndexOf(PAYLOAD_PLACEHOLDER_JSON);
    if (at < 0) return data;
    const head = data.slice(0, at);
    const tail = data.slice(at + PAYLOAD_PLACEHOLDER_JSON.length);
    let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
    for (const part of parts) size += Buffer.byteLength(part);
    const message = Buffer.allocUnsafe(size);
    let offset = message.write(head);
    for (const part of parts) offset += message.write(part, offset);
    message.write(tail, offset);
    return message;
  };

  wss.options.handleProtocols = handleProtocols;
  const internalError = (socket: WebSocket, err: unknown, what: string) => {
    logger.error({ reason: err instanceof Error ? err.message.slice(0, 200) : String(err) }, what);
    socket.close(CloseCode.InternalServerError, closeReason('Internal server error'));
  };
  wss.once('error', (err) => {
    logger.error({ reason: err.message.slice(0, 200) }, 'subscription WebSocket server failed');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  const heartbeat = new ClientHeartbeat<WebSocket>({ intervalMs: keepAliveMs });
  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => internalError(socket, err, 'subscription WebSocket failed'));
    heartbeat.add(socket);
    socket.on('pong', () => heartbeat.seen(socket));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          const message = withPayload(data);
          return new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(message, { binary: false }, (err) => (err ? reject(err) : resolve()));
          });
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            heartbeat.seen(socket);
            try {
              await handle(String(data));
            } catch (err) {
              internalError(socket, err, 'subscription message handling failed');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      heartbeat.remove(socket);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      heartbeat.stop();
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
