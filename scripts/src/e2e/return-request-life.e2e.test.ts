/**
 * The return request's life through the gateway (#13.3, "Must show"), over real processes:
 * a Beijing (110000) enterprise files for a Henan (410000) worker → ACKNOWLEDGED by Henan →
 * ARRANGED when Henan assigns him to a bus towards Beijing → ON_POST after the hand-over and the
 * enterprise's confirmation, the worker AT_WORK in Beijing in his Henan record; the enterprise's
 * `returnRequestUpdates` delivers each step once, also after a resume with its last cursor.
 * Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlData } from '@p2p/runtime';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoIdNumber } from '../demo/model.js';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const UPDATES = `subscription Updates($enterpriseId: ID!, $after: String) {
  returnRequestUpdates(enterpriseId: $enterpriseId, after: $after) {
    cursor at status
    returnRequest { id status trip { id status expectedArrivalAt } }
  }
}`;

interface Update {
  cursor: string;
  at: string;
  status: string;
  returnRequest: { id: string; status: string; trip: { id: string; status: string } | null };
}

/** Follows the enterprise's updates from `after` (undefined: from now), collecting them. */
function followUpdates(client: Client, enterpriseId: string, after?: string) {
  const updates: Update[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ returnRequestUpdates: Update }>(
    { query: UPDATES, variables: { enterpriseId, after } },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data?.returnRequestUpdates) updates.push(r.data.returnRequestUpdates);
      },
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return { updates, errors, stop };
}

/** Waits until `check` holds (the relay carries facts asynchronously). */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!servicesExist)(
  `a Beijing return request for a Henan worker through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let hub: RunningFederation;
    let client: Client;
    let henan: Record<string, string>;
    let beijing: Record<string, string>;
    beforeAll(async () => {
      hub = await startFederation({ provinces: ['110000', '410000'] });
      henan = await hub.authorization('province', '410000');
      beijing = await hub.authorization('province', '110000');
    }, 180_000);
    afterAll(async () => {
      await client?.dispose();
      await hub?.close();
    }, 60_000);

    it('should go FILED → ACKNOWLEDGED → ARRANGED → ON_POST, each step once on returnRequestUpdates, also after a resume', async () => {
      const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
        graphqlData(hub.gatewayUrl, query, variables, headers);
      const worker = { name: '张建军', home: '411602', birth: '19870412', seq: 41 };
      const workerId = (
        await q(
          `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`,
          {
            input: {
              name: worker.name,
              idNumber: demoIdNumber(worker),
              phone: '13900004101',
              homeRegion: worker.home,
            },
          },
          henan,
        )
      ).registerWorker.id as string;
      const enterpriseId = (
        await q(
          `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { id } }`,
          { input: { name: '北京朝阳电子厂', region: '110105', sector: '制造业' } },
          beijing,
        )
      ).registerEnterprise.id as string;
      const enterprise = await hub.authorization('enterprise', '110105', enterpriseId);
      client = createClient({
        url: hub.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: enterprise,
        retryAttempts: 0,
      });
      const live = followUpdates(client, enterpriseId);
      await new Promise((r) => setTimeout(r, 1_000)); // subscribed, from now

      const requestId = (
        await q(
          `mutation($input: FileReturnRequestInput!) { fileReturnRequest(input: $input) { id status } }`,
          {
            input: {
              enterpriseId,
              worker: {
                name: worker.name,
                idNumber: demoIdNumber(worker),
                phone: '13900004101',
                homeRegion: worker.home,
              },
              plannedReturnDate: '2020-02-25',
              departureRegion: '411602',
            },
          },
          enterprise,
        )
      ).fileReturnRequest.id as string;
      const request = async () =>
        (
          await q(
            `query($id: ID!) { returnRequest(id: $id) { status trip { id status } } }`,
            { id: requestId },
            enterprise,
          )
        ).returnRequest as { status: string; trip: { id: string; status: string } | null };
      await eventually(async () => (await request()).status === 'ACKNOWLEDGED');
      const atHome = await q(
        `query($id: ID!) { worker(id: $id) { status returnRequests { id status } } }`,
        { id: workerId },
        henan,
      );
      expect(atHome.worker).toEqual({
        status: 'AT_HOME',
        returnRequests: [{ id: requestId, status: 'ACKNOWLEDGED' }],
      });

      // Henan's bus from Zhoukou to Chaoyang
      const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
      const tripId = (
        await q(
          `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
          {
            input: {
              mode: 'BUS',
              vehicleCode: '豫P·K4101',
              origin: '411602',
              destination: '110105',
              departureAt: hoursAgo(10),
              expectedArrivalAt: hoursAgo(1),
              capacity: 45,
            },
          },
          henan,
        )
      ).planTrip.id as string;
      await q(
        `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`,
        { t: tripId, w: [workerId] },
        henan,
      );
      await eventually(async () => (await request()).status === 'ARRANGED');
      expect((await request()).trip).toEqual({ id: tripId, status: 'PLANNED' });
      // #14: the boarding gate wants his home officer's GREEN code, valid on the departure day
      await q(
        `mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }`,
        {
          w: workerId,
          i: { code: 'GREEN', issuedBy: '410000', checkedAt: hoursAgo(11), validUntil: hoursAgo(-72) },
        },
        henan,
      );
      await q(
        `mutation($t: ID!, $w: ID!) { departTrip(tripId: $t, boarded: [{ workerId: $w, temperature: 36.4 }]) { id } }`,
        { t: tripId, w: workerId },
        henan,
      );
      await q(
        `mutation($t: ID!, $at: DateTime!) { confirmArrival(tripId: $t, input: { arrivedAt: $at, headcount: 1, handedOverTo: "朝阳区人社局" }) { id } }`,
        { t: tripId, at: hoursAgo(0.5) },
        beijing,
      );
      await q(
        `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id } }`,
        { id: requestId },
        enterprise,
      );
      await eventually(async () => {
        const { worker: home } = await q(
          `query($id: ID!) { worker(id: $id) { status workRegion { code } employer { id } } }`,
          { id: workerId },
          henan,
        );
        return (
          home.status === 'AT_WORK' &&
          home.workRegion?.code === '110105' &&
          home.employer?.id === enterpriseId
        );
      });

      await eventually(() => live.updates.length >= 4);
      await new Promise((r) => setTimeout(r, 1_000)); // nothing more comes
      live.stop();
      expect(live.errors).toEqual([]);
      expect(live.updates.map((u) => [u.status, u.returnRequest.id])).toEqual(
        ['FILED', 'ACKNOWLEDGED', 'ARRANGED', 'ON_POST'].map((s) => [s, requestId]),
      );
      expect(live.updates.at(-1)!.returnRequest.trip).toMatchObject({ id: tripId, status: 'HANDED_OVER' });

      // a resume with the cursor of the second step gives the last two, once
      const resumed = followUpdates(client, enterpriseId, live.updates[1]!.cursor);
      await eventually(() => resumed.updates.length >= 2);
      await new Promise((r) => setTimeout(r, 1_000));
      resumed.stop();
      expect(resumed.errors).toEqual([]);
      expect(resumed.updates.map((u) => u.status)).toEqual(['ARRANGED', 'ON_POST']);
      expect(resumed.updates.map((u) => u.cursor)).toEqual(live.updates.slice(2).map((u) => u.cursor));
      // resuming from the last cursor gives nothing more
      const last = followUpdates(client, enterpriseId, live.updates.at(-1)!.cursor);
      await new Promise((r) => setTimeout(r, 1_500));
      last.stop();
      expect(last.updates).toEqual([]);
    }, 180_000);
  },
);
