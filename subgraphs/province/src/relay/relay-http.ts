/**
 * The province's relay endpoints (a thin HTTP adapter over `relay-source.ts` and `inbox.ts`),
 * plain JSON POSTs outside the contract's GraphQL:
 * - `POST /relay/events` (source side): `{ consumers: [{ target, epoch, after }], limit, waitMs }`
 *   → `{ epoch, consumers: [{ target, events: [{ seq, at, fact }], head, pending, refused? }] }`;
 * - `POST /relay/apply` (target side): `{ source, epoch, after, events }` → the inbox position
 *   `{ source, epoch, position, applied, lastEventAt, appliedAt, appliedNow, skipped }`;
 * - `POST /relay/inbox` (target side): `{}` → `{ province, inbox: [{ source, epoch, position, … }] }`.
 * Each request needs the gateway's caller assertion like every GraphQL request (bound to this
 * province and to the exact body, used once) and the caller must be the relay (`RELAY_CALLER`):
 * anyone else is FORBIDDEN (403). Errors are answered as every edge error:
 * `{ errors: [{ message, extensions: { code } }] }` with 400 (BAD_USER_INPUT), 401, 403, 409
 * (CURSOR_EXPIRED) or 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bodyErrorOf,
  internalError,
  methodNotAllowed,
  parseBody,
  readRawBody,
  safeError,
  sendError,
  sendJson,
  type Logger,
} from '@p2p/runtime';
import { hubError, RELAY_ENDPOINTS } from '@p2p/schema';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ProvinceContext } from '../context.js';
import { callerOf, callerWords } from '../access/request-access.js';
import type { OutboxFeed } from '../subscriptions/outbox-feed.js';
import { applyRelayedBatch, readInbox } from './inbox.js';
import { parseApplyRequest, parseEventsRequest } from './relay-requests.js';
import { readRelayEvents } from './relay-source.js';

/** Largest body of a relay request (a batch of facts). @default 8 MiB */
export const MAX_RELAY_BODY_BYTES = 8 * 1024 * 1024;

/** What the relay endpoints need from the province service. */
export interface RelayEndpointOptions {
  province: string;
  /** A fresh context (its access is bound by `admit`). */
  contextFor(): ProvinceContext;
  /** The gateway's signature check over the exact body bytes (as for GraphQL requests). */
  admit(
    req: IncomingMessage,
    ctx: ProvinceContext,
    body: Uint8Array,
  ): Promise<GraphQLFormattedError | undefined>;
  /** The shared outbox feed (started before the port listens). */
  feed(): OutboxFeed;
  /** How many days this province keeps its outbox events (0: for ever), told to the relay. */
  retentionDays: number;
  log: Logger;
}

const HTTP_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  FORBIDDEN: 403,
  CURSOR_EXPIRED: 409,
};

/** Answers a GraphQLError of the registry with its HTTP status. */
function refuse(res: ServerResponse, error: GraphQLError): void {
  const code = String(error.extensions.code);
  Object.assign(error.extensions, { http: { status: HTTP_STATUS[code] ?? 400 } });
  sendError(res, error);
}

/**
 * Serves one request to a relay path (see the module comment); the caller has matched the path.
 */
export function relayEndpoints(options: RelayEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method !== 'POST') return sendError(res, methodNotAllowed(req.method ?? 'GET', ['POST']));
    const ctx = options.contextFor();
    let raw: Buffer;
    let body: unknown;
    try {
      raw = await readRawBody(req, { maxBytes: MAX_RELAY_BODY_BYTES });
      body = parseBody(raw, req.headers['content-type'] ?? 'application/json') ?? {};
    } catch (err) {
      const edge = bodyErrorOf(err);
      if (!edge) throw err;
      return sendError(res, edge);
    }
    const refused = await options.admit(req, ctx, raw);
    if (refused) return sendJson(res, 401, { errors: [refused] });
    const caller = callerOf(ctx);
    if (caller && caller.role !== 'relay')
      return refuse(
        res,
        hubError(
          'FORBIDDEN',
          `${path}: only the relay delivers events between provinces; not ${callerWords(caller)}`,
        ),
      );
    try {
      if (path === RELAY_ENDPOINTS.events) {
        const request = parseEventsRequest(body, options.province);
        const gone = new AbortController();
        res.on('close', () => gone.abort());
        const read = await readRelayEvents(ctx.db, options.feed(), {
          ...request,
          retentionDays: options.retentionDays,
          signal: gone.signal,
        });
        if (!res.destroyed) sendJson(res, 200, read);
        return;
      }
      if (path === RELAY_ENDPOINTS.apply) {
        const applied = await applyRelayedBatch(ctx, parseApplyRequest(body, options.province));
        return sendJson(res, 200, applied);
      }
      return sendJson(res, 200, { province: options.province, inbox: await readInbox(ctx.db) });
    } catch (err) {
      if (
        err instanceof GraphQLError &&
        typeof err.extensions.code === 'string' &&
        err.extensions.code !== 'INTERNAL_SERVER_ERROR'
      )
        return refuse(res, err);
      options.log.error({ err: safeError(err), path }, 'relay request failed');
      return sendError(res, internalError());
    }
  };
}
