/**
 * The restore test (#18.5, docs/backups.md), over real processes on PostgreSQL: Henan (410000),
 * Guangxi (450000), national and the gateway. Liuzhou follows the arrivals into Liuzhou of buses
 * Guangxi organises from Nanning; one carries a Henan worker first (its facts are relayed to Henan,
 * so Henan's inbox holds a position in Guangxi's sequence). Guangxi's database is dumped (`pg_dump`), more events happen, Guangxi is stopped, its database restored to
 * the dump IN THE SAME DATABASE (`pg_restore --clean`: the case no database name or oid change
 * reveals) and Guangxi started again, without anyone drawing a new epoch by hand:
 * - Guangxi notices the restore at start-up and draws a new epoch;
 * - the live subscription ends with CURSOR_EXPIRED, resuming with its last cursor (or an earlier
 *   one) is refused with CURSOR_EXPIRED: never a silent skip of the events that now reuse the
 *   restarted seqs, never a repeat;
 * - a fresh subscription works and sees the new events only;
 * - Henan's relay position for Guangxi (old epoch) is refused: an alarm on the pair in the
 *   gateway's `/health/details` and `/metrics`, the backlog not caught up, Henan's position kept;
 *   once the operator resets Henan's inbox row to the new epoch (at most the restored head), the
 *   relay catches up and the alarm clears.
 * Then a restore Guangxi does NOT notice (a dump that carries no database identity, as one taken
 * before migration 0013: its epoch is kept while its head goes back below positions it gave out):
 * - the live subscription ends with CURSOR_EXPIRED (its shared feed is refused as ahead of the
 *   head, the gateway sees the province went back), and its last cursor stays refused once the
 *   head is past it again (the new events under those seqs are not the ones it had);
 * - the relay pair Guangxi → Henan stays in alarm (sticky) even once Guangxi's head is past
 *   Henan's position again, Henan's position kept, until the operator resets Henan's inbox.
 * Skipped without DATABASE_URL or without the PostgreSQL client programs (pg_dump, pg_restore).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { graphqlData } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { databaseUrlFor } from '../harness/province-storage.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const run = promisify(execFile);
const HENAN = '410000';
const GUANGXI = '450000';
const LIUZHOU = '450200';
const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

/** Whether `program --version` runs. */
async function hasProgram(program: string): Promise<boolean> {
  try {
    await run(program, ['--version']);
    return true;
  } catch {
    return false;
  }
}
const clientPrograms = (await hasProgram('pg_dump')) && (await hasProgram('pg_restore'));
const skipReason = !process.env.DATABASE_URL
  ? 'needs DATABASE_URL (a real PostgreSQL to dump and restore)'
  : !clientPrograms
    ? 'needs the PostgreSQL client programs pg_dump and pg_restore on PATH'
    : !servicesExist
      ? 'needs the service entries'
      : undefined;

const PLAN = `mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }`;
const REGISTER = `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }`;
const HEALTH = `mutation($w: ID!, $i: HealthCheckInput!) { recordHealthCheck(workerId: $w, input: $i) { id } }`;
const ASSIGN = `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`;
const DEPART = `mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }`;
const ARRIVALS = `subscription($d: RegionCode!, $after: String) { arrivals(destination: $d, after: $after) { cursor kind trip { id } } }`;

interface ArrivalEvent {
  cursor: string;
  kind: string;
  trip: { id: string };
}
interface Subscriber {
  events: ArrivalEvent[];
  error?: { message: string; extensions?: Record<string, unknown> };
  stop(): void;
  /** Waits until `predicate` holds (or throws after `timeoutMs`). */
  until(predicate: (s: Subscriber) => boolean, timeoutMs?: number): Promise<void>;
}

/** Subscribes once to the arrivals into Liuzhou after `after` (no retry: the test resubscribes). */
function subscribe(client: Client, after?: string): Subscriber {
  const subscriber: Subscriber = {
    events: [],
    stop: () => {},
    async until(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(subscriber)) {
        if (Date.now() > deadline)
          throw new Error(
            `not met after ${timeoutMs} ms: ${JSON.stringify(subscriber.error ?? subscriber.events)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  subscriber.stop = client.subscribe<{ arrivals: ArrivalEvent }>(
    { query: ARRIVALS, variables: { d: LIUZHOU, ...(after ? { after } : {}) } },
    {
      next: (r) => {
        if (r.errors) subscriber.error = r.errors[0] as never;
        if (r.data?.arrivals) subscriber.events.push(r.data.arrivals);
      },
      error: (e) => {
        subscriber.error = (
          Array.isArray(e) ? e[0] : { message: String((e as Error)?.message ?? e) }
        ) as never;
      },
      complete: () => {},
    },
  );
  return subscriber;
}

/** The column `v` of the first row of `query` in the database at `url`. */
async function one(url: string, query: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return String((await client.query(query)).rows[0]?.v);
  } finally {
    await client.end();
  }
}

/** The epoch each province's position carries in a vector cursor. */
const epochsOf = (cursor: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>).map(
      ([province, value]) => [province, Array.isArray(value) ? String(value[0]) : ''],
    ),
  );

describe.skipIf(skipReason !== undefined)(`the restore test (${skipReason ?? 'PostgreSQL'})`, () => {
  let federation: RunningFederation;
  let client: Client;
  let guangxiUrl: string;
  let henanUrl: string;
  const dumpDir = mkdtempSync(join(tmpdir(), 'restore-test-'));
  let serial = 0;
  const admin = () => ({ authorization: `Bearer ${federation.adminToken}` });
  const base = () => federation.gatewayUrl.replace(/\/graphql$/, '');
  const write = async <T>(province: string, query: string, variables: Record<string, unknown>) =>
    graphqlData<T>(
      federation.gatewayUrl,
      query,
      variables,
      await federation.authorization('province', province),
    );
  /** A Guangxi bus from Nanning into Liuzhou; its id. */
  const plan = async (departureAt = new Date(Date.now() + 86_400_000)): Promise<string> => {
    serial++;
    const { planTrip } = await write<{ planTrip: { id: string } }>(GUANGXI, PLAN, {
      i: {
        mode: 'BUS',
        vehicleCode: `桂A-R${serial}`,
        origin: '450100',
        destination: LIUZHOU,
        departureAt: departureAt.toISOString(),
        expectedArrivalAt: new Date(departureAt.getTime() + 86_400_000).toISOString(),
        capacity: 40,
      },
    });
    return planTrip.id;
  };
  /** A Henan worker on a departed Guangxi bus: Guangxi relays his trip's facts to Henan. */
  const henanPassengerDeparted = async (n = 1) => {
    const { registerWorker } = await write<{ registerWorker: { id: string } }>(HENAN, REGISTER, {
      i: {
        name: '豫工甲',
        idNumber: residentIdFrom('411602', '19880301', 100 + n),
        phone: `1391000000${n}`,
        homeRegion: '411602',
      },
    });
    const worker = registerWorker.id;
    await write(HENAN, HEALTH, {
      w: worker,
      i: {
        code: 'GREEN',
        issuedBy: HENAN,
        checkedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        validUntil: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
    });
    const trip = await plan(new Date(Date.now() - 3_600_000));
    await write(GUANGXI, ASSIGN, { t: trip, w: [worker] });
    await federation.waitForRelay();
    await write(GUANGXI, DEPART, { t: trip, b: [{ workerId: worker, temperature: 36.5 }] });
    await federation.waitForRelay();
  };
  const pair = async () => {
    const details = await (await fetch(`${base()}/health/details`, { headers: admin() })).json();
    return details.relay.pairs.find(
      (p: { source: string; target: string }) => p.source === GUANGXI && p.target === HENAN,
    ) as {
      position: number;
      alarm: { side: string; code: string; message: string; sticky: boolean } | null;
    };
  };
  /** Polls `pair()` until `predicate` holds (or throws after `timeoutMs`). */
  const pairUntil = async (
    predicate: (p: Awaited<ReturnType<typeof pair>>) => boolean,
    timeoutMs = 15_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    let state = await pair();
    while (!predicate(state)) {
      if (Date.now() > deadline) throw new Error(`relay pair not as expected: ${JSON.stringify(state)}`);
      await new Promise((r) => setTimeout(r, 200));
      state = await pair();
    }
    return state;
  };
  const outboxHead = async () =>
    Number(await one(guangxiUrl, 'SELECT coalesce(max(seq), 0) AS v FROM outbox'));
  const henanPosition = async () =>
    Number(await one(henanUrl, `SELECT position AS v FROM relay_inbox WHERE source = '${GUANGXI}'`));

  beforeAll(async () => {
    // A refused pair is tried again every second (30 s by default), and a read waits 2 s at most
    // (20 s): the alarm clears at the first answer after the test resets Henan's inbox.
    federation = await startFederation({
      provinces: [HENAN, GUANGXI],
      gatewayEnv: { RELAY_ALARM_RETRY_MS: '1000', RELAY_WAIT_MS: '2000' },
    });
    const name = new URL(federation.provinceStorage[GUANGXI]!).pathname.slice(1);
    guangxiUrl = databaseUrlFor(process.env.DATABASE_URL!, name);
    henanUrl = databaseUrlFor(
      process.env.DATABASE_URL!,
      new URL(federation.provinceStorage[HENAN]!).pathname.slice(1),
    );
    client = createClient({
      url: federation.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await federation.tokenFor('city', LIUZHOU)}` },
      retryAttempts: 0,
    });
  }, 120_000);
  afterAll(async () => {
    await client?.dispose();
    await federation?.close();
    rmSync(dumpDir, { recursive: true, force: true });
  }, 60_000);

  it('should refuse the cursors and relay positions of before a restore with CURSOR_EXPIRED, never skip or repeat, and serve a fresh subscription', async () => {
    await henanPassengerDeparted();
    const live = subscribe(client);
    await new Promise((r) => setTimeout(r, 500)); // subscribed from now
    const first = await plan();
    await live.until((s) => s.events.length === 1);
    await federation.waitForRelay();
    const dump = join(dumpDir, 'guangxi.dump');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, guangxiUrl]);

    const second = await plan(); // after the dump: lost by the restore
    await live.until((s) => s.events.length === 2);
    await federation.waitForRelay();
    expect(live.events.map((e) => e.trip.id)).toEqual([first, second]);
    const [beforeDump, lastCursor] = live.events.map((e) => e.cursor) as [string, string];
    const oldEpoch = epochsOf(lastCursor)[GUANGXI]!;
    expect(oldEpoch).toMatch(/^[0-9a-f]{32}$/);
    const applied = await pair();
    expect(applied.alarm).toBeNull();
    expect(applied.position).toBeGreaterThan(0);

    await federation.stopProvince(GUANGXI);
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--single-transaction',
      '--no-owner',
      `--dbname=${guangxiUrl}`,
      dump,
    ]);
    const restoredHead = Number(await one(guangxiUrl, 'SELECT coalesce(max(seq), 0) AS v FROM outbox'));
    await federation.startProvince(GUANGXI);

    // The live subscription: its shared feed is refused at Guangxi, so is the client.
    await live.until((s) => s.error !== undefined);
    live.stop();
    expect(live.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', province: GUANGXI });
    expect(live.events).toHaveLength(2);
    // Resuming with the last cursor, or one from before the dump: refused, naming Guangxi.
    for (const cursor of [lastCursor, beforeDump]) {
      const resumed = subscribe(client, cursor);
      await resumed.until((s) => s.error !== undefined || s.events.length > 0);
      resumed.stop();
      expect(resumed.events).toEqual([]);
      expect(resumed.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', province: GUANGXI });
      expect(resumed.error?.message).toMatch(/restored from a backup.*subscribe again without after/);
    }

    // A fresh subscription sees the new events, in the new epoch: the third trip, not the lost
    // second one that had the same seq (the gateway caches events by province, epoch and seq).
    const fresh = subscribe(client);
    await new Promise((r) => setTimeout(r, 500));
    const third = await plan();
    await fresh.until((s) => s.events.length === 1);
    await new Promise((r) => setTimeout(r, 300)); // nothing else arrives
    fresh.stop();
    expect(fresh.error).toBeUndefined();
    expect(fresh.events.map((e) => [e.kind, e.trip.id])).toEqual([['PLANNED', third]]);
    const newEpoch = epochsOf(fresh.events[0]!.cursor)[GUANGXI]!;
    expect(newEpoch).toMatch(/^[0-9a-f]{32}$/);
    expect(newEpoch).not.toBe(oldEpoch);

    // Henan's relay position for Guangxi belongs to the old epoch: an alarm, not a skip.
    const deadline = Date.now() + 15_000;
    let refused = await pair();
    while (!refused.alarm && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      refused = await pair();
    }
    expect(refused.alarm).toMatchObject({ side: 'source', code: 'CURSOR_EXPIRED' });
    expect(refused.alarm!.message).toContain('another epoch');
    expect(refused.position).toBe(applied.position); // kept: nothing applied against the new sequence
    const metrics = await (await fetch(`${base()}/metrics`, { headers: admin() })).text();
    expect(metrics).toMatch(/p2p_gateway_relay_alarm\{source="450000",target="410000"\} 1/);
    const backlog = await (await fetch(`${base()}/relay/backlog`, { headers: admin() })).json();
    expect(backlog.caughtUp).toBe(false);

    // The operator's step (docs/backups.md): Henan follows the new epoch from what the restore
    // brought back (the facts after it are for the operator to reconcile); the alarm clears.
    const newSourceEpoch = await one(guangxiUrl, 'SELECT epoch AS v FROM outbox_epoch');
    expect(newSourceEpoch).toBe(newEpoch);
    await one(
      henanUrl,
      `UPDATE relay_inbox SET epoch = '${newSourceEpoch}', position = LEAST(position, ${restoredHead}) WHERE source = '${GUANGXI}' RETURNING position AS v`,
    );
    await federation.waitForRelay({ timeoutMs: 15_000 });
    const cleared = Date.now() + 10_000;
    let followed = await pair();
    while (followed.alarm && Date.now() < cleared) {
      await new Promise((r) => setTimeout(r, 200));
      followed = await pair();
    }
    expect(followed).toMatchObject({ alarm: null, position: Math.min(applied.position, restoredHead) });
  }, 60_000);

  it('should end the subscriptions and hold the relay pair when a restore is not noticed (a dump without identity), never skip the new events under old seqs', async () => {
    const live = subscribe(client);
    await new Promise((r) => setTimeout(r, 500)); // subscribed from now
    await plan();
    await live.until((s) => s.events.length === 1);
    await federation.waitForRelay();
    const dump = join(dumpDir, 'guangxi-unnoticed.dump');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, guangxiUrl]);

    // After the dump: facts relayed to Henan (its position moves past the dump) and an arrival.
    await henanPassengerDeparted(2);
    const lost = await plan();
    await live.until((s) => s.events.some((e) => e.trip.id === lost));
    await federation.waitForRelay();
    const lastCursor = live.events.at(-1)!.cursor;
    const epoch = epochsOf(lastCursor)[GUANGXI]!;
    const henanHad = await henanPosition();
    const headBefore = await outboxHead();

    await federation.stopProvince(GUANGXI);
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--single-transaction',
      '--no-owner',
      `--dbname=${guangxiUrl}`,
      dump,
    ]);
    // A dump from before migration 0013 carries no identity: Guangxi cannot tell it was restored.
    await one(guangxiUrl, 'UPDATE outbox_epoch SET database_identity = NULL RETURNING epoch AS v');
    const restoredHead = await outboxHead();
    expect(restoredHead).toBeLessThan(henanHad);
    await federation.startProvince(GUANGXI);
    expect(await one(guangxiUrl, 'SELECT epoch AS v FROM outbox_epoch')).toBe(epoch); // kept

    // The gateway sees Guangxi went back below what its feed had: the subscription is ended.
    await live.until((s) => s.error !== undefined);
    live.stop();
    expect(live.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', province: GUANGXI });
    // The relay pair: Henan's position is ahead of Guangxi's events in the same epoch, a sticky alarm.
    const held = await pairUntil((p) => p.alarm !== null);
    expect(held.alarm).toMatchObject({ side: 'source', code: 'BAD_USER_INPUT', sticky: true });

    // New events: Guangxi's head passes the old positions again, with other events under them.
    while ((await outboxHead()) <= headBefore) await plan();
    await new Promise((r) => setTimeout(r, 2_500)); // two alarm retries (RELAY_ALARM_RETRY_MS 1 s)
    expect((await pair()).alarm).toMatchObject({ code: 'BAD_USER_INPUT', sticky: true });
    expect(await henanPosition()).toBe(henanHad); // nothing of the new events applied past it
    // The old cursor stays refused, though the head is past it again.
    const resumed = subscribe(client, lastCursor);
    await resumed.until((s) => s.error !== undefined || s.events.length > 0);
    resumed.stop();
    expect(resumed.events).toEqual([]);
    expect(resumed.error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', province: GUANGXI });

    // The operator's step (docs/backups.md): Henan follows Guangxi from what the restore brought back.
    await one(
      henanUrl,
      `UPDATE relay_inbox SET position = ${restoredHead} WHERE source = '${GUANGXI}' RETURNING position AS v`,
    );
    await pairUntil((p) => p.alarm === null);
  }, 60_000);
});
