/**
 * The gateway's trusted documents: which operations it runs, by id or by text, in each mode
 * (`TRUSTED_DOCUMENTS`, see docs/trusted-documents.md):
 * - `safelist`: only registered operations, sent by id (`documentId`, bare or `sha256:`-prefixed,
 *   or Apollo's `extensions.persistedQuery.sha256Hash`); a request carrying a document text is
 *   refused with OPERATION_NOT_TRUSTED even when the text is registered, an unknown id with
 *   PERSISTED_QUERY_NOT_FOUND;
 * - `apq`: texts are accepted; registered ids are served from the manifests; other hashes go to
 *   Apollo Server's automatic persisted queries (HTTP only); an unknown `documentId` is
 *   PERSISTED_QUERY_NOT_FOUND;
 * - `off`: texts only; any id is PERSISTED_QUERY_NOT_SUPPORTED.
 * A resolved id becomes its registered text before the query limits run, so depth, cost and the
 * rest apply to registered operations exactly as to texts.
 */
import type { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { badInput, hubError } from '@p2p/schema';
import type { Logger } from '@p2p/runtime';
import type { Counter } from 'prom-client';
import { documentId, type PersistedQueryManifest } from './manifest.js';

/** The modes of `TRUSTED_DOCUMENTS`. */
export const TRUSTED_DOCUMENTS_MODES = ['off', 'apq', 'safelist'] as const;
/** A mode of `TRUSTED_DOCUMENTS`. */
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

/** How an operation arrived. */
export type TrustTransport = 'http' | 'websocket';

/**
 * What became of an operation, the `outcome` label of `p2p_gateway_trusted_documents_total`:
 * `by_id` a registered operation sent by id; `registered_text` the text of a registered operation
 * (refused in safelist mode: the client must send the id); `unregistered` a text or hash no
 * manifest holds (refused in safelist mode); `refused`.
 */
export type TrustOutcome = 'by_id' | 'registered_text' | 'unregistered' | 'refused';

/** One operation as received: a POST body or batch element, GET parameters, a graphql-ws payload. */
export type ReceivedDocument = Record<string, unknown>;

/** Options of {@link TrustedDocuments}. */
export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  /** The registered operations (the built manifest and the extra ones). */
  manifests: readonly PersistedQueryManifest[];
  logger: Logger;
  /** Counts each operation by transport and outcome (the gateway's metrics). */
  counter?: Counter<'transport' | 'outcome'>;
}

const SHA256_PREFIX = 'sha256:';
const noCache: [string, string][] = [['cache-control', 'private, no-cache, must-revalidate']];

const notTrusted = (why: string) =>
  hubError(
    'OPERATION_NOT_TRUSTED',
    `${why}: this gateway runs only registered operations (safelist mode); send the operation's id as "documentId" or extensions.persistedQuery.sha256Hash (see docs/trusted-documents.md)`,
    { http: { status: 400 } },
  );

/** The errors Apollo clients recognise by their code and message (Apollo Server sends the same, HTTP 200). */
const notFound = () =>
  hubError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', {
    http: { status: 200, headers: noCache },
  });
const notSupported = () =>
  hubError('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported', {
    http: { status: 200, headers: noCache },
  });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The APQ extension of an operation, if it has one. */
function persistedQueryOf(received: ReceivedDocument): Record<string, unknown> | undefined {
  const pq = isObject(received.extensions) ? received.extensions.persistedQuery : undefined;
  return isObject(pq) ? pq : undefined;
}

/** The operation with `query` set to `body` and its ids removed. */
function withText(received: ReceivedDocument, body: string): ReceivedDocument {
  const { documentId: _id, extensions, ...rest } = received;
  const { persistedQuery: _pq, ...others } = isObject(extensions) ? extensions : {};
  return { ...rest, query: body, ...(Object.keys(others).length ? { extensions: others } : {}) };
}

/** The registered operations and the rule of the mode (see the module comment). */
export class TrustedDocuments {
  readonly mode: TrustedDocumentsMode;
  private readonly bodies = new Map<string, string>();
  private readonly logger: Logger;
  private readonly counter: TrustedDocumentsOptions['counter'];
  /** Ids of unregistered operations already logged (one line per operation, not per request). */
  private readonly logged = new LRUCache<string, true>({ max: 1_000 });

  constructor(options: TrustedDocumentsOptions) {
    this.mode = options.mode;
    this.logger = options.logger;
    this.counter = options.counter;
    for (const manifest of options.manifests)
      for (const op of manifest.operations) this.bodies.set(op.id, op.body);
  }

  /** How many operations are registered. */
  get size(): number {
    return this.bodies.size;
  }

  /** The registered text of `id` (bare hex or `sha256:`-prefixed), if any. */
  lookup(id: string): string | undefined {
    const bare = id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id;
    return this.bodies.get(bare.toLowerCase());
  }

  /**
   * The operation to run in place of `received`: the same, or with its registered text.
   * @throws GraphQLError OPERATION_NOT_TRUSTED, PERSISTED_QUERY_NOT_FOUND,
   *   PERSISTED_QUERY_NOT_SUPPORTED or BAD_USER_INPUT (a hash that is not the text's), with
   *   `extensions.http` for the HTTP edge
   */
  resolve(received: ReceivedDocument, transport: TrustTransport): ReceivedDocument {
    const text = typeof received.query === 'string' && received.query !== '' ? received.query : undefined;
    const docId = typeof received.documentId === 'string' ? received.documentId : undefined;
    const pq = persistedQueryOf(received);
    const hash = typeof pq?.sha256Hash === 'string' ? pq.sha256Hash : undefined;
    const id = docId ?? hash;
    if (this.mode === 'off') {
      if (received.documentId !== undefined || pq) throw this.refuse(transport, notSupported());
      return received;
    }
    if (this.mode === 'safelist') {
      if (text !== undefined) throw this.refuse(transport, notTrusted('the request carries a document text'));
      if (id === undefined) throw this.refuse(transport, notTrusted('the request names no operation'));
      const body = this.lookup(id);
      if (body === undefined) throw this.refuse(transport, notFound());
      this.count(transport, 'by_id');
      return withText(received, body);
    }
    // apq: what Apollo Server's APQ would refuse without a registry code is refused here.
    if (pq && pq.version !== 1)
      throw this.refuse(transport, badInput('extensions.persistedQuery.version must be 1', 'extensions'));
    if (text !== undefined) {
      const textId = documentId(text);
      if (hash !== undefined && hash.toLowerCase() !== textId)
        throw this.refuse(
          transport,
          badInput('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query', 'extensions'),
        );
      const registered = this.bodies.has(textId);
      this.count(transport, registered ? 'registered_text' : 'unregistered');
      if (!registered) this.logUnregistered(textId, received, transport);
      const { documentId: _ignored, ...rest } = received;
      return rest;
    }
    if (id === undefined) return received; // no text, no id: Apollo Server says what is missing
    const body = this.lookup(id);
    if (body !== undefined) {
      this.count(transport, 'by_id');
      return withText(received, body);
    }
    // A hash Apollo Server's APQ cache may hold (HTTP); a documentId or a WebSocket has no such cache.
    if (docId !== undefined || transport === 'websocket') throw this.refuse(transport, notFound());
    this.count(transport, 'unregistered');
    this.logUnregistered(id, received, transport);
    return received;
  }

  private refuse(transport: TrustTransport, error: GraphQLError): GraphQLError {
    this.count(transport, 'refused');
    return error;
  }

  private count(transport: TrustTransport, outcome: TrustOutcome): void {
    this.counter?.inc({ transport, outcome });
  }

  /** One line per unregistered operation: its id and name, never its text or variables. */
  private logUnregistered(id: string, received: ReceivedDocument, transport: TrustTransport): void {
    if (this.logged.has(id)) return;
    this.logged.set(id, true);
    const operationName =
      typeof received.operationName === 'string' ? received.operationName.slice(0, 64) : null;
    this.logger.info(
      { documentId: id, operationName, transport },
      'unregistered operation (refused in safelist mode; register it, see docs/trusted-documents.md)',
    );
  }
}
