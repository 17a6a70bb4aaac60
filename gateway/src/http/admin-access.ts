import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hubError } from '@p2p/schema';
import type { GraphQLError } from 'graphql';

/** The relay's fresh backlog measure (see `relay/relay-backlog.ts`). */
export const RELAY_BACKLOG_PATH = '/relay/backlog';

/** Paths that show the gateway's internals (province URLs, latency, problems, counters, the relay). */
export const ADMIN_PATHS: readonly string[] = ['/health/details', '/metrics', RELAY_BACKLOG_PATH];

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Checks the admin credential of a request to an admin path on the public port: `Authorization:
 * Bearer <adminToken>`, compared in constant time. Returns the error to answer with (401), or
 * undefined when admitted. Without a configured token the admin paths are refused on the public
 * port (served on the admin port only, see `adminPort`).
 */
export function adminRefusal(req: IncomingMessage, adminToken: string | undefined): GraphQLError | undefined {
  const refuse = (message: string) =>
    hubError('UNAUTHENTICATED', message, {
      http: { status: 401, headers: [['www-authenticate', 'Bearer']] },
    });
  if (!adminToken)
    return refuse(
      'admin endpoints are not served on this port: use the admin port (ADMIN_PORT) or set ADMIN_TOKEN',
    );
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match || !timingSafeEqual(digest(match[1]!), digest(adminToken)))
    return refuse('admin endpoints need the admin token: Authorization: Bearer <ADMIN_TOKEN>');
  return undefined;
}
