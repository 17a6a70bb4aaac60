/**
 * The built release (#18.1, part): national, two provinces and the gateway started with plain
 * `node` from `dist/` (`npm run build`; `.ci/run` builds before the tests), no tsx and no
 * TypeScript source, answer a federated query across both provinces and deliver an `arrivals`
 * event over graphql-ws; the gateway serves the console's built page. Every service runs under the built-release guard (it dies on tsx, the
 * `source` condition or any `.ts`/`src/` module), and the guard itself is shown to refuse a source
 * start, so the test cannot pass on sources. Skipped when the workspaces are not built (a plain `npm test` on a fresh
 * checkout); CI always runs it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { graphqlData } from '@p2p/runtime';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { BUILT_RELEASE_GUARD_ARGS, BUILT_RELEASE_GUARD_REFUSAL } from '../harness/built-release-guard.js';
import {
  BUILT_SERVICE_ENTRIES,
  REPO_ROOT,
  SERVICE_ENTRIES,
  startService,
} from '../harness/service-process.js';

const built = Object.values(BUILT_SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));
const HEBEI = '130000';
const GUANGXI = '450000';

describe.skipIf(!built)('the built release: services started with plain node from dist/', () => {
  let hub: RunningFederation;

  beforeAll(async () => {
    hub = await startFederation({
      provinces: [HEBEI, GUANGXI],
      entries: BUILT_SERVICE_ENTRIES,
      nodeArgs: BUILT_RELEASE_GUARD_ARGS,
    });
  }, 120_000);
  afterAll(() => hub?.close());

  it('should refuse, under the guard, a service that loads TypeScript sources', async () => {
    const fromSources = startService({
      name: 'national from sources',
      entry: SERVICE_ENTRIES.national,
      env: { PORT: '0', HOST: '127.0.0.1' },
      nodeArgs: BUILT_RELEASE_GUARD_ARGS,
    });
    await expect(fromSources).rejects.toThrow(BUILT_RELEASE_GUARD_REFUSAL);
  });

  it('should refuse, under the guard, a built entry that imports a src/ file', async () => {
    // A built-looking .js entry that reaches into a workspace's sources, as a bad relative import would.
    const dir = mkdtempSync(join(tmpdir(), 'p2p-guard-'));
    const entry = join(dir, 'main.mjs');
    const source = pathToFileURL(join(REPO_ROOT, 'subgraphs/runtime/src/settings.ts')).href;
    writeFileSync(entry, `await import(${JSON.stringify(source)});\n`);
    const started = startService({
      name: 'leaking entry',
      entry,
      env: {},
      nodeArgs: BUILT_RELEASE_GUARD_ARGS,
    });
    try {
      await expect(started).rejects.toThrow(BUILT_RELEASE_GUARD_REFUSAL);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("should serve the console's built page at /console/ (and its silent-renew page)", async () => {
    const page = await fetch(new URL('/console/', hub.gatewayUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
    // The deep link of a screen answers the same page; the silent renewal's page may be framed by it.
    expect((await fetch(new URL('/console/nation', hub.gatewayUrl))).status).toBe(200);
    const silent = await fetch(new URL('/console/silent-renew.html', hub.gatewayUrl));
    expect(silent.status).toBe(200);
    expect(silent.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  });

  it('should answer a federated query and deliver an arrivals event, with no TypeScript loaded', async () => {
    const officer = async (province: string) => hub.authorization('province', province);
    const plan = (origin: string, vehicleCode: string, province: string) =>
      officer(province).then((headers) =>
        graphqlData<{ planTrip: { id: string } }>(
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
            },
          },
          headers,
        ),
      );

    const client = createClient({
      url: hub.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: await hub.authorization('ministry'),
    });
    const events: { kind: string; trip: { id: string } }[] = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      client.subscribe<{ arrivals: { kind: string; trip: { id: string } } }>(
        { query: 'subscription { arrivals(destination: "110000") { kind trip { id } } }' },
        {
          next: (r) => {
            if (r.data) events.push(r.data.arrivals);
          },
          error: reject,
          complete: () => {},
        },
      );
      setTimeout(resolve, 1_000); // subscribed from now
    });
    await subscribed;
    try {
      const [hebei, guangxi] = [
        await plan('130426', '冀D·R0001', HEBEI),
        await plan('450203', '桂B·R0001', GUANGXI),
      ];
      const ids = [hebei.planTrip.id, guangxi.planTrip.id];

      const { trips } = await graphqlData<{
        trips: { totalCount: number; edges: { node: { id: string } }[] };
      }>(
        hub.gatewayUrl,
        '{ trips(destination: "110000", first: 10) { totalCount edges { node { id origin { name } } } } }',
        {},
        await hub.authorization('ministry'),
      );
      expect(trips.edges.map((e) => e.node.id).sort()).toEqual([...ids].sort());

      const deadline = Date.now() + 20_000;
      while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(events.map((e) => [e.kind, e.trip.id]).sort()).toEqual(ids.map((id) => ['PLANNED', id]).sort());
    } finally {
      await client.dispose();
    }
  });
});
