/**
 * Retention of outbox events and idempotency keys, on PGlite or a fresh Postgres database
 * (DATABASE_URL): what is old goes, what is recent stays, a pruned cursor is refused over
 * graphql-ws with CURSOR_EXPIRED, and the outbox feed starts above what was pruned.
 */
import { sql } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OutboxFeed } from '../subscriptions/outbox-feed.js';
import { rowsOf } from '../db/sql-rows.js';
import { silentLog, startTestProvince, type TestProvince } from '../testing/index.js';
import { assertCursorRetained, outboxPrunedThrough, pruneOnce } from './retention.js';

const PLAN = `mutation($input: PlanTripInput!, $key: String) { planTrip(input: $input, idempotencyKey: $key) { id } }`;
const ARRIVALS = `subscription($after: String, $d: RegionCode! = "450100") { arrivals(destination: $d, after: $after) { cursor kind } }`;
// Into Nanning, inside Guangxi: a trip into another province also tells that province its copy
// (a RELAY event, #17.2), which the counts below would include.
const plan = (n: number, destination = '450102') => ({
  mode: 'BUS',
  vehicleCode: `桂B·R${n}`,
  origin: '450203',
  destination,
  departureAt: '2030-02-20T08:00:00+08:00',
  expectedArrivalAt: '2030-02-21T20:00:00+08:00',
  capacity: 40,
});

/** The first message of a one-shot graphql-ws operation: its data, or the errors it was refused with. */
function firstAnswer(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{
  data?: Record<string, any> | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}> {
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (r) => {
          stop();
          resolve(r as never);
        },
        error: (errors) => resolve({ errors: errors as never }),
        complete: () => {},
      },
    );
  });
}

describe(`retention of outbox events and idempotency keys (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let province: TestProvince;
  let client: Client;
  const seqs: number[] = [];
  const count = async (table: 'outbox' | 'idempotency_keys') =>
    Number(
      rowsOf<{ n: number }>(
        await province.service.db.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`),
      )[0]!.n,
    );

  beforeAll(async () => {
    province = await startTestProvince('450000'); // without its background retention: the test prunes when it chooses
    client = createClient({
      url: `${province.service.url.replace('http', 'ws')}/transport/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    for (let n = 0; n < 6; n++) {
      const answer = await province.gql('transport', PLAN, { input: plan(n), key: `retention-${n}` });
      expect(answer.errors).toBeUndefined();
    }
    seqs.push(
      ...rowsOf<{ seq: number }>(
        await province.service.db.db.execute(sql`SELECT seq::int AS seq FROM outbox ORDER BY seq`),
      ).map((r) => Number(r.seq)),
    );
    expect(seqs).toHaveLength(6);
    // The first four events and keys are 40 days old, the rest recent.
    await province.service.db.db.execute(
      sql`UPDATE outbox SET at = at - interval '40 days' WHERE seq <= ${seqs[3]!}`,
    );
    await province.service.db.db.execute(
      sql`UPDATE idempotency_keys SET created_at = created_at - interval '40 days' WHERE key IN ('retention-0', 'retention-1', 'retention-2', 'retention-3')`,
    );
  });
  afterAll(async () => {
    await client?.dispose();
    await province?.close();
  });

  it('should keep everything while nothing is older than the policy', async () => {
    const result = await pruneOnce(province.service.db.db, { outboxDays: 60, idempotencyKeyDays: 60 });
    expect(result).toEqual({
      outboxEvents: 0,
      idempotencyKeys: 0,
      prunedThrough: 0,
      locked: true,
      relayBehind: [],
    });
    expect(await count('outbox')).toBe(6);
    expect(await outboxPrunedThrough(province.service.db.db)).toBe(0);
  });

  it('should delete the old events and keys in batches and record how far the outbox was pruned', async () => {
    const result = await pruneOnce(province.service.db.db, { outboxDays: 30, idempotencyKeyDays: 7 }, 3);
    expect(result).toEqual({
      outboxEvents: 4,
      idempotencyKeys: 4,
      prunedThrough: seqs[3],
      locked: true,
      relayBehind: [],
    });
    expect(await count('outbox')).toBe(2);
    expect(await count('idempotency_keys')).toBe(2);
    // A pass with nothing old left changes nothing.
    expect(await pruneOnce(province.service.db.db, { outboxDays: 30, idempotencyKeyDays: 7 })).toMatchObject({
      outboxEvents: 0,
      idempotencyKeys: 0,
      prunedThrough: seqs[3],
    });
  });

  it('should run a mutation again for a pruned idempotency key, and replay the kept one', async () => {
    const again = await province.gql('transport', PLAN, { input: plan(0), key: 'retention-0' });
    const kept = await province.gql('transport', PLAN, { input: plan(5), key: 'retention-5' });
    expect(again.errors).toBeUndefined();
    expect(kept.errors).toBeUndefined();
    expect(await count('idempotency_keys')).toBe(3);
    expect(await count('outbox')).toBe(3); // one new PLANNED event, none for the replayed key
  });

  it('should refuse a cursor below a pruned event of its filter with CURSOR_EXPIRED, and replay from the pruned point itself', async () => {
    const refused = await firstAnswer(client, ARRIVALS, { after: String(seqs[1]) });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CURSOR_EXPIRED',
      prunedThrough: String(seqs[3]),
    });
    const replayed = await firstAnswer(client, ARRIVALS, { after: String(seqs[3]) });
    expect(replayed.data?.arrivals).toEqual({ cursor: String(seqs[4]), kind: 'PLANNED' });
    expect((await firstAnswer(client, '{ outboxPrunedThrough(region: "450102") }')).data).toEqual({
      outboxPrunedThrough: String(seqs[3]),
    });
    expect(() => assertCursorRetained(seqs[3]! - 1, seqs[3]!)).toThrow(/no longer kept/);
  });

  it('should not refuse an old cursor of a filter that matched nothing pruned (a quiet destination)', async () => {
    // Guilin, inside Guangxi (a trip into another province would leave its copy's RELAY event to a
    // province this test never connects, which retention keeps until delivered).
    expect((await firstAnswer(client, '{ outboxPrunedThrough(region: "450300") }')).data).toEqual({
      outboxPrunedThrough: '0',
    });
    const guilin = firstAnswer(client, ARRIVALS, { after: String(seqs[0]), d: '450300' });
    await new Promise((r) => setTimeout(r, 300));
    const answer = await province.gql('transport', PLAN, { input: plan(9, '450305') });
    expect(answer.errors).toBeUndefined();
    expect((await guilin).data?.arrivals).toMatchObject({ kind: 'PLANNED' });
  });

  it('should start a new outbox feed at the pruned point, not below it', async () => {
    await province.service.db.db.execute(sql`UPDATE outbox SET at = at - interval '40 days'`);
    const result = await pruneOnce(province.service.db.db, { outboxDays: 30, idempotencyKeyDays: 0 });
    expect(await count('outbox')).toBe(0);
    const feed = new OutboxFeed({ db: province.service.db.db, log: silentLog });
    try {
      await feed.start();
      expect(feed.head).toBe(result.prunedThrough);
      expect(result.prunedThrough).toBeGreaterThan(seqs[5]!);
    } finally {
      feed.close();
    }
  });
});
