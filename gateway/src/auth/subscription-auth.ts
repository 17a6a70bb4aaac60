import type { IncomingMessage } from 'node:http';
import { describeCaller, type Caller } from '@p2p/schema';
import type { Logger } from '@p2p/runtime';
import { decodeJwt } from 'jose';
import type { GatewayContext } from './gateway-context.js';
import { rateKey } from '../http/graphql-admission.js';
import type { TokenVerifier } from './token-verifier.js';

/** What the subscription server's `onConnect` hook receives (see subscriptions/connections.ts). */
export interface ConnectionInit {
  /** The graphql-ws `connection_init` payload, e.g. `{ authorization: 'Bearer …' }`. */
  connectionParams: Readonly<Record<string, unknown>>;
  /** The HTTP upgrade request. */
  request: IncomingMessage;
}

/** An admitted connection: who it is (events are resolved per principal) and its context. */
export interface AdmittedConnection {
  /** Role, region and enterprise: the masking of personal fields depends on nothing else. */
  principal: string;
  context: GatewayContext & Record<string, unknown>;
  /** The caller's rate-limit key (`rateKey`): caps and the rate limit count by it. */
  callerKey: string;
  /** The token's `exp` in epoch milliseconds: the connection ends then. */
  expiresAt?: number;
}

/**
 * The principal of a caller: callers with equal principals see exactly the same fields (role,
 * region, enterprise and, for a worker, his own id: two workers never share a resolution).
 */
export function principalOf(caller: Caller): string {
  const principal = `${caller.role}:${caller.region ?? ''}:${caller.enterpriseId ?? ''}`;
  return caller.workerId ? `${principal}:${caller.workerId}` : principal;
}

/**
 * The `onConnect` hook of the gateway's graphql-ws server: the token comes in the
 * `connection_init` payload (`{ authorization: "Bearer …" }`, browsers cannot set upgrade
 * headers) or else the upgrade request's `Authorization` header. Subscriptions are not public:
 * no token or a bad one refuses the connection (false → graphql-ws closes it with 4403).
 * Events are then resolved through the federated pipeline with `{ caller }` as context, so the
 * provinces mask personal fields for this caller as for a query; the connection is counted under
 * the caller's rate-limit key and ends at the token's `exp`.
 */
export function subscriptionAuthenticator(verify: TokenVerifier, logger?: Logger) {
  return async ({ connectionParams, request }: ConnectionInit): Promise<AdmittedConnection | false> => {
    const fromParams = connectionParams.authorization ?? connectionParams.Authorization;
    const header = typeof fromParams === 'string' ? fromParams : request.headers.authorization;
    try {
      const caller = await verify(header);
      if (!caller) {
        logger?.info('subscription refused: no token');
        return false;
      }
      logger?.debug({ caller: describeCaller(caller) }, 'subscription admitted');
      // Verified above: the payload is the token's own; `exp` is required by the verifier.
      const { exp } = decodeJwt(
        String(header)
          .replace(/^Bearer\s+/i, '')
          .trim(),
      );
      return {
        principal: principalOf(caller),
        context: { caller },
        callerKey: rateKey(caller, request),
        ...(typeof exp === 'number' ? { expiresAt: exp * 1000 } : {}),
      };
    } catch (err) {
      logger?.info(
        { reason: (err as Error).message.slice(0, 120) },
        'subscription refused: token not accepted',
      );
      return false;
    }
  };
}
