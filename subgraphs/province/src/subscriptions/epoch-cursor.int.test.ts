/**
 * The outbox epoch of a province across a restore (DESIGN.md "Decisions", docs/backups.md), on
 * PGlite or a fresh Postgres database (DATABASE_URL): start-up records which database the epoch
 * belongs to and draws a new one when the database is another (a restore); a subscription cursor
 * `<epoch>:<seq>` of another epoch is CURSOR_EXPIRED, one ahead of the head in the same epoch
 * BAD_USER_INPUT; a running stream ends with CURSOR_EXPIRED when an operator draws a new epoch.
 */
import { sql } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { rowsOf } from '../db/sql-rows.js';
import { settleEpoch } from '../relay/database-identity.js';
import { currentEpoch, renewEpoch } from '../relay/outbox-epoch.js';
import { startTestProvince, type TestProvince } from '../testing/index.js';

const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const ARRIVALS = `subscription($d: RegionCode!, $after: String) { arrivals(destination: $d, after: $after) { cursor kind } }`;
const trip = (vehicleCode: string) => ({
  mode: 'BUS',
  vehicleCode,
  origin: '450203',
  destination: '110105',
  departureAt: '2030-02-20T08:00:00+08:00',
  expectedArrivalAt: '2030-02-21T20:00:00+08:00',
  capacity: 40,
});

interface Outcome {
  events: { cursor: string; kind: string }[];
  error?: { extensions?: Record<string, unknown> };
}

/** Subscribes to arrivals into Beijing after `after`; resolves after `ms` or at the first error. */
function follow(client: Client, after: string | undefined) {
  const outcome: Outcome = { events: [] };
  const stop = client.subscribe<{ arrivals: { cursor: string; kind: string } }>(
    { query: ARRIVALS, variables: { d: '110000', ...(after ? { after } : {}) } },
    {
      next: (r) => {
        if (r.errors) outcome.error = r.errors[0] as never;
        if (r.data) outcome.events.push(r.data.arrivals);
      },
      error: (e) => {
        outcome.error = (Array.isArray(e) ? e[0] : e) as never;
      },
      complete: () => {},
    },
  );
  const settle = async (ms = 1_500) => {
    const deadline = Date.now() + ms;
    while (!outcome.error && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return outcome;
  };
  return { outcome, stop, settle };
}

describe(`the outbox epoch across a restore (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let province: TestProvince;
  let client: Client;
  beforeAll(async () => {
    province = await startTestProvince('450000');
    client = createClient({
      url: `${province.service.url.replace('http', 'ws')}/transport/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await province?.close();
  });
  const db = () => province.service.db.db;
  const plan = async (vehicleCode: string) => {
    const answer = await province.gql('transport', PLAN, { input: trip(vehicleCode) });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  };
  const head = async () =>
    Number(
      rowsOf<{ n: number }>(await db().execute(sql`SELECT coalesce(max(seq), 0)::int AS n FROM outbox`))[0]!
        .n,
    );

  const allocated = async () =>
    Number(
      rowsOf<{ n: number }>(
        await db().execute(
          sql`SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END::int AS n FROM outbox_seq_seq`,
        ),
      )[0]!.n,
    );

  it('should not refuse a position the database handed out while the head waits below it (a hole a transaction holds or left)', async () => {
    // A seq taken and never committed (a rolled-back write, or one still running after a restart):
    // the head stays below it, but the position is one this database gave out, not one from the future.
    const taken = Number(
      rowsOf<{ n: number }>(
        await db().execute(sql`SELECT nextval(pg_get_serial_sequence('outbox', 'seq'))::int AS n`),
      )[0]!.n,
    );
    const epoch = await currentEpoch(db());
    const waiting = follow(client, `${epoch}:${taken}`);
    expect((await waiting.settle()).error).toBeUndefined();
    await plan('桂B·20010');
    const deadline = Date.now() + 5_000;
    while (waiting.outcome.events.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    waiting.stop();
    expect(waiting.outcome.events.map((e) => e.kind)).toEqual(['PLANNED']);
    // One past what the sequence handed out lies beyond every event: refused.
    const beyond = follow(client, `${epoch}:${(await allocated()) + 1}`);
    expect((await beyond.settle()).error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('should keep the epoch while the database is the one it was drawn in, and draw a new one when it is another', async () => {
    const epoch = await currentEpoch(db());
    // Start-up recorded the identity: settling again changes nothing.
    expect(await settleEpoch(db())).toEqual({ epoch, changed: [] });
    const [recorded] = rowsOf<{ identity: Record<string, string> | string }>(
      await db().execute(sql`SELECT database_identity AS identity FROM outbox_epoch`),
    );
    const identity =
      typeof recorded!.identity === 'string' ? JSON.parse(recorded!.identity) : recorded!.identity;
    expect(Object.keys(identity)).toEqual(
      expect.arrayContaining(['system', 'timeline', 'database', 'outbox']),
    );
    // What a dump taken in another database carries back: the identity of that one.
    await db().execute(
      sql`UPDATE outbox_epoch SET database_identity = jsonb_set(database_identity, '{outbox}', '"1"')`,
    );
    const settled = await settleEpoch(db());
    expect(settled).toMatchObject({ previous: epoch, changed: ['outbox'], restoredHead: await head() });
    expect(settled.epoch).not.toBe(epoch);
    expect(await currentEpoch(db())).toBe(settled.epoch);
    // The new identity is recorded: the next start-up keeps the new epoch.
    expect((await settleEpoch(db())).changed).toEqual([]);
    // A dump from before migration 0013 carries no identity: not comparable, said in the log (then recorded).
    await plan('桂B·20009');
    await db().execute(sql`UPDATE outbox_epoch SET database_identity = NULL`);
    const warned: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warned.push(args) } as unknown as Parameters<
      typeof settleEpoch
    >[1];
    expect(await settleEpoch(db(), log)).toEqual({ epoch: settled.epoch, changed: [], unknown: true });
    expect(JSON.stringify(warned)).toMatch(/p2p-renew-epoch/);
    expect(await settleEpoch(db())).toEqual({ epoch: settled.epoch, changed: [] });
  });

  it('should refuse a cursor of another epoch with CURSOR_EXPIRED, one ahead of the head in this epoch with BAD_USER_INPUT', async () => {
    // The running service reads the epoch on its next outbox walk (an event wakes it).
    await renewEpoch(db());
    await plan('桂B·20001');
    const epoch = await currentEpoch(db());
    const answer = await new Promise<{ data?: { outboxEpoch: string } | null }>((resolve, reject) =>
      client.subscribe<{ outboxEpoch: string }>(
        { query: '{ outboxEpoch }' },
        { next: resolve, error: reject, complete: () => {} },
      ),
    );
    expect(answer.data?.outboxEpoch).toBe(epoch);
    const seq = await head();
    const older = follow(client, `an0lderEpoch:${seq - 1}`);
    expect((await older.settle()).error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', epoch });
    // Ahead = beyond what the outbox's sequence ever handed out (a rolled-back write took a seq too).
    const ahead = follow(client, `${epoch}:${(await allocated()) + 1}`);
    expect((await ahead.settle()).error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    // Another epoch even ahead of the head: the epoch is what the client must hear about.
    const both = follow(client, `an0lderEpoch:${seq + 1000}`);
    expect((await both.settle()).error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED' });
    // This epoch at the head, and a bare seq (taken as this epoch): the next event arrives.
    const current = follow(client, `${epoch}:${seq}`);
    const bare = follow(client, String(seq));
    await new Promise((r) => setTimeout(r, 300));
    await plan('桂B·20002');
    for (const sub of [current, bare]) {
      const deadline = Date.now() + 5_000;
      while (sub.outcome.events.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      sub.stop();
      expect(sub.outcome.error).toBeUndefined();
      expect(sub.outcome.events.map((e) => e.kind)).toEqual(['PLANNED']);
    }
  });

  it('should end a running stream with CURSOR_EXPIRED when an operator draws a new epoch under it', async () => {
    const running = follow(client, undefined);
    await new Promise((r) => setTimeout(r, 300));
    await plan('桂B·20003');
    const deadline = Date.now() + 5_000;
    while (running.outcome.events.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(running.outcome.events).toHaveLength(1);
    const epoch = await renewEpoch(db());
    await plan('桂B·20004');
    expect((await running.settle(5_000)).error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', epoch });
    expect(running.outcome.events).toHaveLength(1);
  });
});
