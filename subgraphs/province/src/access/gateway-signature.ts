import type { IncomingMessage } from 'node:http';
import {
  ASSERTION_CLOCK_TOLERANCE_SECONDS,
  CALLER_HEADER,
  hubError,
  importGatewayPublicKeys,
  verifyCallerAssertion,
  type AssertionBinding,
} from '@p2p/schema';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { ProvinceContext } from '../context.js';
import { readOnlyRefusal } from './read-only-key.js';
import { bindAccess, type RequestAccess } from './request-access.js';

/** Options of {@link createGatewayAdmission}. */
export interface GatewayAdmissionOptions {
  /** This province's code: the audience (`p2p-province:<code>`) of every assertion it accepts. */
  province: string;
  /** The gateway's public key, SPKI PEM (`GATEWAY_PUBLIC_KEY`). */
  publicKeyPem?: string;
  /**
   * Refuse requests without a valid gateway signature. With `false`: requests WITHOUT an
   * assertion are unrestricted (no access rules) and, when a key is configured, requests with
   * one are still verified. Only unit tests of the province and `ALLOW_UNSIGNED=1` in
   * development turn it off.
   * @default true
   */
  requireSignature?: boolean;
  /**
   * The province's own read-only key, SPKI PEM (`CONFORMANCE_PUBLIC_KEY`): assertions it verifies
   * are served for GraphQL queries only (see `read-only-key.ts`), for the conformance kit's
   * `--read-only` runs against this service. @default none
   */
  readOnlyPublicKeyPem?: string;
  log: Logger;
  /**
   * Assertion ids (`jti`) remembered until their `exp`, so each assertion is served once; when
   * full of unexpired ids, requests are refused (RATE_LIMITED) rather than any id forgotten.
   * @default 100_000
   */
  replayCacheSize?: number;
}

/** Checks each request's gateway signature and binds its access to the context. */
export interface GatewayAdmission {
  /** `signed` (a key verifies every request), `optional` (unit tests) or `unsigned` (no key: no rules). */
  mode: 'signed' | 'optional' | 'unsigned';
  /**
   * Admits one GraphQL request over HTTP, given the exact bytes of its body: the assertion must
   * be for this province, bound to these bytes (`bh`), and not served before (`jti`); a signed
   * request must be a POST. Binds the access to `ctx` and returns undefined, or returns the
   * UNAUTHENTICATED error to send (HTTP 401).
   */
  admit(
    req: IncomingMessage,
    ctx: ProvinceContext,
    body: Uint8Array,
  ): Promise<GraphQLFormattedError | undefined>;
  /**
   * Admits a WebSocket upgrade (or the renewal of an open socket, see `subscriptions/ws-server.ts`):
   * only the gateway's subscription link, i.e. an assertion for this province bound to the
   * link (`ws`), of the `system` caller, not served before. Binds the access to `ctx` and records
   * until when it holds ({@link admittedUntil}); or returns the UNAUTHENTICATED error.
   */
  admitSocket(req: IncomingMessage, ctx: ProvinceContext): Promise<GraphQLFormattedError | undefined>;
}

/** The gateway's imported public key. */
type PublicKey = Awaited<ReturnType<typeof importGatewayPublicKeys>>[number];

const UNRESTRICTED: RequestAccess = Object.freeze({ kind: 'unrestricted' });

/** When the assertion admitted for a context expires (milliseconds), by context. */
const EXPIRY = new WeakMap<ProvinceContext, number>();

/**
 * Until when the access admitted for `ctx` holds: its assertion's `exp` in milliseconds;
 * undefined when it was admitted without one (unsigned development, unit tests).
 */
export function admittedUntil(ctx: ProvinceContext): number | undefined {
  return EXPIRY.get(ctx);
}

/**
 * Builds the province's admission check. A province runs `signed` when it has the gateway's
 * public key; without one it refuses to start unless `requireSignature` is false.
 * @throws Error (a start-up error) when a signature is required and no key is configured.
 */
export async function createGatewayAdmission(options: GatewayAdmissionOptions): Promise<GatewayAdmission> {
  const requireSignature = options.requireSignature ?? true;
  if (!options.publicKeyPem) {
    if (requireSignature) {
      throw new Error(
        'GATEWAY_PUBLIC_KEY is not set: a province serves only requests signed by the national gateway. ' +
          "Set it to the gateway's SPKI PEM public key (npm start and the e2e harness generate a pair per run), " +
          'or set ALLOW_UNSIGNED=1 in development to serve every request without access rules.',
      );
    }
    options.log.debug(
      'no GATEWAY_PUBLIC_KEY: every request is served WITHOUT access rules (development only)',
    );
    const unrestricted = async (_req: IncomingMessage, ctx: ProvinceContext) =>
      void bindAccess(ctx, UNRESTRICTED);
    return { mode: 'unsigned', admit: unrestricted, admitSocket: unrestricted };
  }
  let publicKeys: PublicKey[];
  try {
    publicKeys = await importGatewayPublicKeys(options.publicKeyPem);
  } catch (err) {
    throw new Error(
      `GATEWAY_PUBLIC_KEY must hold one ES256 SPKI PEM public key, or two during a key rotation (${(err as Error).message})`,
    );
  }
  let readOnlyKeys: PublicKey[] = [];
  if (options.readOnlyPublicKeyPem) {
    try {
      readOnlyKeys = await importGatewayPublicKeys(options.readOnlyPublicKeyPem);
    } catch (err) {
      throw new Error(
        `CONFORMANCE_PUBLIC_KEY must hold an ES256 SPKI PEM public key (${(err as Error).message})`,
      );
    }
  }
  const { province, log } = options;
  const served = new ServedAssertions(options.replayCacheSize ?? 100_000, log);

  /** Verifies the request's assertion for `binding` and binds its access, or says why not. */
  async function check(
    req: IncomingMessage,
    ctx: ProvinceContext,
    binding: AssertionBinding,
  ): Promise<GraphQLFormattedError | undefined> {
    const header = req.headers[CALLER_HEADER];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      if (!requireSignature) return void bindAccess(ctx, UNRESTRICTED);
      return refusal(
        'this province serves only requests from the national gateway (no caller assertion); send your query to the gateway',
      );
    }
    try {
      const verified = await verifyByGatewayOrReadOnlyKey(token, binding);
      if (verified.readOnly) {
        const why = readOnlyRefusal(binding, verified.caller);
        if (why) throw hubError('UNAUTHENTICATED', why);
      }
      if ('webSocket' in binding && verified.caller.role !== 'system')
        throw hubError(
          'UNAUTHENTICATED',
          "a province's WebSocket serves only the gateway's own subscription link (the system caller)",
        );
      served.take(verified.jti, verified.expiresAt);
      bindAccess(ctx, { kind: 'caller', caller: verified.caller });
      EXPIRY.set(ctx, verified.expiresAt);
      return undefined;
    } catch (err) {
      const message = (err as Error).message;
      log.warn({ reason: message }, 'request refused: caller assertion not valid');
      return refusal(`${message}; this province serves only requests from the national gateway`);
    }
  }

  /** Verifies by the gateway's keys, then (if configured) by the read-only key; the first failure is the one told. */
  async function verifyByGatewayOrReadOnlyKey(token: string, binding: AssertionBinding) {
    try {
      return { ...(await verifyCallerAssertion(token, publicKeys, binding)), readOnly: false };
    } catch (err) {
      if (!readOnlyKeys.length) throw err;
      const readOnly = await verifyCallerAssertion(token, readOnlyKeys, binding).catch(() => undefined);
      if (!readOnly) throw err;
      return { ...readOnly, readOnly: true };
    }
  }

  return {
    mode: requireSignature ? 'signed' : 'optional',
    admit: async (req, ctx, body) => {
      if (req.method !== 'POST' && req.headers[CALLER_HEADER] !== undefined)
        return refusal(
          'a signed request must be a POST: its caller assertion is bound to the bytes of its body',
        );
      return check(req, ctx, { province, body });
    },
    admitSocket: (req, ctx) => check(req, ctx, { province, webSocket: true }),
  };
}

function refusal(message: string): GraphQLFormattedError {
  return hubError('UNAUTHENTICATED', message).toJSON();
}

/**
 * The replay cache: the `jti` of every assertion served, until its `exp` (plus the clock
 * tolerance), bounded. Insertion order is close to expiry order (every assertion lives as long),
 * so expired ids are swept from the front.
 */
export class ServedAssertions {
  private readonly expiries = new Map<string, number>();
  private warnedAt = 0;

  constructor(
    private readonly size: number,
    private readonly log: Logger,
  ) {}

  /**
   * Records `jti` as served.
   * @throws GraphQLError UNAUTHENTICATED when it was served before.
   */
  take(jti: string, expiresAt: number): void {
    const now = Date.now();
    const known = this.expiries.get(jti);
    if (known !== undefined && known > now)
      throw hubError(
        'UNAUTHENTICATED',
        'the caller assertion was already used (each is good for one request)',
      );
    for (const [id, until] of this.expiries) {
      if (until > now) break;
      this.expiries.delete(id);
    }
    if (this.expiries.size >= this.size) {
      // Forgetting an unexpired id would let it be replayed: refuse (the gateway reports the
      // province unavailable for this request) rather than serve a request that may be a replay.
      if (now - this.warnedAt > 60_000) {
        this.warnedAt = now;
        this.log.warn({ size: this.size }, 'caller assertion replay cache full: refusing requests');
      }
      throw hubError(
        'RATE_LIMITED',
        'the province serves at most its replay cache of requests per assertion lifetime; retry shortly',
      );
    }
    this.expiries.set(jti, expiresAt + ASSERTION_CLOCK_TOLERANCE_SECONDS * 1000);
  }
}
