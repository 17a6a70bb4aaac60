/**
 * The relay pump over an in-memory fake of the provinces' relay endpoints (no sockets): each
 * event reaches its target once and in order, with a target down, with two pumps at once, across
 * a restart; a refusal is an alarm and never a skip; an idle source is not polled hot.
 */
import type {
  RelayApplyAnswer,
  RelayApplyRequest,
  RelayedEvent,
  RelayEventsAnswer,
  RelayEventsRequest,
  RelayInboxAnswer,
  RelayInboxPosition,
} from '@p2p/schema';
import { createLogger } from '@p2p/runtime';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayBook } from './relay-book.js';
import { RelayMetrics } from './relay-metrics.js';
import { RelayPump } from './relay-pump.js';
import { RelayCallError, type RelayTransport } from './relay-transport.js';

const GX = '450000';
const HA = '410000';
const HE = '130000';

interface FakeProvince {
  epoch: string;
  /** RELAY events written here, with their target. */
  outbox: { target: string; event: RelayedEvent }[];
  inbox: Map<string, RelayInboxPosition>;
  /** How often each (source, seq) was applied here. */
  appliedTimes: Map<string, number>;
  down: boolean;
}

/** The provinces' relay endpoints, in memory, with the provinces' rules (inbox, epochs, long poll). */
class FakeProvinces implements RelayTransport {
  readonly provinces = new Map<string, FakeProvince>();
  reads = 0;
  /** Every call, with the province it went to. */
  readonly calls: { call: 'readEvents' | 'apply' | 'inbox'; province: string }[] = [];
  private wakers: (() => void)[] = [];

  constructor(codes: string[]) {
    for (const code of codes)
      this.provinces.set(code, {
        epoch: `${code}-e1`,
        outbox: [],
        inbox: new Map(),
        appliedTimes: new Map(),
        down: false,
      });
  }

  private at(code: string): FakeProvince {
    const p = this.provinces.get(code)!;
    if (p.down) throw new RelayCallError(code, 'UNREACHABLE', 'down');
    return p;
  }

  /** Writes `count` RELAY events at `source` for `target`. */
  write(source: string, target: string, count = 1): void {
    const p = this.provinces.get(source)!;
    for (let i = 0; i < count; i++) {
      const seq = p.outbox.length + 1;
      p.outbox.push({
        target,
        event: {
          seq,
          at: new Date().toISOString(),
          fact: {
            fact: 'STAFF',
            enterpriseId: 'E',
            workRegion: target,
            workerId: `W-${seq}`,
            change: 'ON_POST',
          },
        },
      });
    }
    for (const wake of this.wakers.splice(0)) wake();
  }

  async readEvents(
    source: string,
    request: RelayEventsRequest,
    signal?: AbortSignal,
  ): Promise<RelayEventsAnswer> {
    this.reads++;
    this.calls.push({ call: 'readEvents', province: source });
    const p = this.at(source);
    const answer = (): RelayEventsAnswer => ({
      epoch: p.epoch,
      retentionDays: 30,
      consumers: request.consumers.map((c) => {
        const mine = p.outbox.filter((o) => o.target === c.target).map((o) => o.event);
        const head = mine.at(-1)?.seq ?? 0;
        if (c.epoch !== null && c.epoch !== p.epoch)
          return {
            target: c.target,
            events: [],
            head: 0,
            pending: 0,
            refused: { code: 'CURSOR_EXPIRED', message: 'another epoch' },
          };
        if (c.after > (p.outbox.at(-1)?.event.seq ?? 0))
          return {
            target: c.target,
            events: [],
            head: 0,
            pending: 0,
            refused: { code: 'BAD_USER_INPUT', message: 'ahead of the events' },
          };
        const after = mine.filter((e) => e.seq > c.after);
        return {
          target: c.target,
          events: after.slice(0, request.limit ?? 500),
          head,
          pending: after.length,
        };
      }),
    });
    let first = answer();
    if (
      first.consumers.every((c) => c.events.length === 0) &&
      (request.waitMs ?? 0) > 0 &&
      (request.limit ?? 500) > 0
    ) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, request.waitMs);
        signal?.addEventListener('abort', () => resolve(), { once: true });
        this.wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      first = answer();
    }
    return first;
  }

  async apply(target: string, request: RelayApplyRequest): Promise<RelayApplyAnswer> {
    this.calls.push({ call: 'apply', province: target });
    const p = this.at(target);
    await Promise.resolve();
    const row = p.inbox.get(request.source) ?? {
      source: request.source,
      epoch: request.epoch,
      position: 0,
      applied: 0,
      lastEventAt: null,
      appliedAt: null,
    };
    if (row.epoch !== request.epoch)
      throw new RelayCallError(target, 'CURSOR_EXPIRED', 'inbox follows another epoch');
    if (request.after > row.position)
      throw new RelayCallError(target, 'BAD_USER_INPUT', 'read past the inbox');
    const fresh = request.events.filter((e) => e.seq > row.position);
    for (const e of fresh) {
      const key = `${request.source}:${e.seq}`;
      p.appliedTimes.set(key, (p.appliedTimes.get(key) ?? 0) + 1);
    }
    const moved = {
      ...row,
      position: fresh.at(-1)?.seq ?? row.position,
      applied: row.applied + fresh.length,
      appliedAt: fresh.length ? new Date().toISOString() : row.appliedAt,
    };
    p.inbox.set(request.source, moved);
    return { ...moved, appliedNow: fresh.length, skipped: request.events.length - fresh.length };
  }

  async inbox(target: string): Promise<RelayInboxAnswer> {
    this.calls.push({ call: 'inbox', province: target });
    return { province: target, inbox: [...this.at(target).inbox.values()] };
  }

  /** The seq of the last event `source` wrote for `target`. */
  lastSeq(source: string, target: string): number {
    return (
      this.provinces
        .get(source)!
        .outbox.filter((o) => o.target === target)
        .at(-1)?.event.seq ?? 0
    );
  }

  /** True when every event of every source was applied by its target exactly once. */
  deliveredOnce(): boolean {
    for (const [source, p] of this.provinces)
      for (const { target, event } of p.outbox)
        if (this.provinces.get(target)!.appliedTimes.get(`${source}:${event.seq}`) !== 1) return false;
    return true;
  }
}

const FAST = { waitMs: 200, retryMs: 10, maxRetryMs: 40, alarmRetryMs: 100, idleMs: 50 };

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const running: RelayPump[] = [];
function pump(fake: FakeProvinces, book = new RelayBook([GX, HA, HE]), options = {}) {
  const started = new RelayPump({ provinces: [GX, HA, HE], transport: fake, book, ...FAST, ...options });
  started.start();
  running.push(started);
  return { pump: started, book };
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('the relay pump', () => {
  it('should deliver every event to its target once and in order, and record positions, backlogs and lags', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const metrics = new RelayMetrics(new Registry());
    const { book } = pump(fake, new RelayBook([GX, HA, HE], metrics));
    fake.write(GX, HA, 3);
    fake.write(GX, HE, 2);
    fake.write(HA, GX, 1);
    await until(() => fake.deliveredOnce() && fake.provinces.get(HA)!.inbox.get(GX)?.position === 3);
    fake.write(GX, HA, 600); // more than one batch
    await until(() => fake.deliveredOnce());
    const last = fake.lastSeq(GX, HA);
    await until(() => book.pairStates().find((p) => p.source === GX && p.target === HA)!.position === last);
    expect(book.pairStates().find((p) => p.source === GX && p.target === HA)).toMatchObject({
      epoch: `${GX}-e1`,
      position: last,
      backlog: 0,
      alarm: null,
    });
    expect(book.sourceStates().map((s) => s.state)).toEqual(['up', 'up', 'up']);
    const applied = (await metrics.applied.get()).values.find(
      (v) => v.labels.source === GX && v.labels.target === HA,
    );
    expect(applied?.value).toBe(603);
  });

  it('should apply each event once with two pumps relaying at the same time', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    pump(fake);
    pump(fake);
    for (let i = 0; i < 20; i++) {
      fake.write(GX, HA, 5);
      fake.write(HE, HA, 3);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => fake.deliveredOnce());
    expect(fake.provinces.get(HA)!.inbox.get(GX)).toMatchObject({ position: 100, applied: 100 });
  });

  it('should keep the events of a target that is down and deliver them when it is back, the other targets meanwhile', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const { book } = pump(fake);
    fake.provinces.get(HA)!.down = true;
    fake.write(GX, HA, 2);
    fake.write(GX, HE, 2);
    await until(() => fake.provinces.get(HE)!.inbox.get(GX)?.position === fake.lastSeq(GX, HE));
    expect(fake.provinces.get(HA)!.inbox.size).toBe(0);
    expect(book.pairStates().find((p) => p.source === GX && p.target === HA)!.failure).toMatch(/UNREACHABLE/);
    expect(book.sourceStates().find((s) => s.source === HA)!.state).toBe('down');
    fake.provinces.get(HA)!.down = false;
    await until(() => fake.deliveredOnce());
  });

  it('should resume after a restart from the targets’ inboxes, without delivering anything twice', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const first = pump(fake);
    fake.write(GX, HA, 4);
    await until(() => fake.deliveredOnce());
    await first.pump.stop();
    fake.write(GX, HA, 2);
    pump(fake);
    await until(() => fake.deliveredOnce());
    expect(fake.provinces.get(HA)!.inbox.get(GX)).toMatchObject({ position: 6, applied: 6 });
  });

  it('should raise an alarm, never skip, when the source restarted its sequence (another epoch), until an operator resets the inbox', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line: string) => lines.push(line) },
    });
    const { book } = pump(fake, undefined, { logger });
    fake.write(GX, HA, 2);
    await until(() => fake.deliveredOnce());
    // Guangxi is restored from a backup: a new epoch, its sequence starts again.
    const gx = fake.provinces.get(GX)!;
    gx.epoch = `${GX}-e2`;
    gx.outbox = [];
    fake.write(GX, HA, 1);
    await until(() => book.pairStates().some((p) => p.source === GX && p.target === HA && p.alarm !== null));
    const pair = book.pairStates().find((p) => p.source === GX && p.target === HA)!;
    expect(pair.alarm).toMatchObject({ side: 'source', code: 'CURSOR_EXPIRED' });
    // The operator hears of it once, in the log, however often the pair is retried.
    await new Promise((resolve) => setTimeout(resolve, 3 * FAST.alarmRetryMs));
    const refusals = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('relay: pair refused'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ source: GX, target: HA, side: 'source', code: 'CURSOR_EXPIRED' });
    expect(fake.provinces.get(HA)!.inbox.get(GX)).toMatchObject({
      epoch: `${GX}-e1`,
      position: 2,
      applied: 2,
    });
    // The operator decides: Henan follows the new epoch from its start.
    fake.provinces.get(HA)!.inbox.delete(GX);
    await until(() => fake.provinces.get(HA)!.inbox.get(GX)?.epoch === `${GX}-e2`, 3_000);
    await until(() => book.pairStates().find((p) => p.source === GX && p.target === HA)!.alarm === null);
  });

  it('should hold a pair whose source went back below the target’s position in the same epoch, even once its head is back there, until an operator resets the inbox', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const { book } = pump(fake);
    fake.write(GX, HA, 3);
    await until(() => fake.provinces.get(HA)!.inbox.get(GX)?.position === 3);
    // Guangxi is restored from a backup it does not notice: same epoch, its events back to #1.
    const gx = fake.provinces.get(GX)!;
    gx.outbox = gx.outbox.slice(0, 1);
    const pairOf = () => book.pairStates().find((p) => p.source === GX && p.target === HA)!;
    await until(() => pairOf().alarm !== null);
    expect(pairOf().alarm).toMatchObject({ side: 'source', code: 'BAD_USER_INPUT', sticky: true });
    // New events #2..#5: not those Henan applied as #2, #3; the head passes its position again.
    fake.write(GX, HA, 4);
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST.alarmRetryMs));
    expect(pairOf().alarm).toMatchObject({ code: 'BAD_USER_INPUT', sticky: true });
    expect(fake.provinces.get(HA)!.inbox.get(GX)).toMatchObject({ position: 3, applied: 3 });
    expect(fake.provinces.get(HA)!.appliedTimes.get(`${GX}:4`)).toBeUndefined();
    // The other pairs go on meanwhile.
    fake.write(GX, HE, 1);
    await until(() => fake.provinces.get(HE)!.inbox.get(GX)?.position === fake.lastSeq(GX, HE));
    // Another gateway replica, which did not see Guangxi go back, moves Henan's inbox on in the same
    // epoch: that is no operator's reset, the alarm stays and says what may have been skipped.
    const held = fake.provinces.get(HA)!.inbox.get(GX)!;
    fake.provinces.get(HA)!.inbox.set(GX, { ...held, position: 4, applied: 4 });
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST.alarmRetryMs));
    expect(pairOf().alarm).toMatchObject({ sticky: true, message: expect.stringMatching(/moved on to 4/) });
    // The operator decides: Henan takes Guangxi's events again from the start.
    fake.provinces.get(HA)!.inbox.delete(GX);
    await until(() => fake.provinces.get(HA)!.inbox.get(GX)?.position === 5);
    await until(() => pairOf().alarm === null);
  });

  it('should hold every pair of a province the gateway does not route to (no read, apply or inbox call to it, nothing skipped) and relay its facts once it is routed to again', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const metrics = new RelayMetrics(new Registry());
    const refused = new Set([HA]);
    const { book } = pump(fake, new RelayBook([GX, HA, HE], metrics), {
      refusal: (province: string) => (refused.has(province) ? 'conformance' : undefined),
    });
    fake.write(GX, HA, 2);
    fake.write(HA, GX, 3);
    fake.write(HA, HE, 1);
    fake.write(GX, HE, 2);
    // The pairs between the routed provinces go on.
    await until(() => fake.provinces.get(HE)!.inbox.get(GX)?.position === fake.lastSeq(GX, HE));
    await new Promise((resolve) => setTimeout(resolve, 5 * FAST.idleMs));
    expect(fake.calls.filter((c) => c.province === HA)).toEqual([]);
    expect(fake.provinces.get(HA)!.inbox.size).toBe(0);
    expect(fake.provinces.get(GX)!.inbox.has(HA)).toBe(false);
    expect(fake.provinces.get(HE)!.inbox.has(HA)).toBe(false);
    const pairOf = (source: string, target: string) =>
      book.pairStates().find((p) => p.source === source && p.target === target)!;
    expect(pairOf(GX, HA).held).toBe(`target ${HA} is not routed to (conformance)`);
    expect(pairOf(HA, GX).held).toBe(`source ${HA} is not routed to (conformance)`);
    expect(pairOf(GX, HE).held).toBeNull();
    expect(pairOf(GX, HA).alarm).toBeNull();
    const held = (await metrics.held.get()).values;
    expect(held.find((v) => v.labels.source === GX && v.labels.target === HA)?.value).toBe(1);
    expect(held.find((v) => v.labels.source === HA && v.labels.target === HE)?.value).toBe(1);
    // Routed to again: every fact it missed flows, once, from where the inboxes stand.
    refused.delete(HA);
    await until(() => fake.deliveredOnce());
    expect(fake.provinces.get(GX)!.inbox.get(HA)).toMatchObject({ position: 3, applied: 3 });
    await until(() => pairOf(GX, HA).held === null && pairOf(HA, GX).held === null);
    expect((await metrics.held.get()).values.every((v) => v.value === 0)).toBe(true);
  });

  it('should not apply what it read for a target that became refused during the read', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    const refused = new Set<string>();
    pump(fake, undefined, {
      waitMs: 2_000,
      refusal: (province: string) => (refused.has(province) ? 'incompatible' : undefined),
    });
    fake.write(GX, HA, 1);
    await until(() => fake.provinces.get(HA)!.inbox.get(GX)?.position === 1);
    // The pump now long-polls Guangxi; Henan is refused meanwhile, then Guangxi writes for it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    refused.add(HA);
    fake.write(GX, HA, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.provinces.get(HA)!.inbox.get(GX)).toMatchObject({ position: 1, applied: 1 });
    refused.delete(HA);
    await until(() => fake.deliveredOnce());
  });

  it('should not poll an idle source hot', async () => {
    const fake = new FakeProvinces([GX, HA, HE]);
    pump(fake, undefined, { waitMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Three sources, a read each every idleMs (50 ms) at most.
    expect(fake.reads).toBeLessThanOrEqual(3 * (300 / 50 + 2));
  });
});
