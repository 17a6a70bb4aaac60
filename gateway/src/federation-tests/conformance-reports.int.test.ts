import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signDevToken, type DevTokenClaims } from '../auth/dev-token.js';
import { CONTRACT_VERSION, formatContractVersion } from '@p2p/schema';
import { emptyData, makeTrip, type ProvinceData } from '../testing/fake-data.js';
import { fetchAdmin, startHub, type Hub } from '../testing/hub-fixture.js';
import { decodeVectorCursorWithEpochs, encodeVectorCursor } from '../subscriptions/vector-cursor.js';

const GX = '450000',
  GD = '440000';
const CURRENT = formatContractVersion(CONTRACT_VERSION);
const TRIPS = `{ trips(destination: "110000", first: 50) { totalCount edges { node { id origin { code } } } } }`;
const PLAN_TRIP = `mutation($input: PlanTripInput!) { planTrip(input: $input) { id status } }`;
const planInput = (origin: string) => ({
  mode: 'BUS',
  vehicleCode: '粤B12345',
  origin,
  destination: '110101',
  departureAt: '2020-02-20T08:00:00+08:00',
  expectedArrivalAt: '2020-02-20T20:00:00+08:00',
  capacity: 45,
});
/** Health checks this often: a changed report is seen within it. */
const INTERVAL_MS = 100;

/** A report as the kit's `--json` writes it for `province`; `failed` names the checks that failed. */
function kitReport(province: string, failed: string[] = [], overrides: Record<string, unknown> = {}) {
  return {
    kit: 'p2p-conformance',
    contract: CURRENT,
    province,
    url: `http://${province}.internal:4100`,
    readOnly: true,
    seed: 1,
    runId: `20261207-${province}`,
    startedAt: '2026-12-07T05:00:00.000Z',
    finishedAt: '2026-12-07T05:00:20.000Z',
    durationMs: 20000,
    passed: failed.length === 0,
    signed: true,
    only: null,
    complete: true,
    counts: { pass: 3, fail: failed.length, skip: 0 },
    results: [
      { id: 'schema.contract.workers', title: 'workers keeps the contract', status: 'pass', durationMs: 4 },
      {
        id: 'schema.contract.transport',
        title: 'transport keeps the contract',
        status: 'pass',
        durationMs: 4,
      },
      { id: 'auth.unsigned-refused', title: 'an unsigned request is refused', status: 'pass', durationMs: 2 },
      ...failed.map((id) => ({
        id,
        title: id,
        status: 'fail',
        durationMs: 3,
        message: `${id}: expected WRONG_PROVINCE`,
        exchange: { request: { query: '{ worker }' }, answer: { data: { worker: { name: '李四' } } } },
      })),
    ],
    ...overrides,
  };
}

describe('a gateway that requires conformance kit reports (CONFORMANCE_REPORT_DIR)', () => {
  let hub: Hub;
  let dir: string;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [GD]: emptyData() };
  const write = (code: string, report: unknown) =>
    writeFileSync(join(dir, `${code}.json`), JSON.stringify(report, null, 2));
  const details = async () => (await (await fetchAdmin(hub.gateway.url, '/health/details')).json()) as any;
  const provinceDetails = async (code: string) =>
    (await details()).provinces.find((p: any) => p.code === code);
  /** The province's details once its conformance verdict is `verdict` (read at a later health check). */
  const waitForVerdict = async (code: string, verdict: string) => {
    // Far more than one interval: the machine may be busy.
    for (let i = 0; i < 300; i++) {
      const p = await provinceDetails(code);
      if (p.conformance?.verdict === verdict) return p;
      await new Promise((r) => setTimeout(r, INTERVAL_MS / 2));
    }
    throw new Error(`${code} never read as ${verdict}`);
  };
  /** Requests the province got other than health checks (`_service`). */
  const routed = (code: string) => hub.province(code).requests.filter((r) => r.kind !== 'service').length;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-conformance-'));
    write(GX, kitReport(GX));
    write(GD, kitReport(GD, ['ids.wrong-province', 'pagination.keyset-read']));
    data[GX]!.trips.push(makeTrip('450203', '110101', '2020-02-20T08:00:00Z'));
    data[GD]!.trips.push(makeTrip('440303', '110105', '2020-02-20T10:00:00Z'));
    hub = await startHub([GX, GD], data, {
      gateway: { conformanceReportDir: dir, healthCheckIntervalMs: INTERVAL_MS },
    });
  });
  afterAll(async () => {
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("should serve the passing province's data and answer PROVINCE_INCOMPATIBLE (reason conformance) for the failing one's part, calling it not", async () => {
    const before = routed(GD);
    const res = await hub.query(TRIPS);
    expect(res.data!.trips.totalCount).toBe(1);
    expect(res.data!.trips.edges.map((e: any) => e.node.origin.code)).toEqual(['450203']);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['trips'],
      extensions: { code: 'PROVINCE_INCOMPATIBLE', province: GD, reason: 'conformance' },
    });
    expect(res.errors![0]!.message).toContain('conformance kit report');
    expect(routed(GD)).toBe(before);
  });

  it('should open no subscription feed of the failing province: one following it alone is refused, one over every province follows the others', async () => {
    const subscribe = async (claims: DevTokenClaims, query: string, variables: Record<string, unknown>) => {
      const token = await signDevToken({ subject: `conformance-${claims.region}`, ...claims });
      const client = createClient({
        url: hub.gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const outcome: { kinds: string[]; error?: { extensions?: Record<string, unknown> } } = { kinds: [] };
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        client.subscribe(
          { query, variables },
          {
            next: (r) => {
              if (r.errors) outcome.error = r.errors[0] as never;
              else outcome.kinds.push((Object.values(r.data!)[0] as { kind: string }).kind);
              if (r.errors || outcome.kinds.length) {
                clearTimeout(timer);
                resolve();
              }
            },
            error: (e) => {
              outcome.error = (Array.isArray(e) ? e[0] : { extensions: {} }) as never;
              clearTimeout(timer);
              resolve();
            },
            complete: () => resolve(),
          },
        );
      });
      return { outcome, done, close: () => client.dispose() };
    };
    const shenzhen = await subscribe(
      { role: 'city', region: '440300' },
      'subscription { departures(homeRegion: "440300") { cursor kind } }',
      {},
    );
    await shenzhen.done;
    await shenzhen.close();
    expect(shenzhen.outcome.error?.extensions).toMatchObject({
      code: 'PROVINCE_INCOMPATIBLE',
      province: GD,
      reason: 'conformance',
    });
    const beijing = await subscribe(
      { role: 'city', region: '110100' },
      'subscription { arrivals(destination: "110100") { cursor kind trip { id } } }',
      {},
    );
    for (let i = 0; i < 100 && hub.province(GX).subscriptions.subscriptions('arrivals').length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    hub.province(GX).subscriptions.emit({
      topic: 'arrivals',
      keys: ['110101'],
      kind: 'PLANNED',
      entityId: data[GX]!.trips[0]!.id,
    });
    await beijing.done;
    await beijing.close();
    expect(beijing.outcome).toEqual({ kinds: ['PLANNED'] });
    expect(hub.province(GD).subscriptions.subscriptions('arrivals')).toHaveLength(0);
    expect(hub.province(GD).subscriptions.subscriptions('departures')).toHaveLength(0);
  });

  it('should refuse a mutation to the failing province without sending it anything, and route one to the other', async () => {
    const before = routed(GD);
    const refused = await hub.query(PLAN_TRIP, { input: planInput('440303') });
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors![0]).toMatchObject({
      extensions: { code: 'PROVINCE_INCOMPATIBLE', province: GD, reason: 'conformance' },
    });
    expect(routed(GD)).toBe(before);
    expect(hub.province(GD).count(undefined, 'mutation')).toBe(0);
    expect(data[GD]!.trips).toHaveLength(1);

    const accepted = await hub.query(PLAN_TRIP, { input: planInput('450203') });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.planTrip.id).toMatch(/^T45-/);
    data[GX]!.trips.pop();
  });

  it('should show the failed report in /health/details (ids and messages, never the exchanges) and the province down in /health', async () => {
    const shown = await details();
    expect(shown.status).toBe('degraded');
    const gd = shown.provinces.find((p: any) => p.code === GD);
    expect(gd.state).toBe('incompatible');
    expect(gd.conformance).toEqual({
      verdict: 'failed',
      file: join(dir, `${GD}.json`),
      why: 'the kit failed 2 check(s): ids.wrong-province, pagination.keyset-read',
      readAt: expect.any(String),
      contract: CURRENT,
      runId: `20261207-${GD}`,
      finishedAt: '2026-12-07T05:00:20.000Z',
      readOnly: true,
      counts: { pass: 3, fail: 2, skip: 0 },
      failedChecks: [
        { id: 'ids.wrong-province', message: 'ids.wrong-province: expected WRONG_PROVINCE' },
        { id: 'pagination.keyset-read', message: 'pagination.keyset-read: expected WRONG_PROVINCE' },
      ],
    });
    expect(gd.problems[0]).toBe(
      'conformance: the kit failed 2 check(s): ids.wrong-province, pagination.keyset-read',
    );
    expect(JSON.stringify(shown)).not.toContain('李四');
    const gx = shown.provinces.find((p: any) => p.code === GX);
    expect(gx).toMatchObject({ state: 'up', conformance: { verdict: 'passed', runId: `20261207-${GX}` } });

    const open = (await (await fetch(hub.gateway.url.replace(/\/graphql$/, '/health'))).json()) as any;
    expect(open).toEqual({
      status: 'degraded',
      provinces: [
        { code: GD, state: 'down' },
        { code: GX, state: 'up' },
      ],
    });
  });

  it('should let the province in at the next health check once its report passes', async () => {
    write(GD, kitReport(GD));
    const gd = await waitForVerdict(GD, 'passed');
    expect(gd).toMatchObject({ state: 'up', problems: [] });
    const res = await hub.query(TRIPS);
    expect(res.errors).toBeUndefined();
    expect(res.data!.trips.totalCount).toBe(2);
    expect(routed(GD)).toBeGreaterThan(0);
  });

  it('should refuse a report for another province, for another contract version, and a missing one', async () => {
    write(GX, kitReport(GD));
    expect(await waitForVerdict(GX, 'other-province')).toMatchObject({
      state: 'incompatible',
      conformance: { why: `the report is for province ${GD}, not ${GX}` },
    });
    const otherProvince = await hub.query(TRIPS);
    expect(otherProvince.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ province: GX, reason: 'conformance' }),
      }),
    ]);

    const nextMajor = `${CONTRACT_VERSION.major + 1}.0`;
    write(GX, kitReport(GX, [], { contract: nextMajor }));
    const other = await waitForVerdict(GX, 'other-contract');
    expect(other.conformance.why).toContain(`checked contract ${nextMajor}`);

    rmSync(join(dir, `${GX}.json`));
    const missing = await waitForVerdict(GX, 'missing');
    expect(missing.state).toBe('incompatible');
    expect(missing.conformance.why).toBe(
      `no conformance report (run the kit with --json ${join(dir, `${GX}.json`)})`,
    );
    const before = routed(GX);
    const res = await hub.query(TRIPS);
    expect(res.data!.trips.edges.map((e: any) => e.node.origin.code)).toEqual(['440303']);
    expect(res.errors![0]).toMatchObject({
      extensions: { code: 'PROVINCE_INCOMPATIBLE', province: GX, reason: 'conformance' },
    });
    expect(routed(GX)).toBe(before);
  });
});

describe('a gateway without CONFORMANCE_REPORT_DIR', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub([GX, GD]);
  });
  afterAll(() => hub?.close());

  it('should route to every province that keeps the contract, with no report and no conformance in /health/details', async () => {
    const res = await hub.query(TRIPS);
    expect(res.errors).toBeUndefined();
    const shown = (await (await fetchAdmin(hub.gateway.url, '/health/details')).json()) as any;
    expect(shown.provinces.map((p: any) => [p.code, p.state, 'conformance' in p])).toEqual([
      [GD, 'up', false],
      [GX, 'up', false],
    ]);
  });
});

describe('subscriptions across a province whose conformance report stops passing', () => {
  let hub: Hub;
  let dir: string;
  const write = (code: string, report: unknown) =>
    writeFileSync(join(dir, `${code}.json`), JSON.stringify(report, null, 2));
  const waitForVerdict = async (code: string, verdict: string) => {
    for (let i = 0; i < 300; i++) {
      const shown = (await (await fetchAdmin(hub.gateway.url, '/health/details')).json()) as any;
      if (shown.provinces.find((p: any) => p.code === code).conformance?.verdict === verdict) return;
      await new Promise((r) => setTimeout(r, INTERVAL_MS / 2));
    }
    throw new Error(`${code} never read as ${verdict}`);
  };
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!check()) throw new Error(`not reached: ${what}`);
  };
  const ARRIVALS = `subscription($after: String) { arrivals(destination: "110100", after: $after) { cursor kind } }`;
  /** A Beijing city officer's subscription to arrivals, collecting every event and the error that ends it. */
  const follow = async (after?: string) => {
    const token = await signDevToken({ subject: 'conformance-beijing', role: 'city', region: '110100' });
    const client = createClient({
      url: hub.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const events: { cursor: string; kind: string }[] = [];
    const state: { error?: unknown } = {};
    client.subscribe(
      { query: ARRIVALS, variables: after === undefined ? {} : { after } },
      {
        next: (r) => {
          if (r.errors) state.error = r.errors;
          else events.push(r.data!.arrivals as { cursor: string; kind: string });
        },
        error: (e) => {
          state.error = e;
        },
        complete: () => {},
      },
    );
    return { events, state, kinds: () => events.map((e) => e.kind), close: () => client.dispose() };
  };
  const arrival = (code: string, kind: string) =>
    hub
      .province(code)
      .subscriptions.emit({ topic: 'arrivals', keys: ['110101'], kind, entityId: `T-${kind}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-conformance-'));
    write(GX, kitReport(GX));
    write(GD, kitReport(GD));
    hub = await startHub(
      [GX, GD],
      {},
      {
        gateway: { conformanceReportDir: dir, healthCheckIntervalMs: INTERVAL_MS },
      },
    );
  });
  afterAll(async () => {
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("should resume from a cursor holding the refused province's position without asking it anything, and keep that position in every cursor given", async () => {
    write(GD, kitReport(GD, ['ids.wrong-province']));
    await waitForVerdict(GD, 'failed');
    const asked = hub.province(GD).subscriptions.calls.length;
    // Guangdong's position is beyond its head: asked, it would fail the subscription (CURSOR_EXPIRED).
    const after = encodeVectorCursor(
      new Map([
        [GX, hub.province(GX).subscriptions.head],
        [GD, 7],
      ]),
      new Map([[GD, 'gd-e1']]),
    );
    const sub = await follow(after);
    const departed = arrival(GX, 'DEPARTED');
    await until(() => sub.events.length > 0 || sub.state.error !== undefined, 'an event or an error');
    await sub.close();
    expect(sub.state.error).toBeUndefined();
    expect(sub.kinds()).toEqual(['DEPARTED']);
    const cursor = decodeVectorCursorWithEpochs(sub.events[0]!.cursor);
    expect(Object.fromEntries(cursor.positions)).toEqual({ [GX]: departed.seq, [GD]: 7 });
    expect(cursor.epochs.get(GD)).toBe('gd-e1');
    // No subscription, no head, no retention question reached Guangdong.
    expect(hub.province(GD).subscriptions.calls.slice(asked)).toEqual([]);
  });

  it('should hold the events of a province refused while a subscription follows it, and deliver them from where the client stands once it is routed to again', async () => {
    write(GD, kitReport(GD));
    await waitForVerdict(GD, 'passed');
    const before = hub.province(GD).subscriptions.subscriptions('arrivals').length;
    const sub = await follow();
    await until(
      () => hub.province(GD).subscriptions.subscriptions('arrivals').length > before,
      "Guangdong's feed",
    );
    const planned = arrival(GD, 'PLANNED');
    await until(() => sub.events.length === 1, 'the first event');

    write(GD, kitReport(GD, ['ids.wrong-province']));
    await waitForVerdict(GD, 'failed');
    const departed = arrival(GD, 'DEPARTED');
    const etaChanged = arrival(GX, 'ETA_CHANGED');
    await until(() => sub.events.length >= 2, "Guangxi's event");
    await new Promise((r) => setTimeout(r, 300));
    // Guangxi's event, not Guangdong's: its position stays where the client stood.
    expect(sub.kinds()).toEqual(['PLANNED', 'ETA_CHANGED']);
    expect(Object.fromEntries(decodeVectorCursorWithEpochs(sub.events[1]!.cursor).positions)).toEqual({
      [GX]: etaChanged.seq,
      [GD]: planned.seq,
    });

    const metrics = await (await fetchAdmin(hub.gateway.url, '/metrics')).text();
    expect(metrics).toMatch(/^p2p_gateway_subscription_upstream_feeds_held 1$/m);

    write(GD, kitReport(GD));
    await waitForVerdict(GD, 'passed');
    await until(() => sub.events.length >= 3, "Guangdong's held event");
    const cancelled = arrival(GD, 'CANCELLED');
    await until(() => sub.events.length >= 4, "Guangdong's next event");
    await new Promise((r) => setTimeout(r, 100));
    await sub.close();
    expect(sub.state.error).toBeUndefined();
    // Nothing lost, nothing twice.
    expect(sub.kinds()).toEqual(['PLANNED', 'ETA_CHANGED', 'DEPARTED', 'CANCELLED']);
    expect(Object.fromEntries(decodeVectorCursorWithEpochs(sub.events[3]!.cursor).positions)).toEqual({
      [GX]: etaChanged.seq,
      [GD]: cancelled.seq,
    });
    expect(departed.seq).toBe(planned.seq + 1);
  });
});
