import type { Caller } from '@p2p/schema';
import { callerWords, forbidden, officerCovers } from './request-access.js';

/**
 * Who may list which records. Every authenticated person may read single records, trips,
 * enterprises and statistics (personal fields masked, see `personal-data.ts`); lists of PEOPLE
 * are narrower, so nobody harvests another region's workers:
 * - `workers(homeRegion)`: the ministry, or an officer whose region contains `homeRegion`;
 * - `returnRequests(origin, destination)`: the ministry; an officer whose region contains
 *   `origin` (the workers' home) or `destination` (the enterprises' region); an enterprise sees
 *   only the requests it filed (see {@link returnRequestScope}).
 */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments are shaped by the schema, not by TypeScript
export type ReadRule = (caller: Caller, args: Record<string, any>) => void;

/** Refuses the gateway's system caller, which reads nothing but `_service`. */
export function personWhoReads(field: string, caller: Caller): void {
  if (caller.role === 'system') throw forbidden(`${field}: the gateway's system caller reads only _service`);
}

/** The read rule of each root query field that has one, by field name. */
export const READ_RULES: Record<string, ReadRule> = {
  workers: (caller, args) => {
    if (caller.role === 'ministry' || officerCovers(caller, args.homeRegion)) return;
    throw forbidden(
      `workers: only the home province or city lists its workers, and the ministry reads them masked; homeRegion ${String(args.homeRegion)} is outside the region of ${callerWords(caller)}`,
    );
  },
  returnRequests: (caller, args) => {
    if (caller.role === 'ministry' || caller.role === 'enterprise') return;
    if (officerCovers(caller, args.origin) || officerCovers(caller, args.destination)) return;
    throw forbidden(
      `returnRequests: give an origin (the workers' home) or a destination (the enterprises' region) inside the region of ${callerWords(caller)}`,
    );
  },
};

/** Extra filter of `returnRequests` for a caller: an enterprise lists only its own requests. */
export function returnRequestScope(caller: Caller): { enterpriseId?: string } {
  return caller.role === 'enterprise' ? { enterpriseId: caller.enterpriseId } : {};
}
