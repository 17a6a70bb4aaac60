/**
 * Retention's relay guard (PGlite or a fresh Postgres database): an outbox event the relay must
 * still deliver (RELAY, beyond the position its target province reported in this epoch; a target
 * that never read: position 0) is never pruned, however old; the events around it are; a target
 * further behind than the retention is reported (`relayBehind`), never skipped.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/sql-rows.js';
import { expectData, startTestProvince, type TestProvince } from '../testing/index.js';
import { pruneOnce } from './retention.js';

const HENAN = '410000';
const HEBEI = '130000';
const POLICY = { outboxDays: 30, idempotencyKeyDays: 0 };

describe(`retention never prunes what the relay has not delivered (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let province: TestProvince;
  let epoch: string;
  /** seq of each event, by name. */
  const seq: Record<string, number> = {};

  const kept = async () =>
    rowsOf<{ seq: number | string }>(
      await province.service.db.db.execute(sql`SELECT seq FROM outbox ORDER BY seq`),
    ).map((r) => Number(r.seq));
  /** The relay's read of Guangxi's events (this province runs unsigned: no assertion needed). */
  const read = async (consumers: { target: string; epoch: string | null; after: number }[]) => {
    const res = await fetch(`${province.service.url}/relay/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consumers }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      epoch: string;
      consumers: { events: { seq: number }[]; refused?: { code: string } }[];
    };
  };
  const newTrip = async () =>
    expectData(
      await province.gql('transport', 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }', {
        i: {
          mode: 'BUS',
          vehicleCode: '桂B·G1',
          origin: '450203',
          // Inside Guangxi: a trip into another province also tells that province its copy (#17.2),
          // RELAY events this test does not count.
          destination: '450102',
          departureAt: '2030-02-20T08:00:00+08:00',
          expectedArrivalAt: '2030-02-21T20:00:00+08:00',
          capacity: 40,
        },
      }),
    ).planTrip.id as string;
  const assign = async (tripId: string, workerId: string) =>
    expectData(
      await province.gql(
        'transport',
        'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
        {
          t: tripId,
          w: [workerId],
        },
      ),
    );
  const last = async () => (await kept()).at(-1)!;

  beforeAll(async () => {
    province = await startTestProvince('450000');
    const a = await newTrip();
    seq.plannedA = await last();
    await assign(a, 'W41-guardworker1');
    seq.henan1 = await last();
    await assign(a, 'W13-guardworker1');
    seq.hebei1 = await last();
    const b = await newTrip();
    seq.plannedB = await last();
    await assign(b, 'W41-guardworker2');
    seq.henan2 = await last();
    // Everything so far is 40 days old; one more event is recent.
    await province.service.db.db.execute(sql`UPDATE outbox SET at = at - interval '40 days'`);
    await newTrip();
    seq.recent = await last();
    ({ epoch } = await read([{ target: HENAN, epoch: null, after: 0 }]));
    await read([{ target: HENAN, epoch, after: seq.henan1! }]);
  });
  afterAll(() => province?.close());

  it('should keep the RELAY events a target has not applied (Hebei never read: position 0), and prune the rest', async () => {
    const result = await pruneOnce(province.service.db.db, POLICY);
    expect(result.outboxEvents).toBe(3);
    expect(await kept()).toEqual([seq.hebei1, seq.henan2, seq.recent]);
    expect(result.relayBehind.map(({ target, seq }) => ({ target, seq }))).toEqual([
      { target: HEBEI, seq: seq.hebei1 },
      { target: HENAN, seq: seq.henan2 },
    ]);
    expect(Date.parse(result.relayBehind[0]!.since)).toBeLessThan(Date.now() - 39 * 86_400_000);
    // Nothing the targets still need is lost: both read on from where they are.
    const answer = await read([
      { target: HENAN, epoch, after: seq.henan1! },
      { target: HEBEI, epoch: null, after: 0 },
    ]);
    expect(answer.consumers.map((c) => [c.refused, c.events.map((e) => e.seq)])).toEqual([
      [undefined, [seq.henan2]],
      [undefined, [seq.hebei1]],
    ]);
  });

  it('should count a position of another epoch as 0, and prune once the target reports it applied in this epoch', async () => {
    await province.service.db.db.execute(
      sql`UPDATE relay_consumers SET epoch = 'a-restored-epoch', position = ${seq.henan2!} WHERE target = ${HENAN}`,
    );
    expect((await pruneOnce(province.service.db.db, POLICY)).outboxEvents).toBe(0);
    expect(await kept()).toContain(seq.henan2);
    await read([{ target: HENAN, epoch, after: seq.henan2! }]);
    const result = await pruneOnce(province.service.db.db, POLICY);
    expect(result.outboxEvents).toBe(1);
    expect(result.relayBehind.map((b) => b.target)).toEqual([HEBEI]);
    expect(await kept()).toEqual([seq.hebei1, seq.recent]);
    // A position below what was pruned for it is refused, never silently skipped.
    const stale = await read([{ target: HENAN, epoch, after: seq.henan1! }]);
    expect(stale.consumers[0]!.refused?.code).toBe('CURSOR_EXPIRED');
  });
});
