/**
 * Feed poisoning (#11.7) end to end, over real processes (Hebei, Guangxi, national, the gateway):
 * a client whose cursor lies far ahead of a province's head is refused with BAD_USER_INPUT, and a
 * client "from now" on the same (province, field, region) feed, subscribed after it, still
 * receives the next event. (The province's own port refusing such a cursor is tested in
 * subgraphs/province/src/subscriptions/subscriptions.int.test.ts.) Runs on PGlite, or on PostgreSQL
 * with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { graphqlData } from '@p2p/runtime';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const ARRIVALS = `subscription Arrivals($destination: RegionCode!, $after: String) {
  arrivals(destination: $destination, after: $after) { cursor kind trip { vehicleCode } }
}`;

/** A vector cursor as the gateway encodes it. */
const cursor = (positions: Record<string, number>) =>
  Buffer.from(JSON.stringify(positions)).toString('base64url');

type Outcome =
  | { arrivals?: { kind: string; trip: { vehicleCode: string } } }
  | Record<string, unknown>
  | 'open';

/** The first answer of a subscription (an event, or the errors' first `extensions`), or 'open' after `ms`. */
function firstAnswer(client: Client, variables: Record<string, unknown>, ms: number) {
  let stop = () => {};
  const answer = new Promise<Outcome>((resolve) => {
    stop = client.subscribe<{ arrivals: { kind: string; trip: { vehicleCode: string } } }>(
      { query: ARRIVALS, variables },
      {
        next: (r) => resolve(r.errors ? (r.errors[0]?.extensions ?? {}) : (r.data ?? {})),
        error: (e) =>
          resolve(Array.isArray(e) ? (e[0]?.extensions ?? {}) : { close: (e as { code?: number }).code }),
        complete: () => {},
      },
    );
  });
  return {
    stop: () => stop(),
    answer: Promise.race([answer, new Promise<'open'>((r) => setTimeout(() => r('open'), ms))]),
  };
}

describe.skipIf(!servicesExist)(
  `subscription abuse over 2 provinces (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let hub: RunningFederation;
    let client: Client;

    beforeAll(async () => {
      hub = await startFederation({ provinces: ['130000', '450000'] });
      client = createClient({
        url: hub.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: await hub.authorization('city', '110100'),
        retryAttempts: 0,
      });
    }, 180_000);

    afterAll(async () => {
      await client?.dispose();
      await hub?.close();
    }, 60_000);

    it('should refuse a cursor ahead of a province head and still deliver the next event to a "from now" client (#11.7 feed poisoning)', async () => {
      // The poisoner comes first: nobody follows arrivals into Beijing yet, its feeds are new.
      const poisoner = firstAnswer(
        client,
        { destination: '110000', after: cursor({ '130000': 1e12 }) },
        5_000,
      );
      expect(await poisoner.answer).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
        province: '130000',
      });
      poisoner.stop();
      // Ahead in one province of the vector only (Hebei at its start, Guangxi from the future).
      const mixed = firstAnswer(
        client,
        { destination: '110000', after: cursor({ '130000': 0, '450000': 1e12 }) },
        5_000,
      );
      expect(await mixed.answer).toMatchObject({ code: 'BAD_USER_INPUT', province: '450000' });
      mixed.stop();

      const fromNow = firstAnswer(client, { destination: '110000' }, 20_000);
      await new Promise((r) => setTimeout(r, 1_000)); // subscribed, from the head it was given
      await graphqlData(
        hub.gatewayUrl,
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
        {
          input: {
            mode: 'BUS',
            vehicleCode: '冀D·P0001',
            origin: '130426',
            destination: '110105',
            departureAt: '2030-03-01T08:00:00+08:00',
            expectedArrivalAt: '2030-03-02T08:00:00+08:00',
            capacity: 40,
          },
        },
        await hub.authorization('province', '130000'),
      );
      expect(await fromNow.answer).toMatchObject({
        arrivals: { kind: 'PLANNED', trip: { vehicleCode: '冀D·P0001' } },
      });
      fromNow.stop();
    }, 60_000);
  },
);
