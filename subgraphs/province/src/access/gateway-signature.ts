import type { IncomingMessage } from 'node:http';
import {
  CALLER_HEADER,
  hubError,
  importGatewayPublicKey,
  verifyCallerAssertion,
  type Caller,
} from '@p2p/schema';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { ProvinceContext } from '../context.js';
import { bindAccess, type RequestAccess } from './request-access.js';

/** Options of {@link createGatewayAdmission}. */
export interface GatewayAdmissionOptions {
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
  log: Logger;
  /** Verified assertions kept until they expire, so a burst of fetches verifies once. @default 1000 */
  cacheSize?: number;
}

/** Checks each GraphQL request's gateway signature and binds its access to the context. */
export interface GatewayAdmission {
  /** `signed` (a key verifies every request), `optional` (unit tests) or `unsigned` (no key: no rules). */
  mode: 'signed' | 'optional' | 'unsigned';
  /**
   * Admits a request: binds its access to `ctx` and returns undefined, or returns the
   * UNAUTHENTICATED error to send (HTTP 401) when the signature is missing or invalid.
   */
  admit(req: IncomingMessage, ctx: ProvinceContext): Promise<GraphQLFormattedError | undefined>;
}

/** The gateway's imported public key. */
type PublicKey = Awaited<ReturnType<typeof importGatewayPublicKey>>;

const UNRESTRICTED: RequestAccess = Object.freeze({ kind: 'unrestricted' });

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
    return { mode: 'unsigned', admit: async (_req, ctx) => void bindAccess(ctx, UNRESTRICTED) };
  }
  let publicKey: PublicKey;
  try {
    publicKey = await importGatewayPublicKey(options.publicKeyPem);
  } catch (err) {
    throw new Error(`GATEWAY_PUBLIC_KEY is not an ES256 SPKI PEM public key (${(err as Error).message})`);
  }
  const verified = new VerifiedAssertions(options.cacheSize ?? 1000);
  return {
    mode: requireSignature ? 'signed' : 'optional',
    async admit(req, ctx) {
      const header = req.headers[CALLER_HEADER];
      const token = Array.isArray(header) ? header[0] : header;
      if (!token) {
        if (!requireSignature) return void bindAccess(ctx, UNRESTRICTED);
        return refusal(
          'this province serves only requests from the national gateway (no caller assertion); send your query to the gateway',
        );
      }
      try {
        bindAccess(ctx, { kind: 'caller', caller: await verified.verify(token, publicKey) });
        return undefined;
      } catch (err) {
        const message = (err as Error).message;
        options.log.warn({ reason: message }, 'request refused: caller assertion not valid');
        return refusal(`${message}; this province serves only requests from the national gateway`);
      }
    },
  };
}

function refusal(message: string): GraphQLFormattedError {
  return hubError('UNAUTHENTICATED', message).toJSON();
}

/** Assertions already verified, until their `exp` (a small insertion-ordered cache). */
class VerifiedAssertions {
  private readonly entries = new Map<string, { caller: Caller; expiresAt: number }>();

  constructor(private readonly size: number) {}

  async verify(token: string, key: PublicKey): Promise<Caller> {
    const hit = this.entries.get(token);
    if (hit && hit.expiresAt > Date.now()) return hit.caller;
    if (hit) this.entries.delete(token);
    const caller = await verifyCallerAssertion(token, key);
    const exp = expiryOf(token);
    if (exp && this.size > 0) {
      if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(token, { caller, expiresAt: exp });
    }
    return caller;
  }
}

/** The `exp` of a JWT already verified, in milliseconds. */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
