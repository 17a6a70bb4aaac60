/**
 * A rolling upgrade (#18.4): Hebei runs the current province service (contract 1.2) while Guangxi
 * runs "the previous release", the same service started with SERVED_CONTRACT=previous so that it
 * serves the previous minor's SDL (`schema/sdl/previous/`, contract 1.1: what was released before
 * `TransportStats.corridors`). There is no older build in the repository; this stands in for
 * the old binary at the contract level (its database is migrated to head, as in an upgrade whose
 * migrations ran first). Then Guangxi "is upgraded" (restarted on the current contract) while the
 * gateway keeps running.
 */
import { graphqlData, graphqlRequest } from '@p2p/runtime';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';

const HEBEI = '130000';
const GUANGXI = '450000';

interface ProvinceDetails {
  code: string;
  state: string;
  contract: string[];
  lacking: string[];
}

describe('rolling upgrade: a province one contract minor behind, then upgraded', () => {
  let hub: RunningFederation;
  const admin = () => ({ authorization: `Bearer ${hub.adminToken}` });
  const details = async (): Promise<ProvinceDetails[]> => {
    const res = await fetch(new URL('/health/details', hub.gatewayUrl), { headers: admin() });
    return ((await res.json()) as { provinces: ProvinceDetails[] }).provinces;
  };
  const ministry = () => hub.authorization('ministry');
  const plan = async (province: string, origin: string, vehicleCode: string, extra = {}) =>
    graphqlRequest<{ planTrip: { id: string } }>(
      hub.gatewayUrl,
      'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }',
      {
        i: {
          mode: 'BUS',
          vehicleCode,
          origin,
          destination: '110105',
          departureAt: '2030-03-01T08:00:00+08:00',
          expectedArrivalAt: '2030-03-01T20:00:00+08:00',
          capacity: 40,
          ...extra,
        },
      },
      await hub.authorization('province', province),
    );
  const tripsQuery = (fields: string) =>
    `{ trips(destination: "110000", first: 20) { edges { node { id ${fields} } } } }`;
  const CORRIDORS = '{ summary { transport { corridors { key trips } } } }';
  type Corridors = { summary: { transport: { corridors: { key: string; trips: number }[] } } };

  beforeAll(async () => {
    hub = await startFederation({
      provinces: [HEBEI, GUANGXI],
      provinceEnv: { [GUANGXI]: { SERVED_CONTRACT: 'previous' } },
      gatewayEnv: { HEALTH_CHECK_INTERVAL_MS: '500' },
    });
  }, 60_000);
  afterAll(() => hub?.close());

  it('should route to both provinces, refuse only what the previous minor lacks, and take the upgraded one back', async () => {
    // The gateway's view while Guangxi is behind: up, on 1.1, lacking what 1.2 added.
    const before = await details();
    expect(before.find((p) => p.code === HEBEI)).toMatchObject({
      state: 'up',
      contract: ['1.2'],
      lacking: [],
    });
    const guangxi = before.find((p) => p.code === GUANGXI)!;
    expect(guangxi).toMatchObject({ state: 'up', contract: ['1.1'] });
    expect(guangxi.lacking).toContain('transport: TransportStats.corridors is missing');
    // The public /health says up/down only: a province one minor behind is up, its version not shown.
    const publicHealth = await (await fetch(new URL('/health', hub.gatewayUrl))).json();
    expect(publicHealth.provinces).toEqual([
      { code: HEBEI, state: 'up' },
      { code: GUANGXI, state: 'up' },
    ]);
    expect(JSON.stringify(publicHealth)).not.toContain('1.1');
    const metrics = await (await fetch(new URL('/metrics', hub.gatewayUrl), { headers: admin() })).text();
    expect(metrics).toContain(`p2p_gateway_province_contract{province="${GUANGXI}",version="1.1"} 1`);
    expect(metrics).toMatch(
      new RegExp(`p2p_gateway_province_contract_lacking\\{province="${GUANGXI}"\\} [1-9]`),
    );

    const client = createClient({
      url: hub.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: await ministry(),
    });
    const events: { kind: string; trip: { id: string } }[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ arrivals: { kind: string; trip: { id: string } } }>(
        { query: 'subscription { arrivals(destination: "110000") { kind trip { id } } }' },
        { next: (r) => void (r.data && events.push(r.data.arrivals)), error: reject, complete: () => {} },
      );
      setTimeout(resolve, 1_000); // subscribed from now
    });
    const eventsFor = async (ids: string[]) => {
      const deadline = Date.now() + 15_000;
      const seen = () => ids.every((id) => events.some((e) => e.trip.id === id && e.kind === 'PLANNED'));
      while (!seen() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return seen();
    };

    try {
      // Mutations routed to the province on 1.1 work; its subscription events arrive.
      const hebeiTrip = (await plan(HEBEI, '130426', '冀D·U0001')).data!.planTrip.id;
      const guangxiTrip = (await plan(GUANGXI, '450203', '桂B·U0001')).data!.planTrip.id;
      expect(await eventsFor([hebeiTrip, guangxiTrip])).toBe(true);

      // Fields both minors have (1.1's shuttle runs included): both provinces answer, no error.
      const common = await graphqlRequest<{ trips: { edges: { node: { id: string } }[] } }>(
        hub.gatewayUrl,
        tripsQuery('vehicleCode organizer { code } runs { id }'),
        {},
        await ministry(),
      );
      expect(common.errors).toBeUndefined();
      expect(common.data!.trips.edges.map((e) => e.node.id).sort()).toEqual([hebeiTrip, guangxiTrip].sort());

      // A field 1.2 added: Hebei answers, Guangxi's part is a PROVINCE_INCOMPATIBLE error at the path.
      const newer = await graphqlRequest<Corridors>(hub.gatewayUrl, CORRIDORS, {}, await ministry());
      expect(newer.data!.summary.transport.corridors).toEqual([{ key: '130000-110000', trips: 1 }]);
      expect(newer.errors).toEqual([
        expect.objectContaining({
          path: ['summary'],
          message: expect.stringContaining('Cannot query field "corridors" on type "TransportStats"'),
          extensions: expect.objectContaining({ code: 'PROVINCE_INCOMPATIBLE', province: GUANGXI }),
        }),
      ]);
      // What both minors have of the same Summary still sums both provinces (the nation's: a
      // province's own Summary is that province's alone since #17.2).
      const internal = await graphqlData<{ summary: { transport: { internal: { trips: number } } } }>(
        hub.gatewayUrl,
        '{ summary { transport { internal { trips } } } }',
        {},
        await ministry(),
      );
      expect(internal.summary.transport.internal.trips).toBe(2);
      const refusals = await (await fetch(new URL('/metrics', hub.gatewayUrl), { headers: admin() })).text();
      const behind = new RegExp(
        `p2p_gateway_province_errors_total\\{province="${GUANGXI}",subgraph="transport",reason="behind"\\} (\\d+)`,
      ).exec(refusals);
      expect(Number(behind?.[1])).toBeGreaterThanOrEqual(1); // the corridors part

      // Guangxi is upgraded: restarted on the current contract, the gateway keeps running.
      await hub.stopProvince(GUANGXI);
      await hub.startProvince(GUANGXI, { env: { SERVED_CONTRACT: 'current' } });
      const deadline = Date.now() + 10_000;
      let upgraded: ProvinceDetails | undefined;
      while (Date.now() < deadline) {
        upgraded = (await details()).find((p) => p.code === GUANGXI);
        if (upgraded?.state === 'up' && upgraded.contract[0] === '1.2') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(upgraded).toMatchObject({ state: 'up', contract: ['1.2'], lacking: [] });

      // After its next health probe the gateway routes the new field to it: the corridors of both.
      const both = await graphqlRequest<Corridors>(hub.gatewayUrl, CORRIDORS, {}, await ministry());
      expect(both.errors).toBeUndefined();
      expect(both.data!.summary.transport.corridors).toEqual([
        { key: '130000-110000', trips: 1 },
        { key: '450000-110000', trips: 1 },
      ]);
      // ...and the subscription opened before the upgrade still delivers Guangxi's events.
      const later = (await plan(GUANGXI, '450203', '桂B·U0003')).data!.planTrip.id;
      expect(await eventsFor([later])).toBe(true);
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
