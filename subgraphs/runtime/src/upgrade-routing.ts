import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';

/**
 * Routes the WebSocket upgrades of `httpServer` whose path `accepts` to `wss` (a `noServer`
 * WebSocketServer, e.g. graphql-ws's); any other path gets `404 Not Found` and the socket is
 * closed. Returns the function that stops routing.
 */
export function routeUpgrades(
  httpServer: Server,
  wss: WebSocketServer,
  accepts: (path: string) => boolean,
): () => void {
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!accepts(new URL(req.url ?? '/', 'http://service.local').pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);
  return () => {
    httpServer.off('upgrade', onUpgrade);
  };
}
