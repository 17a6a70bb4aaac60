/**
 * A tiny OTLP/HTTP trace collector in the test's (or benchmark's) process: a `node:http` server
 * taking `POST /v1/traces`. JSON bodies (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) are decoded into
 * flat spans; protobuf bodies are only counted (a sink for measurements).
 */
import { createServer } from 'node:http';
import { closeServer, listen } from '@p2p/runtime';

/** An attribute value as OTLP/JSON carries it. */
type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};

/** One received span, flattened. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client. */
  kind: number;
  /** `service.name` of the resource that sent it. */
  service: string;
  attributes: Record<string, string | number | boolean | unknown[]>;
  /** Event names (e.g. `province.skipped`). */
  events: string[];
}

/** A running collector. */
export interface OtlpCollector {
  /** Base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://127.0.0.1:4318`. */
  url: string;
  /** Every span received so far (JSON exports). */
  readonly spans: CollectedSpan[];
  /** Export requests received and their body bytes (JSON and protobuf). */
  readonly received: { requests: number; bytes: number };
  close(): Promise<void>;
}

function plain(value: AnyValue | undefined): string | number | boolean | unknown[] {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return (value.arrayValue?.values ?? []).map(plain);
}

function attributesOf(list: { key: string; value: AnyValue }[] | undefined): CollectedSpan['attributes'] {
  return Object.fromEntries((list ?? []).map((a) => [a.key, plain(a.value)]));
}

interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: { key: string; value: AnyValue }[];
        events?: { name: string }[];
      }[];
    }[];
  }[];
}

/** Starts a collector on a free loopback port. */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const received = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.requests++;
      received.bytes += body.length;
      const json = (req.headers['content-type'] ?? '').includes('json');
      if (req.url === '/v1/traces' && json) {
        const parsed = JSON.parse(body.toString('utf8')) as ExportRequest;
        for (const rs of parsed.resourceSpans ?? []) {
          const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                name: s.name,
                kind: s.kind ?? 0,
                service,
                attributes: attributesOf(s.attributes),
                events: (s.events ?? []).map((e) => e.name),
              });
        }
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  const url = await listen(server, { port: 0, host: '127.0.0.1', path: '' });
  return {
    url: url.replace(/\/+$/, ''),
    spans,
    received,
    close: () => closeServer(server, 1000),
  };
}
