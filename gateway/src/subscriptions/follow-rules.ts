/**
 * Who may follow which subscription, decided up front at the gateway (#11.2, #13): a
 * subscription follows the rule of the list of the same records.
 * - `arrivals(destination)` like `trips`: every person;
 * - `returnRequestsFiled(origin)` like `returnRequests(origin)`: the ministry, an officer whose
 *   region contains `origin`, an enterprise (then only its own requests' events: each event is
 *   checked against the record rule, `execution.ts`);
 * - `departures(homeRegion)` like `workers(homeRegion)`: the ministry, an officer whose region
 *   contains `homeRegion`; not an enterprise;
 * - `returnRequestUpdates(enterpriseId)`: the enterprise itself, an officer whose region contains
 *   the enterprise's region (read through the federated pipeline as the caller), the ministry.
 * A worker follows no subscription at all ({@link assertFollowsSubscriptions}).
 * The provinces apply the same rules on their side (each event's record is read as the client).
 */
import { hubError, regionContains, tryDecodeId, type Caller } from '@p2p/schema';
import type { SubscriptionTopic } from './topics.js';

/** Reads an enterprise's region as the caller; null when there is none, undefined when its province did not answer. */
export type EnterpriseRegionLookup = (enterpriseId: string) => Promise<string | null | undefined>;

/** True for a province or city officer whose region contains `region`. */
function officerCovers(caller: Caller, region: string): boolean {
  return (
    (caller.role === 'province' || caller.role === 'city') &&
    !!caller.region &&
    regionContains(caller.region, region)
  );
}

const who = (caller: Caller) =>
  caller.role === 'enterprise'
    ? `enterprise ${caller.enterpriseId}`
    : caller.region
      ? `${caller.role} ${caller.region}`
      : caller.role;

/**
 * Refuses a caller who may not follow `topic` filtered by `filter` (see the module comment).
 * @throws FORBIDDEN; NOT_FOUND for an unknown enterprise, PROVINCE_UNAVAILABLE when its province cannot say where it is.
 */
export async function assertMayFollow(
  topic: SubscriptionTopic,
  caller: Caller,
  filter: string,
  enterpriseRegion: EnterpriseRegionLookup,
): Promise<void> {
  switch (topic.name) {
    case 'arrivals':
      return;
    case 'returnRequestsFiled':
      if (caller.role === 'ministry' || caller.role === 'enterprise' || officerCovers(caller, filter)) return;
      throw hubError(
        'FORBIDDEN',
        `returnRequestsFiled: origin ${filter} (the workers' home) is outside the region of ${who(caller)}; follow your own region, or list returnRequests(destination:) for your enterprises' requests`,
      );
    case 'departures':
      if (caller.role === 'ministry' || officerCovers(caller, filter)) return;
      throw hubError(
        'FORBIDDEN',
        `departures: homeRegion ${filter} is outside the region of ${who(caller)}; like workers(homeRegion:), only the home province or city and the ministry follow its people`,
      );
    case 'returnRequestUpdates': {
      if (caller.role === 'ministry') return;
      if (caller.role === 'enterprise') {
        if (caller.enterpriseId === filter) return;
        throw hubError(
          'FORBIDDEN',
          `returnRequestUpdates: ${who(caller)} follows only its own requests, not those of enterprise ${filter}`,
        );
      }
      if (caller.role !== 'province' && caller.role !== 'city')
        throw hubError(
          'FORBIDDEN',
          `returnRequestUpdates: ${who(caller)} may not follow an enterprise's requests`,
        );
      const region = await enterpriseRegion(filter);
      if (region === undefined)
        throw hubError(
          'PROVINCE_UNAVAILABLE',
          `returnRequestUpdates: the province of enterprise ${filter} did not say where it is; subscribe again later`,
          { province: tryDecodeId(filter)?.province },
        );
      if (region === null) throw hubError('NOT_FOUND', `Enterprise ${filter} does not exist`, { id: filter });
      if (officerCovers(caller, region)) return;
      throw hubError(
        'FORBIDDEN',
        `returnRequestUpdates: enterprise ${filter} is in ${region}, outside the region of ${who(caller)}; only the enterprise, the officers of its region and the ministry follow its requests`,
      );
    }
  }
}

/**
 * A worker's token follows no subscription, whatever the topic (he reads only his own records;
 * each province refuses him too).
 * @throws FORBIDDEN for a worker.
 */
export function assertFollowsSubscriptions(caller: Caller): void {
  if (caller.role === 'worker')
    throw hubError(
      'FORBIDDEN',
      'a worker follows no subscription; read your own record, trips and return requests with worker(id:)',
    );
}
