/**
 * The shared tail of the outbox (#17.4) on PGlite or a fresh Postgres database (DATABASE_URL):
 * it gives each stream exactly what the stream's own SQL filter gives, reads the outbox once per
 * advance of the head whatever the number of streams, and steps aside (the stream reads the
 * outbox) below what it holds: an old cursor, events retention pruned before it read them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { rowsOf } from '../db/sql-rows.js';
import { topicFilterSql, topicKey, topicMatcher, type EventTopic } from '../event-topics.js';
import { countedDb, Random, silentLog, startTestProvince, type TestProvince } from '../testing/index.js';
import { EventTail } from './event-tail.js';
import { followEvents, type OutboxEventRecord } from './event-stream.js';
import { OutboxFeed } from './outbox-feed.js';

const PLAN = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`;
const KINDS = [
  'PLANNED',
  'DEPARTED',
  'ETA_CHANGED',
  'ARRIVED',
  'HANDED_OVER',
  'CANCELLED',
  'RETURN_REQUEST_FILED',
  'DEPARTURE',
  'RETURN_REQUEST_UPDATED',
  'RELAY',
] as const;
const REGIONS = ['450102', '450103', '450203', '450100', '110105', '110101', '440300'];
const REGION_KEYS = ['45', '4501', '450102', '4502', '11', '110105', '44', '4403'];
const ENTERPRISES = ['E45-a', 'E45-b', 'E45-c'];
const TOPICS: EventTopic[] = ['arrivals', 'returnRequestsFiled', 'departures', 'returnRequestUpdates'];
const keysOf = (topic: EventTopic) => (topic === 'returnRequestUpdates' ? ENTERPRISES : REGION_KEYS);

describe(`the event tail shared by a province's streams (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let province: TestProvince;
  let db: Db;
  const trips: string[] = [];
  beforeAll(async () => {
    province = await startTestProvince('450000');
    db = province.service.db.db;
    // Trips with stops, inside Guangxi (no copy told to another province).
    for (const [i, stops] of [[], ['450103'], ['450105', '451002'], ['450107']].entries()) {
      const answer = await province.gql('transport', PLAN, {
        input: {
          mode: 'BUS',
          vehicleCode: `桂A·2000${i}`,
          origin: '450403',
          destination: i % 2 ? '450102' : '450802',
          stops,
          departureAt: '2030-02-20T08:00:00+08:00',
          expectedArrivalAt: '2030-02-21T20:00:00+08:00',
          capacity: 40,
        },
      });
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      trips.push((answer.data as { planTrip: { id: string } }).planTrip.id);
    }
  });
  afterAll(async () => {
    await province?.close();
  });

  /** The highest seq in the outbox. */
  const maxSeq = async () =>
    Number(
      rowsOf<{ n: number }>(await db.execute(sql`SELECT coalesce(max(seq), 0)::int AS n FROM outbox`))[0]!.n,
    );

  /** `count` random events of every kind, columns drawn from small pools so filters overlap. */
  async function insertRandomEvents(random: Random, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const kind = random.pick(KINDS);
      const homes = random.chance(0.7) ? random.sample(REGIONS, random.int(1, 3)) : null;
      await db.execute(sql`
        INSERT INTO outbox (kind, origin, destination, trip_id, payload, target, enterprise_id, home_regions)
        VALUES (${kind}, ${random.pick(REGIONS)}, ${random.pick(REGIONS)},
                ${random.chance(0.8) ? random.pick(trips) : null}, ${JSON.stringify({ i })}::jsonb,
                ${kind === 'RELAY' ? '110000' : null},
                ${random.chance(0.7) ? random.pick(ENTERPRISES) : null},
                ${
                  homes
                    ? sql`ARRAY[${sql.join(
                        homes.map((h) => sql`${h}`),
                        sql`, `,
                      )}]::text[]`
                    : null
                })`);
    }
  }

  /** The seqs the stream's own SQL filter gives after `after`. */
  const sqlSeqs = async (topic: EventTopic, key: string, after: number) =>
    rowsOf<{ seq: number | string }>(
      await db.execute(
        sql`SELECT seq FROM outbox WHERE seq > ${after} AND ${topicFilterSql(topic, key)} ORDER BY seq`,
      ),
    ).map((r) => Number(r.seq));

  async function startFeed(): Promise<OutboxFeed> {
    const feed = new OutboxFeed({ db, log: silentLog, holeRetryMs: 5 });
    await feed.start();
    return feed;
  }

  /** Wakes the feed until its head reaches the outbox's highest seq. */
  async function catchUp(feed: OutboxFeed): Promise<number> {
    const target = await maxSeq();
    while (feed.head < target) {
      feed.wake();
      await feed.waitBeyond(feed.head, AbortSignal.timeout(200));
    }
    return target;
  }

  it('should give every topic and filter exactly the events its SQL filter gives', async () => {
    const feed = await startFeed();
    const tail = new EventTail({ db, feed, log: silentLog });
    const base = feed.head;
    await insertRandomEvents(new Random(17_4), 400);
    const head = await catchUp(feed);
    let compared = 0;
    for (const topic of TOPICS)
      for (const key of keysOf(topic)) {
        const step = await tail.step(topic, topicMatcher(topic, key), base, head, feed.epoch, 10_000);
        expect(step, `${topic} ${key}`).toBeDefined();
        const expected = await sqlSeqs(topic, key, base);
        expect(
          step!.events.map((e) => e.seq),
          `${topic} ${key}`,
        ).toEqual(expected);
        expect(step!.through).toBe(head);
        compared += expected.length;
      }
    expect(compared).toBeGreaterThan(400);
    // A topic it does not hold (the relay's) is left to the outbox.
    expect(
      await tail.step('relay', topicMatcher('relay', '110000'), base, head, feed.epoch, 10),
    ).toBeUndefined();
    feed.close();
  });

  it('should read the outbox once per advance of the head for 200 streams, which read nothing themselves', async () => {
    const feed = await startFeed();
    const tailDb = countedDb(db);
    const streamsDb = countedDb(db);
    const tail = new EventTail({ db: tailDb.db, feed, log: silentLog });
    const base = feed.head;
    const random = new Random(2026);
    const streams = Array.from({ length: 200 }, (_, i) => {
      const topic = TOPICS[i % TOPICS.length]!;
      const key = random.pick(keysOf(topic));
      const region = topic === 'returnRequestUpdates' ? key : key.padEnd(6, '0');
      const events = followEvents({ db: streamsDb.db, feed, tail, topic, region });
      const got: OutboxEventRecord[] = [];
      const done = (async () => {
        for await (const event of events) got.push(event);
      })();
      return { topic, region, events, got, done };
    });
    let advances = 0;
    for (let round = 0; round < 10; round++) {
      await insertRandomEvents(random, 5);
      await catchUp(feed);
      advances++;
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const stream of streams) await stream.events.return!();
    await Promise.all(streams.map((s) => s.done));
    for (const s of streams) {
      const key = topicKey(s.topic, s.region);
      expect(
        s.got.map((e) => e.seq),
        `${s.topic} ${s.region}`,
      ).toEqual(await sqlSeqs(s.topic, key, base));
    }
    expect(streams.reduce((n, s) => n + s.got.length, 0)).toBeGreaterThan(200);
    expect(streamsDb.statements()).toBe(0);
    expect(tailDb.statements()).toBeLessThanOrEqual(advances);
    feed.close();
  });

  it('should leave a cursor below what it holds to the outbox, and hold at most its capacity', async () => {
    const feed = await startFeed();
    const tail = new EventTail({ db, feed, log: silentLog, capacity: 5 });
    const base = feed.head;
    await insertRandomEvents(new Random(7), 30);
    const head = await catchUp(feed);
    expect(
      await tail.step('arrivals', topicMatcher('arrivals', '45'), head - 1, head, feed.epoch, 100),
    ).toBeDefined();
    expect(tail.range.size).toBe(5);
    expect(
      await tail.step('arrivals', topicMatcher('arrivals', '45'), base, head, feed.epoch, 100),
    ).toBeUndefined();

    const streamsDb = countedDb(db);
    const stream = followEvents({
      db: streamsDb.db,
      feed,
      tail,
      topic: 'arrivals',
      region: '450000',
      after: base,
    });
    const expected = await sqlSeqs('arrivals', '45', base);
    const got: number[] = [];
    while (got.length < expected.length) got.push((await stream.next()).value!.seq);
    await stream.return!();
    expect(got).toEqual(expected);
    expect(streamsDb.statements()).toBeGreaterThan(0);
    // Another epoch's stream is never served from memory.
    expect(
      await tail.step('arrivals', topicMatcher('arrivals', '45'), head - 1, head, 'another-epoch', 100),
    ).toBeUndefined();
    feed.close();
  });

  it('should start above events retention pruned before it read them, never serve a stream across them', async () => {
    const feed = await startFeed();
    const tail = new EventTail({ db, feed, log: silentLog });
    const base = feed.head;
    await insertRandomEvents(new Random(99), 10);
    const last = await maxSeq();
    // Retention deletes the first six and records it, before the tail reads.
    await db.execute(sql`DELETE FROM outbox WHERE seq > ${base} AND seq <= ${base + 6}`);
    await db.execute(sql`
      INSERT INTO outbox_retention (id, pruned_through) VALUES (1, ${base + 6})
      ON CONFLICT (id) DO UPDATE SET pruned_through = excluded.pruned_through`);
    try {
      await catchUp(feed);
      expect(feed.head).toBe(last);
      // A stream at `base` would miss six events: the tail does not answer it.
      expect(
        await tail.step('arrivals', topicMatcher('arrivals', '45'), base, last, feed.epoch, 100),
      ).toBeUndefined();
      expect(tail.range.from).toBe(base + 6);
      const step = await tail.step(
        'arrivals',
        topicMatcher('arrivals', '45'),
        base + 6,
        last,
        feed.epoch,
        100,
      );
      expect(step?.events.map((e) => e.seq)).toEqual(await sqlSeqs('arrivals', '45', base + 6));
    } finally {
      await db.execute(sql`DELETE FROM outbox_retention`);
      feed.close();
    }
  });
});
