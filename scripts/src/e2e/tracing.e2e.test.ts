/**
 * Traces across the hop (#18.3), over real processes: Guangxi, Henan, national and the gateway
 * export OTLP/JSON to a collector in this process. One `trips` query across both provinces is one
 * trace: the gateway's root span → Apollo's plan/execute/fetch spans → one `province.fetch` per
 * province → that province's server span (the `traceparent` crossed the hop) → its SQL statements;
 * no variable or row value in any attribute; the province's log lines carry the trace id. Then the
 * gateway without `OTEL_EXPORTER_OTLP_ENDPOINT`: nothing is exported by anyone.
 * PGlite, or PostgreSQL with DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlData } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from '../harness/otlp-collector.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

const DESTINATION = '440300';
const SERVER = 2;
const CLIENT = 3;
/** Where the trips start: a Guangxi and a Henan city, each with one worker of its own. */
const ORIGINS = [
  { province: '450000', city: '450200', vehicle: '桂B·T0001', name: '柳州追踪工' },
  { province: '410000', city: '411600', vehicle: '豫P·T0002', name: '周口追踪工' },
] as const;

const TRIPS = `query TracedTrips($destination: RegionCode!) {
  trips(destination: $destination, first: 10) {
    edges { node { id vehicleCode origin { code name } passengers { worker { id name } } } }
  }
}`;

/** Polls until `check` returns a value (the exporters send every 100 ms here). */
async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!servicesExist)(
  `one trace per client operation across the hop (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let federation: RunningFederation;
    let collector: OtlpCollector;
    const secrets: string[] = [DESTINATION];
    const logLines: string[] = [];

    beforeAll(async () => {
      collector = await startOtlpCollector();
      federation = await startFederation({
        provinces: ORIGINS.map((o) => o.province),
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
        provinceEnv: Object.fromEntries(ORIGINS.map((o) => [o.province, { LOG_LEVEL: 'debug' }])),
        // Regions from national, not the gateway's own directory (LOCAL_REGIONS): the trace must
        // cross that hop too, and a trips page asks national nothing else.
        gatewayEnv: { RATE_LIMIT_PER_SECOND: '0', LOCAL_REGIONS: 'off' },
        onLog: (service, line) => {
          if (service.startsWith('province')) logLines.push(line);
        },
      });
      for (const [i, origin] of ORIGINS.entries()) {
        const officer = await federation.authorization('city', origin.city);
        const idNumber = residentIdFrom(origin.city, '19900101', 11 + i);
        const { registerWorkers } = await graphqlData<{ registerWorkers: { id: string }[] }>(
          federation.gatewayUrl,
          'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }',
          { i: [{ name: origin.name, idNumber, phone: `1390000001${i}`, homeRegion: origin.city }] },
          officer,
        );
        const { planTrip } = await graphqlData<{ planTrip: { id: string } }>(
          federation.gatewayUrl,
          'mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }',
          {
            input: {
              mode: 'BUS',
              vehicleCode: origin.vehicle,
              origin: origin.city,
              destination: DESTINATION,
              departureAt: '2020-02-24T07:00:00+08:00',
              expectedArrivalAt: '2020-02-25T19:00:00+08:00',
              capacity: 30,
            },
          },
          officer,
        );
        await graphqlData(
          federation.gatewayUrl,
          'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }',
          { t: planTrip.id, w: [registerWorkers[0]!.id] },
          officer,
        );
        secrets.push(origin.name, origin.vehicle, idNumber, registerWorkers[0]!.id, planTrip.id);
      }
    }, 180_000);
    afterAll(async () => {
      await federation?.close();
      await collector?.close();
    }, 60_000);

    /** The spans of the trace whose gateway operation is `operationName`, once every service has sent its part. */
    const traceOf = (operationName: string, complete: (spans: CollectedSpan[]) => boolean) =>
      eventually(() => {
        const request = collector.spans.find(
          (s) => s.name === 'gateway.request' && s.attributes['graphql.operation.name'] === operationName,
        );
        if (!request) return undefined;
        const spans = collector.spans.filter((s) => s.traceId === request.traceId);
        return complete(spans) ? spans : undefined;
      }, `the trace of ${operationName}`);

    it('should make one trace from the gateway through each province fetch to the province and its SQL', async () => {
      // A client's own traceparent is not followed: the gateway roots a trace of its own.
      const forged = '4bf92f3577b34da6a3ce929d0e0e4736';
      const answer = await graphqlData<{ trips: { edges: { node: { vehicleCode: string } }[] } }>(
        federation.gatewayUrl,
        TRIPS,
        { destination: DESTINATION },
        { ...(await federation.authorization('ministry')), traceparent: `00-${forged}-00f067aa0ba902b7-01` },
      );
      expect(answer.trips.edges.map((e) => e.node.vehicleCode).sort()).toEqual(
        ORIGINS.map((o) => o.vehicle).sort(),
      );
      const hasSql = (spans: CollectedSpan[], province: string) =>
        spans.some((s) => s.service === `p2p-province-${province}` && s.attributes['db.system.name']);
      const spans = await traceOf(
        'TracedTrips',
        (all) =>
          ORIGINS.every((o) => hasSql(all, o.province)) && all.some((s) => s.service === 'p2p-national'),
      );
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const ancestors = (span: CollectedSpan): CollectedSpan[] => {
        const chain: CollectedSpan[] = [];
        for (let p = byId.get(span.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p);
        return chain;
      };

      // The gateway's root: its HTTP server span, with no parent; Apollo's spans under it.
      expect(collector.spans.some((s) => s.traceId === forged)).toBe(false);
      const roots = spans.filter((s) => s.parentSpanId === '');
      expect(roots).toHaveLength(1);
      const root = roots[0]!;
      expect(root).toMatchObject({ service: 'p2p-gateway', name: 'POST /graphql', kind: SERVER });
      expect(root.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200 });
      const request = spans.find((s) => s.name === 'gateway.request')!;
      expect(request.parentSpanId).toBe(root.spanId);
      expect(request.attributes['graphql.operation.type']).toBe('query');
      const execute = spans.find((s) => s.name === 'gateway.execute')!;
      expect(ancestors(execute)).toContain(request);

      for (const origin of ORIGINS) {
        // The gateway's fetch of `trips` from this province: a CLIENT span in the gateway's tree…
        const fetch = spans.find(
          (s) =>
            s.name === 'province.fetch' &&
            s.attributes['p2p.province'] === origin.province &&
            s.attributes['p2p.subgraph'] === 'transport',
        );
        expect(fetch, `the transport fetch of ${origin.province}`).toBeDefined();
        expect(fetch!).toMatchObject({ service: 'p2p-gateway', kind: CLIENT });
        const fetchAncestors = ancestors(fetch!);
        expect(fetchAncestors.at(-1)).toBe(root);
        expect(fetchAncestors.every((s) => s.service === 'p2p-gateway')).toBe(true);
        expect(
          fetchAncestors.some((s) => s.name === 'gateway.fetch' && s.attributes.service === 'transport'),
        ).toBe(true);
        // …whose child is the province's server span: the traceparent crossed the hop.
        const served = spans.filter((s) => s.parentSpanId === fetch!.spanId);
        expect(served).toHaveLength(1);
        expect(served[0]).toMatchObject({
          service: `p2p-province-${origin.province}`,
          kind: SERVER,
          name: 'POST /transport/graphql',
        });
        expect(served[0]!.attributes).toMatchObject({
          'p2p.province': origin.province,
          'graphql.operation.type': 'query',
          'http.response.status_code': 200,
        });
        // The province's SQL statements under its server span, parameters never recorded.
        const sql = spans.filter(
          (s) => s.attributes['db.system.name'] === 'postgresql' && ancestors(s).includes(served[0]!),
        );
        expect(sql.length).toBeGreaterThan(0);
        expect(sql.every((s) => s.service === `p2p-province-${origin.province}` && s.kind === CLIENT)).toBe(
          true,
        );
        expect(
          sql.some((s) => s.name === 'SELECT' && /\$1/.test(String(s.attributes['db.query.text']))),
        ).toBe(true);
        // The passengers' worker records come from the workers subgraph of the worker's home: the planner's next hop.
        expect(
          spans.some(
            (s) =>
              s.name === 'POST /workers/graphql' &&
              s.service === `p2p-province-${origin.province}` &&
              byId.get(s.parentSpanId)?.name === 'province.fetch',
          ),
        ).toBe(true);
      }
      // National (region names) is in the same trace, under a gateway.fetch.
      const national = spans.find((s) => s.service === 'p2p-national' && s.kind === SERVER)!;
      expect(byId.get(national.parentSpanId)).toMatchObject({
        name: 'gateway.fetch',
        service: 'p2p-gateway',
      });

      // No variable, argument or row value in any attribute; no document.
      const attributeText = JSON.stringify(spans.map((s) => s.attributes));
      for (const secret of secrets) expect(attributeText).not.toContain(secret);
      expect(attributeText).not.toContain('graphql.document');

      // The province's log line of the request carries the trace id.
      const traceId = root.traceId;
      const requestLog = logLines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; trace_id?: string; span_id?: string; path?: string })
        .find((l) => l.msg === 'request' && l.trace_id === traceId && l.path === '/transport/graphql');
      expect(requestLog, 'a province request log line with the trace id').toBeDefined();
      expect(spans.some((s) => s.spanId === requestLog!.span_id)).toBe(true);
    });

    it("should not trace a request to a province's own port that lacks the gateway's signature", async () => {
      // Whoever reaches a province's port may not choose trace ids or force sampling there.
      const chosen = '0af7651916cd43dd8448eb211c80319c';
      for (const origin of ORIGINS) {
        const res = await fetch(`${federation.provinceUrls[origin.province]}/transport/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: `00-${chosen}-b7ad6b7169203331-01` },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(res.status).toBe(401);
      }
      await new Promise((r) => setTimeout(r, 1_000));
      expect(collector.spans.filter((s) => s.traceId === chosen)).toEqual([]);
    });

    it('should export nothing from anyone when the gateway runs without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
      await federation.restartGateway({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: '' } });
      const before = collector.spans.length;
      await graphqlData(
        federation.gatewayUrl,
        TRIPS.replace('TracedTrips', 'UntracedTrips'),
        { destination: DESTINATION },
        await federation.authorization('ministry'),
      );
      // Provinces still export, but only spans of a trace the gateway started: none came.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(collector.spans.slice(before)).toEqual([]);
    });
  },
);
