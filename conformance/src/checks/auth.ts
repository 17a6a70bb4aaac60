import { PROVINCE_SUBGRAPHS } from '@p2p/schema';
import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import type { LinkAnswer, Signing } from '../province-link.js';

/**
 * The gateway's signature: a province serves only requests whose caller assertion the gateway (here:
 * the kit's key, which the instance trusts) signed for this province and this very body, once.
 */

/** A read every province answers with data for its own officer (an empty page on an empty instance). */
const PAGE =
  'query KitWorkersPage($region: RegionCode!) { workers(homeRegion: $region, first: 1) { totalCount } }';

function expectRefused(answer: LinkAnswer, what: string): void {
  const codes = answer.errors?.map((e) => e.extensions?.code) ?? [];
  const leaked = answer.data && Object.values(answer.data).some((v) => v !== null && v !== undefined);
  if (!codes.includes('UNAUTHENTICATED') || leaked)
    throw new CheckFailure(`${what} must be refused with UNAUTHENTICATED and no data`, answer.exchange);
}

async function refusedEverywhere(kit: KitContext, signing: Signing, what: string): Promise<void> {
  // The subgraph's own data where it has one (workers), `_service` on the others: no part of it is open.
  for (const sg of PROVINCE_SUBGRAPHS) {
    const answer =
      sg === 'workers'
        ? await kit.link.query(sg, PAGE, { region: kit.province }, kit.callers.provinceOfficer, signing)
        : await kit.link.query(sg, '{ _service { sdl } }', {}, kit.callers.system, signing);
    expectRefused(answer, `${what} (${sg})`);
  }
}

const unsigned: ConformanceCheck = {
  id: 'auth.unsigned-refused',
  title: 'a request without the caller assertion is refused by every logical subgraph',
  writes: false,
  run: (kit) => refusedEverywhere(kit, 'unsigned', 'a request without x-p2p-caller'),
};

const otherProvince: ConformanceCheck = {
  id: 'auth.other-audience-refused',
  title: "an assertion signed for another province's audience is refused",
  writes: false,
  run: (kit) =>
    refusedEverywhere(kit, { audience: kit.regions.otherProvince }, 'an assertion for another province'),
};

const otherBody: ConformanceCheck = {
  id: 'auth.other-body-refused',
  title: 'an assertion signed for another body (its bh claim) is refused',
  writes: false,
  run: (kit) =>
    refusedEverywhere(kit, { bodySignedFor: '{"query":"{ __typename }"}' }, 'an assertion for another body'),
};

const replay: ConformanceCheck = {
  id: 'auth.replay-refused',
  title: 'the same assertion and body sent twice are served once',
  writes: false,
  async run(kit) {
    const variables = { region: kit.province };
    const first = await kit.link.query('workers', PAGE, variables, kit.callers.provinceOfficer);
    if (!first.data?.workers || first.errors?.length)
      throw new CheckFailure("the province officer's own read must be served", first.exchange);
    const again = await kit.link.query('workers', PAGE, variables, kit.callers.provinceOfficer, {
      assertion: first.assertion!,
    });
    expectRefused(again, 'a replayed assertion');
  },
};

const unsignedSubscription: ConformanceCheck = {
  id: 'auth.unsigned-subscription-refused',
  title: 'a subscription without the caller assertion is refused',
  writes: false,
  async run(kit) {
    // A service that cannot be reached refuses nothing: it must answer over HTTP first (any answer;
    // the link throws CheckFailure when there is none).
    await kit.link.query('transport', '{ __typename }', {}, kit.callers.provinceOfficer, 'unsigned');
    const { events, errors, exchange } = await kit.link.subscribe(
      'transport',
      'subscription KitArrivals($d: RegionCode!) { arrivals(destination: $d) { cursor } }',
      { d: kit.province },
      kit.callers.provinceOfficer,
      { signing: 'unsigned', quietMs: 1_000 },
    );
    if (events.length || !errors.length)
      throw new CheckFailure(
        'an unsigned subscription must be refused (closed or errored), never served',
        exchange,
      );
  },
};

/** The signature checks, in the order they run. */
export const AUTH_CHECKS: readonly ConformanceCheck[] = [
  unsigned,
  otherProvince,
  otherBody,
  replay,
  unsignedSubscription,
];
