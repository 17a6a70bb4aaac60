/**
 * The gateway's graphql-ws link to one logical subgraph of one province (`ws://…/transport/graphql`):
 * one WebSocket multiplexing every upstream subscription to it, opened lazily, with protocol
 * pings whose pongs must come back in time, so a dead province is noticed within seconds.
 * It never retries by itself: a dropped link errors every subscription on it, and each upstream
 * feed resubscribes from ITS OWN last position (the reference client would resend the old `after`).
 */
import { CALLER_HEADER } from '@p2p/schema';
import { createClient, type Client } from 'graphql-ws';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import type { Logger } from '@p2p/runtime';

/** Options of {@link UpstreamConnection}. */
export interface UpstreamConnectionOptions {
  province: string;
  subgraph: string;
  /** `ws://host:port/<subgraph>/graphql` */
  url: string;
  /** Protocol ping interval. @default 5_000 */
  keepAliveMs?: number;
  /** A ping without its pong after this long drops the link. @default 5_000 */
  pongTimeoutMs?: number;
  /**
   * Headers of the upgrade request, asked for at every (re)connection: the hook for the gateway's
   * signed caller assertion that provinces check (see the province's `admitSocket`). A province
   * closes the link when that assertion expires, so while the link is open it is renewed at half
   * its remaining lifetime: the headers are asked for again and sent as a graphql-ws `ping`
   * payload (a link that misses it reconnects, and its feeds resume from their positions).
   */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  /** `connection_init` payload, asked for at every (re)connection. */
  connectionParams?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  logger: Logger;
}

/** What a subscription on the link hears. */
export interface UpstreamSink {
  next(data: unknown): void;
  /**
   * The subscription ended with an error (GraphQL errors, or the link dropped): a data-free
   * description, and the `extensions` of the first GraphQL error when there is one.
   */
  error(reason: string, extensions?: Record<string, unknown>): void;
  complete(): void;
}

/** A lazily opened graphql-ws client of one province subgraph. */
export class UpstreamConnection {
  private readonly client: Client;
  private socket: WebSocket | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private renewalTimer: NodeJS.Timeout | undefined;
  /** Upstream subscriptions opened over the link's lifetime (for the benchmark and metrics). */
  opened = 0;

  constructor(readonly options: UpstreamConnectionOptions) {
    const pongTimeoutMs = options.pongTimeoutMs ?? 5_000;
    const headers = options.headers;
    let nextHeaders: Record<string, string> = {};
    /** Renews the caller assertion of an open socket before it expires, then schedules the next. */
    const scheduleRenewal = (socket: WebSocket, current: Record<string, string>) => {
      clearTimeout(this.renewalTimer);
      const expiresAt = assertionExpiry(current);
      if (!headers || expiresAt === undefined) return;
      this.renewalTimer = setTimeout(
        async () => {
          try {
            const renewed = await headers();
            if (socket.readyState !== WebSocket.OPEN) return;
            socket.send(JSON.stringify({ type: 'ping', payload: renewed }));
            scheduleRenewal(socket, renewed);
          } catch (err) {
            options.logger.warn(
              { province: options.province, subgraph: options.subgraph, reason: (err as Error).message },
              'province subscription link: caller assertion not renewed',
            );
          }
        },
        Math.max(0, (expiresAt - Date.now()) / 2),
      );
      this.renewalTimer.unref();
    };
    /** A `ws` WebSocket that sends the latest headers with its upgrade request. */
    class HeaderedWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: nextHeaders, maxPayload: 16 * 1024 * 1024 });
      }
    }
    this.client = createClient({
      // Evaluated right before each socket is built: fresh upgrade headers for every connection.
      url: async () => {
        if (headers) nextHeaders = await headers();
        return options.url;
      },
      webSocketImpl: HeaderedWebSocket,
      lazy: true,
      lazyCloseTimeout: 1_000,
      retryAttempts: 0,
      keepAlive: options.keepAliveMs ?? 5_000,
      connectionAckWaitTimeout: 5_000,
      connectionParams: async () => (options.connectionParams ? await options.connectionParams() : {}),
      on: {
        opened: (socket) => {
          this.socket = socket as WebSocket;
        },
        connected: (socket) => scheduleRenewal(socket as WebSocket, nextHeaders),
        ping: (received) => {
          if (received) return;
          clearTimeout(this.pongTimer);
          this.pongTimer = setTimeout(() => {
            options.logger.warn(
              {
                province: options.province,
                subgraph: options.subgraph,
              },
              'province subscription link unresponsive; dropping it',
            );
            this.socket?.terminate();
          }, pongTimeoutMs);
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongTimer);
        },
        closed: () => {
          clearTimeout(this.pongTimer);
          clearTimeout(this.renewalTimer);
          this.socket = undefined;
        },
      },
    });
  }

  /** Starts a subscription; returns its stop function. */
  subscribe(query: string, variables: Record<string, unknown>, sink: UpstreamSink): () => void {
    this.opened++;
    return this.client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length)
            sink.error(
              result.errors
                .map(
                  (e) => `${(e.extensions as { code?: string } | undefined)?.code ?? 'ERROR'}: ${e.message}`,
                )
                .join('; '),
              result.errors[0]!.extensions,
            );
          else sink.next(result.data);
        },
        error: (err) =>
          sink.error(
            describe(err),
            Array.isArray(err)
              ? (err[0] as { extensions?: Record<string, unknown> } | undefined)?.extensions
              : undefined,
          ),
        complete: () => sink.complete(),
      },
    );
  }

  /** Runs a single-result operation (e.g. `{ outboxHead }`) over the link. */
  query<T>(query: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      this.client.subscribe<T>(
        { query },
        {
          next: (result) => {
            settled = true;
            if (result.errors?.length || !result.data)
              reject(new Error(result.errors?.[0]?.message ?? 'no data'));
            else resolve(result.data as T);
          },
          error: (err) => {
            settled = true;
            reject(new Error(describe(err)));
          },
          complete: () => {
            if (!settled) reject(new Error('completed without a result'));
          },
        },
      );
    });
  }

  /** Closes the link. */
  async dispose(): Promise<void> {
    clearTimeout(this.pongTimer);
    clearTimeout(this.renewalTimer);
    await this.client.dispose();
  }
}

/** The expiry (ms) of the caller assertion among `headers`, if any (its `exp`; the province verifies it). */
function assertionExpiry(headers: Record<string, string>): number | undefined {
  const token = headers[CALLER_HEADER];
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A short, data-free description of a graphql-ws failure (a CloseEvent, an Error or GraphQL errors). */
function describe(err: unknown): string {
  if (Array.isArray(err)) return err.map((e: { message?: string }) => e.message ?? 'error').join('; ');
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'number'
  ) {
    const { code, reason } = err as { code: number; reason?: string };
    return `closed ${code}${reason ? ` ${reason}` : ''}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
