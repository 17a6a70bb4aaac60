/**
 * The one LISTEN connection of a province process: wakes the outbox feed when a transaction that
 * wrote events commits (`pg_notify('outbox', '')`, sent once per transaction by `outbox.ts`).
 * node-postgres: a dedicated client (never a pool connection) with TCP keep-alive, reconnected
 * with backoff; PGlite: its `listen` API on the embedded instance.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { ProvinceDatabase } from '../db/database.js';
import { safeError } from '@p2p/runtime';

/** The channel `outbox.ts` notifies. */
export const OUTBOX_CHANNEL = 'outbox';

/** Options of {@link listenToOutbox}. */
export interface OutboxListenerOptions {
  target: ProvinceDatabase['listenTarget'];
  /** Called on every notification, and after every (re)connection (notifications may have been missed). */
  onWake: () => void;
  log: Logger;
  /** First reconnection delay after the LISTEN connection is lost, doubled up to `maxRetryMs`. @default 250 */
  retryMs?: number;
  /** @default 5000 */
  maxRetryMs?: number;
}

/** A running listener. */
export interface OutboxListener {
  /** Stops listening and closes the connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts listening. Resolves once the first attempt finished: on node-postgres a failed first
 * connection is retried in the background (the feed's safety re-read covers the meantime).
 */
export async function listenToOutbox(options: OutboxListenerOptions): Promise<OutboxListener> {
  const { target } = options;
  if (target.driver === 'pglite') {
    const unlisten = await target.client.listen(OUTBOX_CHANNEL, () => options.onWake());
    let closed: Promise<void> | undefined;
    return { close: () => (closed ??= unlisten().catch(() => {})) };
  }
  return listenPg(target.databaseUrl, options);
}

async function listenPg(databaseUrl: string, options: OutboxListenerOptions): Promise<OutboxListener> {
  const baseRetry = options.retryMs ?? 250;
  const maxRetry = options.maxRetryMs ?? 5_000;
  let retry = baseRetry;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reconnectLater = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retry);
    retry = Math.min(retry * 2, maxRetry);
  };

  const connect = async () => {
    const current = new pg.Client({
      connectionString: databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client = current;
    current.on('notification', () => options.onWake());
    current.on('error', (err) => {
      options.log.warn({ err: safeError(err) }, 'outbox LISTEN connection failed; reconnecting');
      current.end().catch(() => {});
      if (client === current) reconnectLater();
    });
    current.on('end', () => {
      if (client === current && !closed) reconnectLater();
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (closed) {
        await current.end().catch(() => {});
        return;
      }
      retry = baseRetry;
      options.log.debug('listening to outbox notifications');
      options.onWake();
    } catch (err) {
      options.log.warn({ err: safeError(err) }, 'outbox LISTEN connection could not be opened; retrying');
      current.end().catch(() => {});
      if (client === current) reconnectLater();
    }
  };

  await connect();
  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        closed = true;
        clearTimeout(timer);
        await client?.end().catch(() => {});
      })()),
  };
}
