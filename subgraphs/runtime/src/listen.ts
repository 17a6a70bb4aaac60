import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where {@link listen} listens. */
export interface ListenOptions {
  /** TCP port; 0 lets the OS pick a free one. */
  port: number;
  /** Interface. @default '127.0.0.1' */
  host?: string;
  /** Path appended to the base URL, e.g. '/graphql'. @default '' */
  path?: string;
}

/**
 * Starts `server` listening and resolves with its URL, e.g. `http://127.0.0.1:4000/graphql`
 * (an IPv6 host in brackets; port 0 reads back the port the OS picked).
 * @throws the server's `error` (e.g. EADDRINUSE)
 */
export async function listen(server: Server, options: ListenOptions): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${options.path ?? ''}`;
}

/** Wraps a close function so that every call after the first returns the first call's promise. */
export function closeOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/**
 * Stops `server` accepting connections and resolves when it is closed: idle keep-alive sockets
 * are closed at once; a request still arriving on a kept-alive socket (a client looping on it,
 * e.g. the relay's long poll) is answered with `Connection: close`, so its socket ends with that
 * answer instead of holding the close; busy sockets are cut after `graceMs`.
 */
export async function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  if (!server.listening) return;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(force);
}
